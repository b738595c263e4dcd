"""Logical day with a configurable start, rollover times across DST (Europe/Berlin, 2026)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from igfcoach.core.days import (
    bedtime_on_time,
    day_start_instant,
    localize,
    logical_date,
    minutes_off,
    next_rollover,
    parse_day_start,
)

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc


def berlin(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=BERLIN, fold=fold)  # type: ignore[misc]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def elapsed(a: datetime, b: datetime) -> timedelta:
    """Real time between two aware datetimes (same-tzinfo subtraction would use wall time)."""
    return b.astimezone(UTC) - a.astimezone(UTC)


# --- logical_date -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "start", "expected"),
    [
        (datetime(2026, 5, 10, 2, 0), time(3, 0), date(2026, 5, 9)),  # night owl: still yesterday
        (datetime(2026, 5, 10, 2, 59, 59), time(3, 0), date(2026, 5, 9)),
        (datetime(2026, 5, 10, 3, 0), time(3, 0), date(2026, 5, 10)),  # the start belongs to the new day
        (datetime(2026, 5, 10, 23, 59), time(3, 0), date(2026, 5, 10)),
        (datetime(2026, 5, 10, 0, 0), time(0, 0), date(2026, 5, 10)),
        (datetime(2026, 5, 10, 23, 59), time(0, 0), date(2026, 5, 10)),
        (datetime(2026, 3, 1, 1, 0), time(3, 0), date(2026, 2, 28)),  # across a month end
        (datetime(2027, 1, 1, 1, 0), time(3, 0), date(2026, 12, 31)),  # and a year end
        (datetime(2028, 3, 1, 1, 0), time(3, 0), date(2028, 2, 29)),  # leap day
    ],
)
def test_logical_date_naive_wall_time(now: datetime, start: time, expected: date) -> None:
    assert logical_date(now, start) == expected


def test_logical_date_aware_matches_wall_time_on_ordinary_days() -> None:
    assert logical_date(berlin(2026, 5, 10, 2, 0), time(3)) == date(2026, 5, 9)
    assert logical_date(berlin(2026, 5, 10, 3, 0), time(3)) == date(2026, 5, 10)
    assert logical_date(berlin(2026, 5, 10, 0, 0)) == date(2026, 5, 10)


def test_logical_date_spring_forward_day() -> None:
    # 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC). A 02:30 start of day does not exist,
    # so the new day begins at the jump.
    assert logical_date(berlin(2026, 3, 29, 1, 59, 59), time(2, 30)) == date(2026, 3, 28)
    assert logical_date(berlin(2026, 3, 29, 3, 0), time(2, 30)) == date(2026, 3, 29)
    assert logical_date(berlin(2026, 3, 29, 3, 0), time(3, 0)) == date(2026, 3, 29)
    assert logical_date(berlin(2026, 3, 29, 1, 30), time(3, 0)) == date(2026, 3, 28)


def test_logical_date_fall_back_day_never_steps_backwards() -> None:
    # 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC); 02:00-02:59 happens twice.
    start = time(2, 30)
    assert logical_date(berlin(2026, 10, 25, 2, 10), start) == date(2026, 10, 24)  # CEST, before start
    assert logical_date(berlin(2026, 10, 25, 2, 30), start) == date(2026, 10, 25)  # first 02:30
    assert logical_date(berlin(2026, 10, 25, 2, 10, fold=1), start) == date(2026, 10, 25)  # repeated hour
    assert logical_date(berlin(2026, 10, 25, 2, 45, fold=1), start) == date(2026, 10, 25)
    # walk through the night in 5-minute UTC steps: the logical date changes once, forwards
    t = utc(2026, 10, 24, 22, 0)
    seen = []
    while t < utc(2026, 10, 25, 4, 0):
        seen.append(logical_date(t.astimezone(BERLIN), start))
        t += timedelta(minutes=5)
    assert seen == sorted(seen) and set(seen) == {date(2026, 10, 24), date(2026, 10, 25)}


def test_logical_date_rejects_bad_day_start() -> None:
    with pytest.raises(TypeError):
        logical_date(datetime(2026, 1, 1), "03:00")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tzinfo"):
        logical_date(datetime(2026, 1, 1), time(3, tzinfo=UTC))


# --- next_rollover ----------------------------------------------------------------------------------


def test_next_rollover_ordinary_day() -> None:
    now = berlin(2026, 5, 10, 14, 0)
    assert next_rollover(now) == berlin(2026, 5, 11, 0, 0)
    assert next_rollover(now, time(3)) == berlin(2026, 5, 11, 3, 0)
    assert next_rollover(berlin(2026, 5, 10, 2, 0), time(3)) == berlin(2026, 5, 10, 3, 0)  # still yesterday
    assert next_rollover(berlin(2026, 5, 10, 3, 0), time(3)) == berlin(2026, 5, 11, 3, 0)  # just rolled


def test_next_rollover_across_month_end() -> None:
    assert next_rollover(berlin(2026, 1, 31, 12, 0)) == berlin(2026, 2, 1, 0, 0)


def test_next_rollover_spring_forward_23_hour_day() -> None:
    # midnight start: the day of 29 March is 23 hours long
    first = next_rollover(berlin(2026, 3, 28, 12, 0))
    assert first.astimezone(UTC) == utc(2026, 3, 28, 23, 0)  # 00:00 CET
    second = next_rollover(first)
    assert second.astimezone(UTC) == utc(2026, 3, 29, 22, 0)  # 00:00 CEST
    assert elapsed(first, second) == timedelta(hours=23)
    assert second.utcoffset() == timedelta(hours=2)


def test_next_rollover_spring_forward_start_inside_gap() -> None:
    # 02:30 does not exist on 29 March: the day begins at the jump, 03:00 CEST == 01:00 UTC
    nxt = next_rollover(berlin(2026, 3, 29, 1, 30), time(2, 30))
    assert nxt.astimezone(UTC) == utc(2026, 3, 29, 1, 0)
    assert (nxt.hour, nxt.minute) == (3, 0)
    assert elapsed(berlin(2026, 3, 29, 1, 30), nxt) == timedelta(minutes=30)
    after = next_rollover(nxt, time(2, 30))
    assert after == berlin(2026, 3, 30, 2, 30)
    assert elapsed(nxt, after) == timedelta(hours=23, minutes=30)


def test_next_rollover_three_am_start_on_spring_forward() -> None:
    nxt = next_rollover(berlin(2026, 3, 28, 22, 0), time(3))
    assert nxt.astimezone(UTC) == utc(2026, 3, 29, 1, 0)  # 03:00 CEST, the jump itself
    assert elapsed(berlin(2026, 3, 28, 3, 0), nxt) == timedelta(hours=23)


def test_next_rollover_fall_back_25_hour_day() -> None:
    first = next_rollover(berlin(2026, 10, 24, 12, 0))
    assert first.astimezone(UTC) == utc(2026, 10, 24, 22, 0)  # 00:00 CEST
    second = next_rollover(first)
    assert second.astimezone(UTC) == utc(2026, 10, 25, 23, 0)  # 00:00 CET
    assert elapsed(first, second) == timedelta(hours=25)


def test_next_rollover_fall_back_start_inside_repeated_hour() -> None:
    start = time(2, 30)
    nxt = next_rollover(berlin(2026, 10, 25, 1, 0), start)
    assert nxt.astimezone(UTC) == utc(2026, 10, 25, 0, 30)  # the first 02:30 (CEST)
    assert nxt.fold == 0
    # during the repeated hour we are already in the new day: next rollover is tomorrow 02:30 CET
    later = next_rollover(berlin(2026, 10, 25, 2, 40, fold=1), start)
    assert later.astimezone(UTC) == utc(2026, 10, 26, 1, 30)
    assert elapsed(nxt, next_rollover(nxt, start)) == timedelta(hours=25)


def test_next_rollover_is_always_in_the_future_and_days_are_consecutive() -> None:
    for start in (time(0), time(2, 30), time(3), time(23, 30)):
        t = berlin(2026, 3, 25, 12, 0)
        day = logical_date(t, start)
        for _ in range(40):
            nxt = next_rollover(t, start)
            assert nxt.astimezone(UTC) > t.astimezone(UTC)
            assert logical_date(nxt, start) == day + timedelta(days=1)
            before = (nxt.astimezone(UTC) - timedelta(seconds=1)).astimezone(BERLIN)  # real time, not wall
            assert logical_date(before, start) == day
            t, day = nxt, day + timedelta(days=1)
        t = berlin(2026, 10, 22, 12, 0)
        for _ in range(6):
            nxt = next_rollover(t, start)
            before = (nxt.astimezone(UTC) - timedelta(seconds=1)).astimezone(BERLIN)
            assert logical_date(before, start) == logical_date(nxt, start) - timedelta(days=1)
            t = nxt


def test_next_rollover_keeps_the_callers_zone_and_needs_aware_time() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    nxt = next_rollover(datetime(2026, 5, 10, 23, 0, tzinfo=tokyo))
    assert nxt.tzinfo is tokyo and nxt == datetime(2026, 5, 11, 0, 0, tzinfo=tokyo)
    fixed = timezone(timedelta(hours=-5))
    assert next_rollover(datetime(2026, 5, 10, 1, 0, tzinfo=fixed), time(3)) == datetime(2026, 5, 10, 3, 0, tzinfo=fixed)
    with pytest.raises(ValueError, match="aware"):
        next_rollover(datetime(2026, 5, 10, 12, 0))


def test_localize_and_day_start_instant() -> None:
    assert localize(datetime(2026, 3, 29, 2, 15), BERLIN).astimezone(UTC) == utc(2026, 3, 29, 1, 0)
    assert localize(datetime(2026, 10, 25, 2, 15), BERLIN).astimezone(UTC) == utc(2026, 10, 25, 0, 15)
    assert localize(datetime(2026, 7, 1, 12, 0), BERLIN) == berlin(2026, 7, 1, 12, 0)
    assert day_start_instant(date(2026, 3, 29), time(3), BERLIN).astimezone(UTC) == utc(2026, 3, 29, 1, 0)
    with pytest.raises(ValueError, match="naive"):
        localize(berlin(2026, 7, 1, 12), BERLIN)


# --- helpers ----------------------------------------------------------------------------------------


def test_parse_day_start() -> None:
    assert parse_day_start("03:00") == time(3, 0)
    assert parse_day_start(" 0:30 ") == time(0, 30)
    for bad in ("3", "25:00", "03:60", "aa:bb", ""):
        with pytest.raises(ValueError, match="not a time"):
            parse_day_start(bad)


@pytest.mark.parametrize(
    ("actual", "target", "minutes"),
    [
        (time(23, 0), time(23, 0), 0),
        (time(23, 20), time(23, 0), 20),
        (time(22, 35), time(23, 0), -25),
        (time(0, 10), time(23, 30), 40),  # after midnight is late, not 23 h early
        (time(23, 50), time(0, 20), -30),
        (time(11, 0), time(23, 0), -720),
    ],
)
def test_minutes_off_wraps_midnight(actual: time, target: time, minutes: int) -> None:
    assert minutes_off(actual, target) == minutes


def test_bedtime_on_time_default_tolerance_30_minutes() -> None:
    assert bedtime_on_time(time(23, 30), time(23, 0))
    assert not bedtime_on_time(time(23, 31), time(23, 0))
    assert bedtime_on_time(time(0, 0), time(23, 30))
    assert bedtime_on_time(time(22, 30), time(23, 0))
    assert not bedtime_on_time(time(22, 29), time(23, 0))
    assert bedtime_on_time(time(23, 45), time(23, 0), tolerance_min=45)
    with pytest.raises(ValueError):
        bedtime_on_time(time(23, 0), time(23, 0), tolerance_min=-1)
