"""The logical day: "today" with a configurable start of day (midnight by default, 3 am for night owls).

Logical day D begins at the first instant whose local wall time is at or after ``D + day_start``:
- in a spring-forward gap (the wall time does not exist) it begins when the clocks jump;
- in a fall-back overlap (the wall time happens twice) it begins at the first occurrence, and the
  repeated hour stays in day D (the date never steps backwards).

Aware datetimes are compared in UTC. Naive datetimes are treated as plain wall time.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone, tzinfo

MIDNIGHT = time(0, 0)
_UTC = timezone.utc


def _check_day_start(day_start: time) -> None:
    if not isinstance(day_start, time):
        raise TypeError(f"day_start must be a datetime.time, not {type(day_start).__name__}")
    if day_start.tzinfo is not None:
        raise ValueError("day_start is a wall-clock time and must not carry a tzinfo")


def _wall(dt: datetime) -> datetime:
    return dt.replace(tzinfo=None, fold=0)


def localize(wall: datetime, tz: tzinfo) -> datetime:
    """The first instant whose local wall time in ``tz`` is at or after the naive ``wall`` time.

    An existing wall time maps to itself (its first occurrence if repeated); a wall time inside a
    spring-forward gap maps to the moment the clocks jump.
    """
    if wall.tzinfo is not None:
        raise ValueError("localize() takes a naive wall time")
    first = wall.replace(tzinfo=tz, fold=0).astimezone(_UTC)
    if _wall(first.astimezone(tz)) == wall:
        return first.astimezone(tz)
    # Inside a gap: fold=1 applies the offset after the jump (an earlier instant), fold=0 the offset
    # before it (a later instant). The jump lies between them; find it to the whole second
    # (transitions fall on whole seconds).
    earlier = wall.replace(tzinfo=tz, fold=1).astimezone(_UTC)
    if earlier >= first:  # a tzinfo that ignores fold cannot bracket the jump: take the later instant
        return first.astimezone(tz)
    lo, hi = math.floor(earlier.timestamp()), math.ceil(first.timestamp())
    while hi - lo > 1:  # invariant: wall time at lo is before `wall`, at hi at or after it
        mid = (lo + hi) // 2
        if _wall(datetime.fromtimestamp(mid, tz)) >= wall:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, tz)


def day_start_instant(day: date, day_start: time, tz: tzinfo) -> datetime:
    """The aware instant at which logical ``day`` begins in ``tz``."""
    _check_day_start(day_start)
    return localize(datetime.combine(day, day_start), tz)


def logical_date(now: datetime, day_start: time = MIDNIGHT) -> date:
    """The logical day containing ``now``: 02:00 with a 03:00 start of day is still yesterday."""
    _check_day_start(day_start)
    candidate = now.date()
    if now.tzinfo is None or now.utcoffset() is None:
        return candidate if now.time() >= day_start else candidate - timedelta(days=1)
    begins = day_start_instant(candidate, day_start, now.tzinfo)
    if now.astimezone(_UTC) >= begins.astimezone(_UTC):
        return candidate
    return candidate - timedelta(days=1)


def next_rollover(now: datetime, day_start: time = MIDNIGHT) -> datetime:
    """The aware instant the next logical day begins, in ``now``'s time zone (always after ``now``).

    Computed on wall time and re-localised, so it is right across DST changes: on a 23-hour day the
    rollover is 23 hours after the previous one, not 24. ``now`` must be aware.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("next_rollover() needs an aware datetime")
    tomorrow = logical_date(now, day_start) + timedelta(days=1)
    return day_start_instant(tomorrow, day_start, now.tzinfo)


def parse_day_start(text: str) -> time:
    """Parse a start of day such as ``"03:00"`` (ValueError names what is wrong)."""
    try:
        hours, minutes = text.strip().split(":")
        parsed = time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        raise ValueError(f"start of day {text!r} is not a time like 03:00") from None
    return parsed


def minutes_off(actual: time, target: time) -> int:
    """Signed minutes from ``target`` to ``actual`` on a 24-hour circle, in -720..719.

    ``minutes_off(time(0, 10), time(23, 30))`` is +40: ten past midnight is 40 minutes late for a
    23:30 bedtime, not 23 hours early.
    """
    a = actual.hour * 60 + actual.minute
    t = target.hour * 60 + target.minute
    return (a - t + 720) % 1440 - 720


def bedtime_on_time(actual: time, target: time, tolerance_min: int = 30) -> bool:
    """Whether a bedtime lies within ``tolerance_min`` minutes (either side) of the target bedtime."""
    if tolerance_min < 0:
        raise ValueError("tolerance must not be negative")
    return abs(minutes_off(actual, target)) <= tolerance_min
