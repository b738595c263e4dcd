"""The habit editor and "Manage habits", offscreen: validation, add, edit, reorder, pause, archive with undo."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from igfcoach.core.habits import Schedule, Target
from igfcoach.services import checklist, habits
from igfcoach.ui.dialogs.habit_editor import HabitEditor
from igfcoach.ui.dialogs.manage_habits import ManageHabitsDialog

TODAY = date(2026, 11, 25)


@pytest.fixture
def seeded(ctx):
    habits.seed_from_catalog(ctx, weight_kg=80)
    return ctx


def editor(qtbot, ctx, key=None, **kw) -> HabitEditor:
    dialog = HabitEditor(ctx, key, **kw)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    return dialog


def spec_of(ctx, key):
    return next(spec for spec, _ in habits.list_habits(ctx, include_archived=True) if spec.key == key)


def status_of(ctx, key):
    return next(status for spec, status in habits.list_habits(ctx, include_archived=True) if spec.key == key)


def all_keys(ctx):
    return [spec.key for spec, _ in habits.list_habits(ctx, include_archived=True)]


# --- the editor ----------------------------------------------------------------------------------------

def test_add_a_tick_habit_n_times_a_week(qtbot, seeded):
    dialog = editor(qtbot, seeded)
    assert dialog.windowTitle() == "Add a habit"
    qtbot.keyClicks(dialog.title_edit, "Evening walk")
    dialog.category_box.setCurrentIndex(dialog.category_box.findData("stress"))
    qtbot.keyClicks(dialog.why_edit, "Walking after dinner calms me down.")
    dialog.per_week_radio.setChecked(True)
    dialog.times_spin.setValue(4)
    with qtbot.waitSignal(QApplication.instance().habits_changed, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    spec = spec_of(seeded, "evening_walk")
    assert spec.title == "Evening walk" and spec.category == "stress"
    assert spec.why == "Walking after dinner calms me down."
    assert spec.kind == "check" and spec.schedule == Schedule.per_week(4)
    assert status_of(seeded, "evening_walk") == "active"


def test_add_a_measured_habit_on_weekdays(qtbot, seeded):
    dialog = editor(qtbot, seeded)
    dialog.title_edit.setText("Water")
    dialog.measured_radio.setChecked(True)
    dialog.unit_box.setEditText("glasses")
    dialog.target_spin.setValue(8)
    for day in (0, 2, 4):
        qtbot.mouseClick(dialog.day_checks[day], Qt.MouseButton.LeftButton)
    assert dialog.weekdays_radio.isChecked()  # ticking a day picks that schedule
    assert dialog.save() == "water"
    spec = spec_of(seeded, "water")
    assert spec.target == Target(8, "glasses", "at_least")
    assert spec.schedule == Schedule.on_weekdays([0, 2, 4])


@pytest.mark.parametrize(("setup", "field", "message"), [
    (lambda d: d.title_edit.setText("   "), "title", "Title:"),
    (lambda d: (d.title_edit.setText("Water"), d.measured_radio.setChecked(True), d.unit_box.setEditText("")),
     "unit", "Unit:"),
    (lambda d: (d.title_edit.setText("Water"), d.measured_radio.setChecked(True), d.unit_box.setEditText("l"),
                d.target_spin.setValue(0)), "target", "Target:"),
    (lambda d: (d.title_edit.setText("Yoga"), d.weekdays_radio.setChecked(True)), "weekdays", "Weekdays:"),
])
def test_a_wrong_field_is_named_inline_and_nothing_is_saved(qtbot, seeded, setup, field, message):
    before = all_keys(seeded)
    dialog = editor(qtbot, seeded)
    setup(dialog)
    with qtbot.assertNotEmitted(QApplication.instance().habits_changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_text().startswith(message)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.field_widget(field).property("invalid") is True
    assert dialog.field_widget(field).hasFocus()
    assert all_keys(seeded) == before


def test_fixing_the_field_clears_the_message_and_saves(qtbot, seeded):
    dialog = editor(qtbot, seeded)
    dialog.save()
    assert dialog.error_text().startswith("Title:")
    dialog.title_edit.setText("Stretching")
    assert dialog.save() == "stretching"
    assert dialog.error_text() == ""


def test_an_at_most_target_of_zero_is_fine(qtbot, seeded):
    dialog = editor(qtbot, seeded)
    dialog.title_edit.setText("Late-night snacks")
    dialog.measured_radio.setChecked(True)
    dialog.direction_box.setCurrentIndex(dialog.direction_box.findData("at_most"))
    dialog.unit_box.setEditText("snacks")
    dialog.target_spin.setValue(0)
    assert dialog.save() == "late_night_snacks"
    assert spec_of(seeded, "late_night_snacks").target == Target(0, "snacks", "at_most")


def test_edit_keeps_the_key_the_history_and_the_catalog_fields(qtbot, seeded):
    checklist.record(seeded, "zinc", TODAY, done=True)
    original = spec_of(seeded, "zinc")
    dialog = editor(qtbot, seeded, "zinc")
    assert dialog.windowTitle() == "Edit habit"
    assert dialog.title_edit.text() == "Zinc" and dialog.check_radio.isChecked() and dialog.daily_radio.isChecked()
    dialog.title_edit.setText("Zinc-rich food")
    dialog.weekdays_radio.setChecked(True)
    for day in (0, 3):
        dialog.day_checks[day].setChecked(True)
    assert dialog.save() == "zinc"
    spec = spec_of(seeded, "zinc")
    assert spec.title == "Zinc-rich food" and spec.schedule == Schedule.on_weekdays([0, 3])
    assert spec.order == original.order and spec.flags == original.flags
    assert checklist.history(seeded, "zinc")[0].done  # history stays attached


def test_editing_protein_keeps_the_weight_based_target_unless_changed(qtbot, seeded):
    dialog = editor(qtbot, seeded, "protein")
    assert dialog.measured_radio.isChecked() and dialog.target_spin.value() == 128
    dialog.why_edit.setText("Protein feeds the IGF-1 signal.")
    dialog.save()
    assert spec_of(seeded, "protein").target.per_kg == 1.6
    dialog = editor(qtbot, seeded, "protein")
    dialog.target_spin.setValue(140)
    dialog.save()
    target = spec_of(seeded, "protein").target
    assert target.value == 140 and target.per_kg is None


def test_editor_controls_have_accessible_names(qtbot, seeded):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit

    dialog = editor(qtbot, seeded)
    controls = [w for cls in (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit)
                for w in dialog.findChildren(cls)
                if not isinstance(w.parent(), (QAbstractSpinBox, QComboBox))]
    assert [w for w in controls if not w.accessibleName()] == []


# --- manage habits -------------------------------------------------------------------------------------

@pytest.fixture
def manage(qtbot, seeded) -> ManageHabitsDialog:
    dialog = ManageHabitsDialog(seeded)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def group(ctx, category):
    return [spec.key for spec, _ in habits.list_habits(ctx) if spec.category == category]


def test_the_list_shows_every_habit_by_group(manage, seeded):
    assert manage.keys_shown() == [spec.key for spec, _ in habits.list_habits(seeded)]
    assert manage.tree.topLevelItem(0).text(0) == "Sleep"


def test_move_up_and_down_within_a_group(manage, seeded, qtbot):
    assert group(seeded, "micronutrients") == ["zinc", "magnesium", "vitamin_d"]
    manage.select("magnesium")
    with qtbot.waitSignal(QApplication.instance().habits_changed, timeout=1000):
        qtbot.mouseClick(manage.up_button, Qt.MouseButton.LeftButton)
    assert group(seeded, "micronutrients") == ["magnesium", "zinc", "vitamin_d"]
    assert manage.selected_key() == "magnesium" and not manage.up_button.isEnabled()
    manage.select("zinc")
    manage.down_button.click()
    assert group(seeded, "micronutrients") == ["magnesium", "vitamin_d", "zinc"]
    assert not manage.down_button.isEnabled()  # last in its group
    assert [k for k in checklist_keys(seeded) if k in ("magnesium", "vitamin_d", "zinc")] == \
        ["magnesium", "vitamin_d", "zinc"]


def checklist_keys(ctx):
    return [i.spec.key for i in checklist.day_checklist(ctx, TODAY)]


def test_pause_and_resume(manage, seeded):
    manage.select("zinc")
    manage.pause_button.click()
    assert status_of(seeded, "zinc") == "paused" and "zinc" not in checklist_keys(seeded)
    assert manage.pause_button.text() == "Resume"
    manage.pause_button.click()
    assert status_of(seeded, "zinc") == "active" and "zinc" in checklist_keys(seeded)


def test_archive_then_undo(manage, seeded, qtbot):
    checklist.record(seeded, "zinc", TODAY, done=True)
    manage.select("zinc")
    qtbot.mouseClick(manage.archive_button, Qt.MouseButton.LeftButton)
    assert status_of(seeded, "zinc") == "archived"
    assert "zinc" not in manage.keys_shown() and "zinc" not in checklist_keys(seeded)
    assert manage.undo_bar.offers_undo() and "history is kept" in manage.undo_bar.text()
    qtbot.mouseClick(manage.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    assert status_of(seeded, "zinc") == "active"
    assert checklist.item(seeded, "zinc", TODAY).done  # nothing was lost


def test_ctrl_z_undoes_an_archive(manage, seeded, qtbot):
    manage.select("magnesium")
    manage.archive_button.click()
    manage.tree.setFocus()
    qtbot.keyClick(manage.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert status_of(seeded, "magnesium") == "active"


def test_show_archived_and_restore(manage, seeded):
    habits.set_status(seeded, "vitamin_d", habits.ARCHIVED)
    manage.reload()
    assert "vitamin_d" not in manage.keys_shown()
    manage.show_archived.setChecked(True)
    assert "vitamin_d" in manage.keys_shown()
    manage.select("vitamin_d")
    assert manage.archive_button.text() == "Restore" and not manage.pause_button.isEnabled()
    manage.archive_button.click()
    assert status_of(seeded, "vitamin_d") == "active"


def test_add_and_edit_from_the_list(manage, seeded, qtbot):
    manage.select("breathing")
    qtbot.mouseClick(manage.add_button, Qt.MouseButton.LeftButton)
    add = manage.editor
    assert add is not None and add.isVisible()
    assert add.category_box.currentData() == "stress"  # starts in the selected habit's group
    add.title_edit.setText("Cold shower")
    add.save()
    assert "cold_shower" in manage.keys_shown() and manage.selected_key() == "cold_shower"
    manage.select("zinc")
    manage.edit_button.click()
    edit = manage.editor
    assert edit.title_edit.text() == "Zinc"
    edit.title_edit.setText("Zinc (food first)")
    edit.save()
    assert spec_of(seeded, "zinc").title == "Zinc (food first)"
    assert manage.tree.selectedItems()[0].text(0) == "Zinc (food first)"


def test_the_today_page_follows_changes_made_in_manage(qtbot, seeded):
    from igfcoach.ui.pages.today import TodayPage

    page = TodayPage(seeded)
    qtbot.addWidget(page)
    dialog = page.open_manage()
    dialog.select("zinc")
    dialog.archive_button.click()
    assert "zinc" not in page.rows
    dialog.undo()
    assert "zinc" in page.rows
    dialog.reject()
