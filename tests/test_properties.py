"""Property tests (hypothesis) for the pure rules the whole app leans on.

* scores.score_series: bounded in [0, 1], non-decreasing when every day is done, unchanged by a skip, and equal to
  a naive recomputation written straight from the user-facing formula text;
* schedule.is_due / week_progress: a per_week habit is never due once its ISO week holds n done days, weekday
  habits are due only on their weekdays, and both functions agree;
* reminder_rules.next_fire: strictly after ``after``, on the rule's local wall time (or the end of a DST gap, or
  the first of a repeated hour), one fire per local day, no rule day skipped -- for dates across 2026-2030 in
  zones with 1 h, 30 min and no DST shifts, with extra weight on the days the clocks change;
* days.logical_date / next_rollover: the rollover is strictly after now and the logical date steps by exactly one
  day there (not before, not by two).

Runs derandomized (CI-stable) with no example database, in a few seconds.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from igfcoach.core.days import logical_date, next_rollover
from igfcoach.core.habits import HabitSpec, Schedule, Target
from igfcoach.core.reminder_rules import ReminderRule, next_fire
from igfcoach.core.schedule import is_due, is_scheduled_day, week_bounds, week_days, week_progress
from igfcoach.core.scores import DayRecord, is_completed, multiplier, score_series

UTC = timezone.utc
ZONES = [ZoneInfo(n) for n in ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata")]
FIRST, LAST = date(2026, 1, 1), date(2030, 12, 31)

FAST = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# ------------------------------------------------------------------------------------------------ strategies


schedules = st.one_of(
    st.just(Schedule.daily()),
    st.frozensets(st.integers(0, 6), min_size=1).map(Schedule.on_weekdays),
    st.integers(1, 7).map(Schedule.per_week),
)

targets = st.one_of(
    st.none(),
    st.builds(Target, value=st.sampled_from([1.0, 7.0, 20.0, 112.0]), unit=st.just("u"),
              direction=st.just("at_least")),
    st.builds(Target, value=st.sampled_from([0.0, 2.0, 10.0]), unit=st.just("u"), direction=st.just("at_most")),
)


@st.composite
def specs(draw) -> HabitSpec:
    target = draw(targets)
    return HabitSpec(
        key="h", category="sleep", title="t", why="", details="",
        kind="measured" if target is not None else "check", target=target, schedule=draw(schedules),
    )


@st.composite
def spec_and_records(draw, *, all_done: bool = False):
    spec = draw(specs())
    start = draw(st.dates(date(2026, 1, 1), date(2027, 12, 31)))
    length = draw(st.integers(1, 70))
    end = start + timedelta(days=length - 1)
    values = st.one_of(st.none(), st.floats(0, 300, allow_nan=False))
    records = []
    for offset in range(-10, length + 3):  # a few days outside the range feed the 7-day windows only
        day = start + timedelta(days=offset)
        if all_done:
            if spec.target is None:
                records.append(DayRecord(day, done=True))
            elif spec.target.direction == "at_least":
                records.append(DayRecord(day, done=True, value=spec.target.value * draw(st.sampled_from([1, 1.5]))))
            else:
                records.append(DayRecord(day, done=True, value=spec.target.value))
            continue
        kind = draw(st.sampled_from(["none", "done", "undone", "skip", "value"]))
        if kind == "none":
            continue
        if kind == "skip":
            records.append(DayRecord(day, skipped=True))
        elif kind == "value":
            records.append(DayRecord(day, done=draw(st.booleans()), value=draw(values)))
        else:
            records.append(DayRecord(day, done=kind == "done"))
    return spec, records, start, end


# ------------------------------------------------------------------------------------------------ scores


def naive_score(spec: HabitSpec, records: list[DayRecord], start: date, day: date) -> float:
    """The strength on ``day``, recomputed from scratch as scores.FORMULA_TEXT states it."""
    by_day = {r.day: r for r in records}
    f = spec.schedule.frequency
    m = 0.5 ** (math.sqrt(f) / 13)
    target = spec.target

    def result(d: date) -> float:
        if spec.schedule.kind == "per_week":
            n = spec.schedule.times_per_week
            window = [by_day.get(d - timedelta(days=k)) for k in range(7)]
            if target is not None and target.direction == "at_least":
                logged = sum(max(0.0, r.value) for r in window if r and not r.skipped and r.value is not None)
                return min(1.0, logged / (n * target.value))
            hits = sum(1 for r in window if is_completed(spec, r))
            return min(1.0, hits / n)
        r = by_day.get(d)
        if target is not None:
            if r is None or r.value is None:
                return 0.0
            if target.direction == "at_most":
                return 1.0 if r.value <= target.value else 0.0
            return min(1.0, max(0.0, r.value / target.value))
        return 1.0 if (r is not None and r.done and not r.skipped) else 0.0

    strength = 0.0
    d = start
    while d <= day:
        r = by_day.get(d)
        neutral = (r is not None and r.skipped) or (
            spec.schedule.kind == "weekdays" and d.weekday() not in spec.schedule.weekdays)
        if not neutral:
            strength = strength * m + result(d) * (1 - m)
        d += timedelta(days=1)
    return strength


@FAST
@given(spec_and_records())
def test_score_is_bounded_and_equals_a_naive_recomputation(case) -> None:
    spec, records, start, end = case
    series = score_series(spec, records, start, end)
    assert [d for d, _ in series] == [start + timedelta(days=i) for i in range((end - start).days + 1)]
    assert multiplier(spec.schedule) == 0.5 ** (math.sqrt(spec.schedule.frequency) / 13)
    for day, value in series:
        assert 0.0 <= value <= 1.0, (day, value)
    # the naive version is O(days^2); check a handful of days, always including the last
    for day, value in series[:: max(1, len(series) // 6)] + series[-1:]:
        assert math.isclose(value, naive_score(spec, records, start, day), rel_tol=1e-9, abs_tol=1e-12), day


@FAST
@given(spec_and_records(all_done=True))
def test_score_never_drops_while_every_day_is_done(case) -> None:
    spec, records, start, end = case
    values = [v for _, v in score_series(spec, records, start, end)]
    for before, after in zip(values, values[1:]):
        assert after >= before - 1e-12
    if any(is_scheduled_day(spec.schedule, start + timedelta(days=i)) for i in range(len(values))):
        assert values[-1] > 0.0


@FAST
@given(spec_and_records(), st.data())
def test_a_skip_leaves_the_score_unchanged(case, data) -> None:
    spec, records, start, end = case
    series = score_series(spec, records, start, end)
    previous = 0.0
    for day, value in series:
        record = next((r for r in records if r.day == day), None)
        if record is not None and record.skipped:
            assert value == previous, day
        previous = value
    # and turning any one day into a skip makes that day's score equal the day before's
    day = data.draw(st.dates(start, end))
    skipped = [r for r in records if r.day != day] + [DayRecord(day, skipped=True)]
    new = dict(score_series(spec, skipped, start, end))
    before = new.get(day - timedelta(days=1), 0.0)
    assert new[day] == before


# ------------------------------------------------------------------------------------------------ schedules


@st.composite
def day_and_done_days(draw):
    day = draw(st.dates(FIRST, LAST))
    monday, _ = week_bounds(day)
    # done days around the week (the week before and after must not count)
    around = [monday + timedelta(days=k) for k in range(-7, 14)]
    done = draw(st.frozensets(st.sampled_from(around)))
    return day, done


@FAST
@given(st.integers(1, 7), day_and_done_days())
def test_per_week_habit_is_never_due_once_the_week_holds_n_done_days(n, case) -> None:
    day, done = case
    schedule = Schedule.per_week(n)
    in_week = [d for d in week_days(day) if d in done]
    progress = week_progress(schedule, day, done)
    assert progress == (len(in_week), n)
    if day in done:
        assert is_due(schedule, day, done)  # "due and done"
    elif len(in_week) >= n:
        assert not is_due(schedule, day, done)
    else:
        assert is_due(schedule, day, done)
    # consistency: an undone day is due exactly when the week's progress is short of the target
    if day not in done:
        assert is_due(schedule, day, done) == (progress[0] < progress[1])
    # every day of the same ISO week sees the same progress
    for other in week_days(day):
        assert week_progress(schedule, other, done) == progress


@FAST
@given(st.frozensets(st.integers(0, 6), min_size=1), day_and_done_days())
def test_weekday_habit_is_due_only_on_its_weekdays(weekdays, case) -> None:
    day, done = case
    schedule = Schedule.on_weekdays(weekdays)
    assert is_due(schedule, day, done) == (day.weekday() in weekdays)
    counted = [d for d in week_days(day) if d in done and d.weekday() in weekdays]
    assert week_progress(schedule, day, done) == (len(counted), len(weekdays))


@FAST
@given(day_and_done_days())
def test_daily_habit_is_due_every_day(case) -> None:
    day, done = case
    assert is_due(Schedule.daily(), day, done)
    assert week_progress(Schedule.daily(), day, done) == (sum(1 for d in week_days(day) if d in done), 7)


# ------------------------------------------------------------------------------------------------ time zones


@lru_cache(maxsize=None)
def transitions(zone: ZoneInfo) -> tuple[datetime, ...]:
    """Every UTC offset change of ``zone`` in 2026-2030 (to the second), found by bisection."""
    found = []
    t = datetime(2025, 12, 31, tzinfo=UTC)
    end = datetime(2031, 1, 2, tzinfo=UTC)
    step = timedelta(hours=6)
    while t < end:
        nxt = t + step
        if t.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
            lo, hi = t, nxt
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(zone).utcoffset() == lo.astimezone(zone).utcoffset():
                    lo = mid
                else:
                    hi = mid
            found.append(hi.replace(microsecond=0))
        t = nxt
    return tuple(found)


def test_the_zones_have_the_expected_transitions() -> None:
    # 5 years x 2 changes for the DST zones; none for Kolkata (so the generators below do hit DST days)
    counts = {z.key: len(transitions(z)) for z in ZONES}
    assert counts == {"Europe/Berlin": 10, "America/New_York": 10, "Australia/Lord_Howe": 10, "Asia/Kolkata": 0}


@st.composite
def zone_instant_and_time(draw):
    """A zone, an aware instant in 2026-2030, a wall time and a set of weekdays (for a reminder rule).

    Half of the cases aim at a clock change: the instant lies 2 to 37 hours before it and the
    wall time within an hour of the change's local wall time, so gaps and repeated hours are hit often.
    """
    zone = draw(st.sampled_from(ZONES))
    near = transitions(zone)
    weekdays = draw(st.frozensets(st.integers(0, 6)))
    if near and draw(st.booleans()):
        jump = draw(st.sampled_from(near))
        moment = jump - timedelta(hours=draw(st.integers(2, 36)), seconds=draw(st.integers(0, 3599)))
        local = jump.astimezone(zone) + timedelta(minutes=draw(st.integers(-60, 60)))
        at = local.time().replace(second=0, microsecond=0, fold=0)
        if weekdays:  # make sure a weekly rule has an occurrence on the day of the change
            weekdays |= {jump.astimezone(zone).weekday()}
    else:
        moment = draw(st.datetimes(datetime(2026, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)))
        at = draw(st.times()).replace(microsecond=0)
    return zone, moment.astimezone(zone), at, weekdays


def wall_state(day: date, at: time, zone: ZoneInfo) -> str:
    """'ok', 'gap' (the wall time does not exist that day) or 'repeat' (it happens twice)."""
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if utc(first).astimezone(zone).replace(tzinfo=None) != naive:
        return "gap"
    return "repeat" if utc(first) != utc(second) else "ok"


def expected_occurrence(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant a wall time happens on ``day``, computed without the code under test: the first
    occurrence when repeated, the zone's transition instant that day when it falls in a gap."""
    if wall_state(day, at, zone) == "gap":
        (jump,) = [t for t in transitions(zone) if t.astimezone(zone).date() == day]
        return jump
    return utc(datetime.combine(day, at, tzinfo=zone).replace(fold=0))


@FAST
@given(zone_instant_and_time())
def test_next_fire_is_after_and_on_the_rules_wall_time(case) -> None:
    zone, after, at, weekdays = case
    rule = ReminderRule(kind="bedtime", title="Bedtime", time=at, weekdays=weekdays)
    fires = []
    current = after
    for _ in range(4):
        fire = next_fire(rule, current, zone)
        assert fire is not None
        assert utc(fire) > utc(current)  # strictly after
        fires.append(fire)
        current = fire
    for fire in fires:
        local = utc(fire).astimezone(zone)
        day = local.date()
        assert rule.on_day(day)
        state = wall_state(day, at, zone)
        event(f"wall time {state}")
        if state == "gap":
            # the end of the gap: the transition instant itself (the offset changes right there)
            assert local.time() > at
            before = utc(fire) - timedelta(seconds=1)
            assert before.astimezone(zone).utcoffset() != local.utcoffset()
            assert before.astimezone(zone).replace(tzinfo=None) < datetime.combine(day, at)
        else:
            assert local.replace(tzinfo=None) == datetime.combine(day, at)
            if state == "repeat":  # the first occurrence only
                assert utc(fire) == utc(datetime.combine(day, at, tzinfo=zone).replace(fold=0))
    # at most one fire per local day, and no rule day in between is skipped
    days = [utc(f).astimezone(zone).date() for f in fires]
    assert days == sorted(set(days))
    for a, b in zip(days, days[1:]):
        between = [a + timedelta(days=k) for k in range(1, (b - a).days)]
        assert not any(rule.on_day(d) for d in between), (a, b)
    # every fire is the independently computed occurrence of its day, and no rule day between `after` and the
    # first fire was passed over
    for fire, day in zip(fires, days):
        assert utc(fire) == expected_occurrence(day, at, zone)
    start_day = utc(after).astimezone(zone).date()
    for k in range((days[0] - start_day).days):
        d = start_day + timedelta(days=k)
        if rule.on_day(d):
            assert expected_occurrence(d, at, zone) <= utc(after), d


@FAST
@given(zone_instant_and_time())
def test_rollover_is_after_now_and_the_day_steps_by_exactly_one(case) -> None:
    zone, now, day_start, _ = case
    day_start = day_start.replace(second=0)
    event(f"start of day {wall_state(now.date(), day_start, zone)}")
    today = logical_date(now, day_start)
    assert today in (now.date(), now.date() - timedelta(days=1))
    rollover = next_rollover(now, day_start)
    assert utc(rollover) > utc(now)
    tick = timedelta(microseconds=1)
    assert logical_date((utc(rollover) - tick).astimezone(zone), day_start) == today
    assert logical_date(utc(rollover).astimezone(zone), day_start) == today + timedelta(days=1)
    # the next one is the following day's start, between 22 and 26 real hours later (DST, Lord Howe)
    following = next_rollover(utc(rollover).astimezone(zone), day_start)
    assert logical_date(utc(following).astimezone(zone), day_start) == today + timedelta(days=2)
    assert timedelta(hours=22) <= utc(following) - utc(rollover) <= timedelta(hours=26)
    # nothing in between changes the date (sampled)
    span = utc(following) - utc(rollover)
    for k in range(1, 8):
        moment = (utc(rollover) + span * k / 8).astimezone(zone)
        assert logical_date(moment, day_start) == today + timedelta(days=1)


@FAST
@given(zone_instant_and_time())
def test_logical_date_never_steps_backwards_in_real_time(case) -> None:
    zone, now, day_start, _ = case
    day_start = day_start.replace(second=0)
    dates = [logical_date((utc(now) + timedelta(minutes=20 * k)).astimezone(zone), day_start) for k in range(9)]
    assert dates == sorted(dates)
    assert dates[-1] - dates[0] <= timedelta(days=1)
