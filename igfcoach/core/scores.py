"""Adherence, streaks and habit strength, computed from one record per habit per day.

Choices worth knowing (they are also stated in the user-facing texts below):

- A measured habit counts as done on a day when its value meets the target; a measured target is
  per occurrence, so ``per_week:3`` with "≥ 20 min" means three sessions of 20 minutes.
- Skipped days are neutral everywhere: not due for adherence, they neither break nor lengthen a
  streak, and they leave the strength score unchanged.
- Streaks of daily and weekday habits count done days (for weekday habits only the listed days
  matter; other days are ignored). Streaks of ``per_week`` habits count consecutive ISO weeks that
  reached the target; a week that fell short only because of skipped days bridges the streak without
  adding to it. Today (or the current week) that is not yet done does not break the current streak.
- Strength: on days a weekday habit is not scheduled the score is left unchanged (like a skip),
  so a Mon/Wed/Fri habit is not punished on Tuesday.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from igfcoach.core.habits import HabitSpec, Schedule
from igfcoach.core.schedule import is_scheduled_day, week_bounds

FORMULA_TEXT = (
    "Strength is a running average that remembers recent days more than old ones. Each day:\n"
    "  strength = yesterday's strength × m + today's result × (1 − m),  with m = 0.5^(√f ÷ 13)\n"
    "where f is how often the habit is due per day (1 for every day, 3/7 for three times a week). "
    "Old days therefore count half as much after 13/√f days: 13 days for a daily habit, about 20 "
    "for three times a week.\n"
    "Today's result is 1 when done and 0 when not. For \"N times a week\" it is the share of N done in "
    "the last 7 days (at most 1). For amounts such as grams or minutes it is how much of the target "
    "you reached (at most 1; over a 7-day window for \"N times a week\"); for an \"at most\" target it "
    "is 1 when you stayed within it.\n"
    "Skipped days, and days a weekday habit is not scheduled, leave the strength unchanged. A habit "
    "done every day reaches about 80 % after 30 days and 96 % after 60."
)

ADHERENCE_TEXT = (
    "Adherence for a day is the items done divided by the items due. Amounts count as done when they "
    "meet the target. Skipped items count as neither done nor due; a day with nothing due has no "
    "adherence."
)

STREAK_TEXT = (
    "A streak counts done days in a row (for weekday habits, only the chosen weekdays). For \"N times "
    "a week\" habits it counts weeks in a row that reached N. Skipped days keep a streak alive without "
    "adding to it, and today does not break it before the day is over."
)


@dataclass(frozen=True)
class DayRecord:
    """What happened with one habit on one logical day."""

    day: date
    done: bool = False
    value: float | None = None
    skipped: bool = False


StreakUnit = Literal["day", "week"]


@dataclass(frozen=True)
class Streak:
    """A run of done days (or weeks that met their target); ``length`` counts them."""

    start: date
    end: date
    length: int
    unit: StreakUnit


def _index(records: Iterable[DayRecord]) -> dict[date, DayRecord]:
    by_day: dict[date, DayRecord] = {}
    for record in records:
        if record.day in by_day:
            raise ValueError(f"two records for {record.day.isoformat()}")
        by_day[record.day] = record
    return by_day


def _days(start: date, end: date) -> Iterable[date]:
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


# --- completion and adherence --------------------------------------------------------------------


def is_completed(spec: HabitSpec, record: DayRecord | None) -> bool:
    """Done on that day: ticked (check) or meeting the target (measured). Skipped is never done."""
    if record is None or record.skipped:
        return False
    if spec.target is not None:
        return spec.target.is_met(record.value)
    return record.done


def daily_adherence(items: Iterable[tuple[HabitSpec, DayRecord | None]]) -> float | None:
    """Done ÷ due for the items due on one day; skipped items are neither. None when nothing is due."""
    due = done = 0
    for spec, record in items:
        if record is not None and record.skipped:
            continue
        due += 1
        done += is_completed(spec, record)
    return done / due if due else None


# --- streaks -------------------------------------------------------------------------------------

_HIT, _NEUTRAL, _MISS = "hit", "neutral", "miss"


def streak_unit(spec: HabitSpec) -> StreakUnit:
    """Streaks of ``per_week`` habits count weeks; all others count days."""
    return "week" if spec.schedule.kind == "per_week" else "day"


def _units(
    spec: HabitSpec, by_day: dict[date, DayRecord], first: date, today: date
) -> Iterator[tuple[date, date, str]]:
    """Yield (start, end, status) for each day or week from ``first`` to ``today``."""
    if spec.schedule.kind == "per_week":
        monday, _ = week_bounds(first)
        while monday <= today:
            week = [monday + timedelta(days=i) for i in range(7)]
            done = sum(is_completed(spec, by_day.get(d)) for d in week)
            skipped = sum(1 for d in week if d in by_day and by_day[d].skipped)
            n = spec.schedule.times_per_week
            if done >= n:
                status = _HIT
            elif today <= week[-1] or done + skipped >= n:
                status = _NEUTRAL
            else:
                status = _MISS
            yield monday, week[-1], status
            monday += timedelta(days=7)
        return
    for day in _days(first, today):
        if not is_scheduled_day(spec.schedule, day):
            continue
        record = by_day.get(day)
        if is_completed(spec, record):
            status = _HIT
        elif (record is not None and record.skipped) or day == today:
            status = _NEUTRAL
        else:
            status = _MISS
        yield day, day, status


def _runs(spec: HabitSpec, records: Iterable[DayRecord], today: date) -> tuple[list[Streak], bool]:
    """All streaks, oldest first, and whether the last one is still open at ``today``."""
    by_day = {d: r for d, r in _index(records).items() if d <= today}
    if not by_day:
        return [], False
    unit = streak_unit(spec)
    found: list[Streak] = []
    start = end = today
    length = 0
    for unit_start, unit_end, status in _units(spec, by_day, min(by_day), today):
        if status == _HIT:
            if not length:
                start = unit_start
            end = unit_end
            length += 1
        elif status == _MISS:
            if length:
                found.append(Streak(start, end, length, unit))
            length = 0
    if length:
        found.append(Streak(start, end, length, unit))
        return found, True
    return found, False


def streaks(spec: HabitSpec, records: Iterable[DayRecord], today: date) -> list[Streak]:
    """Every streak up to ``today``, oldest first."""
    return _runs(spec, records, today)[0]


def current_streak(spec: HabitSpec, records: Iterable[DayRecord], today: date) -> int:
    """Length (days, or weeks for per_week habits) of the streak still running at ``today``."""
    found, still_open = _runs(spec, records, today)
    return found[-1].length if still_open else 0


def best_streaks(
    spec: HabitSpec, records: Iterable[DayRecord], today: date, limit: int = 5
) -> list[Streak]:
    """The longest streaks, longest first (ties: most recent first)."""
    found = streaks(spec, records, today)
    found.sort(key=lambda s: (s.length, s.end), reverse=True)
    return found[:limit]


# --- strength score ------------------------------------------------------------------------------


def multiplier(schedule: Schedule) -> float:
    """m = 0.5 ** (√f / 13): yesterday's weight in today's score (half-life 13/√f days)."""
    return 0.5 ** (math.sqrt(schedule.frequency) / 13)


def _contribution(spec: HabitSpec, record: DayRecord | None) -> float:
    """A day's part of a per_week window: 1/0 for a done day, or the logged amount (at_least)."""
    if spec.target is not None and spec.target.direction == "at_least":
        if record is None or record.skipped or record.value is None:
            return 0.0
        return max(0.0, float(record.value))
    return 1.0 if is_completed(spec, record) else 0.0


def score_series(
    spec: HabitSpec, records: Iterable[DayRecord], start: date, end: date
) -> list[tuple[date, float]]:
    """Daily strength from ``start`` (score 0 the day before) to ``end`` inclusive, in O(days).

    See :data:`FORMULA_TEXT`. Records outside the range only feed the 7-day windows.
    """
    if end < start:
        return []
    by_day = _index(records)
    schedule = spec.schedule
    m = multiplier(schedule)
    per_week = schedule.kind == "per_week"
    window_target = 0.0
    contrib: list[float] = []
    if per_week:
        window_target = float(schedule.times_per_week)
        if spec.target is not None and spec.target.direction == "at_least":
            window_target *= spec.target.value
        contrib = [_contribution(spec, by_day.get(d)) for d in _days(start - timedelta(days=6), end)]

    score = 0.0
    series: list[tuple[date, float]] = []
    for i, day in enumerate(_days(start, end)):
        record = by_day.get(day)
        if (record is not None and record.skipped) or not is_scheduled_day(schedule, day):
            series.append((day, score))
            continue
        if per_week:
            v = min(1.0, sum(contrib[i : i + 7]) / window_target)
        elif spec.target is not None:
            v = spec.target.fraction(record.value if record is not None else None)
        else:
            v = 1.0 if is_completed(spec, record) else 0.0
        score = score * m + v * (1 - m)
        series.append((day, score))
    return series


def score_on(spec: HabitSpec, records: Iterable[DayRecord], start: date, day: date) -> float:
    """Strength on ``day`` for a habit tracked since ``start`` (0.0 before ``start``)."""
    series = score_series(spec, records, start, day)
    return series[-1][1] if series else 0.0
