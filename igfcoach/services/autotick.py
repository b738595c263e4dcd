"""Checklist items that logged sessions tick for you: one source of truth, no double entry.

After any log, edit, delete or undo of a session, the affected items of that day are **recomputed from the
sessions that remain**, inside the same transaction as the session change (``checklist.record_in``):

=====================  =====================================================================
item                   derived from the day's sessions
=====================  =====================================================================
``hiit``               done when a HIIT session with at least one finished round exists
``resistance``         done when a resistance session with at least one set exists
``sleep_duration``     value = hours slept (wake-up day's sleep entry)
``bedtime_consistent`` done when the bedtime is within the item's ``tolerance_min`` of the
                       profile bedtime
``bedroom_cool_dark``  done when the entry says the room was cool and dark
``screens_off``        done when the entry says screens were off before bed
``breathing``          value = sum of the day's breathing minutes
=====================  =====================================================================

The rule for the person's own entries: a check-off whose last writer was a person (source ``manual``,
``cli``, ``undo`` ...) and that is ticked or carries a value is **left alone** -- neither overwritten by a
session nor unticked when a session is deleted. Anything else (no record, a note-only or skipped record, or
a record a session wrote) follows the sessions: ticked while a session supports it, unticked (value
cleared, note kept) when none does. A logged session therefore also ends a "skipped" mark for that day.

The post-training meal (``post_workout_meal``) is never ticked by a session -- eating is not training.
Instead a training day makes it *encouraged*: ``meal_prompt`` is set on the result when the day has
training and the meal item is on the checklist but not yet done, and the Training page and the command
line then remind the person (the page offers a one-click tick).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from igfcoach.core import intervals
from igfcoach.core.intervals import PracticeInputError
from igfcoach.services import checklist
from igfcoach.services.habits import ARCHIVED, spec_of
from igfcoach.store.models import (
    BreathingSession,
    CheckOff,
    Habit,
    HiitSession,
    ResistanceSession,
    ResistanceSet,
    SleepEntry,
)

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

HIIT, RESISTANCE, SLEEP, BREATHING = "hiit", "resistance", "sleep", "breathing"
#: Sources a session writes; any other source on a ticked record means a person did it.
AUTO_SOURCES = frozenset({HIIT, RESISTANCE, SLEEP, BREATHING})
SLEEP_KEYS = ("sleep_duration", "bedtime_consistent", "bedroom_cool_dark", "screens_off")
MEAL_KEY = "post_workout_meal"


@dataclass(frozen=True)
class TickChange:
    """One checklist item a session changed."""

    key: str
    title: str
    done: bool
    value: float | None = None
    unit: str | None = None

    def describe(self) -> str:
        if self.value is not None and self.unit:
            return f"{self.title} ({self.value:g} {self.unit})"
        return self.title


@dataclass(frozen=True)
class Logged:
    """The result of a log, edit or undo: the row's id, its day and what changed on the checklist."""

    id: int
    day: date
    changes: tuple[TickChange, ...] = ()
    meal_prompt: bool = False

    @property
    def ticked(self) -> list[TickChange]:
        return [c for c in self.changes if c.done or c.value is not None]

    @property
    def unticked(self) -> list[TickChange]:
        return [c for c in self.changes if not (c.done or c.value is not None)]


@dataclass(frozen=True)
class Deleted:
    """What a delete removed (pass it back to the matching ``restore_*`` to undo) and what it unticked."""

    entry: object
    changes: tuple[TickChange, ...] = ()

    @property
    def unticked(self) -> list[TickChange]:
        return [c for c in self.changes if not (c.done or c.value is not None)]


def check_day(ctx: AppContext, day: date) -> date:
    if not isinstance(day, date):
        raise PracticeInputError("date", f"{day!r} is not a date")
    if day > ctx.today():
        raise PracticeInputError("date", f"{day.isoformat()} is in the future")
    return day


def _habit(s: Session, key: str) -> Habit | None:
    row = s.scalar(select(Habit).where(Habit.key == key))
    return None if row is None or row.status == ARCHIVED else row


def set_item(s: Session, ctx: AppContext, key: str, day: date, *, source: str,
             done: bool | None = None, value: float | None = None) -> TickChange | None:
    """Make one item follow the sessions (see the module docstring); returns the change, if any.

    Check items take ``done``; measured items take ``value`` (None = no session supports it).
    """
    row = _habit(s, key)
    if row is None:  # not on this person's checklist
        return None
    spec = spec_of(row)
    c = s.scalar(select(CheckOff).where(CheckOff.habit_id == row.id, CheckOff.day == day))
    if c is not None and c.source not in AUTO_SOURCES and (c.done or c.value is not None):
        return None  # the person's own tick or value wins
    unit = spec.target.unit if spec.target else None
    if spec.target is not None:
        if value is not None:
            if c is not None and c.value == value and not c.skipped:
                return None
            checklist.record_in(s, ctx, key, day, value=value, source=source)
            return TickChange(key, spec.title, spec.target.is_met(value), value, unit)
        if c is None or c.value is None:
            return None
        checklist.record_in(s, ctx, key, day, done=False, source=source)
        return TickChange(key, spec.title, False, None, unit)
    if done:
        if c is not None and c.done:
            return None
        checklist.record_in(s, ctx, key, day, done=True, source=source)
        return TickChange(key, spec.title, True)
    if c is None or not c.done:
        return None
    checklist.record_in(s, ctx, key, day, done=False, source=source)
    return TickChange(key, spec.title, False)


def _changes(*items: TickChange | None) -> tuple[TickChange, ...]:
    return tuple(i for i in items if i is not None)


# --- per activity --------------------------------------------------------------------------------


def sync_hiit(s: Session, ctx: AppContext, day: date) -> tuple[TickChange, ...]:
    s.flush()
    n = s.scalar(select(func.count()).select_from(HiitSession).where(
        HiitSession.day == day, HiitSession.completed_rounds >= 1))
    return _changes(set_item(s, ctx, "hiit", day, source=HIIT, done=bool(n)))


def sync_resistance(s: Session, ctx: AppContext, day: date) -> tuple[TickChange, ...]:
    s.flush()
    n = s.scalar(select(func.count()).select_from(ResistanceSet).join(ResistanceSession).where(
        ResistanceSession.day == day))
    return _changes(set_item(s, ctx, "resistance", day, source=RESISTANCE, done=bool(n)))


def sleep_tolerance(s: Session) -> int:
    row = _habit(s, "bedtime_consistent")
    tolerance = spec_of(row).param("tolerance_min", 30) if row is not None else 30
    try:
        return max(0, int(tolerance))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 30


def sync_sleep(s: Session, ctx: AppContext, day: date, target_bedtime: time) -> tuple[TickChange, ...]:
    """``target_bedtime`` is the profile's bedtime (read it before the transaction)."""
    s.flush()
    entry = s.scalar(select(SleepEntry).where(SleepEntry.day == day))
    hours = on_time = cool_dark = screens_off = None
    if entry is not None:
        tz = ctx.clock.now().tzinfo
        bed_local = entry.bedtime.astimezone(tz)
        hours = round((entry.wake - entry.bedtime).total_seconds() / 3600, 2)
        on_time = intervals.bedtime_consistent(bed_local.time(), target_bedtime, sleep_tolerance(s))
        cool_dark, screens_off = entry.cool_dark, entry.screens_off
    return _changes(
        set_item(s, ctx, "sleep_duration", day, source=SLEEP, value=hours),
        set_item(s, ctx, "bedtime_consistent", day, source=SLEEP, done=bool(on_time)),
        set_item(s, ctx, "bedroom_cool_dark", day, source=SLEEP, done=bool(cool_dark)),
        set_item(s, ctx, "screens_off", day, source=SLEEP, done=bool(screens_off)),
    )


def sync_breathing(s: Session, ctx: AppContext, day: date) -> tuple[TickChange, ...]:
    s.flush()
    total = s.scalar(select(func.sum(BreathingSession.minutes)).where(BreathingSession.day == day))
    value = round(float(total), 1) if total else None
    return _changes(set_item(s, ctx, "breathing", day, source=BREATHING, value=value))


def meal_prompt(s: Session, day: date) -> bool:
    """Whether to encourage the post-training meal: the day has training and the meal is not done yet."""
    row = _habit(s, MEAL_KEY)
    if row is None or row.status != "active":
        return False
    trained = s.scalar(select(func.count()).select_from(HiitSession).where(
        HiitSession.day == day, HiitSession.completed_rounds >= 1)) or s.scalar(
        select(func.count()).select_from(ResistanceSet).join(ResistanceSession).where(ResistanceSession.day == day))
    if not trained:
        return False
    c = s.scalar(select(CheckOff).where(CheckOff.habit_id == row.id, CheckOff.day == day))
    return not (c is not None and c.done)
