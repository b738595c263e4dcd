"""The Today page, offscreen: ticking, amounts, skips, notes, day navigation, undo, rollover and the safety notice.

Every assertion about data reads it back through the checklist service, i.e. from the database.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QProgressBar,
)

from igfcoach.core import scores
from igfcoach.core.habits import HabitSpec, Schedule
from igfcoach.services import checklist, habits, settings
from igfcoach.ui.pages.today import TodayPage

TODAY = date(2026, 11, 25)  # the clock fixture's day, a Wednesday
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def seeded(ctx):
    habits.seed_from_catalog(ctx, weight_kg=80)  # protein target 1.6 g/kg × 80 kg = 128 g
    return ctx


def show(qtbot, page: TodayPage) -> TodayPage:
    qtbot.addWidget(page)
    page.resize(1000, 680)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    return page


@pytest.fixture
def page(qtbot, seeded) -> TodayPage:
    return show(qtbot, TodayPage(seeded))


def stored(ctx, key, day=TODAY):
    return checklist.item(ctx, key, day)


def focus_row(qtbot, page, key):
    row = page.row(key)
    row.setFocus()
    qtbot.waitUntil(row.hasFocus)
    return row


# --- what is shown -------------------------------------------------------------------------------------

def test_header_shows_the_date_and_the_days_adherence(page, seeded):
    assert page.title_label.text() == "Wednesday 25 November"
    assert page.relative_label.text() == "Today"
    due = [i for i in checklist.day_checklist(seeded, TODAY) if i.due and not i.skipped]
    assert page.summary_label.text() == f"0 of {len(due)} done"
    assert not page.next_button.isEnabled() and not page.today_button.isEnabled()


def test_items_are_grouped_by_category_in_display_order(page):
    from PySide6.QtWidgets import QLabel

    groups = [label.text() for label in page.scroll.widget().findChildren(QLabel, "groupTitle")]
    assert groups == ["Sleep", "Training", "Nutrition", "Stress", "Micronutrients"]
    assert page.ordered_keys()[:4] == ["sleep_duration", "bedtime_consistent", "bedroom_cool_dark", "screens_off"]


def test_row_shows_why_more_streak_strength_and_week(page, seeded, qtbot):
    for back in range(1, 4):
        checklist.record(seeded, "zinc", TODAY - timedelta(days=back), done=True)
    for day in (date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 23)):  # last week 2/2, this week 1/2
        checklist.record(seeded, "hiit", day, done=True)
    page.reload()
    zinc = page.row("zinc")
    assert zinc.why.text().startswith("Too little zinc")
    assert zinc.streak_label.text() == "3-day streak"
    assert 0 < zinc.strength_bar.value() < 100 and zinc.strength_label.text().endswith("%")
    assert page.row("hiit").week_label.text() == "1/2 this week"
    assert page.row("hiit").streak_label.text() == "1-week streak"
    assert zinc.details.isHidden()
    qtbot.mouseClick(zinc.more_button, Qt.MouseButton.LeftButton)
    assert not zinc.details.isHidden() and "zinc" in zinc.details.text().lower()
    assert zinc.more_button.text() == "Less"


def test_caution_text_is_shown_with_the_details(qtbot, ctx):
    habits.seed_from_catalog(ctx, weight_kg=80, enable_optional=["mucuna"])
    page = show(qtbot, TodayPage(ctx))
    row = page.row("mucuna")
    row.more_button.click()
    assert not row.caution.isHidden() and row.caution.text().startswith("Caution:")


def test_not_due_items_are_dimmed_with_the_reason(qtbot, seeded):
    checklist.record(seeded, "hiit", TODAY - timedelta(days=2), done=True)
    checklist.record(seeded, "hiit", TODAY - timedelta(days=1), done=True)  # 2 of 2 this week
    habits.add_habit(seeded, HabitSpec(key="new", category="training", title="Long run", why="Endurance.",
                                       details="", kind="check", target=None,
                                       schedule=Schedule.on_weekdays([0, 4])))
    page = show(qtbot, TodayPage(seeded))
    hiit, run = page.row("hiit"), page.row("long_run")
    assert hiit.property("dim") is True and "this week's 2 are done" in hiit.state_label.text()
    assert run.property("dim") is True
    assert run.state_label.text() == "Not due on Wednesdays (scheduled Mon, Fri)"
    assert page.row("zinc").property("dim") is False
    assert page.row("zinc").state_label.isHidden()


# --- ticking -------------------------------------------------------------------------------------------

def test_space_ticks_and_unticks_the_focused_item(page, seeded, qtbot):
    row = focus_row(qtbot, page, "zinc")
    with qtbot.waitSignal(QApplication.instance().checkoffs_changed, timeout=1000):
        qtbot.keyClick(row, Qt.Key.Key_Space)
    assert stored(seeded, "zinc").done
    assert row.check.isChecked()
    assert page.summary_label.text().startswith("1 of ")
    qtbot.keyClick(row, Qt.Key.Key_Space)
    assert not stored(seeded, "zinc").done
    assert not row.check.isChecked()
    assert page.undo_bar.offers_undo() and "Unticked “Zinc”" in page.undo_bar.text()


def test_clicking_the_box_or_the_title_ticks(page, seeded, qtbot):
    row = page.row("magnesium")
    qtbot.mouseClick(row.check, Qt.MouseButton.LeftButton)
    assert stored(seeded, "magnesium").done
    qtbot.mouseClick(row.title, Qt.MouseButton.LeftButton)
    assert not stored(seeded, "magnesium").done


def test_a_tick_refreshes_only_its_row(page, seeded, qtbot):
    content, rows = page.scroll.widget(), dict(page.rows)
    qtbot.mouseClick(page.row("zinc").check, Qt.MouseButton.LeftButton)
    assert page.scroll.widget() is content
    assert all(page.rows[k] is rows[k] for k in rows)


def test_arrow_keys_move_between_items(page, qtbot):
    keys = page.ordered_keys()
    row = focus_row(qtbot, page, keys[0])
    qtbot.keyClick(row, Qt.Key.Key_Down)
    assert page.focused_key() == keys[1]
    qtbot.keyClick(page.row(keys[1]), Qt.Key.Key_Down)
    assert page.focused_key() == keys[2]
    qtbot.keyClick(page.row(keys[2]), Qt.Key.Key_Up)
    assert page.focused_key() == keys[1]
    assert page.row(keys[1]).property("current") is True
    # also from a control inside a row
    skip = page.row(keys[1]).skip_box
    skip.setFocus()
    qtbot.waitUntil(skip.hasFocus)
    qtbot.keyClick(skip, Qt.Key.Key_Down)
    assert page.focused_key() == keys[2]
    # the first and last items stop there
    qtbot.keyClick(focus_row(qtbot, page, keys[0]), Qt.Key.Key_Up)
    assert page.focused_key() == keys[0]


# --- amounts -------------------------------------------------------------------------------------------

def enter_amount(qtbot, box, text):
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.selectAll()
    if text:
        qtbot.keyClicks(box, text)
    else:
        qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_an_amount_counts_as_done_only_at_the_target(page, seeded, qtbot):
    row = page.row("protein")
    assert row.target_label.text() == "goal ≥ 128 g"
    enter_amount(qtbot, row.value_box, "100")
    item = stored(seeded, "protein")
    assert item.value == 100 and not item.done
    assert row.mark.text() == ""
    enter_amount(qtbot, row.value_box, "128")
    item = stored(seeded, "protein")
    assert item.value == 128 and item.done
    assert row.mark.text() == "✓"
    assert page.summary_label.text().startswith("1 of ")


def test_clearing_an_amount_unticks_it_with_undo(page, seeded, qtbot):
    checklist.record(seeded, "sleep_duration", value=7.5)
    page.reload()
    row = page.row("sleep_duration")
    assert row.value_box.amount() == 7.5
    enter_amount(qtbot, row.value_box, "")
    assert stored(seeded, "sleep_duration").value is None
    assert page.undo_bar.offers_undo()
    page.undo_bar.undo_button.click()
    assert stored(seeded, "sleep_duration").value == 7.5
    assert page.row("sleep_duration").value_box.amount() == 7.5


def test_an_amount_typed_but_not_entered_is_saved_to_its_own_day(page, seeded, qtbot):
    box = page.row("protein").value_box
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.selectAll()
    qtbot.keyClicks(box, "95")
    page.previous_day()  # as the picker or a shortcut would: focus is still in the box
    assert page.day == TODAY - timedelta(days=1)
    assert stored(seeded, "protein").value == 95
    assert stored(seeded, "protein", TODAY - timedelta(days=1)).value is None
    assert page.row("protein").value_box.amount() is None


def test_space_on_an_amount_row_goes_into_its_box(page, qtbot):
    row = focus_row(qtbot, page, "sleep_duration")
    qtbot.keyClick(row, Qt.Key.Key_Space)
    assert row.value_box.hasFocus()
    qtbot.keyClick(row.value_box, Qt.Key.Key_Escape)
    assert row.hasFocus()


# --- skip and note -------------------------------------------------------------------------------------

def test_skip_is_stored_neutral_and_undoable(page, seeded, qtbot):
    due_before = page.summary_label.text()
    row = page.row("bedroom_cool_dark")
    qtbot.mouseClick(row.skip_box, Qt.MouseButton.LeftButton)
    item = stored(seeded, "bedroom_cool_dark")
    assert item.skipped and not item.done
    assert "streak is safe" in row.state_label.text()
    assert "1 skipped" in page.summary_label.text()
    done, due = (int(x) for x in due_before.split(" done")[0].split(" of "))
    assert page.summary_label.text().startswith(f"{done} of {due - 1} done")  # neither done nor due
    assert page.undo_bar.offers_undo() and "Skipped" in page.undo_bar.text()
    qtbot.mouseClick(row.skip_box, Qt.MouseButton.LeftButton)
    assert not stored(seeded, "bedroom_cool_dark").skipped
    assert row.skip_box.accessibleDescription().startswith("Skip this day: ill or rest day")


def test_a_note_is_saved_for_the_day(page, seeded, qtbot):
    row = page.row("protein")
    qtbot.mouseClick(row.note_button, Qt.MouseButton.LeftButton)
    assert row.note_edit.isVisible() and row.note_edit.hasFocus()
    qtbot.keyClicks(row.note_edit, "two shakes")
    qtbot.keyClick(row.note_edit, Qt.Key.Key_Return)
    assert stored(seeded, "protein").note == "two shakes"
    assert row.note_edit.isHidden()
    assert "Note: two shakes" in row.state_label.text()
    assert row.note_button.text() == "Edit note"


def test_escape_cancels_a_note(page, seeded, qtbot):
    row = page.row("zinc")
    row.note_button.click()
    qtbot.keyClicks(row.note_edit, "draft")
    qtbot.keyClick(row.note_edit, Qt.Key.Key_Escape)
    assert stored(seeded, "zinc").note is None and row.note_edit.isHidden()


# --- days ----------------------------------------------------------------------------------------------

def test_ctrl_left_right_and_ctrl_t_change_the_day(page, seeded, qtbot):
    row = focus_row(qtbot, page, "zinc")
    qtbot.keyClick(row, Qt.Key.Key_Left, CTRL)
    assert page.day == TODAY - timedelta(days=1)
    assert page.title_label.text() == "Tuesday 24 November" and page.relative_label.text() == "Yesterday"
    assert page.focused_key() == "zinc"  # focus stays on the same item
    qtbot.keyClick(page.row("zinc"), Qt.Key.Key_Space)  # fill in yesterday
    assert stored(seeded, "zinc", TODAY - timedelta(days=1)).done
    assert not stored(seeded, "zinc").done
    qtbot.keyClick(page.row("zinc"), Qt.Key.Key_Left, CTRL)
    qtbot.keyClick(page.row("zinc"), Qt.Key.Key_Left, CTRL)
    assert page.day == TODAY - timedelta(days=3) and page.relative_label.text() == "3 days ago"
    qtbot.keyClick(page.row("zinc"), Qt.Key.Key_Right, CTRL)
    assert page.day == TODAY - timedelta(days=2)
    qtbot.keyClick(page.row("zinc"), Qt.Key.Key_T, CTRL)
    assert page.day == TODAY and page.title_label.text() == "Wednesday 25 November"


def test_buttons_and_picker_navigate(page, qtbot):
    qtbot.mouseClick(page.prev_button, Qt.MouseButton.LeftButton)
    assert page.day == TODAY - timedelta(days=1)
    assert page.next_button.isEnabled() and page.today_button.isEnabled()
    page.date_edit.setDate(QDate(2026, 11, 2))
    assert page.day == date(2026, 11, 2) and page.title_label.text() == "Monday 2 November"
    qtbot.mouseClick(page.today_button, Qt.MouseButton.LeftButton)
    assert page.day == TODAY


def test_future_days_are_not_reachable(page, qtbot):
    assert page.date_edit.maximumDate() == QDate(2026, 11, 25)
    qtbot.keyClick(focus_row(qtbot, page, "zinc"), Qt.Key.Key_Right, CTRL)
    assert page.day == TODAY
    page.next_day()
    assert page.day == TODAY and not page.next_button.isEnabled()
    page.date_edit.setDate(QDate(2026, 11, 27))  # clamped by the picker
    page.go_to(date(2026, 12, 1))  # and by the page
    assert page.day == TODAY
    assert page.date_edit.date() == QDate(2026, 11, 25)


# --- undo ----------------------------------------------------------------------------------------------

def test_undo_after_untick_restores_the_record_exactly(page, seeded, qtbot):
    checklist.record(seeded, "zinc", done=True, note="oysters")
    page.reload()
    row = focus_row(qtbot, page, "zinc")
    qtbot.keyClick(row, Qt.Key.Key_Space)
    assert not stored(seeded, "zinc").done
    assert page.undo_bar.offers_undo()
    qtbot.mouseClick(page.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    item = stored(seeded, "zinc")
    assert item.done and item.note == "oysters"
    assert page.row("zinc").check.isChecked()
    assert "Restored" in page.undo_bar.text() and not page.undo_bar.offers_undo()


def test_ctrl_z_undoes_the_last_change(page, seeded, qtbot):
    row = focus_row(qtbot, page, "magnesium")
    qtbot.keyClick(row, Qt.Key.Key_Space)
    qtbot.keyClick(row, Qt.Key.Key_Space)
    qtbot.keyClick(row, Qt.Key.Key_Z, CTRL)  # undo the untick
    assert stored(seeded, "magnesium").done
    qtbot.keyClick(row, Qt.Key.Key_Z, CTRL)  # undo the tick
    assert stored(seeded, "magnesium").record is None
    qtbot.keyClick(row, Qt.Key.Key_Z, CTRL)
    assert page.undo_bar.text() == "Nothing to undo."


def test_the_undo_offer_goes_away_by_itself(page, qtbot):
    page.undo_bar.timer.setInterval(50)
    page.change("zinc", done=True)
    page.change("zinc", done=False)
    assert page.undo_bar.offers_undo()
    qtbot.waitUntil(lambda: page.undo_bar.isHidden(), timeout=2000)


# --- rollover ------------------------------------------------------------------------------------------

def test_the_page_rolls_over_at_midnight(page, clock, qtbot):
    assert page.next_rollover_at == datetime(2026, 11, 26, 0, 0, tzinfo=clock.tz)
    assert page.rollover_timer.isActive()
    clock.set(datetime(2026, 11, 25, 23, 59, 59))
    page.check_rollover()
    assert page.day == TODAY
    clock.set(datetime(2026, 11, 26, 0, 0, 1))
    page.check_rollover()
    assert page.day == date(2026, 11, 26) and page.title_label.text() == "Thursday 26 November"
    assert page.date_edit.maximumDate() == QDate(2026, 11, 26)
    assert page.next_rollover_at == datetime(2026, 11, 27, 0, 0, tzinfo=clock.tz)


def test_the_timer_itself_rolls_the_page_over(page, clock, qtbot):
    clock.set(datetime(2026, 11, 25, 23, 59, 59, 900_000))
    QApplication.instance().day_changed.emit()  # re-arms: the rollover is 0.1 s away
    assert page.rollover_timer.remainingTime() <= 1000
    clock.set(datetime(2026, 11, 26, 0, 0, 2))
    qtbot.waitUntil(lambda: page.day == date(2026, 11, 26), timeout=3000)


def test_a_past_day_stays_shown_across_the_rollover(page, clock):
    page.go_to(TODAY - timedelta(days=2))
    clock.set(datetime(2026, 11, 26, 0, 0, 1))
    page.check_rollover()
    assert page.day == TODAY - timedelta(days=2)
    assert page.today == date(2026, 11, 26) and page.next_button.isEnabled()


def test_rollover_with_a_3am_start_of_day(page, seeded, clock, qtbot):
    settings.put(seeded, day_start="03:00")
    QApplication.instance().settings_changed.emit()
    assert page.next_rollover_at == datetime(2026, 11, 26, 3, 0, tzinfo=clock.tz)
    clock.set(datetime(2026, 11, 26, 2, 30))
    page.check_rollover()
    assert page.day == TODAY  # half past two is still the evening before
    page.change("zinc", done=True)
    assert stored(seeded, "zinc", TODAY).done
    clock.set(datetime(2026, 11, 26, 3, 0, 1))
    page.check_rollover()
    assert page.day == date(2026, 11, 26)
    assert page.next_rollover_at == datetime(2026, 11, 27, 3, 0, tzinfo=clock.tz)


def test_moving_the_start_of_day_later_steps_back_a_day(page, seeded, clock):
    clock.set(datetime(2026, 11, 26, 1, 0))
    page.check_rollover()
    assert page.day == date(2026, 11, 26)
    settings.put(seeded, day_start="03:00")
    QApplication.instance().settings_changed.emit()
    assert page.day == TODAY  # 01:00 belongs to the 25th now


# --- safety, help, other changes -----------------------------------------------------------------------

def test_hidden_by_safety_notice(qtbot, ctx):
    safety = pytest.importorskip("igfcoach.services.safety", reason="services/safety.py is not in the tree yet")
    from igfcoach.core.safety import ScreenAnswers

    habits.seed_from_catalog(ctx, weight_kg=80, enable_optional=["mucuna"])
    page = show(qtbot, TodayPage(ctx))
    assert "mucuna" in page.rows and page.safety_notice.isHidden()
    safety.record_answers(ctx, ScreenAnswers(age=40, sex="female", active_cancer=True))
    QApplication.instance().labs_changed.emit()
    assert "mucuna" not in page.rows
    assert page.safety_notice.isVisible()
    assert "Mucuna" in page.safety_notice.text() and "safety" in page.safety_notice.text()


def test_how_is_this_computed_shows_the_formulas(page, qtbot):
    qtbot.mouseClick(page.help_button, Qt.MouseButton.LeftButton)
    dialog = page.help_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text()
    assert scores.FORMULA_TEXT in text and scores.ADHERENCE_TEXT in text and scores.STREAK_TEXT in text
    dialog.reject()


def test_changes_made_elsewhere_are_picked_up(page, seeded):
    checklist.record(seeded, "zinc", done=True, source="cli")
    QApplication.instance().checkoffs_changed.emit()
    assert page.row("zinc").check.isChecked()
    habits.set_status(seeded, "zinc", habits.PAUSED)
    QApplication.instance().habits_changed.emit()
    assert "zinc" not in page.rows


def test_ctrl_e_opens_manage_habits(page, qtbot):
    qtbot.keyClick(focus_row(qtbot, page, "zinc"), Qt.Key.Key_E, CTRL)
    assert page.manage_dialog is not None and page.manage_dialog.isVisible()
    page.manage_dialog.reject()


def test_an_empty_checklist_offers_the_suggested_habits(qtbot, ctx):
    from PySide6.QtWidgets import QPushButton

    page = show(qtbot, TodayPage(ctx))
    assert page.rows == {} and page.summary_label.text() == "No habits yet"
    button = next(b for b in page.findChildren(QPushButton) if b.text() == "Add the suggested habits")
    button.click()
    assert "zinc" in page.rows


def test_every_control_has_an_accessible_name(page):
    controls = [w for cls in (QAbstractButton, QAbstractSpinBox, QProgressBar, QLineEdit)
                for w in page.findChildren(cls)
                if not isinstance(w.parent(), QAbstractSpinBox)]  # a spin box's inner line edit
    assert len(controls) > 50
    unnamed = [f"{type(w).__name__} {w.objectName()!r}" for w in controls
               if not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text())]
    assert unnamed == []


def test_the_main_window_shows_the_today_page(qtbot, seeded):
    from igfcoach.ui.main_window import MainWindow

    window = MainWindow(seeded)
    qtbot.addWidget(window)
    assert isinstance(window.page("today"), TodayPage)


def test_rollover_tells_the_other_pages(qtbot, qapp, ctx, clock):
    """When the open Today page crosses midnight it emits the hub's day_changed for the other pages."""
    from datetime import timedelta

    from igfcoach.services import habits
    from igfcoach.ui.pages.today import TodayPage

    habits.seed_from_catalog(ctx)
    page = TodayPage(ctx)
    qtbot.addWidget(page)
    clock.advance(timedelta(hours=16))  # 09:00 → 01:00 the next day
    with qtbot.waitSignal(qapp.day_changed, timeout=1000):
        page.check_rollover()
    assert page.today == ctx.today()
