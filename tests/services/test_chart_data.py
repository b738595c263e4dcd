"""The charts' data: the array kernels agree with the pure definitions, and loading reads what was stored."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igfcoach.core import analysis
from igfcoach.core.habits import HabitSpec, Schedule, Target
from igfcoach.core.scores import DayRecord, score_series
from igfcoach.services import chart_data, checklist, habits, labs
from igfcoach.services.chart_data import DONE, MISSED, NOT_DUE, NOT_TRACKED, SKIPPED, flags_arrays, score_array
from igfcoach.services.labs import LabInput

START = date(2026, 3, 4)  # a Wednesday, so weeks are cut at both ends

SCHEDULES = [Schedule.daily(), Schedule.on_weekdays([0, 3, 5]), Schedule.per_week(2), Schedule.per_week(5)]
TARGETS = [None, Target(7, "h"), Target(10, "h", "at_most"), Target(20, "min")]


def _spec(schedule: Schedule, target: Target | None) -> HabitSpec:
    kind = "measured" if target is not None else "check"
    return HabitSpec("h", "sleep", "T", "W", "D", kind, target, schedule)  # type: ignore[arg-type]


record_kinds = st.sampled_from(["none", "done", "skip", "value"])


@settings(max_examples=150, deadline=None)
@given(
    schedule=st.sampled_from(SCHEDULES),
    target=st.sampled_from(TARGETS),
    kinds=st.lists(record_kinds, min_size=1, max_size=60),
    values=st.lists(st.floats(min_value=0, max_value=30, allow_nan=False), min_size=60, max_size=60),
    first=st.integers(min_value=0, max_value=10),
)
def test_array_kernels_match_the_pure_definitions(schedule, target, kinds, values, first):
    spec = _spec(schedule, target)
    n = len(kinds)
    first = min(first, n - 1)
    records = []
    for i, k in enumerate(kinds):
        if k == "none" or i < first:
            continue
        day = START + timedelta(days=i)
        if k == "done":
            records.append(DayRecord(day, done=True))
        elif k == "skip":
            records.append(DayRecord(day, skipped=True))
        else:
            records.append(DayRecord(day, done=True, value=values[i]))
    idx = np.array([(r.day - START).days for r in records], dtype=np.int64)
    rec = chart_data._records_arrays(
        n, idx, np.array([r.done for r in records], bool), np.array([r.skipped for r in records], bool),
        np.array([np.nan if r.value is None else r.value for r in records], dtype=np.float64),
    )
    end = START + timedelta(days=n - 1)
    due, done, _ = flags_arrays(spec, rec, START, first, n - 1)
    ref_due, ref_done = analysis.day_flags(spec, records, START, end, active_from=START + timedelta(days=first))
    assert due.tolist() == ref_due
    assert done.tolist() == ref_done

    strength = score_array(spec, rec, START, first)
    ref = [s for _, s in score_series(spec, records, START + timedelta(days=first), end)]
    assert np.isnan(strength[:first]).all()
    assert strength[first:].tolist() == pytest.approx(ref, abs=1e-12)


def test_load_reads_habits_checkoffs_and_labs(ctx):
    habits.seed_from_catalog(ctx, weight_kg=80)
    today = ctx.today()  # 2026-11-25, a Wednesday
    for back in (0, 1, 3):
        checklist.record(ctx, "zinc", today - timedelta(days=back), done=True)
    checklist.record(ctx, "zinc", today - timedelta(days=2), skipped=True)
    checklist.record(ctx, "sleep_duration", today - timedelta(days=1), value=6.0)
    labs.add_result(ctx, LabInput(drawn_on=today - timedelta(days=10), value="110", lab_low="70", lab_high="200"))
    labs.add_result(ctx, LabInput(drawn_on=today - timedelta(days=3), value="17", unit="nmol/L"))

    data = chart_data.load(ctx)
    assert data.end == today
    assert data.start == today - timedelta(days=10)  # the first lab comes before the habits were created
    assert data.days == 11
    zinc = data.habit("zinc")
    assert zinc.status[-4:].tolist() == [DONE, SKIPPED, DONE, DONE]
    assert zinc.status[0] == NOT_TRACKED  # created today; the first record is 3 days ago
    assert zinc.first == 7
    sleep = data.habit("sleep_duration")
    assert sleep.status[-2] == MISSED and sleep.values[-2] == 6.0  # 6 h is under the 7 h target
    hiit = data.habit("hiit")
    assert hiit.status[-1] == MISSED  # 2 a week, none done this week
    assert NOT_DUE not in zinc.status[7:].tolist()
    assert data.x[1] - data.x[0] == 86400.0
    assert data.day_of(data.x[-1]) == today

    assert [p.value_ng for p in data.labs] == [110.0, pytest.approx(17 * 7.649)]
    first, second = data.labs
    tip = first.tooltip("ng/mL")
    assert (today - timedelta(days=10)).strftime("%d %b %Y") in tip
    assert "IGF-1 110 ng/mL" in tip and "Below your target band (120–160 ng/mL)" in tip
    assert "Within the lab's reference range (70–200 ng/mL)" in tip
    assert "17.0 nmol/L" in second.tooltip("nmol/L")

    # Today: items due are all daily/weekly habits that have started; zinc is done.
    assert data.counts.due[-1] > 0 and data.counts.done[-1] == 1
    assert data.adherence[-1] == pytest.approx(1 / data.counts.due[-1])
    assert data.protein is not None and data.protein.target_g == 128.0  # 80 kg × 1.6
    assert data.sleep is not None and data.sleep.hours[-2] == 6.0
    windows = data.windows(1)
    assert [w.key for w in windows] == [first.id, second.id]
    assert windows[1].change_ng == pytest.approx(17 * 7.649 - 110)
    assert data.correlation(1).n <= 2


def test_load_with_nothing_stored(ctx):
    data = chart_data.load(ctx)
    assert data.days == 1 and data.habits == [] and data.labs == []
    assert np.isnan(data.adherence).all()
    assert data.correlation().r is None


def test_sleep_log_and_training_volume(ctx):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from igfcoach.store.models import HiitSession, ResistanceSession, ResistanceSet, SleepEntry

    BERLIN = ZoneInfo("Europe/Berlin")

    habits.seed_from_catalog(ctx, weight_kg=80)
    today = ctx.today()  # Wednesday 2026-11-25
    yesterday = today - timedelta(days=1)
    with ctx.db.transaction() as s:
        s.add(SleepEntry(day=today, bedtime=datetime(2026, 11, 24, 22, 30, tzinfo=BERLIN),
                         wake=datetime(2026, 11, 25, 6, 30, tzinfo=BERLIN)))
        s.add(SleepEntry(day=yesterday, bedtime=datetime(2026, 11, 24, 0, 15, tzinfo=BERLIN),
                         wake=datetime(2026, 11, 24, 7, 0, tzinfo=BERLIN)))
        session = ResistanceSession(day=today)
        session.sets = [ResistanceSet(exercise="Squat", set_no=i, reps=5, load=100.0, unit="kg") for i in (1, 2, 3)]
        session.sets += [ResistanceSet(exercise="Row", set_no=i, reps=10, load=50.0, unit="lb") for i in (4, 5)]
        s.add(session)
        s.add(HiitSession(day=yesterday, warmup_s=0, work_s=30, rest_s=60, rounds=8, cooldown_s=0,
                          completed_rounds=8))
    checklist.record(ctx, "sleep_duration", today - timedelta(days=2), value=6.5)  # by hand, no entry

    data = chart_data.load(ctx)
    sleep = data.sleep
    assert sleep is not None and sleep.source == "sleep log"
    assert sleep.hours[-1] == pytest.approx(8.0) and sleep.hours[-2] == pytest.approx(6.75)
    assert sleep.hours[-3] == 6.5  # the hand-logged hours fill a night without an entry
    assert sleep.bedtime[-1] == 630 and sleep.bedtime[-2] == 735  # 22:30 and 00:15 as minutes after noon
    t = data.training
    assert t.tonnage is not None and t.tonnage[-1] == pytest.approx(1500 + 2 * 10 * 50 * 0.45359237)
    assert t.hiit_minutes is not None and t.hiit_minutes[-1] == pytest.approx(4.0)
    assert data.day_of(t.week_x[-1]) == date(2026, 11, 23)  # the Monday of this week
