"""The user's habits: seeded from the catalog, added, edited, reordered, paused and archived.

History is never deleted: archiving hides a habit from the checklist and keeps its check-offs.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from igfcoach.core.catalog import load_catalog, with_body_weight
from igfcoach.core.habits import HabitSpec, Schedule, Target
from igfcoach.store.models import Habit

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

ACTIVE, PAUSED, ARCHIVED = "active", "paused", "archived"


class HabitError(ValueError):
    """Bad input for a habit; the message names the field."""


class UnknownHabit(HabitError):
    def __init__(self, key: str, known: Iterable[str]) -> None:
        known = sorted(known)
        close = difflib.get_close_matches(key, known, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known keys: {', '.join(known)}"
        super().__init__(f"no habit with key {key!r}{hint}")
        self.key = key
        self.suggestions = close


def spec_of(row: Habit) -> HabitSpec:
    """The core's view of a stored habit."""
    target = None
    if row.kind == "measured" and row.target_value is not None:
        target = Target(
            value=row.target_value,
            unit=row.unit or "units",
            direction=row.target_direction or "at_least",  # type: ignore[arg-type]
            per_kg=row.target_per_kg,
        )
    return HabitSpec(
        key=row.key,
        category=row.category,
        title=row.title,
        why=row.why,
        details=row.details,
        kind=row.kind,  # type: ignore[arg-type]
        target=target,
        schedule=Schedule.parse(row.schedule),
        flags=frozenset(f for f in row.flags.split(",") if f),
        order=row.position,
        caution=row.caution,
        params=tuple((row.params or {}).items()),
    )


def _apply_spec(row: Habit, spec: HabitSpec) -> None:
    row.category = spec.category
    row.title = spec.title
    row.why = spec.why
    row.details = spec.details
    row.kind = spec.kind
    row.unit = spec.target.unit if spec.target else None
    row.target_value = spec.target.value if spec.target else None
    row.target_direction = spec.target.direction if spec.target else None
    row.target_per_kg = spec.target.per_kg if spec.target else None
    row.schedule = str(spec.schedule)
    row.flags = ",".join(sorted(spec.flags))
    row.caution = spec.caution
    row.params = dict(spec.params)


def is_seeded(ctx: AppContext) -> bool:
    with ctx.db.transaction() as s:
        return bool(s.scalar(select(func.count()).select_from(Habit)))


def seed_from_catalog(
    ctx: AppContext, *, weight_kg: float | None = None, enable_optional: Iterable[str] = ()
) -> int:
    """Add the catalog's habits that are not there yet (optional ones only when asked). Returns how many."""
    with ctx.db.transaction() as s:
        return seed_from_catalog_in(s, ctx.clock.now(), weight_kg=weight_kg, enable_optional=enable_optional)


def seed_from_catalog_in(
    s: Session, now: datetime, *, weight_kg: float | None = None, enable_optional: Iterable[str] = ()
) -> int:
    """`seed_from_catalog` inside a caller's transaction."""
    wanted_optional = set(enable_optional)
    added = 0
    existing = set(s.scalars(select(Habit.catalog_key)))
    position = _next_position(s)
    for spec in load_catalog():
        if spec.key in existing:
            continue
        if not spec.enabled_by_default and spec.key not in wanted_optional:
            continue
        if weight_kg is not None:
            spec = with_body_weight(spec, weight_kg)
        row = Habit(key=spec.key, catalog_key=spec.key, position=position, status=ACTIVE, created_at=now)
        _apply_spec(row, spec)
        s.add(row)
        position += 1
        added += 1
    return added


def _next_position(s: Session) -> int:
    return (s.scalar(select(func.max(Habit.position))) or 0) + 1


def list_habits(ctx: AppContext, *, include_archived: bool = False) -> list[tuple[HabitSpec, str]]:
    """(spec, status) in checklist order."""
    with ctx.db.transaction() as s:
        q = select(Habit)
        if not include_archived:
            q = q.where(Habit.status != ARCHIVED)
        rows = list(s.scalars(q))
        pairs = [(spec_of(r), r.status) for r in rows]
    return sorted(pairs, key=lambda p: (p[0].sort_key[0], p[0].order, p[0].key))


def get_row(s: Session, key: str) -> Habit:
    row = s.scalar(select(Habit).where(Habit.key == key))
    if row is None:
        raise UnknownHabit(key, s.scalars(select(Habit.key).where(Habit.status != ARCHIVED)))
    return row


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = "habit_" + slug
    return slug[:32].rstrip("_")


def add_habit(ctx: AppContext, spec: HabitSpec) -> str:
    """Add the user's own habit (the key is made from the title when not given). Returns the key."""
    now = ctx.clock.now()
    with ctx.db.transaction() as s:
        base = spec.key if spec.key and spec.key != "new" else _slug(spec.title)
        key, n = base, 1
        while s.scalar(select(Habit.id).where(Habit.key == key)) is not None:
            n += 1
            key = f"{base[:36]}_{n}"
        spec = dataclasses.replace(spec, key=key)
        row = Habit(key=key, catalog_key=None, position=_next_position(s), status=ACTIVE, created_at=now)
        _apply_spec(row, spec)
        s.add(row)
    return key


def update_habit(ctx: AppContext, key: str, spec: HabitSpec) -> None:
    """Save an edited habit (its key stays, so history stays attached)."""
    with ctx.db.transaction() as s:
        row = get_row(s, key)
        _apply_spec(row, dataclasses.replace(spec, key=key))


def set_status(ctx: AppContext, key: str, status: str) -> str:
    """Pause, resume or archive; returns the previous status (for undo)."""
    if status not in (ACTIVE, PAUSED, ARCHIVED):
        raise HabitError(f"status {status!r} is not one of active, paused, archived")
    with ctx.db.transaction() as s:
        row = get_row(s, key)
        previous = row.status
        row.status = status
        row.archived_at = ctx.clock.now() if status == ARCHIVED else None
    return previous


def reorder(ctx: AppContext, keys_in_order: list[str]) -> None:
    """Store a new order for the given habits (the others keep theirs)."""
    with ctx.db.transaction() as s:
        rows = {r.key: r for r in s.scalars(select(Habit).where(Habit.key.in_(keys_in_order)))}
        missing = [k for k in keys_in_order if k not in rows]
        if missing:
            raise UnknownHabit(missing[0], rows)
        positions = sorted(r.position for r in rows.values())
        for key, position in zip(keys_in_order, positions, strict=True):
            rows[key].position = position


def set_body_weight_in(s: Session, weight_kg: float) -> None:
    """Recompute weight-based targets (protein) for a new body weight, inside a caller's transaction."""
    for row in s.scalars(select(Habit).where(Habit.target_per_kg.is_not(None))):
        _apply_spec(row, with_body_weight(spec_of(row), weight_kg))


def ensure_seeded(ctx: AppContext) -> None:
    """A data dir used from the command line before the first-run wizard gets the default checklist."""
    if not is_seeded(ctx):
        from igfcoach.services import settings

        seed_from_catalog(ctx, weight_kg=settings.get(ctx, "weight_kg"))
