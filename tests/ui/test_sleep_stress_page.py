"""The Sleep & Stress page offscreen: the sleep log (across midnight, the 20-hour confirmation, edit, delete
and undo) and the breathing pacer run under a fake clock with every phase change and cue."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QMessageBox

from igfcoach.core import intervals
from igfcoach.services import autotick, breathing, checklist, habits, profile, settings, sleep
from igfcoach.services.breathing import BreathingEntry
from igfcoach.services.sleep import SleepInput
from igfcoach.ui.pages.sleep_stress import SleepStressPage
from igfcoach.ui.timers import FINISHED, PAUSED, RUNNING

TODAY = date(2026, 11, 25)


@pytest.fixture
def page(qtbot, ctx, request):
    habits.seed_from_catalog(ctx)
    if "sound_server" not in request.fixturenames:
        settings.put(ctx, sound_muted=True)
    p = SleepStressPage(ctx)
    qtbot.addWidget(p)
    p.resize(1000, 700)
    return p


def activate(qtbot, widget) -> None:
    widget.window().show()
    with qtbot.waitActive(widget.window()):
        widget.window().activateWindow()


def done(ctx, key, day=TODAY) -> bool:
    return checklist.item(ctx, key, day).done


def type_night(panel, bed: str, wake: str) -> None:
    panel.bedtime.setTime(QTime.fromString(bed, "HH:mm"))
    panel.wake.setTime(QTime.fromString(wake, "HH:mm"))


# --- sleep -------------------------------------------------------------------------------------------------

def test_the_form_starts_with_the_profile_times_and_shows_duration_and_deviation(page, ctx):
    panel = page.sleep
    assert panel.date.date() == QDate(2026, 11, 25) and panel.date.maximumDate() == QDate(2026, 11, 25)
    assert (panel.bedtime.time(), panel.wake.time()) == (QTime(22, 30), QTime(6, 30))
    assert panel.summary.text() == "8 h of sleep · bedtime right on your 22:30 target (within ±30 min)"
    type_night(panel, "23:10", "07:05")  # across midnight
    assert panel.summary.text() == ("7 h 55 min of sleep · bedtime 40 min later than your 22:30 target "
                                    "(outside ±30 min)")
    type_night(panel, "01:30", "06:00")
    assert panel.summary.text().endswith("— under the 7–9 h band.")


def test_saving_a_night_ticks_the_sleep_items(page, ctx, qapp, qtbot):
    panel = page.sleep
    type_night(panel, "22:45", "06:50")
    panel.quality_buttons[4].click()
    assert panel.quality() == 4 and panel.quality_word.text() == "good"
    panel.cool_dark.setChecked(True)
    panel.screens_off.setChecked(True)
    with qtbot.waitSignal(qapp.checkoffs_changed):
        panel.save_button.click()
    rec = sleep.get_sleep(ctx, TODAY)
    assert (rec.bedtime.hour, rec.bedtime.minute, rec.bedtime.day, rec.quality) == (22, 45, 24, 4)
    assert checklist.item(ctx, "sleep_duration", TODAY).value == 8.08
    assert all(done(ctx, k) for k in autotick.SLEEP_KEYS)
    assert page.undo_bar.text().startswith("Saved the night ending 2026-11-25. Ticked “Sleep 7–9 hours (8.08 h)”")
    assert panel.table.rowCount() == 1
    assert [panel.table.item(0, c).text() for c in range(8)] == [
        "2026-11-25", "22:45", "06:50", "8 h 5 min", "15 min later", "4/5", "✓", "✓"]
    assert panel.save_button.text() == "Update night"


def test_a_second_click_clears_the_quality(page):
    panel = page.sleep
    panel.quality_buttons[3].click()
    panel.quality_buttons[5].click()
    assert panel.quality() == 5
    panel.quality_buttons[5].click()
    assert panel.quality() is None and panel.quality_word.text() == "not rated"


def test_updating_the_night_unticks_what_is_no_longer_true(page, ctx):
    sleep.log_sleep(ctx, SleepInput(TODAY, time(22, 30), time(6, 30), cool_dark=True, screens_off=True))
    panel = page.sleep
    panel.load_day(TODAY)
    assert panel.cool_dark.isChecked() and panel.save_button.text() == "Update night"
    panel.screens_off.setChecked(False)
    type_night(panel, "23:30", "06:30")
    panel.save()
    assert not done(ctx, "screens_off") and not done(ctx, "bedtime_consistent") and done(ctx, "bedroom_cool_dark")
    assert len(sleep.list_sleep(ctx)) == 1
    page.undo()  # back to the night as it was
    assert done(ctx, "screens_off") and done(ctx, "bedtime_consistent")


def test_twenty_hours_asks_for_confirmation(page, ctx):
    panel = page.sleep
    type_night(panel, "07:00", "04:00")  # 7 am typed for 7 pm: 21 hours
    assert "unusually long" in panel.summary.text()
    panel.save_button.click()
    box = panel.confirm_box
    assert box is not None and box.isVisible()
    assert box.text().startswith("Sleep: 21 h between bedtime and wake-up is more than 20 hours")
    check = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    check.click()
    assert sleep.list_sleep(ctx) == [] and panel.confirm_box is None  # nothing saved
    panel.save_button.click()
    yes = next(b for b in panel.confirm_box.buttons() if b.text() == "Save anyway")
    yes.click()
    assert sleep.get_sleep(ctx, TODAY).hours == 21


def test_a_wake_time_still_to_come_is_refused_with_the_field(page, ctx):
    panel = page.sleep
    type_night(panel, "23:00", "09:30")
    panel.save_button.click()
    assert panel.error.text() == "Wake time: 09:30 on 2026-11-25 is still to come"
    assert sleep.list_sleep(ctx) == []


def test_an_earlier_night_and_edit_from_history(page, ctx):
    sleep.log_sleep(ctx, SleepInput(TODAY - timedelta(days=2), time(23, 0), time(7, 0), 3))
    panel = page.sleep
    panel.refresh()
    panel.table.selectRow(0)
    panel.edit_selected()
    assert panel.date.date() == QDate(2026, 11, 23) and panel.quality() == 3
    panel.quality_buttons[5].click()
    panel.save()
    assert sleep.get_sleep(ctx, TODAY - timedelta(days=2)).quality == 5
    panel.load_day(TODAY)
    assert panel.save_button.text() == "Save night" and panel.quality() is None


def test_delete_unticks_and_undo_restores(page, ctx, qtbot):
    sleep.log_sleep(ctx, SleepInput(TODAY, time(22, 30), time(6, 30), cool_dark=True))
    panel = page.sleep
    panel.refresh()
    activate(qtbot, panel)
    panel.table.selectRow(0)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert sleep.list_sleep(ctx) == [] and not done(ctx, "sleep_duration") and not done(ctx, "bedroom_cool_dark")
    assert page.undo_bar.text().startswith("Deleted the night ending 2026-11-25. Unticked")
    assert panel.save_button.text() == "Save night"
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(sleep.list_sleep(ctx)) == 1 and done(ctx, "sleep_duration") and done(ctx, "bedroom_cool_dark")


def test_the_summary_follows_a_new_profile_bedtime(page, ctx, qapp):
    profile.save(ctx, profile.Profile(bedtime=time(23, 0)))
    qapp.settings_changed.emit()
    assert page.sleep.summary.text().endswith("(within ±30 min)") and "23:00 target" in page.sleep.summary.text()


# --- breathing -------------------------------------------------------------------------------------------

def expected_breathing_events(pattern: str, minutes: int) -> list[tuple]:
    cue = {"inhale": "breathe_in", "exhale": "breathe_out"}
    events: list[tuple] = []
    for p in intervals.breathing_phases(pattern, minutes):
        events.append(("phase", p.kind, p.round))
        if p.kind in cue:
            events.append(("cue", cue[p.kind]))
    return events + [("phase", "finished", 0), ("cue", "finish")]


def test_a_breathing_session_runs_to_the_end_with_every_phase_and_cue_and_logs(page, ctx, clock, qtbot,
                                                                                 sound_server):
    from PySide6.QtMultimedia import QSoundEffect

    panel = page.breathing
    page.tabs.setCurrentWidget(panel)
    panel.pattern.setCurrentIndex(panel.pattern.findData("box"))
    panel.length.setValue(2)
    activate(qtbot, panel)
    panel.start_button.setFocus()
    qtbot.keyClick(panel.start_button, Qt.Key.Key_Space)
    assert panel.run.state == RUNNING and not panel.pattern.isEnabled()
    levels, titles = [], set()
    for _ in range(128 * 10):  # 8 box breaths of 16 s, ticked every 0.1 s
        clock.advance(0.1)
        panel.run.tick()
        levels.append(panel.pacer.level)
        titles.add(panel.pacer.title)
    assert panel.run.state == FINISHED
    assert panel.run.events == expected_breathing_events("box", 2)
    assert page.cues.played == [e[1] for e in panel.run.events if e[0] == "cue"]
    assert {"Breathe in", "Hold", "Breathe out"} <= titles
    assert max(abs(b - a) for a, b in zip(levels, levels[1:], strict=False)) < 0.05  # smooth, no jumps
    assert max(levels) == pytest.approx(1.0) and min(levels) == 0.0
    entries = breathing.list_breathing(ctx)
    assert [(e.minutes, e.pattern) for e in entries] == [(2.1, "box")]  # 128 s
    assert checklist.item(ctx, "breathing", TODAY).value == 2.1
    assert page.undo_bar.text() == ("Logged 2.1 min of breathing practice. "
                                    "Recorded “Mindfulness or breathing (2.1 min)”.")
    assert panel.pacer.title == "Well done"
    qtbot.waitUntil(lambda: page.cues.effect("breathe_in").status() == QSoundEffect.Status.Ready, timeout=10_000)


def test_stopping_after_a_minute_logs_the_minutes_and_earlier_logs_nothing(page, ctx, clock, qtbot):
    panel = page.breathing
    page.tabs.setCurrentWidget(panel)
    activate(qtbot, panel)
    panel.start_or_pause()
    for _ in range(50):
        clock.advance(1)
        panel.run.tick()
    qtbot.keyClick(panel.start_button, Qt.Key.Key_Escape)
    assert breathing.list_breathing(ctx) == [] and "nothing was logged" in page.undo_bar.text()

    panel.start_or_pause()
    for _ in range(100):
        clock.advance(1)
        panel.run.tick()
    qtbot.keyClick(panel.start_button, Qt.Key.Key_Space)  # pause...
    assert panel.run.state == PAUSED and panel.pacer.title == "Paused"
    clock.advance(300)
    panel.start_or_pause()  # ...and resume: the pause doesn't count
    for _ in range(20):
        clock.advance(1)
        panel.run.tick()
    panel.stop()
    assert [e.minutes for e in breathing.list_breathing(ctx)] == [2.0]
    assert checklist.item(ctx, "breathing", TODAY).value == 2.0


def test_breathing_minutes_add_up_to_tick_the_item_and_delete_with_undo(page, ctx):
    breathing.log_breathing(ctx, BreathingEntry(TODAY, 6, "478"))
    breathing.log_breathing(ctx, BreathingEntry(TODAY, 5, "slow"))
    assert done(ctx, "breathing")
    panel = page.breathing
    panel.refresh()
    assert [panel.table.item(r, 1).text() for r in range(2)] == ["Slow 5.5/min", "4-7-8"]
    panel.table.selectRow(0)
    panel.delete_selected()
    assert not done(ctx, "breathing") and checklist.item(ctx, "breathing", TODAY).value == 6
    page.undo()
    assert done(ctx, "breathing") and checklist.item(ctx, "breathing", TODAY).value == 11


def test_edit_a_breathing_practice(page, ctx):
    breathing.log_breathing(ctx, BreathingEntry(TODAY, 6))
    panel = page.breathing
    panel.refresh()
    panel.table.selectRow(0)
    panel.edit_selected()
    dialog = panel.edit_dialog
    dialog.minutes.setValue(12)
    dialog.accept()
    assert panel.edit_dialog is None and breathing.list_breathing(ctx)[0].minutes == 12
    assert done(ctx, "breathing")


def test_every_control_has_an_accessible_name(page):
    for w in page.findChildren(QAbstractButton) + page.findChildren(QAbstractSpinBox) + page.findChildren(QComboBox):
        if w.objectName().startswith("qt_") or type(w.parent()).__name__ in ("QTabBar", "QScrollBar", "QCalendarWidget"):
            continue
        assert w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()), w
