"""What is due on a given day, and how far the week has got.

Weeks are ISO weeks, Monday to Sunday, whatever month or year they fall in.

Rules:
- ``daily``: due every day.
- ``weekdays``: due on the listed weekdays only.
- ``per_week:n``: due on every day of the week until the week holds n done days. The count uses the
  whole week, so a day already done stays "due and done", and once the week is complete the rest of
  it is not due. For a past day this means later days of the same week matter: a 3×/week habit done
  Mon, Wed, Fri leaves Tue and Thu not due (no missed days), while a week with only 2 done leaves
  every undone day of that week due.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from igfcoach.core.habits import Schedule


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week containing ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def week_days(day: date) -> list[date]:
    """The seven days (Mon..Sun) of the ISO week containing ``day``."""
    monday, _ = week_bounds(day)
    return [monday + timedelta(days=i) for i in range(7)]


def is_scheduled_day(schedule: Schedule, day: date) -> bool:
    """Whether the schedule can fall on this day at all (per_week: any day)."""
    if schedule.kind == "weekdays":
        return day.weekday() in schedule.weekdays
    return True


def _done_in_week(day: date, done_days: Collection[date]) -> int:
    return sum(1 for d in week_days(day) if d in done_days)


def is_due(schedule: Schedule, day: date, done_days: Collection[date]) -> bool:
    """Whether a habit with this schedule is due on ``day``, given the days it was done."""
    if schedule.kind == "daily":
        return True
    if schedule.kind == "weekdays":
        return day.weekday() in schedule.weekdays
    if day in done_days:
        return True
    return _done_in_week(day, done_days) < schedule.times_per_week


def week_progress(schedule: Schedule, day: date, done_days: Collection[date]) -> tuple[int, int]:
    """(done, target) for the ISO week containing ``day``.

    Target is 7 for daily, the number of listed weekdays, or n. Done counts done days that were
    scheduled (for weekdays, only the listed weekdays); it is not capped, so 4 of 3 is possible.
    """
    days = week_days(day)
    done = sum(1 for d in days if d in done_days and is_scheduled_day(schedule, d))
    if schedule.kind == "weekdays":
        return done, len(schedule.weekdays)
    if schedule.kind == "per_week":
        return done, schedule.times_per_week
    return done, 7
