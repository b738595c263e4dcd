"""The daily checklist: what is due on a day, what was done, and recording a tick, value, note or skip.

Every write is one transaction. Scores and streaks are computed by the core from the stored records.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select
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


# The strength score forgets geometrically (half-life 13/√f days), so two years of history give it to well
# under 0.0001 for any schedule; the Today page reads only that window. A streak that reaches back to the
# window's start is recounted over the whole history.
SCORE_WINDOW_DAYS = 730

_ROW_COLUMNS = (CheckOff.habit_id, CheckOff.day, CheckOff.done, CheckOff.value, CheckOff.skipped, CheckOff.note)


def _record(c: CheckOff) -> scores.DayRecord:
    return scores.DayRecord(day=c.day, done=c.done, value=c.value, skipped=c.skipped)


def _policy(ctx: AppContext):
    from igfcoach.services.safety import current_policy

    return current_policy(ctx)


def _read_rows(s: Session, day: date, habit_id: int | None = None, since: date | None = None):
    """(habit_id, day, done, value, skipped, note) tuples up to `day`, oldest first (plain rows: fast)."""
    q = select(*_ROW_COLUMNS).where(CheckOff.day <= day)
    if since is not None:
        q = q.where(CheckOff.day >= since)
    if habit_id is not None:
        q = q.where(CheckOff.habit_id == habit_id)
    return s.execute(q.order_by(CheckOff.day)).all()


def _item(s: Session, spec: HabitSpec, habit_id: int, rows: list, day: date, today: date,
          start: date, policy) -> ChecklistItem:
    """Build one item from its rows (which cover at least the score window before `day`)."""
    records = [scores.DayRecord(day=r.day, done=r.done, value=r.value, skipped=r.skipped) for r in rows]
    row = rows[-1] if rows and rows[-1].day == day else None
    record = records[-1] if row is not None else None
    done_days = {r.day for r in records if scores.is_completed(spec, r)}
    done = scores.is_completed(spec, record)
    # Today's not-yet-done item does not pull the strength down before the day is over.
    score_day = day - timedelta(days=1) if (day >= today and not done) else day
    window_start = max(start, day - timedelta(days=SCORE_WINDOW_DAYS))
    strength = scores.score_on(spec, records, window_start, score_day) if score_day >= window_start else 0.0
    streak = scores.current_streak(spec, records, day)
    unit_days = 7 if spec.schedule.kind == "per_week" else 1
    if start < window_start and streak * unit_days >= (day - window_start).days - 14:
        full = [scores.DayRecord(day=r.day, done=r.done, value=r.value, skipped=r.skipped)
                for r in _read_rows(s, day, habit_id)]
        streak = scores.current_streak(spec, full, day)
    per_week = spec.schedule.kind == "per_week"
    return ChecklistItem(
        spec=spec,
        record=record,
        note=row.note if row is not None else None,
        due=is_due(spec.schedule, day, done_days),
        scheduled=is_scheduled_day(spec.schedule, day),
        done=done,
        week=week_progress(spec.schedule, day, done_days) if per_week else None,
        streak=streak,
        strength=strength,
        encouraged=habit_encouraged(spec.flags, policy),
    )


def _first_days(s: Session) -> dict[int, date]:
    return dict(s.execute(select(CheckOff.habit_id, func.min(CheckOff.day)).group_by(CheckOff.habit_id)).all())


def day_checklist(ctx: AppContext, day: date | None = None) -> list[ChecklistItem]:
    """Every active habit the safety rules allow, in checklist order, as it stands on `day`."""
    today = ctx.today()
    day = day or today
    policy = _policy(ctx)
    items = []
    with ctx.db.transaction() as s:
        habits_rows = list(s.scalars(select(Habit).where(Habit.status == ACTIVE)))
        first = _first_days(s)
        by_habit: dict[int, list] = defaultdict(list)
        for r in _read_rows(s, day, since=day - timedelta(days=SCORE_WINDOW_DAYS + 7)):
            by_habit[r.habit_id].append(r)
        for row in habits_rows:
            spec = spec_of(row)
            if not habit_allowed(spec.flags, policy):
                continue
            start = min(row.created_at.date(), first.get(row.id, row.created_at.date()))
            items.append(_item(s, spec, row.id, by_habit[row.id], day, today, start, policy))
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
    policy = _policy(ctx)
    with ctx.db.transaction() as s:
        row = get_row(s, key)
        first = s.scalar(select(func.min(CheckOff.day)).where(CheckOff.habit_id == row.id))
        start = min(row.created_at.date(), first or row.created_at.date())
        rows = list(_read_rows(s, day, row.id, since=day - timedelta(days=SCORE_WINDOW_DAYS + 7)))
        return _item(s, spec_of(row), row.id, rows, day, today, start, policy)


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
