"""What is due on a date: daily, weekdays, N per ISO week (including weeks that cross a month or year)."""

from __future__ import annotations

from datetime import date, timedelta

from igfcoach.core.habits import Schedule
from igfcoach.core.schedule import is_due, is_scheduled_day, week_bounds, week_days, week_progress

# ISO week Mon 2026-01-26 .. Sun 2026-02-01 crosses from January into February.
JAN26 = date(2026, 1, 26)
WEEK = [JAN26 + timedelta(days=i) for i in range(7)]
MON, TUE, WED, THU, FRI, SAT, SUN = WEEK


def test_week_bounds_cross_month_and_year() -> None:
    assert week_bounds(date(2026, 2, 1)) == (date(2026, 1, 26), date(2026, 2, 1))
    assert week_bounds(date(2026, 1, 26)) == (date(2026, 1, 26), date(2026, 2, 1))
    assert week_bounds(date(2027, 1, 1)) == (date(2026, 12, 28), date(2027, 1, 3))  # ISO week 53 of 2026
    assert week_days(date(2026, 1, 29)) == WEEK


def test_daily_is_always_due() -> None:
    assert all(is_due(Schedule.daily(), d, set()) for d in WEEK)
    assert all(is_due(Schedule.daily(), d, set(WEEK)) for d in WEEK)


def test_weekdays_due_only_on_listed_days() -> None:
    mwf = Schedule.on_weekdays({0, 2, 4})
    assert [is_due(mwf, d, set()) for d in WEEK] == [True, False, True, False, True, False, False]
    assert is_scheduled_day(mwf, MON) and not is_scheduled_day(mwf, SUN)
    assert is_scheduled_day(Schedule.per_week(2), SUN)


def test_per_week_due_until_target_reached() -> None:
    three = Schedule.per_week(3)
    # nothing done: every day of the week is due
    assert all(is_due(three, d, set()) for d in WEEK)
    # done Mon and Wed (2 of 3): still due everywhere
    assert all(is_due(three, d, {MON, WED}) for d in WEEK)
    # done Mon, Wed, Fri (3 of 3, Fri is 30 Jan): done days stay due-and-done, the rest are not due,
    # including Sat 31 Jan and Sun 1 Feb on the other side of the month boundary
    done = {MON, WED, FRI}
    assert [is_due(three, d, done) for d in WEEK] == [True, False, True, False, True, False, False]


def test_per_week_counts_only_the_same_iso_week() -> None:
    two = Schedule.per_week(2)
    last_week = {MON - timedelta(days=7), MON - timedelta(days=6)}
    assert is_due(two, MON, last_week)  # last week's sessions do not count for this week
    next_week = {SUN + timedelta(days=1), SUN + timedelta(days=2)}
    assert is_due(two, SUN, next_week)  # Sun 1 Feb belongs to the week that began 26 Jan


def test_per_week_across_year_end() -> None:
    one = Schedule.per_week(1)
    done = {date(2027, 1, 2)}  # Saturday in the week Mon 2026-12-28 .. Sun 2027-01-03
    assert not is_due(one, date(2026, 12, 29), done)
    assert is_due(one, date(2027, 1, 2), done)
    assert is_due(one, date(2027, 1, 4), done)  # new ISO week


def test_week_progress() -> None:
    assert week_progress(Schedule.per_week(3), SUN, {MON, WED}) == (2, 3)
    assert week_progress(Schedule.per_week(3), MON, {MON, TUE, WED, SUN}) == (4, 3)  # not capped
    assert week_progress(Schedule.per_week(2), MON, {MON - timedelta(days=1)}) == (0, 2)
    assert week_progress(Schedule.daily(), FRI, {MON, TUE, FRI, SUN + timedelta(days=1)}) == (3, 7)
    # weekdays: only listed days count toward their target
    assert week_progress(Schedule.on_weekdays({0, 2, 4}), THU, {MON, TUE, WED}) == (2, 3)
