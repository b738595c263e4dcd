"""Where a reminder is decided: next fire times, grace windows, quiet hours, pause, snooze, suppression.

Pure (stdlib only). Every function takes its "now" as an argument; nothing here reads a clock.

Time rules, stated once:

* A rule's ``time`` is a naive local wall time (22:30). It is resolved in the user's ``tz`` (a ``ZoneInfo``)
  for each calendar day, so 22:30 stays 22:30 across daylight-saving changes.
* A wall time that does not exist (inside a spring-forward gap, e.g. 02:30 in Berlin on 2026-03-29) fires at
  the first valid instant after the gap (03:00 local, the transition instant itself). It is not skipped.
* A wall time that happens twice (fall-back, e.g. 02:30 in Berlin on 2026-10-25) fires once, at the first
  occurrence (``fold=0``).
* All comparisons and arithmetic are done in UTC. Python compares and subtracts two datetimes that share a
  ``tzinfo`` object by their *wall* fields, ignoring ``fold`` and the offset, which is wrong across a DST change.
  Returned datetimes are aware and expressed in ``tz`` for readability; compare them with ``.astimezone(UTC)``
  or ``.timestamp()``. (PEP 495 also makes an ambiguous local time never ``==`` a datetime of another zone.)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from types import MappingProxyType
from typing import Literal, get_args

__all__ = [
    "GRACE",
    "KINDS",
    "WIND_DOWN_MINUTES",
    "Decision",
    "Kind",
    "Outcome",
    "QuietHours",
    "ReminderRule",
    "catch_up",
    "decide",
    "default_sleep_rules",
    "derive_bedtime",
    "grace_for",
    "next_fire",
    "next_fire_lab",
    "next_local",
    "previous_fire",
    "resolve_local",
    "snooze_until",
]

UTC = timezone.utc

Kind = Literal[
    "wind_down", "bedtime", "hiit", "resistance", "breathing", "protein", "supplements", "lab_retest"
]
KINDS: tuple[str, ...] = get_args(Kind)

#: How late a reminder may still be sent (after a suspend, quiet hours or a pause). Past it, it is dropped.
GRACE: Mapping[str, timedelta] = MappingProxyType(
    {
        "wind_down": timedelta(minutes=20),
        "bedtime": timedelta(minutes=30),
        "hiit": timedelta(hours=2),
        "resistance": timedelta(hours=2),
        "breathing": timedelta(hours=3),
        "protein": timedelta(hours=3),
        "supplements": timedelta(hours=6),
        "lab_retest": timedelta(days=7),
    }
)

#: Default lead time of the wind-down reminder before bedtime.
WIND_DOWN_MINUTES = 45

_SEARCH_DAYS = 8  # a weekly rule always has an occurrence within 8 consecutive calendar days


# --------------------------------------------------------------------------------------------------------------
# The rule


@dataclass(frozen=True, kw_only=True)
class ReminderRule:
    """One reminder as the user configured it (the store's row, without the database).

    ``weekdays`` uses Monday = 0; an empty set means every day. ``time`` is naive local wall time.
    ``weeks_after`` is only used by ``lab_retest`` (weeks after the last IGF-1 result).
    """

    id: int | None = None
    kind: Kind
    habit_key: str | None = None
    title: str
    body: str = ""
    time: time
    weekdays: frozenset[int] = field(default_factory=frozenset)
    enabled: bool = True
    weeks_after: int = 12

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown reminder kind {self.kind!r}")
        if self.time.tzinfo is not None:
            raise ValueError("ReminderRule.time must be a naive local wall time")
        days = frozenset(self.weekdays)
        if not days <= frozenset(range(7)):
            raise ValueError(f"weekdays must be within 0..6 (Monday = 0), got {sorted(days)}")
        object.__setattr__(self, "weekdays", days)
        if self.weeks_after < 1:
            raise ValueError("weeks_after must be at least 1")

    def on_day(self, day: date) -> bool:
        """Whether the rule is active on this calendar day."""
        return not self.weekdays or day.weekday() in self.weekdays


def grace_for(rule: ReminderRule) -> timedelta:
    """The grace window of the rule's kind."""
    return GRACE[rule.kind]


# --------------------------------------------------------------------------------------------------------------
# Local wall time -> instant


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an aware datetime is required, got {moment!r}")
    return moment.astimezone(UTC)


def resolve_local(day: date, at: time, tz: tzinfo) -> datetime:
    """The instant the wall clock in ``tz`` reads ``at`` on ``day``.

    Ambiguous (fall-back) -> the first occurrence. Nonexistent (spring-forward gap) -> the first valid
    instant after the gap, i.e. the transition itself (02:30 on a 02:00->03:00 day resolves to 03:00).
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = naive.replace(tzinfo=tz, fold=0)
    if _utc(first).astimezone(tz).replace(tzinfo=None) == naive:
        return first.astimezone(UTC).astimezone(tz)  # normalised (exists; fold=0 is the earlier one)
    # Inside a gap: fold=1 maps with the later offset (an instant before the transition), fold=0 with the
    # earlier offset (an instant after it). Bisect for the transition: the first instant whose offset differs.
    lo = _utc(naive.replace(tzinfo=tz, fold=1))
    hi = _utc(first)
    if lo > hi:  # defensive: a zone whose offset went down across a "gap" cannot happen, but never loop
        lo, hi = hi, lo
    before = lo.astimezone(tz).utcoffset()
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return hi.replace(microsecond=0).astimezone(tz)


def next_local(at: time, after: datetime, tz: tzinfo) -> datetime:
    """The first instant strictly after ``after`` at which the wall clock in ``tz`` reads ``at``."""
    start = _utc(after)
    day = start.astimezone(tz).date() - timedelta(days=1)
    for offset in range(3):
        candidate = resolve_local(day + timedelta(days=offset), at, tz)
        if _utc(candidate) > start:
            return candidate
    raise AssertionError("unreachable: a wall time recurs within two days")  # pragma: no cover


# --------------------------------------------------------------------------------------------------------------
# Sleep defaults


def derive_bedtime(wake: time, sleep_goal_hours: float) -> time:
    """Bedtime (time to be in bed) = wake time minus the sleep goal, rounded to the minute; may cross midnight."""
    if not 0 < sleep_goal_hours < 24:
        raise ValueError("sleep_goal_hours must be between 0 and 24")
    minutes = round(wake.hour * 60 + wake.minute + wake.second / 60 - sleep_goal_hours * 60) % (24 * 60)
    return time(minutes // 60, minutes % 60)


def _minus_minutes(at: time, minutes: int) -> time:
    total = (at.hour * 60 + at.minute - minutes) % (24 * 60)
    return time(total // 60, total % 60)


def default_sleep_rules(
    wake: time, sleep_goal_hours: float, *, wind_down_minutes: int = WIND_DOWN_MINUTES
) -> tuple[ReminderRule, ReminderRule]:
    """The two reminders every profile starts with: wind-down before bedtime and bedtime itself, every day."""
    bedtime = derive_bedtime(wake, sleep_goal_hours)
    wind_down = ReminderRule(
        kind="wind_down",
        habit_key="screens_off",
        title="Time to wind down",
        body=f"Bedtime is {bedtime:%H:%M}. Screens off now; make the room cool and dark.",
        time=_minus_minutes(bedtime, wind_down_minutes),
    )
    bed = ReminderRule(
        kind="bedtime",
        habit_key="bedtime_consistent",
        title="Bedtime",
        body=f"Lights out for {sleep_goal_hours:g} hours of sleep before your {wake:%H:%M} wake-up.",
        time=bedtime,
    )
    return wind_down, bed


# --------------------------------------------------------------------------------------------------------------
# Occurrences


def next_fire_lab(
    last_result_date: date, weeks: int, at: time, tz: tzinfo, *, after: datetime | None = None
) -> datetime | None:
    """When the lab re-test reminder is due: ``weeks`` after the last result, at ``at`` local time.

    One-shot: with ``after`` given, returns None once the due instant is not strictly after it.
    """
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    due = resolve_local(last_result_date + timedelta(weeks=weeks), at, tz)
    if after is not None and _utc(due) <= _utc(after):
        return None
    return due


def next_fire(
    rule: ReminderRule, after: datetime, tz: tzinfo, *, last_result: date | None = None
) -> datetime | None:
    """The rule's first occurrence strictly after ``after`` (aware), in ``tz``; None when it has none.

    Disabled rules have none. A ``lab_retest`` rule needs ``last_result`` (the date of the last IGF-1 result)
    and has none without it.
    """
    if not rule.enabled:
        return None
    if rule.kind == "lab_retest":
        if last_result is None:
            return None
        return next_fire_lab(last_result, rule.weeks_after, rule.time, tz, after=after)
    start = _utc(after)
    first_day = start.astimezone(tz).date() - timedelta(days=1)  # a gap-resolved time never moves a day
    for offset in range(_SEARCH_DAYS + 1):
        day = first_day + timedelta(days=offset)
        if rule.on_day(day):
            candidate = resolve_local(day, rule.time, tz)
            if _utc(candidate) > start:
                return candidate
    return None  # pragma: no cover - unreachable: any weekday recurs within 8 calendar days


def previous_fire(
    rule: ReminderRule, at_or_before: datetime, tz: tzinfo, *, last_result: date | None = None
) -> datetime | None:
    """The rule's latest occurrence at or before ``at_or_before``, in ``tz``; None when there is none."""
    if not rule.enabled:
        return None
    end = _utc(at_or_before)
    if rule.kind == "lab_retest":
        if last_result is None:
            return None
        due = next_fire_lab(last_result, rule.weeks_after, rule.time, tz)
        return due if due is not None and _utc(due) <= end else None
    last_day = end.astimezone(tz).date() + timedelta(days=1)
    for offset in range(_SEARCH_DAYS + 1):
        day = last_day - timedelta(days=offset)
        if rule.on_day(day):
            candidate = resolve_local(day, rule.time, tz)
            if _utc(candidate) <= end:
                return candidate
    return None  # pragma: no cover


# --------------------------------------------------------------------------------------------------------------
# Quiet hours, snooze


@dataclass(frozen=True)
class QuietHours:
    """A daily window of local wall time with no reminders; ``start > end`` crosses midnight (22:00-07:00).

    ``start == end`` means no quiet hours. The window is half-open: ``start`` is quiet, ``end`` is not.
    """

    start: time
    end: time

    def contains(self, moment: datetime, tz: tzinfo | None = None) -> bool:
        """Whether ``moment`` (aware) falls in the window, read on the wall clock of ``tz`` (default: its own)."""
        local = moment.astimezone(tz) if tz is not None else moment
        now = local.time().replace(tzinfo=None, fold=0)
        start, end = self.start.replace(tzinfo=None), self.end.replace(tzinfo=None)
        if start == end:
            return False
        if start < end:
            return start <= now < end
        return now >= start or now < end

    def end_after(self, moment: datetime, tz: tzinfo | None = None) -> datetime:
        """The next end of the window strictly after ``moment``, as an instant in ``tz`` (default: its own)."""
        zone = tz if tz is not None else moment.tzinfo
        assert zone is not None
        return next_local(self.end, moment, zone)


def snooze_until(now: datetime, minutes: float = 10) -> datetime:
    """When a snoozed reminder comes back: ``minutes`` of real time after ``now`` (correct across DST)."""
    if minutes <= 0:
        raise ValueError("minutes must be positive")
    zone = now.tzinfo
    return (_utc(now) + timedelta(minutes=minutes)).astimezone(zone)


# --------------------------------------------------------------------------------------------------------------
# Decisions


class Outcome(enum.StrEnum):
    """What to do with a due occurrence."""

    SEND = "send"
    SKIP_DONE = "skip_done"  # the habit is already ticked today
    SKIP_STALE = "skip_stale"  # past its grace window (or would be by the time quiet hours / a pause end)
    SKIP_SENT = "skip_sent"  # this occurrence was already sent (e.g. the clock went backwards)
    SKIP_DISABLED = "skip_disabled"
    DEFER_QUIET = "defer_quiet"  # ask again at ``when`` (end of quiet hours)
    DEFER_PAUSED = "defer_paused"  # ask again at ``when`` (end of the pause)
    DEFER_SNOOZED = "defer_snoozed"  # ask again at ``when`` (end of the snooze)
    DEFER_NOT_DUE = "defer_not_due"  # called before the occurrence (a timer woke early); ask again at ``when``


@dataclass(frozen=True)
class Decision:
    """The outcome for one occurrence; ``when`` is set for the DEFER_* outcomes."""

    outcome: Outcome
    when: datetime | None = None
    reason: str = ""

    @property
    def send(self) -> bool:
        return self.outcome is Outcome.SEND

    @property
    def deferred(self) -> bool:
        return self.when is not None


def decide(
    rule: ReminderRule,
    scheduled: datetime,
    now: datetime,
    *,
    habit_done: bool,
    quiet: QuietHours | None = None,
    paused_until: datetime | None = None,
    snoozed_until: datetime | None = None,
    last_sent: datetime | None = None,
    tz: tzinfo | None = None,
    grace: timedelta | None = None,
) -> Decision:
    """Decide what to do with the occurrence ``scheduled`` of ``rule`` at ``now`` (all aware).

    Order: disabled, done, already sent, not due / snoozed, stale, paused, quiet. A deferral whose target lies
    past the grace window is reported as SKIP_STALE straight away. After a snooze the grace window counts from
    the snooze's end. ``last_sent`` is the scheduled time of the last occurrence sent for this rule; an
    occurrence at or before it is not sent again (unless snoozed). Quiet hours are read on the wall clock of
    ``tz`` (default: ``now``'s own tzinfo). ``grace`` overrides the kind's default.
    """
    window = grace if grace is not None else grace_for(rule)
    sched, at = _utc(scheduled), _utc(now)
    zone = tz if tz is not None else now.tzinfo

    if not rule.enabled:
        return Decision(Outcome.SKIP_DISABLED, reason="rule is switched off")
    if habit_done:
        return Decision(Outcome.SKIP_DONE, reason="habit already done")
    if snoozed_until is None and last_sent is not None and sched <= _utc(last_sent):
        return Decision(Outcome.SKIP_SENT, reason="occurrence already sent")

    due = sched
    if snoozed_until is not None:
        due = max(sched, _utc(snoozed_until))
        if at < due:
            return Decision(Outcome.DEFER_SNOOZED, when=due.astimezone(zone), reason="snoozed")
    elif at < due:
        return Decision(Outcome.DEFER_NOT_DUE, when=due.astimezone(zone), reason="not due yet")

    if at - due > window:
        return Decision(Outcome.SKIP_STALE, reason=f"{at - due} late, grace is {window}")

    # Push the send time past a pause and quiet hours (either may end inside the other).
    target, outcome = at, Outcome.SEND
    for _ in range(3):
        moved = False
        if paused_until is not None and target < _utc(paused_until):
            target, moved = _utc(paused_until), True
            outcome = outcome if outcome is not Outcome.SEND else Outcome.DEFER_PAUSED
        if quiet is not None and quiet.contains(target, zone):
            target, moved = _utc(quiet.end_after(target, zone)), True
            outcome = outcome if outcome is not Outcome.SEND else Outcome.DEFER_QUIET
        if not moved:
            break
    if outcome is Outcome.SEND:
        return Decision(Outcome.SEND, reason="due" if at - due < timedelta(minutes=1) else f"{at - due} late")
    if target - due > window:
        return Decision(Outcome.SKIP_STALE, reason=f"{outcome.value} until {target.astimezone(zone)} outlasts grace")
    return Decision(outcome, when=target.astimezone(zone), reason=outcome.value.removeprefix("defer_"))


def catch_up(
    rules_with_last_fire: Iterable[tuple[ReminderRule, datetime | None]],
    last_check: datetime,
    now: datetime,
    tz: tzinfo,
    *,
    last_result: date | None = None,
    grace: Mapping[str, timedelta] = GRACE,
) -> list[tuple[ReminderRule, datetime]]:
    """What to send after a suspend or a wall-clock jump: at most one missed occurrence per rule.

    ``rules_with_last_fire`` pairs each rule with the scheduled time of its last sent occurrence (or None).
    ``last_check`` is the wall time the app last processed reminders. For each enabled rule only the latest
    occurrence in ``(last_check, now]`` that is later than its last fire and still inside its grace window is
    returned (never a burst; older ones are staler and dropped). A backwards jump (``now <= last_check``)
    returns nothing. ``last_result`` is the last IGF-1 result date for ``lab_retest`` rules. Sorted by time.
    """
    start, end = _utc(last_check), _utc(now)
    if end <= start:
        return []
    due: list[tuple[ReminderRule, datetime]] = []
    for rule, last_fire in rules_with_last_fire:
        latest = previous_fire(rule, now, tz, last_result=last_result)
        if latest is None:
            continue
        when = _utc(latest)
        if when <= start or (last_fire is not None and when <= _utc(last_fire)):
            continue
        if end - when > grace[rule.kind]:
            continue
        due.append((rule, latest))
    due.sort(key=lambda pair: _utc(pair[1]))
    return due
