"""Reminder rules and their state, as the UI, the command line and the reminder engine use them.

The rules live in the database (``reminder_rules``); the engine rebuilds its timers from them. Every write is
one transaction. Validation errors are ``ReminderError`` with a message that starts with the field's name
("time: ...", "weekdays: ...").

Default rules come from the profile and the habits:

* wind-down 45 minutes before the bedtime derived from wake time and sleep goal, and bedtime itself (on);
* HIIT and resistance training on chosen weekdays at a chosen time (on; Tue/Sat and Mon/Wed/Fri at 18:00);
* breathing practice, a protein check (off until switched on);
* one reminder per supplement habit (off; only offered while the habit is active and the safety screen allows it);
* an IGF-1 re-test a number of weeks (default 12) after the last result (on; silent until there is a result).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from igfcoach.core.reminder_rules import (
    GRACE,
    KINDS,
    WIND_DOWN_MINUTES,
    QuietHours,
    ReminderRule,
    default_sleep_rules,
    derive_bedtime,
    next_fire,
    snooze_until,
)
from igfcoach.services import settings
from igfcoach.store.models import Habit, ReminderRuleRow, ReminderState

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

log = logging.getLogger(__name__)

UTC = timezone.utc

#: Display order and names of the kinds.
KIND_LABELS: dict[str, str] = {
    "wind_down": "Wind down",
    "bedtime": "Bedtime",
    "hiit": "HIIT session",
    "resistance": "Resistance training",
    "breathing": "Breathing practice",
    "protein": "Protein check",
    "supplements": "Supplement",
    "lab_retest": "IGF-1 re-test",
}
_ORDER = {kind: i for i, kind in enumerate(KIND_LABELS)}

DEFAULT_WORKOUT_TIME = time(18, 0)
DEFAULT_LAB_WEEKS = 12
MAX_LAB_WEEKS = 104
MAX_GRACE_MINUTES = 7 * 24 * 60
SUPPLEMENT_CATEGORY = "supplements"

#: Setting holding the wake time and sleep goal the sleep rules were last derived from.
SLEEP_BASIS_KEY = "reminders_sleep_basis"

LAB_BODY = "Book a blood test and take your habit log to your clinician."


class ReminderError(ValueError):
    """Bad input for a reminder; the message starts with the field's name."""


class UnknownRule(ReminderError, LookupError):
    def __init__(self, rule_id: object) -> None:
        super().__init__(f"rule: there is no reminder with id {rule_id!r}")
        self.rule_id = rule_id


# --------------------------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class RuleRecord:
    """A stored rule with what the UI needs to show it; ``rule`` is the core's view for scheduling."""

    id: int
    kind: str
    habit_key: str | None
    title: str
    body: str
    time: time
    weekdays: frozenset[int]
    enabled: bool
    weeks_after: int
    grace_minutes: int | None
    available: bool = True
    unavailable_reason: str = ""

    @property
    def rule(self) -> ReminderRule:
        """The core rule; switched off while the rule is unavailable (habit paused, safety screen)."""
        return ReminderRule(
            id=self.id,
            kind=self.kind,  # type: ignore[arg-type]
            habit_key=self.habit_key,
            title=self.title,
            body=self.body,
            time=self.time,
            weekdays=self.weekdays,
            enabled=self.enabled and self.available,
            weeks_after=self.weeks_after,
        )

    @property
    def grace(self) -> timedelta:
        if self.grace_minutes is not None:
            return timedelta(minutes=self.grace_minutes)
        return GRACE[self.kind]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def active(self) -> bool:
        return self.enabled and self.available


@dataclass(frozen=True)
class RuleState:
    rule_id: int
    last_sent_for: datetime | None = None
    snoozed_until: datetime | None = None
    last_check: datetime | None = None


# --------------------------------------------------------------------------------------------------------------
# Parsing and formatting


def parse_time(text: str | time, field: str = "time") -> time:
    if isinstance(text, time):
        if text.tzinfo is not None:
            raise ReminderError(f"{field}: must be a local wall time without a time zone")
        return text.replace(second=0, microsecond=0)
    try:
        hours, minutes = str(text).strip().split(":")
        if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
            raise ValueError
        return time(int(hours), int(minutes))
    except ValueError:
        raise ReminderError(f"{field}: {text!r} is not a time of day like 22:30") from None


def format_time(at: time) -> str:
    return at.strftime("%H:%M")


def parse_weekdays(value: str | Iterable[int], field: str = "weekdays") -> frozenset[int]:
    """"0,2,4" or an iterable of ints (Monday = 0); empty = every day."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",") if p.strip()]
        try:
            days = [int(p) for p in parts]
        except ValueError:
            raise ReminderError(f"{field}: {value!r} is not a list of weekday numbers like 0,2,4 (Monday = 0)") from None
    else:
        days = list(value)
        if any(isinstance(d, bool) or not isinstance(d, int) for d in days):
            raise ReminderError(f"{field}: weekdays must be whole numbers 0-6 (Monday = 0), got {days!r}")
    bad = sorted({d for d in days if not 0 <= d <= 6})
    if bad:
        raise ReminderError(f"{field}: {bad} outside 0-6 (Monday = 0, Sunday = 6)")
    return frozenset(days)


def format_weekdays(days: Iterable[int]) -> str:
    return ",".join(str(d) for d in sorted(set(days)))


WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def describe_days(days: frozenset[int]) -> str:
    if not days or len(days) == 7:
        return "every day"
    if days == frozenset(range(5)):
        return "weekdays"
    if days == frozenset({5, 6}):
        return "weekends"
    return ", ".join(WEEKDAY_NAMES[d] for d in sorted(days))


def _record(row: ReminderRuleRow) -> RuleRecord:
    return RuleRecord(
        id=row.id,
        kind=row.kind,
        habit_key=row.habit_key,
        title=row.title,
        body=row.body,
        time=parse_time(row.time),
        weekdays=parse_weekdays(row.weekdays),
        enabled=bool(row.enabled),
        weeks_after=row.weeks_after,
        grace_minutes=row.grace_minutes,
    )


# --------------------------------------------------------------------------------------------------------------
# Defaults


def _sleep_basis(ctx_or_values: dict[str, Any]) -> tuple[time, float]:
    wake = time.fromisoformat(ctx_or_values.get("wake_time") or "06:30")
    goal = float(ctx_or_values.get("sleep_goal_h") or 8.0)
    return wake, goal


def _default_rows(values: dict[str, Any]) -> list[ReminderRuleRow]:
    wake, goal = _sleep_basis(values)
    wind, bed = default_sleep_rules(wake, goal)
    rows = [
        ReminderRuleRow(kind="wind_down", habit_key=wind.habit_key, title=wind.title, body=wind.body,
                        time=format_time(wind.time), weekdays="", enabled=True, weeks_after=DEFAULT_LAB_WEEKS),
        ReminderRuleRow(kind="bedtime", habit_key=bed.habit_key, title=bed.title, body=bed.body,
                        time=format_time(bed.time), weekdays="", enabled=True, weeks_after=DEFAULT_LAB_WEEKS),
        ReminderRuleRow(
            kind="hiit", habit_key="hiit", title="HIIT session today",
            body="Warm up, then short all-out bursts with easy recovery in between.",
            time=format_time(DEFAULT_WORKOUT_TIME), weekdays="1,5", enabled=True, weeks_after=DEFAULT_LAB_WEEKS),
        ReminderRuleRow(
            kind="resistance", habit_key="resistance", title="Strength training today",
            body="Heavy loads on the big muscle groups, short rests, sets taken close to fatigue.",
            time=format_time(DEFAULT_WORKOUT_TIME), weekdays="0,2,4", enabled=True, weeks_after=DEFAULT_LAB_WEEKS),
        ReminderRuleRow(
            kind="breathing", habit_key="breathing", title="Breathing break",
            body="Ten minutes of slow breathing or mindfulness to bring stress down.",
            time="13:00", weekdays="", enabled=False, weeks_after=DEFAULT_LAB_WEEKS),
        ReminderRuleRow(
            kind="protein", habit_key="protein", title="Protein check",
            body="How close are you to today's protein target? Plan a protein-rich meal if you are short.",
            time="16:00", weekdays="", enabled=False, weeks_after=DEFAULT_LAB_WEEKS),
        ReminderRuleRow(
            kind="lab_retest", habit_key=None, title="Time to re-test your IGF-1", body=LAB_BODY,
            time="09:00", weekdays="", enabled=True, weeks_after=DEFAULT_LAB_WEEKS),
    ]
    return rows


def _supplement_row(habit: Habit) -> ReminderRuleRow:
    return ReminderRuleRow(
        kind="supplements", habit_key=habit.key, title=habit.title,
        body="Only as agreed with your healthcare provider.",
        time="08:30", weekdays="", enabled=False, weeks_after=DEFAULT_LAB_WEEKS)


def ensure_default_rules(ctx: AppContext) -> int:
    """Create the default rules that are missing and follow profile changes; returns how many were added.

    Idempotent. A supplement habit gets its (switched-off) rule when it first appears. When the wake time or
    sleep goal changed, the wind-down and bedtime rules move with them unless the user set their own time.
    """
    values = settings.get_many(ctx)
    added = 0
    with ctx.db.transaction() as s:
        existing = list(s.scalars(select(ReminderRuleRow)))
        have = {(r.kind, r.habit_key if r.kind == "supplements" else None) for r in existing}
        for row in _default_rows(values):
            if (row.kind, None) not in have:
                s.add(row)
                added += 1
        for habit in s.scalars(select(Habit).where(Habit.category == SUPPLEMENT_CATEGORY)):
            if ("supplements", habit.key) not in have:
                s.add(_supplement_row(habit))
                added += 1
        _follow_profile(s, existing, values)
    return added


def _follow_profile(s: Session, rows: list[ReminderRuleRow], values: dict[str, Any]) -> None:
    wake, goal = _sleep_basis(values)
    basis = {"wake_time": format_time(wake), "sleep_goal_h": goal}
    old = values.get(SLEEP_BASIS_KEY)
    if old == basis:
        return
    if isinstance(old, dict):
        old_wake, old_goal = _sleep_basis(old)
        old_wind, old_bed = default_sleep_rules(old_wake, old_goal)
        new_wind, new_bed = default_sleep_rules(wake, goal)
        for row in rows:
            for before, after in ((old_wind, new_wind), (old_bed, new_bed)):
                if row.kind == before.kind and row.time == format_time(before.time):
                    row.time = format_time(after.time)
                    if row.body == before.body:
                        row.body = after.body
    settings.put_in(s, **{SLEEP_BASIS_KEY: basis})


def derived_bedtime(ctx: AppContext) -> time:
    wake, goal = _sleep_basis(settings.get_many(ctx))
    return derive_bedtime(wake, goal)


# --------------------------------------------------------------------------------------------------------------
# Reading rules


def _policy(ctx: AppContext):  # -> Policy | None
    try:
        from igfcoach.services.safety import current_policy
    except ImportError:  # pragma: no cover - the safety service ships with the app
        return None
    return current_policy(ctx)


def _availability(rec: RuleRecord, habits: dict[str, Habit], policy) -> tuple[bool, str]:
    if rec.habit_key is None:
        return True, ""
    habit = habits.get(rec.habit_key)
    if habit is None:
        if rec.kind == "supplements":
            return False, "The supplement is not on your checklist."
        return True, ""  # a catalog habit not seeded yet: the reminder still helps
    if habit.status != "active":
        return False, f"“{habit.title}” is {habit.status} on your checklist."
    if policy is not None:
        from igfcoach.core.safety import habit_allowed

        flags = frozenset(f for f in (habit.flags or "").split(",") if f)
        if not habit_allowed(flags, policy):
            return False, "Switched off by your safety answers or latest result."
    return True, ""


def list_rules(ctx: AppContext) -> list[RuleRecord]:
    """Every rule in display order, with whether it can fire now (``available``) and why not."""
    policy = _policy(ctx)
    with ctx.db.transaction() as s:
        rows = list(s.scalars(select(ReminderRuleRow)))
        keys = {r.habit_key for r in rows if r.habit_key}
        habits = {h.key: h for h in s.scalars(select(Habit).where(Habit.key.in_(keys)))} if keys else {}
        records = []
        for row in rows:
            rec = _record(row)
            ok, why = _availability(rec, habits, policy)
            records.append(replace(rec, available=ok, unavailable_reason=why))
    records.sort(key=lambda r: (_ORDER.get(r.kind, 99), r.time, r.id))
    return records


def get_rule(ctx: AppContext, rule_id: int) -> RuleRecord:
    for rec in list_rules(ctx):
        if rec.id == rule_id:
            return rec
    raise UnknownRule(rule_id)


def last_result_date(ctx: AppContext) -> date | None:
    """The date of the last IGF-1 result (for the re-test reminder), or None."""
    try:
        from igfcoach.services import labs
    except ImportError:  # pragma: no cover - the labs service ships with the app
        return None
    return labs.last_result_date(ctx)


def local_zone(ctx: AppContext):  # -> tzinfo
    return ctx.clock.now().tzinfo


def next_fires(ctx: AppContext, now: datetime | None = None) -> list[tuple[RuleRecord, datetime | None]]:
    """Each rule with its next fire time in the local zone (None: off, unavailable, or no lab result yet)."""
    now = now or ctx.clock.now()
    zone = now.tzinfo
    last = last_result_date(ctx)
    return [(rec, next_fire(rec.rule, now, zone, last_result=last)) for rec in list_rules(ctx)]


# --------------------------------------------------------------------------------------------------------------
# Writing rules


_UNSET: Any = object()


def update_rule(
    ctx: AppContext,
    rule_id: int,
    *,
    time: time | str = _UNSET,
    weekdays: str | Iterable[int] = _UNSET,
    enabled: bool = _UNSET,
    weeks_after: int = _UNSET,
    title: str = _UNSET,
    body: str = _UNSET,
    grace_minutes: int | None = _UNSET,
) -> RuleRecord:
    """Change one rule in one transaction; only the given fields change. Returns the stored rule."""
    changes: dict[str, Any] = {}
    if time is not _UNSET:
        changes["time"] = format_time(parse_time(time))
    if weekdays is not _UNSET:
        changes["weekdays"] = format_weekdays(parse_weekdays(weekdays))
    if enabled is not _UNSET:
        if not isinstance(enabled, bool):
            raise ReminderError(f"enabled: must be true or false, got {enabled!r}")
        changes["enabled"] = enabled
    if weeks_after is not _UNSET:
        if isinstance(weeks_after, bool) or not isinstance(weeks_after, int) or not 1 <= weeks_after <= MAX_LAB_WEEKS:
            raise ReminderError(f"weeks_after: must be a whole number of weeks from 1 to {MAX_LAB_WEEKS}, got {weeks_after!r}")
        changes["weeks_after"] = weeks_after
    if title is not _UNSET:
        text = (title or "").strip()
        if not text:
            raise ReminderError("title: must not be empty")
        if len(text) > 200:
            raise ReminderError(f"title: {len(text)} characters; at most 200")
        changes["title"] = text
    if body is not _UNSET:
        text = (body or "").strip()
        if len(text) > 1000:
            raise ReminderError(f"body: {len(text)} characters; at most 1000")
        changes["body"] = text
    if grace_minutes is not _UNSET:
        if grace_minutes is not None and (
            isinstance(grace_minutes, bool) or not isinstance(grace_minutes, int)
            or not 0 <= grace_minutes <= MAX_GRACE_MINUTES
        ):
            raise ReminderError(f"grace_minutes: must be empty or 0-{MAX_GRACE_MINUTES} minutes, got {grace_minutes!r}")
        changes["grace_minutes"] = grace_minutes
    with ctx.db.transaction() as s:
        row = s.get(ReminderRuleRow, rule_id)
        if row is None:
            raise UnknownRule(rule_id)
        if "weeks_after" in changes and row.kind != "lab_retest":
            raise ReminderError("weeks_after: only the lab re-test reminder counts weeks")
        for key, value in changes.items():
            setattr(row, key, value)
        if changes.get("time") or "weekdays" in changes:
            # a new schedule starts fresh: a pending snooze belongs to the old one
            state = s.get(ReminderState, rule_id)
            if state is not None:
                state.snoozed_until = None
    return get_rule(ctx, rule_id)


def set_enabled(ctx: AppContext, rule_id: int, enabled: bool) -> RuleRecord:
    return update_rule(ctx, rule_id, enabled=enabled)


def set_lab_weeks(ctx: AppContext, weeks: int) -> RuleRecord:
    """Set the re-test interval of the lab reminder (creating the defaults first if needed)."""
    ensure_default_rules(ctx)
    with ctx.db.transaction() as s:
        rule_id = s.scalar(select(ReminderRuleRow.id).where(ReminderRuleRow.kind == "lab_retest"))
    return update_rule(ctx, rule_id, weeks_after=weeks)


# --------------------------------------------------------------------------------------------------------------
# Quiet hours, pause, snooze length


def quiet_hours(ctx: AppContext) -> QuietHours | None:
    values = settings.get_many(ctx)
    start, end = values.get("quiet_start"), values.get("quiet_end")
    if not start or not end:
        return None
    try:
        q = QuietHours(parse_time(start), parse_time(end))
    except ReminderError:
        log.warning("ignoring unreadable quiet hours %r-%r", start, end)
        return None
    return q if q.start != q.end else None


def set_quiet_hours(ctx: AppContext, start: time | str | None, end: time | str | None) -> QuietHours | None:
    """Set quiet hours (both None: off). A window may cross midnight (22:00-07:00)."""
    if start is None and end is None:
        settings.put(ctx, quiet_start=None, quiet_end=None)
        return None
    if start is None or end is None:
        missing = "quiet_start" if start is None else "quiet_end"
        raise ReminderError(f"{missing}: give both the start and the end of quiet hours, or neither")
    s, e = parse_time(start, "quiet_start"), parse_time(end, "quiet_end")
    if s == e:
        raise ReminderError("quiet_end: must differ from the start of quiet hours")
    settings.put(ctx, quiet_start=format_time(s), quiet_end=format_time(e))
    return QuietHours(s, e)


def paused_until(ctx: AppContext, now: datetime | None = None) -> datetime | None:
    """The end of a "Pause reminders" (from the tray), or None when not paused (or the pause is over)."""
    raw = settings.get(ctx, "reminders_paused_until")
    if not raw:
        return None
    try:
        until = datetime.fromisoformat(str(raw))
    except ValueError:
        log.warning("ignoring unreadable reminders_paused_until %r", raw)
        return None
    if until.tzinfo is None:
        until = until.replace(tzinfo=(now or ctx.clock.now()).tzinfo)
    now = now or ctx.clock.now()
    return until if until.astimezone(UTC) > now.astimezone(UTC) else None


def snooze_minutes(ctx: AppContext) -> float:
    """How long "Snooze" waits (setting ``snooze_minutes``, default 10; fractions allowed for tests)."""
    raw = settings.get(ctx, "snooze_minutes")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return 10.0
    return value if math.isfinite(value) and 0 < value <= 24 * 60 else 10.0


def snooze_label(minutes: float) -> str:
    if minutes >= 1 and float(minutes).is_integer():
        return f"Snooze {int(minutes)} min"
    if minutes >= 1:
        return f"Snooze {minutes:g} min"
    return f"Snooze {max(1, round(minutes * 60))} s"


# --------------------------------------------------------------------------------------------------------------
# State


def _state_row(s: Session, rule_id: int) -> ReminderState:
    row = s.get(ReminderState, rule_id)
    if row is None:
        if s.get(ReminderRuleRow, rule_id) is None:
            raise UnknownRule(rule_id)
        row = ReminderState(rule_id=rule_id)
        s.add(row)
    return row


def get_state(ctx: AppContext, rule_id: int) -> RuleState:
    with ctx.db.transaction() as s:
        row = s.get(ReminderState, rule_id)
        if row is None:
            return RuleState(rule_id)
        return RuleState(rule_id, row.last_sent_for, row.snoozed_until, row.last_check)


def all_states(ctx: AppContext) -> dict[int, RuleState]:
    with ctx.db.transaction() as s:
        return {
            r.rule_id: RuleState(r.rule_id, r.last_sent_for, r.snoozed_until, r.last_check)
            for r in s.scalars(select(ReminderState))
        }


def mark_sent(ctx: AppContext, rule_id: int, scheduled: datetime) -> None:
    """Record that the occurrence ``scheduled`` was delivered (it is not sent again); ends a snooze."""
    now = ctx.clock.now()
    with ctx.db.transaction() as s:
        row = _state_row(s, rule_id)
        row.last_sent_for = scheduled
        row.snoozed_until = None
        row.last_check = now


def snooze(ctx: AppContext, rule_id: int, minutes: float | None = None) -> datetime:
    """Bring the last sent occurrence back after ``minutes`` (default: the snooze setting). Returns when."""
    until = snooze_until(ctx.clock.now(), minutes if minutes is not None else snooze_minutes(ctx))
    with ctx.db.transaction() as s:
        row = _state_row(s, rule_id)
        row.snoozed_until = until
    return until


def clear_snooze(ctx: AppContext, rule_id: int) -> None:
    with ctx.db.transaction() as s:
        row = s.get(ReminderState, rule_id)
        if row is not None:
            row.snoozed_until = None


def touch(ctx: AppContext, when: datetime | None = None) -> None:
    """Record that every rule was looked at up to ``when`` (for catching up after the app was closed)."""
    when = when or ctx.clock.now()
    with ctx.db.transaction() as s:
        ids = list(s.scalars(select(ReminderRuleRow.id)))
        states = {r.rule_id: r for r in s.scalars(select(ReminderState))}
        for rule_id in ids:
            row = states.get(rule_id)
            if row is None:
                s.add(ReminderState(rule_id=rule_id, last_check=when))
            else:
                row.last_check = when


def last_check(ctx: AppContext) -> datetime | None:
    """The latest time reminders were processed (None before the first run)."""
    with ctx.db.transaction() as s:
        return s.scalar(select(func.max(ReminderState.last_check)))


# --------------------------------------------------------------------------------------------------------------
# Habits behind the reminders


def habit_done_today(ctx: AppContext, rule: RuleRecord | ReminderRule) -> bool:
    """Whether the rule's habit is already done today (the reminder is then not sent)."""
    if not rule.habit_key:
        return False
    from igfcoach.services import checklist
    from igfcoach.services.habits import HabitError

    try:
        return checklist.item(ctx, rule.habit_key, ctx.today()).done
    except HabitError:
        return False


def can_mark_done(ctx: AppContext, rule: RuleRecord) -> bool:
    """Whether "Done" can tick something (the rule has a habit on the checklist)."""
    if not rule.habit_key:
        return False
    with ctx.db.transaction() as s:
        return s.scalar(select(Habit.id).where(Habit.key == rule.habit_key, Habit.status == "active")) is not None


def mark_done(ctx: AppContext, rule: RuleRecord) -> bool:
    """Tick the rule's habit for today (source "reminder"); a measured habit gets its target amount.

    Returns False when there is nothing to tick (no habit, or it is not on the checklist).
    """
    if not can_mark_done(ctx, rule):
        return False
    from igfcoach.services import checklist, habits

    with ctx.db.transaction() as s:
        spec = habits.spec_of(habits.get_row(s, rule.habit_key))  # type: ignore[arg-type]
    day = ctx.today()
    if spec.target is None:
        checklist.record(ctx, spec.key, day, done=True, source="reminder")
    else:
        checklist.record(ctx, spec.key, day, value=spec.target.value, source="reminder")
    if rule.id is not None:
        clear_snooze(ctx, rule.id)
    return True


def notice_text(ctx: AppContext, rule: RuleRecord) -> tuple[str, str]:
    """Title and body of the notification for a rule."""
    if rule.kind == "lab_retest":
        last = last_result_date(ctx)
        when = f"{last:%d %b %Y}" if last else "a while ago"
        return rule.title, f"Your last IGF-1 result is from {when} ({rule.weeks_after} weeks). {rule.body}".strip()
    return rule.title, rule.body


__all__ = [
    "DEFAULT_LAB_WEEKS",
    "KINDS",
    "KIND_LABELS",
    "ReminderError",
    "RuleRecord",
    "RuleState",
    "UnknownRule",
    "WIND_DOWN_MINUTES",
    "all_states",
    "can_mark_done",
    "clear_snooze",
    "derived_bedtime",
    "describe_days",
    "ensure_default_rules",
    "get_rule",
    "get_state",
    "habit_done_today",
    "last_check",
    "last_result_date",
    "list_rules",
    "mark_done",
    "mark_sent",
    "next_fires",
    "notice_text",
    "paused_until",
    "quiet_hours",
    "set_enabled",
    "set_lab_weeks",
    "set_quiet_hours",
    "snooze",
    "snooze_label",
    "snooze_minutes",
    "touch",
    "update_rule",
]
