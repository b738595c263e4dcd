"""The daily checklist: what is due on a day, what was done, and recording a tick, value, note or skip.

Every write is one transaction. Scores and streaks are computed by the core from the stored records.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from igfcoach.core import scores
from igfcoach.core.habits import HabitSpec
from igfcoach.core.safety import habit_allowed, habit_encouraged
from igfcoach.core.schedule import is_due, is_scheduled_day, week_progress
from igfcoach.services.habits import ACTIVE, HabitError, get_row, spec_of
from igfcoach.store.models import CheckOff, Habit

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

# Largest believable value per unit; anything above is a typo.
MAX_VALUE = {"h": 24.0, "min": 1440.0, "g": 1000.0}


class CheckError(HabitError):
    """Bad input for a check-off; the message names what is wrong."""


@dataclass(frozen=True)
class ChecklistItem:
    spec: HabitSpec
    record: scores.DayRecord | None
    note: str | None
    due: bool  # due on this day (per-week habits stop being due once the week's target is met)
    scheduled: bool  # the schedule includes this day at all
    done: bool  # completed: ticked, or the measured value meets the target
    week: tuple[int, int] | None  # (done, target) for N-per-week habits
    streak: int
    strength: float  # 0..1
    encouraged: bool

    @property
    def skipped(self) -> bool:
        return self.record is not None and self.record.skipped

    @property
    def value(self) -> float | None:
        return self.record.value if self.record else None


@dataclass(frozen=True)
class Snapshot:
    """A check-off as it was, so the UI can undo a change exactly."""

    key: str
    day: date
    existed: bool
    done: bool = False
    value: float | None = None
    note: str | None = None
    skipped: bool = False


def _record(c: CheckOff) -> scores.DayRecord:
    return scores.DayRecord(day=c.day, done=c.done, value=c.value, skipped=c.skipped)


def _policy(ctx: AppContext):
    from igfcoach.services.safety import current_policy

    return current_policy(ctx)


def _item(ctx: AppContext, spec: HabitSpec, history: list[CheckOff], day: date, today: date,
          start: date, policy) -> ChecklistItem:
    records = [_record(c) for c in history if c.day <= day]
    by_day = {c.day: c for c in history}
    row = by_day.get(day)
    record = _record(row) if row else None
    done_days = {r.day for r in records if scores.is_completed(spec, r)}
    done = scores.is_completed(spec, record)
    # Today's not-yet-done item does not pull the strength down before the day is over.
    score_day = day - timedelta(days=1) if (day >= today and not done) else day
    strength = scores.score_on(spec, records, start, score_day) if score_day >= start else 0.0
    per_week = spec.schedule.kind == "per_week"
    return ChecklistItem(
        spec=spec,
        record=record,
        note=row.note if row else None,
        due=is_due(spec.schedule, day, done_days),
        scheduled=is_scheduled_day(spec.schedule, day),
        done=done,
        week=week_progress(spec.schedule, day, done_days) if per_week else None,
        streak=scores.current_streak(spec, records, day),
        strength=strength,
        encouraged=habit_encouraged(spec.flags, policy),
    )


def day_checklist(ctx: AppContext, day: date | None = None) -> list[ChecklistItem]:
    """Every active habit the safety rules allow, in checklist order, as it stands on `day`."""
    today = ctx.today()
    day = day or today
    policy = _policy(ctx)
    with ctx.db.transaction() as s:
        rows = list(s.scalars(select(Habit).where(Habit.status == ACTIVE)))
        history: dict[int, list[CheckOff]] = defaultdict(list)
        for c in s.scalars(select(CheckOff).where(CheckOff.day <= day).order_by(CheckOff.day)):
            history[c.habit_id].append(c)
    items = []
    for row in rows:
        spec = spec_of(row)
        if not habit_allowed(spec.flags, policy):
            continue
        start = min([row.created_at.date()] + [c.day for c in history[row.id][:1]])
        items.append(_item(ctx, spec, history[row.id], day, today, start, policy))
    items.sort(key=lambda i: i.spec.sort_key)
    return items


def hidden_by_safety(ctx: AppContext) -> list[HabitSpec]:
    """Active habits the safety rules switch off right now (shown as a notice, not as items)."""
    policy = _policy(ctx)
    with ctx.db.transaction() as s:
        specs = [spec_of(r) for r in s.scalars(select(Habit).where(Habit.status == ACTIVE))]
    return [spec for spec in specs if not habit_allowed(spec.flags, policy)]


def item(ctx: AppContext, key: str, day: date) -> ChecklistItem:
    """One habit's item (cheaper than the whole list after a single change)."""
    today = ctx.today()
    with ctx.db.transaction() as s:
        row = get_row(s, key)
        spec = spec_of(row)
        history = list(s.scalars(
            select(CheckOff).where(CheckOff.habit_id == row.id, CheckOff.day <= day).order_by(CheckOff.day)
        ))
        start = min([row.created_at.date()] + [c.day for c in history[:1]])
    return _item(ctx, spec, history, day, today, start, _policy(ctx))


def _check_day(ctx: AppContext, day: date) -> None:
    if day > ctx.today():
        raise CheckError(f"date: {day.isoformat()} is in the future; you can only record today or earlier")


def _check_value(spec: HabitSpec, value: float | None) -> None:
    if value is None:
        return
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise CheckError(f"value: {value!r} is not a number")
    if value < 0:
        raise CheckError(f"value: {value:g} is negative")
    if spec.target is None:
        raise CheckError(f"value: {spec.key!r} is a simple check and takes no value")
    limit = MAX_VALUE.get(spec.target.unit)
    if limit is not None and value > limit:
        raise CheckError(f"value: {value:g} {spec.target.unit} is more than is possible in a day (at most {limit:g})")


def snapshot(ctx: AppContext, key: str, day: date) -> Snapshot:
    with ctx.db.transaction() as s:
        row = get_row(s, key)
        c = s.scalar(select(CheckOff).where(CheckOff.habit_id == row.id, CheckOff.day == day))
        if c is None:
            return Snapshot(key, day, existed=False)
        return Snapshot(key, day, True, c.done, c.value, c.note, c.skipped)


_UNSET = object()


def record(
    ctx: AppContext,
    key: str,
    day: date | None = None,
    *,
    done: bool | None = None,
    value: float | None | object = _UNSET,
    note: str | None | object = _UNSET,
    skipped: bool | None = None,
    source: str = "manual",
) -> Snapshot:
    """Change one habit's record for a day in one transaction; returns the state before, for undo.

    A measured habit is done when its value meets the target, so `done` is derived from `value` for it.
    """
    day = day or ctx.today()
    _check_day(ctx, day)
    with ctx.db.transaction() as s:
        return record_in(s, ctx, key, day, done=done, value=value, note=note, skipped=skipped, source=source)


def record_in(
    s: Session,
    ctx: AppContext,
    key: str,
    day: date,
    *,
    done: bool | None = None,
    value: float | None | object = _UNSET,
    note: str | None | object = _UNSET,
    skipped: bool | None = None,
    source: str = "manual",
) -> Snapshot:
    """`record` inside a caller's transaction (the caller checks the day), so a logged session and the
    ticks it makes are one unit of work."""
    row = get_row(s, key)
    spec = spec_of(row)
    if value is not _UNSET:
        _check_value(spec, value)  # type: ignore[arg-type]
    if done is not None and spec.target is not None and value is _UNSET and done:
        raise CheckError(
            f"value: {key!r} is measured in {spec.target.unit}; give the amount (target {spec.target.label})"
        )
    c = s.scalar(select(CheckOff).where(CheckOff.habit_id == row.id, CheckOff.day == day))
    before = Snapshot(key, day, c is not None, *(
        (c.done, c.value, c.note, c.skipped) if c is not None else (False, None, None, False)))
    if c is None:
        c = CheckOff(habit_id=row.id, day=day, done=False, value=None, note=None, skipped=False, source=source)
        s.add(c)
    if value is not _UNSET:
        c.value = value  # type: ignore[assignment]
        c.done = spec.target.is_met(c.value) if spec.target is not None else c.done
    if done is not None:
        c.done = done
        if not done and spec.target is not None:
            c.value = None
    if note is not _UNSET:
        c.note = (note or None)  # type: ignore[assignment]
    if skipped:  # a skipped day is neither done nor missed
        c.skipped, c.done, c.value = True, False, None
    elif skipped is False or c.done or c.value is not None:
        c.skipped = False
    c.source = source
    c.updated_at = ctx.clock.now()
    if not (c.done or c.value is not None or c.note or c.skipped):
        s.delete(c)
    return before


def restore(ctx: AppContext, snap: Snapshot) -> None:
    """Put a record back exactly as a snapshot saw it (undo)."""
    with ctx.db.transaction() as s:
        row = get_row(s, snap.key)
        c = s.scalar(select(CheckOff).where(CheckOff.habit_id == row.id, CheckOff.day == snap.day))
        if not snap.existed:
            if c is not None:
                s.delete(c)
            return
        if c is None:
            c = CheckOff(habit_id=row.id, day=snap.day, source="undo")
            s.add(c)
        c.done, c.value, c.note, c.skipped = snap.done, snap.value, snap.note, snap.skipped
        c.updated_at = ctx.clock.now()


def history(ctx: AppContext, key: str) -> list[scores.DayRecord]:
    with ctx.db.transaction() as s:
        row = get_row(s, key)
        return [_record(c) for c in s.scalars(
            select(CheckOff).where(CheckOff.habit_id == row.id).order_by(CheckOff.day))]
