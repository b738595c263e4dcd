"""Pure tests of reminder timing: DST, weekdays, grace after suspend, clock jumps, quiet hours, pause, snooze."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from igfcoach.core.clock import FakeClock
from igfcoach.core.reminder_rules import (
    GRACE,
    KINDS,
    Outcome,
    QuietHours,
    ReminderRule,
    catch_up,
    decide,
    default_sleep_rules,
    derive_bedtime,
    next_fire,
    next_fire_lab,
    previous_fire,
    resolve_local,
    snooze_until,
)

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def rule(at: time, kind: str = "bedtime", **kw: object) -> ReminderRule:
    return ReminderRule(kind=kind, title=kind, time=at, habit_key=kind, **kw)  # type: ignore[arg-type]


def fires(r: ReminderRule, start: datetime, tz: ZoneInfo, n: int = 3) -> list[datetime]:
    out, after = [], start
    for _ in range(n):
        nxt = next_fire(r, after, tz)
        assert nxt is not None
        out.append(nxt)
        after = nxt
    return out


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# -- next fire across DST --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day_before"),
    [
        (BERLIN, date(2026, 3, 28)),
        (BERLIN, date(2026, 10, 24)),
        (NEW_YORK, date(2026, 3, 7)),
        (NEW_YORK, date(2026, 10, 31)),
        (LORD_HOWE, date(2026, 4, 4)),
        (LORD_HOWE, date(2026, 10, 3)),
    ],
)
def test_evening_time_keeps_its_wall_time_across_dst(tz: ZoneInfo, day_before: date) -> None:
    start = datetime.combine(day_before, time(12), tz)
    got = fires(rule(time(22, 30)), start, tz)
    assert [(f.date(), f.time()) for f in got] == [
        (day_before + timedelta(days=i), time(22, 30)) for i in range(3)
    ]
    # the real interval across the change is 24 h minus the offset shift (23 h, 25 h; 23.5 h, 24.5 h on Lord Howe)
    shift = got[1].utcoffset() - got[0].utcoffset()  # type: ignore[operator]
    assert shift in {timedelta(hours=1), timedelta(hours=-1), timedelta(minutes=30), timedelta(minutes=-30)}
    assert got[1].astimezone(UTC) - got[0].astimezone(UTC) == timedelta(hours=24) - shift
    assert got[2].astimezone(UTC) - got[1].astimezone(UTC) == timedelta(hours=24)


@pytest.mark.parametrize(
    ("tz", "day", "at", "expected_utc", "expected_local"),
    [
        # spring forward: 02:00 -> 03:00; 02:30 does not exist and fires at 03:00, the first valid instant
        (BERLIN, date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 0), time(3, 0)),
        (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 0), time(3, 0)),
        # Lord Howe moves by 30 minutes: 02:00 -> 02:30, so 02:15 fires at 02:30 (+11:00)
        (LORD_HOWE, date(2026, 10, 4), time(2, 15), utc(2026, 10, 3, 15, 30), time(2, 30)),
        # fall back: the repeated time fires at its first occurrence (fold=0, still summer time)
        (BERLIN, date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30), time(2, 30)),
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30), time(1, 30)),
        (LORD_HOWE, date(2026, 4, 5), time(1, 45), utc(2026, 4, 4, 14, 45), time(1, 45)),
    ],
)
def test_gap_and_repeated_times(
    tz: ZoneInfo, day: date, at: time, expected_utc: datetime, expected_local: time
) -> None:
    r = rule(at)
    got = fires(r, datetime.combine(day - timedelta(days=1), time(12), tz), tz, n=2)
    assert got[0].astimezone(UTC) == expected_utc  # (an ambiguous local time never == another zone's, PEP 495)
    assert got[0].time() == expected_local
    # fires once on that day: the next fire is the following day's, at the usual wall time
    assert (got[1].date(), got[1].time()) == (day + timedelta(days=1), at)


def test_repeated_time_fires_once_even_when_asked_during_the_second_pass() -> None:
    r = rule(time(1, 30))
    # 01:40 EST (second pass, after the 01:30 EDT fire): compares by instant, not by wall time
    second_pass = datetime(2026, 11, 1, 1, 40, tzinfo=NEW_YORK, fold=1)
    assert next_fire(r, second_pass, NEW_YORK) == datetime(2026, 11, 2, 1, 30, tzinfo=NEW_YORK)
    # 01:20 EST is after 01:30 EDT in real time although its wall time is earlier
    assert next_fire(r, datetime(2026, 11, 1, 1, 20, tzinfo=NEW_YORK, fold=1), NEW_YORK) == datetime(
        2026, 11, 2, 1, 30, tzinfo=NEW_YORK
    )
    prev = previous_fire(r, second_pass, NEW_YORK)
    assert prev is not None and prev.astimezone(UTC) == utc(2026, 11, 1, 5, 30)


def test_resolve_local_existing_time_is_normalised() -> None:
    got = resolve_local(date(2026, 7, 1), time(22, 30), BERLIN)
    assert got == utc(2026, 7, 1, 20, 30) and got.utcoffset() == timedelta(hours=2)


def test_weekday_rules_and_next_fire_is_strictly_after() -> None:
    r = rule(time(18, 0), "hiit", weekdays=frozenset({0, 3}))  # Monday, Thursday
    start = datetime(2026, 5, 12, 18, 0, tzinfo=BERLIN)  # a Tuesday, exactly 18:00
    got = fires(r, start, BERLIN, n=4)
    assert [f.date() for f in got] == [date(2026, 5, 14), date(2026, 5, 18), date(2026, 5, 21), date(2026, 5, 25)]
    assert all(f.time() == time(18, 0) for f in got)
    on_monday = datetime(2026, 5, 18, 18, 0, tzinfo=BERLIN)
    assert next_fire(r, on_monday - timedelta(microseconds=1), BERLIN) == on_monday
    assert next_fire(r, on_monday, BERLIN) == datetime(2026, 5, 21, 18, 0, tzinfo=BERLIN)


def test_disabled_rule_never_fires_and_bad_rules_are_rejected() -> None:
    r = rule(time(8, 0), enabled=False)
    assert next_fire(r, utc(2026, 1, 1), BERLIN) is None
    with pytest.raises(ValueError):
        rule(time(8, 0), weekdays=frozenset({7}))
    with pytest.raises(ValueError):
        ReminderRule(kind="nap", title="x", time=time(8))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        rule(time(8, 0, tzinfo=UTC))
    with pytest.raises(ValueError):
        next_fire(rule(time(8)), datetime(2026, 1, 1), BERLIN)  # naive "after"
    assert set(GRACE) == set(KINDS)


def test_next_fire_follows_a_time_zone_change() -> None:
    clock = FakeClock(datetime(2026, 6, 1, 12, 0, tzinfo=BERLIN))
    r = rule(time(22, 30))
    assert next_fire(r, clock.now(), BERLIN) == utc(2026, 6, 1, 20, 30)
    clock.set_timezone(NEW_YORK)  # same instant, new wall time (06:00 in New York)
    assert next_fire(r, clock.now(), NEW_YORK) == utc(2026, 6, 2, 2, 30)


def test_lab_retest() -> None:
    r = rule(time(9, 0), "lab_retest", weeks_after=12)
    last = date(2026, 1, 5)
    due = next_fire_lab(last, 12, time(9, 0), BERLIN)
    assert due == datetime(2026, 3, 30, 9, 0, tzinfo=BERLIN)
    assert next_fire(r, utc(2026, 2, 1), BERLIN, last_result=last) == due
    assert next_fire(r, utc(2026, 4, 1), BERLIN, last_result=last) is None  # one-shot, already past
    assert next_fire(r, utc(2026, 2, 1), BERLIN) is None  # no result yet: nothing to re-test


# -- bedtime ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wake", "hours", "bed"),
    [
        (time(6, 30), 8, time(22, 30)),
        (time(7, 0), 7.5, time(23, 30)),
        (time(6, 0), 5.5, time(0, 30)),  # crosses midnight backwards
        (time(1, 0), 9, time(16, 0)),
    ],
)
def test_derive_bedtime(wake: time, hours: float, bed: time) -> None:
    assert derive_bedtime(wake, hours) == bed


def test_default_sleep_rules_wind_down_crosses_midnight() -> None:
    wind_down, bed = default_sleep_rules(time(7, 15), 7.0)  # bedtime 00:15
    assert bed.time == time(0, 15) and bed.kind == "bedtime"
    assert wind_down.time == time(23, 30) and wind_down.kind == "wind_down"
    assert not wind_down.weekdays and wind_down.enabled
    assert (wind_down.habit_key, bed.habit_key) == ("screens_off", "bedtime_consistent")  # catalog keys
    with pytest.raises(ValueError):
        derive_bedtime(time(7), 0)


# -- decide ----------------------------------------------------------------------------------------------------


def test_send_done_suppression_and_disabled() -> None:
    r = rule(time(22, 30))
    at = datetime(2026, 5, 12, 22, 30, tzinfo=BERLIN)
    assert decide(r, at, at, habit_done=False).outcome is Outcome.SEND
    assert decide(r, at, at, habit_done=True).outcome is Outcome.SKIP_DONE
    off = rule(time(22, 30), enabled=False)
    assert decide(off, at, at, habit_done=False).outcome is Outcome.SKIP_DISABLED


def test_grace_window() -> None:
    r = rule(time(22, 30))  # bedtime: 30 minutes
    at = datetime(2026, 5, 12, 22, 30, tzinfo=BERLIN)
    assert decide(r, at, at + timedelta(minutes=29), habit_done=False).send
    assert decide(r, at, at + timedelta(minutes=31), habit_done=False).outcome is Outcome.SKIP_STALE
    workout = rule(time(18, 0), "hiit")  # 2 hours
    six = datetime(2026, 5, 12, 18, 0, tzinfo=BERLIN)
    assert decide(workout, six, six + timedelta(minutes=90), habit_done=False).send


def test_early_wake_is_deferred_to_the_occurrence() -> None:
    r = rule(time(22, 30))
    at = datetime(2026, 5, 12, 22, 30, tzinfo=BERLIN)
    d = decide(r, at, at - timedelta(milliseconds=3), habit_done=False)
    assert d.outcome is Outcome.DEFER_NOT_DUE and d.when == at


def test_quiet_hours_across_midnight() -> None:
    quiet = QuietHours(time(22, 0), time(7, 0))
    assert quiet.contains(datetime(2026, 5, 12, 23, 59, tzinfo=BERLIN))
    assert quiet.contains(datetime(2026, 5, 13, 0, 30, tzinfo=BERLIN))
    assert quiet.contains(datetime(2026, 5, 13, 22, 0, tzinfo=BERLIN))
    assert not quiet.contains(datetime(2026, 5, 13, 7, 0, tzinfo=BERLIN))
    assert not quiet.contains(datetime(2026, 5, 13, 12, 0, tzinfo=BERLIN))
    assert not QuietHours(time(9), time(9)).contains(datetime(2026, 5, 13, 9, 0, tzinfo=BERLIN))
    assert QuietHours(time(13), time(14)).contains(datetime(2026, 5, 13, 13, 30, tzinfo=BERLIN))

    breathing = rule(time(6, 30), "breathing")  # 3 h grace: deferred to 07:00
    at = datetime(2026, 5, 13, 6, 30, tzinfo=BERLIN)
    d = decide(breathing, at, at, habit_done=False, quiet=quiet)
    assert d.outcome is Outcome.DEFER_QUIET and d.when == datetime(2026, 5, 13, 7, 0, tzinfo=BERLIN)
    assert decide(breathing, at, d.when, habit_done=False, quiet=quiet).send  # asked again at 07:00

    bedtime = rule(time(22, 30))  # 30 min grace: quiet until 07:00 outlasts it -> dropped, not sent at 07:00
    late = datetime(2026, 5, 12, 22, 30, tzinfo=BERLIN)
    assert decide(bedtime, late, late, habit_done=False, quiet=quiet).outcome is Outcome.SKIP_STALE


def test_quiet_hours_end_on_a_dst_night_is_read_on_the_wall_clock() -> None:
    quiet = QuietHours(time(22, 0), time(7, 0))
    r = rule(time(6, 45), "supplements")
    at = datetime(2026, 3, 29, 6, 45, tzinfo=BERLIN)
    d = decide(r, at, at, habit_done=False, quiet=quiet)
    assert d.when == datetime(2026, 3, 29, 7, 0, tzinfo=BERLIN) == utc(2026, 3, 29, 5, 0)
    # a fixed-offset "now" (what SystemClock returns) is read in the tz passed in
    fixed = at.astimezone(timezone(timedelta(hours=2)))
    assert decide(r, fixed, fixed, habit_done=False, quiet=quiet, tz=BERLIN).when == utc(2026, 3, 29, 5, 0)


def test_pause() -> None:
    r = rule(time(18, 0), "resistance")
    at = datetime(2026, 5, 12, 18, 0, tzinfo=BERLIN)
    d = decide(r, at, at, habit_done=False, paused_until=at + timedelta(hours=1))
    assert d.outcome is Outcome.DEFER_PAUSED and d.when == at + timedelta(hours=1)
    assert decide(r, at, at + timedelta(hours=1), habit_done=False, paused_until=at + timedelta(hours=1)).send
    tomorrow = datetime(2026, 5, 13, 6, 0, tzinfo=BERLIN)
    assert decide(r, at, at, habit_done=False, paused_until=tomorrow).outcome is Outcome.SKIP_STALE
    assert decide(r, at, at, habit_done=False, paused_until=at - timedelta(minutes=1)).send  # expired pause


def test_pause_ending_inside_quiet_hours_defers_to_the_later_end() -> None:
    r = rule(time(21, 0), "supplements")  # 6 h grace
    at = datetime(2026, 5, 12, 21, 0, tzinfo=BERLIN)
    d = decide(
        r, at, at, habit_done=False, paused_until=at + timedelta(hours=1, minutes=30),
        quiet=QuietHours(time(22, 0), time(2, 0)),
    )
    assert d.outcome is Outcome.DEFER_PAUSED and d.when == datetime(2026, 5, 13, 2, 0, tzinfo=BERLIN)


def test_snooze() -> None:
    clock = FakeClock(datetime(2026, 5, 12, 22, 30, tzinfo=BERLIN))
    r = wind_down = rule(time(22, 30), "wind_down")  # 20 min grace
    at = clock.now()
    assert decide(r, at, at, habit_done=False).send
    until = snooze_until(clock.now())
    assert until == at + timedelta(minutes=10)
    clock.advance(timedelta(minutes=5))
    d = decide(r, at, clock.now(), habit_done=False, snoozed_until=until, last_sent=at)
    assert d.outcome is Outcome.DEFER_SNOOZED and d.when == until
    clock.advance(timedelta(minutes=5))
    assert decide(r, at, clock.now(), habit_done=False, snoozed_until=until, last_sent=at).send
    # grace counts from the snooze's end: three snoozes later (40 min after 22:30) still sent
    assert decide(wind_down, at, at + timedelta(minutes=40), habit_done=False, snoozed_until=at + timedelta(minutes=30)).send
    # ticked "Done" in the meantime: not re-sent
    assert decide(r, at, clock.now(), habit_done=True, snoozed_until=until).outcome is Outcome.SKIP_DONE
    with pytest.raises(ValueError):
        snooze_until(at, 0)


def test_snooze_is_real_minutes_across_fall_back() -> None:
    first_0155 = datetime(2026, 11, 1, 1, 55, tzinfo=NEW_YORK)  # EDT
    until = snooze_until(first_0155, 10)
    assert until.astimezone(UTC) - first_0155.astimezone(UTC) == timedelta(minutes=10)
    assert until.astimezone(UTC) == utc(2026, 11, 1, 6, 5)  # 01:05 EST, not 02:05


# -- suspend, catch-up, clock jumps ----------------------------------------------------------------------------


def _evening_rules() -> list[ReminderRule]:
    return [
        rule(time(21, 45), "wind_down"),  # 20 min grace
        rule(time(22, 30), "bedtime"),  # 30 min grace
        rule(time(20, 0), "breathing"),  # 3 h grace
        rule(time(18, 0), "hiit", weekdays=frozenset({1})),  # Tuesdays, 2 h grace
    ]


def test_eight_hour_suspend_sends_at_most_one_late_reminder_per_rule_within_grace() -> None:
    clock = FakeClock(datetime(2026, 5, 12, 14, 50, tzinfo=BERLIN))  # Tuesday
    last_check = clock.now()
    clock.advance(timedelta(hours=8))  # lid closed 14:50, opened 22:50
    got = catch_up([(r, None) for r in _evening_rules()], last_check, clock.now(), BERLIN)
    # bedtime 22:30 is 20 min late (grace 30): sent. wind-down 21:45 is 65 min late: dropped.
    # breathing 20:00 is 2h50 late (grace 3 h): sent. hiit 18:00 is 4h50 late: dropped.
    assert [(r.kind, s) for r, s in got] == [
        ("breathing", datetime(2026, 5, 12, 20, 0, tzinfo=BERLIN)),
        ("bedtime", datetime(2026, 5, 12, 22, 30, tzinfo=BERLIN)),
    ]
    assert len({r.kind for r, _ in got}) == len(got)
    # each survivor then passes decide() as a normal late reminder
    for r, scheduled in got:
        assert decide(r, scheduled, clock.now(), habit_done=False).send


def test_multi_day_suspend_never_bursts() -> None:
    clock = FakeClock(datetime(2026, 5, 1, 12, 0, tzinfo=BERLIN))
    last_check = clock.now()
    clock.set(datetime(2026, 5, 12, 22, 40, tzinfo=BERLIN))  # 11 days asleep
    got = catch_up([(r, None) for r in _evening_rules()], last_check, clock.now(), BERLIN)
    assert [(r.kind, s) for r, s in got] == [
        ("breathing", datetime(2026, 5, 12, 20, 0, tzinfo=BERLIN)),
        ("bedtime", datetime(2026, 5, 12, 22, 30, tzinfo=BERLIN)),
    ]


def test_suspend_past_every_grace_sends_nothing() -> None:
    last_check = datetime(2026, 5, 12, 14, 0, tzinfo=BERLIN)
    now = datetime(2026, 5, 13, 6, 0, tzinfo=BERLIN)
    assert catch_up([(r, None) for r in _evening_rules()], last_check, now, BERLIN) == []


def test_catch_up_skips_what_was_already_sent_and_disabled_rules() -> None:
    rules = _evening_rules()
    last_check = datetime(2026, 5, 12, 22, 0, tzinfo=BERLIN)
    now = datetime(2026, 5, 12, 22, 45, tzinfo=BERLIN)
    bedtime_sent = datetime(2026, 5, 12, 22, 30, tzinfo=BERLIN)
    items = [(r, bedtime_sent if r.kind == "bedtime" else None) for r in rules]
    assert catch_up(items, last_check, now, BERLIN) == []
    off = rule(time(22, 30), enabled=False)
    assert catch_up([(off, None)], last_check, now, BERLIN) == []


def test_backwards_clock_jump_resends_nothing() -> None:
    clock = FakeClock(datetime(2026, 5, 12, 22, 40, tzinfo=BERLIN))
    bedtime = rule(time(22, 30))
    sent_at = datetime(2026, 5, 12, 22, 30, tzinfo=BERLIN)  # sent on time, 10 minutes ago
    last_check = clock.now()
    clock.set(datetime(2026, 5, 12, 20, 40, tzinfo=BERLIN))  # the user sets the clock back two hours
    assert catch_up([(bedtime, sent_at)], last_check, clock.now(), BERLIN) == []
    # the scheduler re-plans from the new "now" and reaches 22:30 again: decide() refuses a second send
    nxt = next_fire(bedtime, clock.now(), BERLIN)
    assert nxt == sent_at
    clock.set(nxt)
    d = decide(bedtime, nxt, clock.now(), habit_done=False, last_sent=sent_at)
    assert d.outcome is Outcome.SKIP_SENT
    # the next day's occurrence is sent as usual
    tomorrow = next_fire(bedtime, nxt, BERLIN)
    assert tomorrow is not None
    assert decide(bedtime, tomorrow, tomorrow, habit_done=False, last_sent=sent_at).send


def test_catch_up_after_a_forward_jump_across_the_spring_forward_gap() -> None:
    r = rule(time(2, 30), "supplements")  # fires at 03:00 on 2026-03-29
    got = catch_up(
        [(r, None)], datetime(2026, 3, 29, 1, 0, tzinfo=BERLIN), datetime(2026, 3, 29, 4, 0, tzinfo=BERLIN), BERLIN
    )
    assert got == [(r, datetime(2026, 3, 29, 3, 0, tzinfo=BERLIN))]


def test_catch_up_lab_retest() -> None:
    r = rule(time(9, 0), "lab_retest")
    last = date(2026, 1, 5)  # due 2026-03-30 09:00, grace 7 days
    due = datetime(2026, 3, 30, 9, 0, tzinfo=BERLIN)
    got = catch_up([(r, None)], due - timedelta(days=1), due + timedelta(days=2), BERLIN, last_result=last)
    assert got == [(r, due)]
    assert catch_up([(r, None)], due - timedelta(days=1), due + timedelta(days=8), BERLIN, last_result=last) == []
