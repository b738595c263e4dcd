"""The Training page offscreen: a whole HIIT plan and a rest timer run under a fake clock with every phase
change and cue, sound through a real QSoundEffect, logging ticks the checklist, history edit/delete/undo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QDialog

from igfcoach.core import intervals
from igfcoach.core.intervals import IntervalPlan
from igfcoach.resources_path import resource_path
from igfcoach.services import autotick, checklist, habits, settings, training
from igfcoach.services.training import HiitEntry, ResistanceEntry, SetEntry
from igfcoach.ui.pages.training import TrainingPage
from igfcoach.ui.sounds import CUES
from igfcoach.ui.timers import FINISHED, PAUSED, RUNNING, STOPPED

TODAY = date(2026, 11, 25)
TWENTY_MINUTES = IntervalPlan(warmup_s=240, work_s=30, rest_s=90, rounds=8, cooldown_s=90)  # 4 + 4 + 10.5 + 1.5 min


@pytest.fixture
def page(qtbot, ctx, request):
    """The page, with sounds muted unless the test runs the private sound server."""
    habits.seed_from_catalog(ctx)
    if "sound_server" not in request.fixturenames:
        settings.put(ctx, sound_muted=True)
    p = TrainingPage(ctx)
    qtbot.addWidget(p)
    p.resize(1000, 700)
    return p


def activate(qtbot, widget) -> None:
    widget.window().show()
    with qtbot.waitActive(widget.window()):
        widget.window().activateWindow()


def set_plan(panel, plan: IntervalPlan) -> None:
    panel.warmup.setValue(plan.warmup_s)
    panel.work.setValue(plan.work_s)
    panel.rest.setValue(plan.rest_s)
    panel.rounds.setValue(plan.rounds)
    panel.cooldown.setValue(plan.cooldown_s)


def run_for(run, clock, seconds: float, step: float = 1.0) -> None:
    """Advance the fake clock in steps, calling the tick slot after each (what the QTimer does)."""
    steps = round(seconds / step)
    for _ in range(steps):
        clock.advance(step)
        run.tick()


def expected_hiit_events(plan: IntervalPlan) -> list[tuple]:
    """Every phase change with its cue, and 3-2-1 before warm-up, work and rest end; the finish at the end."""
    start_cue = {"warmup": "phase", "work": "work", "rest": "rest", "cooldown": "phase"}
    events: list[tuple] = []
    for p in intervals.hiit_phases(plan):
        events += [("phase", p.kind, p.round), ("cue", start_cue[p.kind])]
        if p.kind in ("warmup", "work", "rest"):
            events += [("cue", "countdown")] * 3
    return events + [("phase", "finished", 0), ("cue", "finish")]


# --- HIIT: the whole plan ----------------------------------------------------------------------------------

def test_a_whole_20_minute_plan_runs_with_every_phase_change_and_cue(page, qtbot, ctx, clock, qapp,
                                                                     sound_server):
    from PySide6.QtMultimedia import QSoundEffect

    panel = page.hiit
    set_plan(panel, TWENTY_MINUTES)
    assert TWENTY_MINUTES.total_s == 20 * 60
    assert panel.total_label.text() == "Total time 20:00"
    statuses: list[str] = []
    qapp.status_text.connect(statuses.append)
    activate(qtbot, panel)
    panel.start_button.setFocus()
    qtbot.keyClick(panel.start_button, Qt.Key.Key_Space)  # Space starts
    assert panel.run.state == RUNNING and panel.start_button.text() == "Pause"
    assert not panel.plan_box.isEnabled()
    assert panel.display.phase_label.text() == "Warm-up" and panel.display.time_label.text() == "4:00"

    seen_rounds = set()
    for _ in range(20 * 60):
        clock.advance(1)
        panel.run.tick()
        p = panel.run.phase()
        if p.kind == "work" and not p.finished:
            seen_rounds.add(panel.display.round_label.text().split(" · ")[0])
    assert panel.run.state == FINISHED
    assert seen_rounds == {f"Round {n} of 8" for n in range(1, 9)}

    events = panel.run.events
    assert events == expected_hiit_events(TWENTY_MINUTES)
    assert len([e for e in events if e[0] == "phase"]) == 1 + 8 + 7 + 1 + 1
    cues = [e[1] for e in events if e[0] == "cue"]
    assert page.cues.history == cues and page.cues.played == cues  # not muted: every cue was played

    # The cues are real QSoundEffects on the bundled WAVs, and they load and play on the (null) sink.
    for name in set(cues):
        effect = page.cues.effect(name)
        assert isinstance(effect, QSoundEffect)
        assert effect.source().toLocalFile() == str(resource_path(f"sounds/{name}.wav"))
    qtbot.waitUntil(lambda: all(page.cues.effect(n).status() == QSoundEffect.Status.Ready for n in set(cues)),
                    timeout=10_000)

    # The tray saw the phase every second while running, and was cleared at the end.
    assert statuses[0] == "HIIT: Warm-up · 4:00"
    assert "HIIT: Work · round 1/8 · 0:30" in statuses and "HIIT: Rest · round 7/8 · 1:30" in statuses
    assert statuses[-1] == ""

    # At the end it asks for the effort, then logs and ticks HIIT.
    dialog = panel.rpe_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.set_rpe(9)
    dialog.notes.setText("legs gone")
    with qtbot.waitSignal(qapp.checkoffs_changed):
        dialog.log_button.click()
    assert panel.rpe_dialog is None
    logged = training.list_hiit(ctx)
    assert len(logged) == 1
    assert (logged[0].plan, logged[0].rounds_done, logged[0].rpe, logged[0].notes) == (TWENTY_MINUTES, 8, 9,
                                                                                       "legs gone")
    assert checklist.item(ctx, "hiit", TODAY).done
    assert panel.table.rowCount() == 1 and panel.table.item(0, 3).text() == "9/10"
    assert page.undo_bar.text() == "Logged HIIT: 8 rounds. Ticked “HIIT session”."
    assert not page.meal_card.isHidden()  # the post-training meal is encouraged


def test_muted_cues_are_recorded_but_nothing_is_played(page, clock):
    assert page.mute_button.isChecked() and page.mute_button.text() == "Sound off"
    panel = page.hiit
    set_plan(panel, IntervalPlan(0, 10, 10, 2, 0))
    panel.start_or_pause()
    run_for(panel.run, clock, 30)
    assert page.cues.history == ["work", "countdown", "countdown", "countdown", "rest", "countdown", "countdown",
                                 "countdown", "work", "countdown", "countdown", "countdown", "finish"]
    assert page.cues.played == [] and page.cues._effects == {}  # QtMultimedia was never touched
    panel.rpe_dialog.reject()


def test_the_mute_setting_is_shared_and_stored(page, ctx, qapp):
    page.mute_button.click()
    assert settings.get(ctx, "sound_muted") is False and not page.cues.muted
    assert page.mute_button.accessibleName() == "Timer sounds: on"
    settings.put(ctx, sound_muted=True)
    qapp.settings_changed.emit()
    assert page.mute_button.isChecked() and page.cues.muted


def test_pause_freezes_the_countdown_and_resume_continues(page, qtbot, clock):
    panel = page.hiit
    set_plan(panel, IntervalPlan(0, 30, 30, 2, 0))
    activate(qtbot, panel)
    panel.display.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    run_for(panel.run, clock, 10)
    qtbot.keyClick(panel, Qt.Key.Key_Space)  # pause
    assert panel.run.state == PAUSED and panel.start_button.text() == "Resume"
    assert panel.display.phase_label.text() == "Paused"
    run_for(panel.run, clock, 600)  # ten minutes away: nothing moves
    assert panel.run.timer.elapsed() == 10
    qtbot.keyClick(panel, Qt.Key.Key_Space)  # resume
    assert panel.run.state == RUNNING
    run_for(panel.run, clock, 5)
    p = panel.run.phase()
    assert (p.kind, p.round, p.remaining_s) == ("work", 1, 15)
    assert panel.display.time_label.text() == "0:15"


def test_a_long_tick_reports_every_phase_it_skipped(page, clock):
    panel = page.hiit
    set_plan(panel, IntervalPlan(0, 10, 10, 3, 0))
    panel.start_or_pause()
    clock.advance(41)  # e.g. the laptop slept
    panel.run.tick()
    assert [e for e in panel.run.events if e[0] == "phase"] == [
        ("phase", "work", 1), ("phase", "rest", 1), ("phase", "work", 2), ("phase", "rest", 2), ("phase", "work", 3)]


def test_stop_after_two_rounds_asks_and_logs_the_rounds_done(page, qtbot, ctx, clock):
    panel = page.hiit
    set_plan(panel, IntervalPlan(60, 30, 90, 8, 60))
    activate(qtbot, panel)
    panel.start_or_pause()
    run_for(panel.run, clock, 60 + 30 + 90 + 30 + 10)
    qtbot.keyClick(panel, Qt.Key.Key_Escape)  # Esc stops
    assert panel.run.state == STOPPED
    dialog = panel.rpe_dialog
    assert "You finished 2 of 8 rounds." in [lbl.text() for lbl in dialog.findChildren(type(panel.total_label))]
    dialog.log_button.click()
    entry = training.list_hiit(ctx)[0]
    assert entry.rounds_done == 2 and entry.rpe is None
    assert checklist.item(ctx, "hiit", TODAY).done
    assert page.undo_bar.text().startswith("Logged HIIT: 2 of 8 rounds.")


def test_stop_before_the_first_round_logs_nothing(page, ctx, clock):
    panel = page.hiit
    panel.start_or_pause()
    run_for(panel.run, clock, 20)
    panel.stop()
    assert panel.rpe_dialog is None and training.list_hiit(ctx) == []
    assert "nothing was logged" in page.undo_bar.text()
    assert panel.display.phase_label.text() == "Ready"


def test_dont_log_discards_the_session(page, ctx, clock):
    panel = page.hiit
    set_plan(panel, IntervalPlan(0, 10, 10, 1, 0))
    panel.start_or_pause()
    run_for(panel.run, clock, 10)
    panel.rpe_dialog.discard_button.click()
    assert training.list_hiit(ctx) == [] and not checklist.item(ctx, "hiit", TODAY).done
    assert page.undo_bar.text() == "The session was not logged."


def test_undo_after_logging_removes_the_session_and_the_tick(page, ctx, clock):
    panel = page.hiit
    set_plan(panel, IntervalPlan(0, 10, 10, 1, 0))
    panel.start_or_pause()
    run_for(panel.run, clock, 10)
    panel.rpe_dialog.log_button.click()
    assert checklist.item(ctx, "hiit", TODAY).done
    page.undo_bar.undo_button.click()
    assert training.list_hiit(ctx) == [] and not checklist.item(ctx, "hiit", TODAY).done
    assert panel.table.rowCount() == 0


# --- HIIT: plans and history --------------------------------------------------------------------------------

def test_choosing_and_editing_a_plan(page, ctx):
    panel = page.hiit
    assert panel.plan_combo.currentText() == "Classic 8 × 30/90"
    tabata = panel.plan_combo.findData("Tabata 8 × 20/10")
    panel.plan_combo.setCurrentIndex(tabata)
    assert (panel.work.value(), panel.rest.value(), panel.rounds.value()) == (20, 10, 8)
    assert panel.work.text() == "0:20" and not panel.delete_plan_button.isEnabled()
    panel.rounds.setValue(10)
    assert panel.plan_combo.currentText() == "Custom"  # edited: no longer the preset
    panel.save_plan("Long tabata")
    assert panel.plan_combo.currentData() == "Long tabata" and panel.delete_plan_button.isEnabled()
    assert [p.plan.rounds for p in training.list_plans(ctx) if p.name == "Long tabata"] == [10]
    panel.delete_plan()
    assert all(p.builtin for p in training.list_plans(ctx))
    page.undo_bar.undo_button.click()
    assert panel.plan_combo.currentData() == "Long tabata"
    panel.save_plan("Classic 8 × 30/90")
    assert "is a built-in plan" in page.undo_bar.text()


def test_history_edit_and_delete_with_undo(page, qtbot, ctx):
    r = training.log_hiit(ctx, HiitEntry(TODAY, IntervalPlan(300, 30, 90, 8, 180), rpe=7))
    panel = page.hiit
    panel.refresh()
    panel.table.selectRow(0)
    panel.edit_selected()
    dialog = panel.edit_dialog
    assert dialog.rpe.value() == 7 and dialog.completed.value() == 8
    dialog.completed.setValue(9)  # more than the 8 rounds planned
    dialog.accept()
    assert dialog.isVisible() and "completed rounds: 9 is outside 0–8" in dialog.error.text().lower()
    dialog.completed.setValue(6)
    dialog.rpe.setValue(9)
    dialog.accept()
    assert panel.edit_dialog is None
    assert (training.get_hiit(ctx, r.id).rounds_done, training.get_hiit(ctx, r.id).rpe) == (6, 9)
    assert panel.table.item(0, 2).text() == "6/8"

    activate(qtbot, panel)
    panel.table.selectRow(0)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert training.list_hiit(ctx) == [] and not checklist.item(ctx, "hiit", TODAY).done
    assert page.undo_bar.text() == "Deleted the HIIT session of 2026-11-25. Unticked “HIIT session”."
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z undoes
    assert [e.id for e in training.list_hiit(ctx)] == [r.id] and checklist.item(ctx, "hiit", TODAY).done


# --- resistance ----------------------------------------------------------------------------------------------

def test_a_rest_timer_runs_to_completion_with_its_cues(page, ctx, clock, qtbot, sound_server):
    from PySide6.QtMultimedia import QSoundEffect

    panel = page.resistance
    page.tabs.setCurrentWidget(panel)
    panel.exercise.setCurrentText("Squat")
    panel.reps.setValue(5)
    panel.load.setValue(100)
    panel.add_button.click()  # adding a set starts the rest timer
    assert panel.rest_run.state == RUNNING
    assert panel.rest_display.time_label.text() == "1:30"
    times = []
    for _ in range(90):
        clock.advance(1)
        panel.rest_run.tick()
        times.append(panel.rest_display.time_label.text())
    assert times[0] == "1:29" and times[-2] == "0:01" and times[-1] == "0:00"
    assert panel.rest_run.state == FINISHED
    assert panel.rest_run.events == [("phase", "rest", 0), ("cue", "countdown"), ("cue", "countdown"),
                                     ("cue", "countdown"), ("phase", "finished", 0), ("cue", "work")]
    assert page.cues.played == ["countdown", "countdown", "countdown", "work"]
    assert panel.rest_display.phase_label.text() == "Rest over"
    qtbot.waitUntil(lambda: page.cues.effect("work").status() == QSoundEffect.Status.Ready, timeout=10_000)


def test_adding_sets_ticks_resistance_shows_volume_and_last_time(page, ctx, qapp, qtbot):
    training.log_resistance(ctx, ResistanceEntry(TODAY - timedelta(days=3),
                                                 (SetEntry("Squat", 5, 95), SetEntry("Squat", 5, 97.5))))
    panel = page.resistance
    panel.exercise.setCurrentText("Row")
    panel.exercise.setCurrentText("Squat")
    assert panel.last_label.text() == "Last time (2026-11-22): 5 × 95 kg, 5 × 97.5 kg"
    assert (panel.reps.value(), panel.load.value()) == (5, 97.5)  # last time's top set, ready to beat
    panel.load.setValue(100)
    with qtbot.waitSignal(qapp.checkoffs_changed):
        panel.add_button.click()
    assert checklist.item(ctx, "resistance", TODAY).done
    panel.skip_rest()
    panel.failure.setChecked(True)
    panel.add_button.click()
    assert panel.sets_table.rowCount() == 2 and panel.sets_table.item(1, 2).text() == "5 × 100 kg (to failure)"
    assert panel.volume_label.text() == "2 sets · volume 1000 kg"
    assert panel.volume() == 1000
    assert not page.meal_card.isHidden()
    page.meal_button.click()
    assert checklist.item(ctx, autotick.MEAL_KEY, TODAY).done and page.meal_card.isHidden()


def test_escape_skips_the_rest_and_enter_adds_a_set(page, ctx, qtbot):
    panel = page.resistance
    page.tabs.setCurrentWidget(panel)
    activate(qtbot, panel)
    panel.exercise.setCurrentText("Deadlift")
    panel.sets_table.setFocus()
    qtbot.keyClick(panel.sets_table, Qt.Key.Key_Return)
    assert panel.rest_run.state == RUNNING and len(training.list_resistance(ctx)) == 1
    qtbot.keyClick(panel.sets_table, Qt.Key.Key_Escape)
    assert panel.rest_run.state == STOPPED and panel.rest_display.phase_label.text() == "Rest skipped"


def test_a_bad_set_shows_the_field_and_writes_nothing(page, ctx):
    panel = page.resistance
    panel.exercise.setCurrentText("   ")
    panel.add_button.click()
    assert panel.error.text() == "Exercise: is empty"
    assert training.list_resistance(ctx) == [] and panel.rest_run.state != RUNNING


def test_loads_in_pounds_follow_the_profile(page, ctx, qapp):
    training.log_resistance(ctx, ResistanceEntry(TODAY - timedelta(days=1), (SetEntry("Squat", 5, 100),)))
    settings.put(ctx, load_unit="lb")
    qapp.settings_changed.emit()
    panel = page.resistance
    assert panel.load.suffix() == " lb" and panel.load.maximum() == pytest.approx(2204.6)
    panel.exercise.setCurrentText("Bench press")
    panel.exercise.setCurrentText("Squat")
    assert panel.last_label.text() == "Last time (2026-11-24): 5 × 220.5 lb"
    panel.add_button.click()
    assert training.list_resistance(ctx)[0].sets[0].unit == "lb"
    assert panel.table.item(1, 3).text() == "1102.3 lb"


def test_delete_a_set_and_a_session_with_undo(page, ctx):
    panel = page.resistance
    panel.exercise.setCurrentText("Squat")
    panel.add_button.click()
    panel.sets_table.selectRow(0)
    panel.delete_selected_set()  # the only set: the session goes, and the tick with it
    assert training.list_resistance(ctx) == [] and not checklist.item(ctx, "resistance", TODAY).done
    assert page.undo_bar.text() == "Deleted a set. Unticked “Resistance session”."
    page.undo()
    assert checklist.item(ctx, "resistance", TODAY).done and panel.sets_table.rowCount() == 1

    panel.table.selectRow(0)
    panel.delete_selected()
    assert training.list_resistance(ctx) == [] and panel.session_id is None
    page.undo()
    assert len(training.list_resistance(ctx)) == 1 and checklist.item(ctx, "resistance", TODAY).done


def test_edit_a_logged_session(page, ctx):
    r = training.log_resistance(ctx, ResistanceEntry(TODAY, (SetEntry("Squat", 5, 100), SetEntry("Squat", 5, 100))))
    panel = page.resistance
    panel.refresh()
    panel.table.selectRow(0)
    panel.edit_selected()
    dialog = panel.edit_dialog
    dialog.table.item(1, 1).setText("500")
    dialog.accept()
    assert dialog.isVisible() and dialog.error.text() == "Reps: 500 is outside 1–100"
    dialog.table.item(1, 1).setText("4")
    dialog.table.item(1, 4).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    sets = training.get_resistance(ctx, r.id).sets
    assert [(x.reps, x.to_failure) for x in sets] == [(5, False), (4, True)]
    assert panel.table.item(0, 3).text() == "900 kg"


def test_finish_session_starts_a_new_one_next_time(page, ctx):
    panel = page.resistance
    panel.exercise.setCurrentText("Squat")
    panel.add_button.click()
    first = panel.session_id
    panel.finish_session()
    assert panel.session_id is None and "Session finished: 1 set" in page.undo_bar.text()
    panel.add_button.click()
    assert panel.session_id not in (None, first) and len(training.list_resistance(ctx)) == 2


# --- accessibility -----------------------------------------------------------------------------------------

def test_every_control_has_an_accessible_name(page):
    for w in page.findChildren(QAbstractButton) + page.findChildren(QAbstractSpinBox) + page.findChildren(QComboBox):
        if w.objectName().startswith("qt_") or type(w.parent()).__name__ in ("QTabBar", "QScrollBar"):
            continue  # Qt's own parts (table corner button, tab scroll arrows)
        assert w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()), w


def test_cue_wavs_are_bundled_for_every_cue():
    import wave

    for name in CUES:
        with wave.open(str(resource_path(f"sounds/{name}.wav"))) as w:
            assert w.getnchannels() == 1 and w.getsampwidth() == 2 and w.getframerate() == 44_100
            assert 0.05 < w.getnframes() / w.getframerate() < 1.0


def test_durations_are_typed_and_shown_as_minutes_and_seconds(qtbot):
    from igfcoach.ui.practice import DurationSpin

    s = DurationSpin(0, 1800, 5, 30)
    qtbot.addWidget(s)
    s.show()
    for typed, value, shown in (("1:45", 105, "1:45"), ("90", 90, "1:30"), ("abc", 90, "1:30")):
        s.lineEdit().selectAll()
        qtbot.keyClicks(s, typed)
        qtbot.keyClick(s, Qt.Key.Key_Return)
        assert (s.value(), s.text()) == (value, shown)
    s.stepUp()
    assert s.text() == "1:35"
