"""The checklist service: ticks, values, notes, skips and past days persist, and undo is exact."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from igfcoach.services import checklist, habits
from igfcoach.services.checklist import CheckError
from igfcoach.services.context import open_context
from igfcoach.services.habits import UnknownHabit

TODAY = date(2026, 11, 25)  # the `clock` fixture's day (a Wednesday)


@pytest.fixture
def seeded(ctx):
    habits.seed_from_catalog(ctx, weight_kg=80)
    return ctx


def by_key(items):
    return {i.spec.key: i for i in items}


def test_every_default_habit_is_on_todays_list(seeded):
    keys = [i.spec.key for i in checklist.day_checklist(seeded)]
    assert keys[:4] == ["sleep_duration", "bedtime_consistent", "bedroom_cool_dark", "screens_off"]
    assert {"hiit", "resistance", "protein", "post_workout_meal", "breathing", "zinc", "magnesium",
            "vitamin_d"} <= set(keys)
    assert "mucuna" not in keys  # optional, off by default


def test_tick_value_note_and_skip_persist_across_restarts(seeded, tmp_path, clock):
    checklist.record(seeded, "zinc", done=True)
    checklist.record(seeded, "protein", value=130.0, note="two shakes")
    checklist.record(seeded, "hiit", skipped=True)
    checklist.record(seeded, "magnesium", TODAY - timedelta(days=1), done=True)
    seeded.close()
    again = open_context(str(seeded.paths.data_dir), clock=clock)
    try:
        items = by_key(checklist.day_checklist(again))
        assert items["zinc"].done
        assert items["protein"].done and items["protein"].value == 130.0
        assert items["protein"].note == "two shakes"
        assert items["hiit"].skipped and not items["hiit"].done
        assert not items["magnesium"].done
        assert by_key(checklist.day_checklist(again, TODAY - timedelta(days=1)))["magnesium"].done
    finally:
        again.close()


def test_measured_habit_is_done_only_when_the_target_is_met(seeded):
    checklist.record(seeded, "protein", value=100.0)  # target 1.6 g/kg × 80 kg = 128 g
    assert not checklist.item(seeded, "protein", TODAY).done
    checklist.record(seeded, "protein", value=128.0)
    assert checklist.item(seeded, "protein", TODAY).done


def test_undo_restores_exactly(seeded):
    before = checklist.record(seeded, "protein", value=140.0, note="n")
    assert before.existed is False
    snap = checklist.record(seeded, "protein", done=False)  # untick
    assert not checklist.item(seeded, "protein", TODAY).done
    checklist.restore(seeded, snap)
    item = checklist.item(seeded, "protein", TODAY)
    assert item.done and item.value == 140.0 and item.note == "n"
    checklist.restore(seeded, before)
    assert checklist.item(seeded, "protein", TODAY).record is None


def test_skip_is_neutral_and_unskip_clears_it(seeded):
    checklist.record(seeded, "zinc", skipped=True)
    item = checklist.item(seeded, "zinc", TODAY)
    assert item.skipped and not item.done
    checklist.record(seeded, "zinc", done=True)
    item = checklist.item(seeded, "zinc", TODAY)
    assert item.done and not item.skipped


def test_per_week_habit_stops_being_due_when_the_week_is_met(seeded):
    # HIIT is 2× a week: Monday and Tuesday done, so Wednesday is not due.
    checklist.record(seeded, "hiit", date(2026, 11, 23), done=True)
    assert checklist.item(seeded, "hiit", TODAY).due
    checklist.record(seeded, "hiit", date(2026, 11, 24), done=True)
    item = checklist.item(seeded, "hiit", TODAY)
    assert not item.due and item.week == (2, 2)
    # The next ISO week starts over.
    assert checklist.item(seeded, "hiit", date(2026, 11, 25)).week == (2, 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"key": "protein", "done": True}, "give the amount"),
        ({"key": "protein", "value": -5.0}, "negative"),
        ({"key": "protein", "value": float("nan")}, "not a number"),
        ({"key": "sleep_duration", "value": 30.0}, "more than is possible"),
        ({"key": "zinc", "value": 3.0}, "takes no value"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_is_written(seeded, kwargs, message):
    key = kwargs.pop("key")
    with pytest.raises(CheckError, match=message):
        checklist.record(seeded, key, **kwargs)
    assert checklist.item(seeded, key, TODAY).record is None


def test_future_day_is_refused(seeded):
    with pytest.raises(CheckError, match="date: 2026-11-26 is in the future"):
        checklist.record(seeded, "zinc", TODAY + timedelta(days=1), done=True)


def test_unknown_key_names_the_closest(seeded):
    with pytest.raises(UnknownHabit, match="did you mean protein"):
        checklist.record(seeded, "protien", done=True)


def test_today_rolls_over_at_the_configured_start_of_day(seeded, clock):
    from datetime import datetime

    from igfcoach.services import settings

    settings.put(seeded, day_start="03:00")
    clock.set(datetime(2026, 11, 26, 2, 30))  # 02:30 on Thursday still counts as Wednesday
    assert seeded.today() == TODAY
    checklist.record(seeded, "zinc", done=True)
    assert checklist.item(seeded, "zinc", TODAY).done
    clock.set(datetime(2026, 11, 26, 3, 0))
    assert seeded.today() == TODAY + timedelta(days=1)


def test_archived_habit_leaves_the_list_and_keeps_history(seeded):
    checklist.record(seeded, "zinc", TODAY - timedelta(days=2), done=True)
    previous = habits.set_status(seeded, "zinc", habits.ARCHIVED)
    assert previous == habits.ACTIVE
    assert "zinc" not in by_key(checklist.day_checklist(seeded))
    assert checklist.history(seeded, "zinc")[0].done
    habits.set_status(seeded, "zinc", previous)  # undo
    assert "zinc" in by_key(checklist.day_checklist(seeded))


def test_windowed_strength_and_streak_match_the_whole_history(seeded, clock):
    """The Today page reads two years of history; the strength and a long streak must not change."""
    from igfcoach.core import scores

    start = TODAY - timedelta(days=1200)
    with seeded.db.transaction() as s:
        from sqlalchemy import select

        from igfcoach.store.models import CheckOff, Habit

        zinc = s.scalar(select(Habit).where(Habit.key == "zinc"))
        hiit = s.scalar(select(Habit).where(Habit.key == "hiit"))
        for i in range(1201):
            d = start + timedelta(days=i)
            s.add(CheckOff(habit_id=zinc.id, day=d, done=True, skipped=False, source="t", updated_at=clock.now()))
            if i % 3 == 0:
                s.add(CheckOff(habit_id=hiit.id, day=d, done=True, skipped=False, source="t", updated_at=clock.now()))
    for key in ("zinc", "hiit"):
        spec = next(sp for sp, _ in habits.list_habits(seeded) if sp.key == key)
        full = checklist.history(seeded, key)
        got = checklist.item(seeded, key, TODAY)
        assert abs(got.strength - scores.score_on(spec, full, start, TODAY)) < 1e-4
        assert got.streak == scores.current_streak(spec, full, TODAY)
    assert checklist.item(seeded, "zinc", TODAY).streak == 1201  # longer than the window: recounted in full
