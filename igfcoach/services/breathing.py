"""Breathing practice sessions: log, edit, delete (with undo) and history; the day's minutes (the sum of its
sessions) go to the ``breathing`` checklist item in the same transaction (see ``services/autotick.py``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from igfcoach.core import intervals
from igfcoach.core.intervals import PracticeInputError
from igfcoach.services import autotick
from igfcoach.services.autotick import Deleted, Logged
from igfcoach.store.models import BreathingSession

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext


@dataclass(frozen=True)
class BreathingEntry:
    day: date
    minutes: float
    pattern: str = intervals.DEFAULT_PATTERN
    started_at: datetime | None = None
    id: int | None = None

    @property
    def pattern_title(self) -> str:
        p = intervals.BREATH_PATTERNS.get(self.pattern)
        return p.title if p else self.pattern

    @property
    def pattern_short(self) -> str:
        p = intervals.BREATH_PATTERNS.get(self.pattern)
        return p.short if p else self.pattern


def _validated(ctx: AppContext, e: BreathingEntry) -> BreathingEntry:
    autotick.check_day(ctx, e.day)
    if e.pattern not in intervals.BREATH_PATTERNS:
        raise PracticeInputError("pattern", f"{e.pattern!r} is not one of {', '.join(intervals.BREATH_PATTERNS)}")
    minutes = round(intervals.validate_breathing_minutes(e.minutes), 1)
    return dataclasses.replace(e, minutes=minutes)


def _entry(r: BreathingSession) -> BreathingEntry:
    return BreathingEntry(r.day, r.minutes, r.pattern, r.started_at, r.id)


def log_breathing(ctx: AppContext, entry: BreathingEntry) -> Logged:
    e = _validated(ctx, entry)
    with ctx.db.transaction() as s:
        row = BreathingSession(day=e.day, minutes=e.minutes, pattern=e.pattern, started_at=e.started_at)
        s.add(row)
        s.flush()
        return Logged(row.id, e.day, autotick.sync_breathing(s, ctx, e.day))


def update_breathing(ctx: AppContext, session_id: int, entry: BreathingEntry) -> Logged:
    e = _validated(ctx, entry)
    with ctx.db.transaction() as s:
        row = s.get(BreathingSession, session_id)
        if row is None:
            raise PracticeInputError("id", f"no breathing session with id {session_id}")
        old_day = row.day
        row.day, row.minutes, row.pattern = e.day, e.minutes, e.pattern
        changes = autotick.sync_breathing(s, ctx, e.day)
        if old_day != e.day:
            changes += autotick.sync_breathing(s, ctx, old_day)
        return Logged(row.id, e.day, changes)


def delete_breathing(ctx: AppContext, session_id: int) -> Deleted:
    with ctx.db.transaction() as s:
        row = s.get(BreathingSession, session_id)
        if row is None:
            raise PracticeInputError("id", f"no breathing session with id {session_id}")
        entry = _entry(row)
        s.delete(row)
        return Deleted(entry, autotick.sync_breathing(s, ctx, entry.day))


def restore_breathing(ctx: AppContext, entry: BreathingEntry) -> Logged:
    with ctx.db.transaction() as s:
        row = BreathingSession(id=entry.id, day=entry.day, minutes=entry.minutes, pattern=entry.pattern,
                               started_at=entry.started_at)
        s.add(row)
        s.flush()
        return Logged(row.id, entry.day, autotick.sync_breathing(s, ctx, entry.day))


def list_breathing(ctx: AppContext, limit: int = 200) -> list[BreathingEntry]:
    """Newest first."""
    with ctx.db.transaction() as s:
        rows = s.scalars(select(BreathingSession).order_by(BreathingSession.day.desc(), BreathingSession.id.desc())
                         .limit(limit))
        return [_entry(r) for r in rows]


def day_minutes(ctx: AppContext, day: date) -> float:
    with ctx.db.transaction() as s:
        total = s.scalar(select(func.sum(BreathingSession.minutes)).where(BreathingSession.day == day))
        return round(float(total or 0), 1)
