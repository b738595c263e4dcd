"""The Labs page, the add/edit dialog and the Health & safety settings, offscreen."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt, QTimer

from igfcoach.core.igf1 import BUILTIN_SOURCE
from igfcoach.core.safety import SPECIALIST_ONLY_NOTICE, ScreenAnswers
from igfcoach.services import labs, safety, settings
from igfcoach.services.labs import LabInput
from igfcoach.ui.dialogs.lab_result import LabResultDialog
from igfcoach.ui.pages.labs import CLINICIAN_TITLE, LabsPage
from igfcoach.ui.settings.safety import SafetySettings


def dump(ctx) -> list[str]:
    conn = sqlite3.connect(ctx.db.path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def add(ctx, value, unit="ng/mL", drawn_on=date(2026, 10, 1), **kw):
    return labs.add_result(ctx, LabInput(drawn_on=drawn_on, value=value, unit=unit, **kw), confirm=True)


@pytest.fixture
def page(qtbot, ctx):
    p = LabsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1000, 700)
    return p


def cells(page, row):
    return [page.table.item(row, c).text() for c in range(page.table.columnCount())]


# --------------------------------------------------------------------------------------------------- the table

def test_results_in_either_unit_are_shown_in_the_preferred_unit_and_classified_three_ways(page, ctx):
    safety.record_answers(ctx, ScreenAnswers(age=40, sex="male"))  # built-in 76–251
    add(ctx, 18.5, "nmol/L", lab_low=12, lab_high=40)  # 141.5 ng/mL
    add(ctx, 100, drawn_on=date(2026, 6, 1))
    page.refresh()
    assert page.table.rowCount() == 2
    assert cells(page, 0) == ["2026-10-01", "142 ng/mL", "\u2713 Within", "\u2713 Within", "\u2713 Within"]
    assert cells(page, 1) == ["2026-06-01", "100 ng/mL", "\u25bc Below", "\u2014", "\u2713 Within"]
    assert page.table.item(0, 2).toolTip() == "Within your target band (120\u2013160 ng/mL)"
    assert page.table.item(1, 3).toolTip() == "No lab range was entered"
    assert "Target band: 120\u2013160 ng/mL" in page.references_label.text()

    page.unit_buttons[page.unit.__class__("nmol/L")].click()
    assert settings.get(ctx, "lab_unit") == "nmol/L"
    assert cells(page, 0)[1] == "18.5 nmol/L"
    assert cells(page, 1)[1] == "13.1 nmol/L"
    assert page.table.item(0, 2).toolTip() == "Within your target band (15.7\u201320.9 nmol/L)"


def test_the_preferred_unit_is_used_from_the_start(qtbot, ctx):
    settings.put(ctx, lab_unit="nmol/L")
    add(ctx, 153)
    p = LabsPage(ctx)
    qtbot.addWidget(p)
    assert p.unit_buttons[p.unit].isChecked() and p.unit.value == "nmol/L"
    assert cells(p, 0)[1] == "20.0 nmol/L"


def test_empty_page_invites_a_first_result(page):
    assert page.table.isHidden() and not page.empty_label.isHidden() and page.detail_scroll.isHidden()
    assert "baseline" in page.coaching_card.text()
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()


def test_detail_pane_shows_every_field_as_plain_text_and_the_source(page, ctx):
    safety.record_answers(ctx, ScreenAnswers(age=44, sex="female"))
    r = add(ctx, 15, "nmol/L", lab_low=10, lab_high=35, lab_name="<b>City</b> Lab", assay="LC-MS",
            fasting=True, drawn_at_time="07:45", biotin_72h=True, notes="<i>rested</i>")
    page.refresh()
    page.select_id(r.id)
    v = page.detail_values
    assert v["date"].text() == "2026-10-01 at 07:45"
    assert v["value"].text() == "115 ng/mL  (15.0 nmol/L)"
    assert v["entered"].text() == "15 nmol/L"
    assert v["lab_range"].text() == "76\u2013268 ng/mL"
    assert v["lab"].text() == "<b>City</b> Lab" and v["lab"].textFormat() == Qt.TextFormat.PlainText
    assert v["notes"].text() == "<i>rested</i>" and v["notes"].textFormat() == Qt.TextFormat.PlainText
    assert v["assay"].text() == "LC-MS" and v["fasting"].text() == "yes"
    assert "biotin can distort" in v["biotin"].text()
    assert v["target"].text().startswith("Below your target band")
    assert v["vs_lab"].text().startswith("Within the lab's reference range")
    assert v["vs_builtin"].text().startswith("Within the built-in reference interval")
    assert BUILTIN_SOURCE in page.source_label.text()


# --------------------------------------------------------------------------------------------------- coaching per band

def test_coaching_below_target(page, ctx):
    add(ctx, 95, lab_low=80, lab_high=300)
    page.refresh()
    assert "below your target band" in page.coaching_card.text()
    assert page.clinician_card.isHidden() and page.specialist_card.isHidden()


def test_coaching_inside_target(page, ctx):
    add(ctx, 140, lab_low=80, lab_high=300)
    page.refresh()
    assert "maintain" in page.coaching_card.text()
    assert page.clinician_card.isHidden()


def test_coaching_above_target(page, ctx):
    add(ctx, 200, lab_low=80, lab_high=300)
    page.refresh()
    assert "no longer encourages" in page.coaching_card.text()
    assert page.clinician_card.isHidden()


def test_above_the_lab_range_shows_the_clinician_card_with_the_reason(page, ctx):
    add(ctx, 320, lab_low=80, lab_high=300)
    page.refresh()
    assert not page.clinician_card.isHidden()
    text = page.clinician_card.text()
    assert text.startswith(CLINICIAN_TITLE) and "acromegaly" in text
    assert page.clinician_card.body_label.textFormat() == Qt.TextFormat.PlainText


def test_below_the_lab_range_shows_the_clinician_card_with_the_reason(page, ctx):
    add(ctx, 70, lab_low=80, lab_high=300)
    page.refresh()
    assert not page.clinician_card.isHidden() and "frailty" in page.clinician_card.text()


def test_a_contraindication_shows_the_specialist_only_notice(page, ctx, qapp):
    safety.record_answers(ctx, ScreenAnswers(pregnant=True))
    qapp.settings_changed.emit()
    assert not page.specialist_card.isHidden()
    text = page.specialist_card.text()
    assert text.startswith("Specialist-directed only\n")
    assert SPECIALIST_ONLY_NOTICE.split(": ", 1)[1][1:] in text and "Pregnancy" in text


def test_the_page_follows_labs_changed(page, ctx, qapp):
    add(ctx, 140)
    qapp.labs_changed.emit()
    assert page.table.rowCount() == 1


# --------------------------------------------------------------------------------------------------- add, edit, delete

def run_with_dialog(page, action, fill):
    """Run a page action that opens the modal dialog; `fill(dialog)` acts on it once it is open."""
    seen = []

    def act():
        dialog = page.open_dialog
        seen.append(dialog)
        fill(dialog)

    QTimer.singleShot(0, act)
    result = action()
    assert seen, "the dialog did not open"
    return result


def test_add_through_the_dialog(page, ctx, qapp):
    changes = []
    qapp.labs_changed.connect(lambda: changes.append(1))

    def fill(d):
        d.value_edit.setText("18.5")
        d.unit_combo.setCurrentText("nmol/L")
        d.lab_low_edit.setText("12")
        d.lab_high_edit.setText("40")
        d.buttons.button(d.buttons.StandardButton.Save).click()

    saved = run_with_dialog(page, page.add_result, fill)
    assert saved.value_ng == pytest.approx(141.5065)
    assert labs.count_results(ctx) == 1
    assert page.table.rowCount() == 1 and page.selected_id() == saved.id
    assert changes


def test_ctrl_n_opens_the_add_dialog_and_cancel_saves_nothing(page, ctx, qtbot):
    page.show()
    with qtbot.waitActive(page):
        page.activateWindow()
    opened = []

    def cancel():
        d = page.open_dialog
        opened.append(d is not None)
        if d is not None:
            d.reject()

    QTimer.singleShot(0, cancel)
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == [True]
    assert labs.count_results(ctx) == 0


def test_edit_through_the_dialog_shows_what_was_typed(page, ctx):
    r = add(ctx, 18.5, "nmol/L", lab_low=12, lab_high=40, notes="first")
    page.refresh()
    page.select_id(r.id)
    seen = {}

    def fill(d):
        seen.update(value=d.value_edit.text(), unit=d.unit_combo.currentText(), low=d.lab_low_edit.text(),
                    high=d.lab_high_edit.text(), notes=d.notes_edit.toPlainText())
        d.value_edit.setText("20")
        d.save()

    saved = run_with_dialog(page, page.edit_selected, fill)
    assert seen == {"value": "18.5", "unit": "nmol/L", "low": "12", "high": "40", "notes": "first"}
    assert saved.id == r.id and saved.entered_value == 20
    assert labs.count_results(ctx) == 1


def test_delete_key_deletes_and_undo_restores(page, ctx, qtbot):
    a = add(ctx, 100, drawn_on=date(2026, 6, 1))
    b = add(ctx, 140, drawn_on=date(2026, 10, 1))
    page.refresh()
    page.show()
    with qtbot.waitActive(page):
        page.activateWindow()
    page.select_id(b.id)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert [r.id for r in labs.list_results(ctx)] == [a.id]
    assert not page.undo_strip.isHidden() and "2026-10-01" in page.undo_label.text()
    assert page.selected_id() == a.id
    page.undo_button.click()
    assert [r.id for r in labs.list_results(ctx)] == [b.id, a.id]
    assert page.undo_strip.isHidden() and page.selected_id() == b.id
    # Ctrl+Z also undoes.
    page.delete_selected()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert labs.count_results(ctx) == 2


# --------------------------------------------------------------------------------------------------- the dialog

@pytest.fixture
def dialog(qtbot, ctx):
    d = LabResultDialog(ctx)
    qtbot.addWidget(d)
    d.confirm_implausible = lambda message: pytest.fail(f"unexpected confirmation: {message}")
    return d


def test_dialog_limits_the_date_to_today_and_defaults_to_it(dialog):
    assert dialog.date_edit.maximumDate() == QDate(2026, 11, 25)
    assert dialog.date_edit.date() == QDate(2026, 11, 25)
    assert dialog.value_edit.accessibleName() == "IGF-1 value"


def test_dialog_saves_every_field(dialog, ctx):
    dialog.date_edit.setDate(QDate(2026, 9, 3))
    dialog.time_check.setChecked(True)
    dialog.time_edit.setTime(dialog.time_edit.time().fromString("07:40", "HH:mm"))
    dialog.value_edit.setText("131")
    dialog.lab_low_edit.setText("90")
    dialog.lab_high_edit.setText("280")
    dialog.lab_name_edit.setText("City Lab")
    dialog.assay_edit.setText("LC-MS")
    dialog.fasting_combo.setCurrentIndex(2)
    dialog.biotin_check.setChecked(True)
    dialog.notes_edit.setPlainText("after a good week")
    dialog.save()
    assert dialog.saved_result is not None
    r = labs.list_results(ctx)[0]
    assert (r.drawn_on, r.drawn_at_time, r.value_ng, r.lab_low_ng, r.lab_high_ng) == (
        date(2026, 9, 3), "07:40", 131, 90, 280)
    assert (r.lab_name, r.assay, r.fasting, r.biotin_72h, r.notes) == (
        "City Lab", "LC-MS", False, True, "after a good week")


@pytest.mark.parametrize(("fill", "message"), [
    ({"value": "abc"}, "value: 'abc' is not a number"),
    ({"value": ""}, "value: '' is not a number"),
    ({"value": "0"}, "value: must be greater than zero"),
    ({"value": "-3"}, "value: must be greater than zero"),
    ({"value": "140", "low": "300", "high": "90"}, "lab range: the low limit (300) must be below the high limit (90)"),
    ({"value": "140", "low": "90"}, "lab range: enter both the low and the high limit, or neither"),
])
def test_dialog_shows_errors_inline_naming_the_field_and_saves_nothing(dialog, ctx, fill, message):
    add(ctx, 120)
    before = dump(ctx)
    dialog.value_edit.setText(fill["value"])
    dialog.lab_low_edit.setText(fill.get("low", ""))
    dialog.lab_high_edit.setText(fill.get("high", ""))
    dialog.save()
    assert dialog.saved_result is None and dialog.result() != dialog.DialogCode.Accepted
    assert message in dialog.error_text()
    assert dump(ctx) == before
    field = message.split(":")[0]
    label = dialog.errors["lab range" if field == "lab range" else "value"]
    assert not label.isHidden() and label.textFormat() == Qt.TextFormat.PlainText


def test_dialog_refuses_a_future_date(dialog, ctx, clock):
    # The day changes while the dialog is open: the date picked is now in the future.
    dialog.value_edit.setText("140")
    clock.set(datetime(2026, 11, 24, 9, 0))
    before = dump(ctx)
    dialog.save()
    assert "date: 2026-11-25 is in the future" in dialog.error_text()
    assert not dialog.errors["date"].isHidden()
    assert dump(ctx) == before


def test_dialog_asks_before_saving_an_implausible_value(dialog, ctx):
    asked = []
    dialog.confirm_implausible = lambda message: asked.append(message) or False
    dialog.value_edit.setText("5")
    before = dump(ctx)
    dialog.save()
    assert len(asked) == 1 and asked[0].startswith("value: 5 ng/mL is outside the plausible range")
    assert dialog.saved_result is None and dump(ctx) == before
    assert "value: 5 ng/mL is outside the plausible range" in dialog.error_text()
    dialog.confirm_implausible = lambda message: asked.append(message) or True
    dialog.save()
    assert dialog.saved_result is not None and dialog.saved_result.value_ng == 5
    assert labs.count_results(ctx) == 1


def test_errors_clear_after_a_fix(dialog, ctx):
    dialog.value_edit.setText("x")
    dialog.save()
    assert dialog.error_text()
    dialog.value_edit.setText("150")
    dialog.save()
    assert dialog.error_text() == "" and dialog.saved_result is not None


# --------------------------------------------------------------------------------------------------- settings tab

def test_safety_settings_record_answers_with_history(qtbot, ctx, clock, qapp):
    tab = SafetySettings(ctx)
    qtbot.addWidget(tab)
    assert tab.history.item(0).text() == "Not answered yet."
    tab.screen.age.setValue(50)
    tab.screen.sex.setCurrentIndex(2)
    tab.screen.cancer.setChecked(True)
    assert not tab.screen.explanation.isHidden()
    assert "Active cancer diagnosis" in tab.screen.explanation.text()
    with qtbot.waitSignal(qapp.settings_changed):
        assert tab.save_answers() is True
    assert safety.current_answers(ctx) == ScreenAnswers(age=50, sex="male", active_cancer=True)
    clock.advance(3600 * 24)
    tab.screen.cancer.setChecked(False)
    assert tab.screen.explanation.isHidden()
    tab.save_answers()
    assert [tab.history.item(i).text() for i in range(tab.history.count())] == [
        "2026-11-26 09:00  \u2014  age 50; male; no contraindications",
        "2026-11-25 09:00  \u2014  age 50; male; active cancer diagnosis",
    ]
    assert tab.save_answers() is False and tab.answers_status.text() == "No change to save."


def test_age_decides_under_18(qtbot, ctx):
    tab = SafetySettings(ctx)
    qtbot.addWidget(tab)
    tab.screen.age.setValue(16)
    assert tab.screen.under_18.isChecked() and not tab.screen.under_18.isEnabled()
    assert tab.screen.answers().under_18 and tab.screen.contraindicated()


def test_target_band_is_validated_and_saved(qtbot, ctx):
    tab = SafetySettings(ctx)
    qtbot.addWidget(tab)
    tab.band_unit.setCurrentText("ng/mL")
    assert (tab.band_low.text(), tab.band_high.text()) == ("120", "160")
    before = dump(ctx)
    tab.band_low.setText("170")
    assert tab.save_band() is False
    assert "target band: the low limit (170) must be below the high limit (160)" in tab.band_error.text()
    assert not tab.band_error.isHidden() and dump(ctx) == before
    tab.band_low.setText("abc")
    assert tab.save_band() is False and "target band: the low limit 'abc' is not a number" in tab.band_error.text()
    tab.band_low.setText("110")
    assert tab.save_band() is True and tab.band_error.isHidden()
    assert safety.target_band(ctx).low_ng == 110
    tab.band_unit.setCurrentText("nmol/L")
    assert tab.band_low.text() == "14.4"
    tab.reset_band()
    assert safety.target_band(ctx).low_ng == 120


def test_the_settings_page_has_the_health_and_safety_tab(qtbot, ctx):
    from igfcoach.ui.pages.settings import SettingsPage

    s = SettingsPage(ctx)
    qtbot.addWidget(s)
    titles = [s.tabs.tabText(i) for i in range(s.tabs.count())]
    assert "Health && safety" in titles  # shown as "Health & safety"


def test_the_main_window_builds_the_labs_page(qtbot, ctx):
    from igfcoach.ui.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    assert isinstance(w.page("labs"), LabsPage)
