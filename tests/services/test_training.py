"""Training, sleep and breathing services: each log ticks the right checklist items in the same
transaction, each delete unticks them, undo puts them back, and refused input writes nothing."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from igfcoach.core.habits import HabitSpec
from igfcoach.core.intervals import IntervalPlan, NeedsConfirmation, PracticeInputError
from igfcoach.services import autotick, breathing, checklist, habits, profile, sleep, training
from igfcoach.services.breathing import BreathingEntry
from igfcoach.services.sleep import SleepExists, SleepInput
from igfcoach.services.training import HiitEntry, ResistanceEntry, SetEntry
from igfcoach.store.models import CheckOff, Habit

TODAY = date(2026, 11, 25)  # the clock fixture: Wednesday 25 November 2026, 09:00 Berlin
YESTERDAY = TODAY - timedelta(days=1)
PLAN = IntervalPlan(300, 30, 90, 8, 180)


@pytest.fixture(autouse=True)
def seeded(ctx):
    habits.seed_from_catalog(ctx)


def state(ctx, key, day=TODAY):
    """(done, value, source) of a check-off, or None when there is no record."""
    with ctx.db.transaction() as s:
        c = s.scalar(select(CheckOff).join(Habit).where(Habit.key == key, CheckOff.day == day))
        return None if c is None else (c.done, c.value, c.source)


def done(ctx, key, day=TODAY) -> bool:
    st = state(ctx, key, day)
    return bool(st and st[0])


def row_counts(ctx) -> dict[str, int]:
    conn = sqlite3.connect(ctx.db.path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in (
            "hiit_sessions", "resistance_sessions", "resistance_sets", "sleep_entries", "breathing_sessions",
            "checkoffs")}
    finally:
        conn.close()


def hiit(day=TODAY, **kw) -> HiitEntry:
    return HiitEntry(day, PLAN, **kw)


def night(day=TODAY, bed=time(22, 40), wake=time(6, 50), **kw) -> SleepInput:
    return SleepInput(day, bed, wake, **kw)


# --- HIIT ----------------------------------------------------------------------------------------------

def test_logging_hiit_ticks_hiit(ctx):
    result = training.log_hiit(ctx, hiit(rpe=8))
    assert [c.key for c in result.changes] == ["hiit"] and result.changes[0].done
    assert state(ctx, "hiit") == (True, None, "hiit")
    item = checklist.item(ctx, "hiit", TODAY)
    assert item.done and item.week == (1, 2)
    assert training.list_hiit(ctx)[0].rpe == 8


def test_deleting_hiit_unticks_hiit_and_undo_ticks_it_again(ctx):
    result = training.log_hiit(ctx, hiit())
    gone = training.delete_hiit(ctx, result.id)
    assert [(c.key, c.done) for c in gone.changes] == [("hiit", False)]
    assert state(ctx, "hiit") is None and training.list_hiit(ctx) == []
    back = training.restore_hiit(ctx, gone.entry)
    assert back.id == result.id and done(ctx, "hiit")
    assert training.list_hiit(ctx)[0] == gone.entry


def test_deleting_one_of_two_hiit_sessions_keeps_the_tick(ctx):
    a = training.log_hiit(ctx, hiit())
    b = training.log_hiit(ctx, hiit())
    assert b.changes == ()  # already ticked
    assert training.delete_hiit(ctx, a.id).changes == ()
    assert done(ctx, "hiit")


def test_a_session_stopped_before_the_first_round_does_not_tick(ctx):
    training.log_hiit(ctx, hiit(completed_rounds=0))
    assert not done(ctx, "hiit")


def test_moving_a_session_to_another_day_moves_the_tick(ctx):
    r = training.log_hiit(ctx, hiit())
    changed = training.update_hiit(ctx, r.id, hiit(day=YESTERDAY, rpe=6))
    assert {(c.key, c.done) for c in changed.changes} == {("hiit", True), ("hiit", False)}
    assert done(ctx, "hiit", YESTERDAY) and not done(ctx, "hiit", TODAY)
    assert training.get_hiit(ctx, r.id).rpe == 6


def test_a_manual_tick_survives_logging_and_deleting_a_session(ctx):
    checklist.record(ctx, "hiit", TODAY, done=True)  # the person ticked it by hand first
    r = training.log_hiit(ctx, hiit())
    assert r.changes == () and state(ctx, "hiit") == (True, None, "manual")
    assert training.delete_hiit(ctx, r.id).changes == ()
    assert state(ctx, "hiit") == (True, None, "manual")


def test_a_skipped_day_is_ticked_by_a_session_and_a_note_survives_the_untick(ctx):
    checklist.record(ctx, "hiit", TODAY, skipped=True, note="sore legs")
    r = training.log_hiit(ctx, hiit())
    item = checklist.item(ctx, "hiit", TODAY)
    assert item.done and not item.skipped and item.note == "sore legs"
    training.delete_hiit(ctx, r.id)
    item = checklist.item(ctx, "hiit", TODAY)
    assert not item.done and item.note == "sore legs"


# --- resistance ----------------------------------------------------------------------------------------

def squat_session(day=TODAY) -> ResistanceEntry:
    return ResistanceEntry(day, (SetEntry("Squat", 5, 100), SetEntry("Squat", 5, 100, to_failure=True),
                                 SetEntry("Bench press", 8, 135, "lb")))


def test_logging_resistance_ticks_resistance(ctx):
    r = training.log_resistance(ctx, squat_session())
    assert [(c.key, c.done) for c in r.changes] == [("resistance", True)]
    assert state(ctx, "resistance") == (True, None, "resistance")
    stored = training.get_resistance(ctx, r.id)
    assert [(x.exercise, x.set_no) for x in stored.sets] == [("Squat", 1), ("Squat", 2), ("Bench press", 1)]
    assert stored.volume("kg") == pytest.approx(1000 + 8 * 135 * 0.45359237)


def test_deleting_resistance_unticks_and_undo_restores_the_same_rows(ctx):
    r = training.log_resistance(ctx, squat_session())
    gone = training.delete_resistance(ctx, r.id)
    assert [(c.key, c.done) for c in gone.changes] == [("resistance", False)]
    assert state(ctx, "resistance") is None
    assert row_counts(ctx)["resistance_sets"] == 0  # the sets went with their session
    training.restore_resistance(ctx, gone.entry)
    assert training.get_resistance(ctx, r.id) == gone.entry and done(ctx, "resistance")


def test_adding_sets_one_by_one_builds_one_session_and_ticks_once(ctx):
    first = training.add_set(ctx, None, SetEntry("squat", 5, 100, rest_s=90))
    assert [(c.key, c.done) for c in first.changes] == [("resistance", True)]
    second = training.add_set(ctx, first.id, SetEntry("SQUAT", 5, 105))
    assert second.id == first.id and second.changes == ()
    sets = training.get_resistance(ctx, first.id).sets
    assert [(x.exercise, x.set_no, x.load) for x in sets] == [("Squat", 1, 100), ("Squat", 2, 105)]


def test_deleting_the_last_set_deletes_the_session_and_unticks(ctx):
    r = training.add_set(ctx, None, SetEntry("Row", 10, 60))
    set_id = training.get_resistance(ctx, r.id).sets[0].id
    gone = training.delete_set(ctx, set_id)
    assert [(c.key, c.done) for c in gone.changes] == [("resistance", False)]
    assert training.list_resistance(ctx) == [] and not done(ctx, "resistance")
    training.restore_resistance(ctx, gone.entry)
    assert done(ctx, "resistance") and training.get_resistance(ctx, r.id).sets[0].id == set_id


def test_deleting_one_of_several_sets_keeps_the_tick(ctx):
    r = training.log_resistance(ctx, squat_session())
    first = training.get_resistance(ctx, r.id).sets[0]
    assert training.delete_set(ctx, first.id).changes == ()
    assert done(ctx, "resistance") and len(training.get_resistance(ctx, r.id).sets) == 2


def test_editing_a_session_replaces_its_sets(ctx):
    r = training.log_resistance(ctx, squat_session())
    training.update_resistance(ctx, r.id, ResistanceEntry(TODAY, (SetEntry("Deadlift", 3, 140),), "heavy"))
    stored = training.get_resistance(ctx, r.id)
    assert [x.exercise for x in stored.sets] == ["Deadlift"] and stored.notes == "heavy"
    with pytest.raises(PracticeInputError, match="^sets: a session needs at least one set"):
        training.update_resistance(ctx, r.id, ResistanceEntry(TODAY, ()))


def test_last_time_numbers_for_an_exercise(ctx, clock):
    old = training.log_resistance(ctx, ResistanceEntry(TODAY - timedelta(days=5), (SetEntry("Squat", 5, 90),)))
    newer = training.log_resistance(ctx, squat_session(TODAY - timedelta(days=2)))
    current = training.add_set(ctx, None, SetEntry("Squat", 5, 110))
    last = training.last_sets(ctx, "squat", exclude_session=current.id)
    assert last is not None and last.day == TODAY - timedelta(days=2)
    assert [(x.reps, x.load, x.to_failure) for x in last.sets] == [(5, 100, False), (5, 100, True)]
    assert last.label("kg") == "5 × 100 kg, 5 × 100 kg (to failure)"
    assert last.label("lb") == "5 × 220.5 lb, 5 × 220.5 lb (to failure)"
    assert training.last_sets(ctx, "Squat").day == TODAY  # the current session counts unless excluded
    assert training.last_sets(ctx, "Lunge") is None
    assert old.id != newer.id


def test_exercises_are_the_builtin_lifts_plus_the_persons_own(ctx):
    names = [n for n, builtin in training.list_exercises(ctx) if builtin]
    assert names == ["Squat", "Deadlift", "Bench press", "Overhead press", "Row", "Pull-up", "Lunge", "Hip thrust"]
    training.add_set(ctx, None, SetEntry("  goblet   squat ", 12, 24))
    assert ("goblet squat", False) in training.list_exercises(ctx)
    assert training.add_exercise(ctx, "BENCH PRESS") == "Bench press"  # no duplicates by case


def test_sets_are_validated_with_the_field_and_nothing_is_written(ctx):
    before = row_counts(ctx)
    for bad, message in ((SetEntry("Squat", 0, 100), "^reps: 0 is outside 1–100"),
                         (SetEntry("Squat", 5, -20), "^load: -20 kg is negative"),
                         (SetEntry("Squat", 5, 1500), "^load: 1500 kg is more than 1000 kg"),
                         (SetEntry("Squat", 5, 2500, "lb"), "^load: 2500 lb is more than 2205 lb"),
                         (SetEntry("", 5, 100), "^exercise: is empty")):
        with pytest.raises(PracticeInputError, match=message):
            training.log_resistance(ctx, ResistanceEntry(TODAY, (SetEntry("Row", 5, 50), bad)))
        with pytest.raises(PracticeInputError, match=message):
            training.add_set(ctx, None, bad)
    assert row_counts(ctx) == before and not done(ctx, "resistance")


def test_hiit_validation_writes_nothing(ctx):
    before = row_counts(ctx)
    with pytest.raises(PracticeInputError, match="^effort \\(RPE\\): 0 is outside 1–10"):
        training.log_hiit(ctx, hiit(rpe=0))
    with pytest.raises(PracticeInputError, match="^completed rounds: 9 is outside 0–8"):
        training.log_hiit(ctx, hiit(completed_rounds=9))
    with pytest.raises(PracticeInputError, match="^date: 2026-11-26 is in the future"):
        training.log_hiit(ctx, hiit(day=TODAY + timedelta(days=1)))
    assert row_counts(ctx) == before


def test_the_session_and_its_ticks_are_one_transaction(ctx, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("disk full while ticking")

    monkeypatch.setattr(autotick, "set_item", broken)
    with pytest.raises(RuntimeError):
        training.log_hiit(ctx, hiit())
    with pytest.raises(RuntimeError):
        sleep.log_sleep(ctx, night())
    assert row_counts(ctx) == {k: 0 for k in row_counts(ctx)}


# --- post-training meal ---------------------------------------------------------------------------------

def test_the_post_training_meal_is_encouraged_on_training_days_not_ticked(ctx):
    r = training.log_hiit(ctx, hiit())
    assert r.meal_prompt and not done(ctx, autotick.MEAL_KEY)
    checklist.record(ctx, autotick.MEAL_KEY, TODAY, done=True)
    assert not training.add_set(ctx, None, SetEntry("Squat", 5, 100)).meal_prompt  # already had it
    assert not sleep.log_sleep(ctx, night()).meal_prompt
    assert not training.log_hiit(ctx, hiit(day=YESTERDAY, completed_rounds=0)).meal_prompt  # no round done


# --- sleep -----------------------------------------------------------------------------------------------

def test_logging_sleep_records_hours_and_ticks_bedtime_room_and_screens(ctx):
    r = sleep.log_sleep(ctx, night(bed=time(22, 40), wake=time(6, 50), quality=4, cool_dark=True, screens_off=True))
    assert {c.key for c in r.changes} == {"sleep_duration", "bedtime_consistent", "bedroom_cool_dark", "screens_off"}
    assert state(ctx, "sleep_duration") == (True, 8.17, "sleep")
    assert done(ctx, "bedtime_consistent") and done(ctx, "bedroom_cool_dark") and done(ctx, "screens_off")
    rec = sleep.get_sleep(ctx, TODAY)
    assert rec.bedtime == datetime(2026, 11, 24, 22, 40, tzinfo=rec.bedtime.tzinfo) and rec.quality == 4


def test_short_sleep_is_recorded_but_not_done_and_only_true_checks_tick(ctx):
    sleep.log_sleep(ctx, night(bed=time(0, 30), wake=time(6, 0)))
    assert state(ctx, "sleep_duration") == (False, 5.5, "sleep")
    assert not done(ctx, "bedtime_consistent")  # 2 h later than the 22:30 target
    assert state(ctx, "bedroom_cool_dark") is None and state(ctx, "screens_off") is None


def test_bedtime_consistency_uses_the_profile_bedtime_and_the_items_tolerance(ctx):
    profile.save(ctx, profile.Profile(bedtime=time(23, 30)))
    sleep.log_sleep(ctx, night(bed=time(0, 10), wake=time(7, 30)))  # 40 min late, across midnight
    assert not done(ctx, "bedtime_consistent")
    spec: HabitSpec = next(s for s, _ in habits.list_habits(ctx) if s.key == "bedtime_consistent")
    import dataclasses

    habits.update_habit(ctx, "bedtime_consistent", dataclasses.replace(spec, params=(("tolerance_min", 45),)))
    entry = sleep.get_sleep(ctx, TODAY)
    sleep.update_sleep(ctx, entry.id, entry.to_input())
    assert done(ctx, "bedtime_consistent")


def test_deleting_sleep_unticks_everything_it_ticked_and_undo_restores(ctx):
    r = sleep.log_sleep(ctx, night(cool_dark=True, screens_off=True))
    gone = sleep.delete_sleep(ctx, r.id)
    assert {(c.key, c.done) for c in gone.changes} == {("sleep_duration", False), ("bedtime_consistent", False),
                                                        ("bedroom_cool_dark", False), ("screens_off", False)}
    assert all(state(ctx, k) is None for k in autotick.SLEEP_KEYS)
    sleep.restore_sleep(ctx, gone.entry)
    assert all(done(ctx, k) for k in autotick.SLEEP_KEYS)
    assert sleep.get_sleep(ctx, TODAY) == gone.entry


def test_editing_sleep_unticks_a_check_that_is_no_longer_true(ctx):
    r = sleep.log_sleep(ctx, night(cool_dark=True, screens_off=True))
    changed = sleep.update_sleep(ctx, r.id, night(cool_dark=False, screens_off=True))
    assert [(c.key, c.done) for c in changed.changes] == [("bedroom_cool_dark", False)]
    assert not done(ctx, "bedroom_cool_dark") and done(ctx, "screens_off")


def test_a_manual_sleep_value_is_left_alone(ctx):
    checklist.record(ctx, "sleep_duration", TODAY, value=7.5)  # typed on the Today page
    r = sleep.log_sleep(ctx, night(bed=time(23, 0), wake=time(6, 0)))
    assert "sleep_duration" not in {c.key for c in r.changes}
    sleep.delete_sleep(ctx, r.id)
    assert state(ctx, "sleep_duration") == (True, 7.5, "manual")


def test_more_than_20_hours_needs_confirmation_and_writes_nothing_until_then(ctx):
    before = row_counts(ctx)
    with pytest.raises(NeedsConfirmation, match="^sleep: 21 h between bedtime and wake-up"):
        sleep.log_sleep(ctx, night(bed=time(7, 0), wake=time(4, 0)))
    assert row_counts(ctx) == before
    sleep.log_sleep(ctx, night(bed=time(7, 0), wake=time(4, 0)), confirm=True)
    assert state(ctx, "sleep_duration") == (True, 21.0, "sleep")  # confirmed: recorded as it is


def test_sleep_validation_names_the_field(ctx):
    before = row_counts(ctx)
    with pytest.raises(PracticeInputError, match="^quality: 0 is outside 1–5"):
        sleep.log_sleep(ctx, night(quality=0))
    with pytest.raises(PracticeInputError, match="^wake time: 09:30 on 2026-11-25 is still to come"):
        sleep.log_sleep(ctx, night(wake=time(9, 30)))
    with pytest.raises(PracticeInputError, match="^date: 2026-11-26 is in the future"):
        sleep.log_sleep(ctx, night(day=TODAY + timedelta(days=1)))
    with pytest.raises(PracticeInputError, match="^wake time: 06:00 is the same as the bedtime"):
        sleep.log_sleep(ctx, night(bed=time(6, 0), wake=time(6, 0)))
    assert row_counts(ctx) == before


def test_one_night_per_wake_up_day(ctx):
    sleep.log_sleep(ctx, night())
    with pytest.raises(SleepExists, match="^date: sleep for the night ending 2026-11-25 is already logged"):
        sleep.log_sleep(ctx, night(bed=time(23, 30)))
    sleep.log_sleep(ctx, night(bed=time(23, 30), wake=time(6, 30)), replace=True)
    assert len(sleep.list_sleep(ctx)) == 1 and sleep.get_sleep(ctx, TODAY).hours == 7


def test_summary_for_the_form(ctx):
    s = sleep.summarize(ctx, night(bed=time(23, 10), wake=time(7, 5)))
    assert s.text() == "7 h 55 min of sleep · bedtime 40 min later than your 22:30 target (outside ±30 min)"
    assert not s.on_time and not s.needs_confirmation
    assert sleep.summarize(ctx, night(bed=time(7, 0), wake=time(4, 0))).needs_confirmation


# --- breathing --------------------------------------------------------------------------------------------

def test_breathing_minutes_are_the_sum_of_the_days_sessions(ctx):
    a = breathing.log_breathing(ctx, BreathingEntry(TODAY, 6, "box"))
    assert [(c.key, c.done, c.value) for c in a.changes] == [("breathing", False, 6.0)]
    b = breathing.log_breathing(ctx, BreathingEntry(TODAY, 5))
    assert [(c.key, c.done, c.value) for c in b.changes] == [("breathing", True, 11.0)]
    assert state(ctx, "breathing") == (True, 11.0, "breathing")


def test_deleting_breathing_recomputes_and_the_last_delete_unticks(ctx):
    a = breathing.log_breathing(ctx, BreathingEntry(TODAY, 6))
    b = breathing.log_breathing(ctx, BreathingEntry(TODAY, 5))
    gone = breathing.delete_breathing(ctx, a.id)
    assert [(c.key, c.done, c.value) for c in gone.changes] == [("breathing", False, 5.0)]
    gone_b = breathing.delete_breathing(ctx, b.id)
    assert [(c.key, c.done, c.value) for c in gone_b.changes] == [("breathing", False, None)]
    assert state(ctx, "breathing") is None
    breathing.restore_breathing(ctx, gone.entry)
    breathing.restore_breathing(ctx, gone_b.entry)
    assert state(ctx, "breathing") == (True, 11.0, "breathing")


def test_breathing_validation_writes_nothing(ctx):
    before = row_counts(ctx)
    for minutes, message in ((0.5, "^minutes: 0.5 min is outside 1–180 min"),
                             (-3, "^minutes: -3 min is outside"), (600, "^minutes: 600 min is outside")):
        with pytest.raises(PracticeInputError, match=message):
            breathing.log_breathing(ctx, BreathingEntry(TODAY, minutes))
    with pytest.raises(PracticeInputError, match="^pattern: 'fast'"):
        breathing.log_breathing(ctx, BreathingEntry(TODAY, 10, "fast"))
    assert row_counts(ctx) == before


def test_undo_after_more_was_logged_never_touches_the_newer_rows(ctx):
    a = training.log_hiit(ctx, hiit(rpe=5))
    gone = training.delete_hiit(ctx, a.id)
    b = training.log_hiit(ctx, hiit(rpe=9))
    assert b.id != a.id  # ids are never reused, so the undo below cannot collide with b
    training.restore_hiit(ctx, gone.entry)
    assert sorted((e.id, e.rpe) for e in training.list_hiit(ctx)) == [(a.id, 5), (b.id, 9)]

    r = training.log_resistance(ctx, squat_session())
    gone_r = training.delete_resistance(ctx, r.id)
    r2 = training.add_set(ctx, None, SetEntry("Row", 8, 50))
    training.restore_resistance(ctx, gone_r.entry)
    assert training.get_resistance(ctx, r2.id).sets[0].exercise == "Row"
    assert len(training.get_resistance(ctx, r.id).sets) == 3

    n = sleep.log_sleep(ctx, night())
    gone_n = sleep.delete_sleep(ctx, n.id)
    sleep.log_sleep(ctx, night(bed=time(23, 30)))
    with pytest.raises(SleepExists):
        sleep.restore_sleep(ctx, gone_n.entry)
    assert len(sleep.list_sleep(ctx)) == 1


# --- plans and the checklist's state ---------------------------------------------------------------------

def test_saved_plans(ctx):
    names = [p.name for p in training.list_plans(ctx)]
    assert names[:3] == ["Classic 8 × 30/90", "Beginner 6 × 20/100", "Tabata 8 × 20/10"]
    training.save_plan(ctx, "Hill sprints", IntervalPlan(600, 20, 120, 6, 300))
    training.save_plan(ctx, "hill sprints", IntervalPlan(600, 25, 120, 6, 300))  # same name: overwrite
    mine = [p for p in training.list_plans(ctx) if not p.builtin]
    assert [(p.name, p.plan.work_s) for p in mine] == [("Hill sprints", 25)]
    with pytest.raises(PracticeInputError, match="^plan name: 'tabata 8 × 20/10' is a built-in plan"):
        training.save_plan(ctx, "tabata 8 × 20/10", PLAN)
    with pytest.raises(PracticeInputError, match="^plan name: is empty"):
        training.save_plan(ctx, "  ", PLAN)
    gone = training.delete_plan(ctx, "Hill sprints")
    assert gone.plan.work_s == 25 and all(p.builtin for p in training.list_plans(ctx))


def test_an_archived_or_missing_item_is_not_ticked_and_does_not_fail(ctx):
    habits.set_status(ctx, "hiit", habits.ARCHIVED)
    assert training.log_hiit(ctx, hiit()).changes == ()
    assert state(ctx, "hiit") is None
