"""HIIT and resistance sessions: log, edit, delete (with undo) and history; saved HIIT plans; the exercise
list and "last time" numbers.

Every write is one transaction that also ticks or unticks the day's checklist items (see
``services/autotick.py`` for the rules). Deletes return what they removed so the UI can undo exactly
(``restore_*`` puts the same rows back, with the same ids).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from igfcoach.core import intervals
from igfcoach.core.intervals import IntervalPlan, PracticeInputError, SetSpec
from igfcoach.services import autotick
from igfcoach.services.autotick import Deleted, Logged
from igfcoach.store.models import Exercise, HiitPlan, HiitSession, ResistanceSession, ResistanceSet
from igfcoach.store.models.training import BUILTIN_EXERCISES

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

MAX_NAME = 80
MAX_EXERCISE = 100
MAX_NOTES = 2000


class NotFound(PracticeInputError):
    def __init__(self, what: str, ident: int) -> None:
        super().__init__("id", f"no {what} with id {ident}")


def _notes(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > MAX_NOTES:
        raise PracticeInputError("notes", f"{len(text)} characters is more than {MAX_NOTES}")
    return text


def load_unit(ctx: AppContext) -> str:
    """The person's load unit (profile), kg or lb."""
    from igfcoach.services import profile

    unit = profile.load(ctx).load_unit
    return unit if unit in intervals.LOAD_UNITS else "kg"


# --- HIIT --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HiitEntry:
    """A HIIT session as logged (``completed_rounds`` None means the whole plan)."""

    day: date
    plan: IntervalPlan
    completed_rounds: int | None = None
    rpe: int | None = None
    notes: str = ""
    started_at: datetime | None = None
    plan_name: str | None = None
    id: int | None = None

    @property
    def rounds_done(self) -> int:
        return self.plan.rounds if self.completed_rounds is None else self.completed_rounds


def _validated_hiit(entry: HiitEntry) -> HiitEntry:
    plan = intervals.validate_plan(entry.plan)
    completed = plan.rounds if entry.completed_rounds is None else entry.completed_rounds
    completed = intervals.validate_completed_rounds(completed, plan)
    name = (entry.plan_name or "").strip() or None
    if name and len(name) > MAX_NAME:
        raise PracticeInputError("plan name", f"is longer than {MAX_NAME} characters")
    return dataclasses.replace(entry, plan=plan, completed_rounds=completed, rpe=intervals.validate_rpe(entry.rpe),
                               notes=_notes(entry.notes), plan_name=name)


def _hiit_entry(row: HiitSession) -> HiitEntry:
    return HiitEntry(
        day=row.day,
        plan=IntervalPlan(row.warmup_s, row.work_s, row.rest_s, row.rounds, row.cooldown_s),
        completed_rounds=row.completed_rounds,
        rpe=row.rpe,
        notes=row.notes or "",
        started_at=row.started_at,
        plan_name=row.plan_name,
        id=row.id,
    )


def _fill_hiit(row: HiitSession, e: HiitEntry) -> None:
    row.day, row.started_at, row.plan_name = e.day, e.started_at, e.plan_name
    row.warmup_s, row.work_s, row.rest_s = e.plan.warmup_s, e.plan.work_s, e.plan.rest_s
    row.rounds, row.cooldown_s = e.plan.rounds, e.plan.cooldown_s
    row.completed_rounds, row.rpe, row.notes = e.rounds_done, e.rpe, e.notes


def log_hiit(ctx: AppContext, entry: HiitEntry) -> Logged:
    """Store a HIIT session and tick ``hiit`` for its day (one transaction)."""
    e = _validated_hiit(entry)
    autotick.check_day(ctx, e.day)
    with ctx.db.transaction() as s:
        row = HiitSession(id=entry.id)
        _fill_hiit(row, e)
        s.add(row)
        s.flush()
        changes = autotick.sync_hiit(s, ctx, e.day)
        return Logged(row.id, e.day, changes, autotick.meal_prompt(s, e.day))


def update_hiit(ctx: AppContext, session_id: int, entry: HiitEntry) -> Logged:
    """Save an edited session; both the old and the new day are recomputed."""
    e = _validated_hiit(entry)
    autotick.check_day(ctx, e.day)
    with ctx.db.transaction() as s:
        row = s.get(HiitSession, session_id)
        if row is None:
            raise NotFound("HIIT session", session_id)
        old_day = row.day
        _fill_hiit(row, e)
        changes = autotick.sync_hiit(s, ctx, e.day)
        if old_day != e.day:
            changes += autotick.sync_hiit(s, ctx, old_day)
        return Logged(row.id, e.day, changes, autotick.meal_prompt(s, e.day))


def delete_hiit(ctx: AppContext, session_id: int) -> Deleted:
    """Delete a session and untick what it ticked; the result's ``entry`` undoes it via ``restore_hiit``."""
    with ctx.db.transaction() as s:
        row = s.get(HiitSession, session_id)
        if row is None:
            raise NotFound("HIIT session", session_id)
        entry = _hiit_entry(row)
        s.delete(row)
        return Deleted(entry, autotick.sync_hiit(s, ctx, entry.day))


def restore_hiit(ctx: AppContext, entry: HiitEntry) -> Logged:
    """Undo a delete: the same session back under its old id."""
    with ctx.db.transaction() as s:
        row = HiitSession(id=entry.id)
        _fill_hiit(row, entry)
        s.add(row)
        s.flush()
        return Logged(row.id, entry.day, autotick.sync_hiit(s, ctx, entry.day), autotick.meal_prompt(s, entry.day))


def list_hiit(ctx: AppContext, limit: int = 200) -> list[HiitEntry]:
    """Newest first."""
    with ctx.db.transaction() as s:
        rows = s.scalars(select(HiitSession).order_by(HiitSession.day.desc(), HiitSession.id.desc()).limit(limit))
        return [_hiit_entry(r) for r in rows]


def get_hiit(ctx: AppContext, session_id: int) -> HiitEntry:
    with ctx.db.transaction() as s:
        row = s.get(HiitSession, session_id)
        if row is None:
            raise NotFound("HIIT session", session_id)
        return _hiit_entry(row)


# --- HIIT plans --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamedPlan:
    name: str
    plan: IntervalPlan
    builtin: bool = False


def list_plans(ctx: AppContext) -> list[NamedPlan]:
    """The built-in plans, then the person's own by name."""
    out = [NamedPlan(name, plan, True) for name, plan in intervals.BUILTIN_PLANS]
    with ctx.db.transaction() as s:
        for r in s.scalars(select(HiitPlan).order_by(func.lower(HiitPlan.name))):
            out.append(NamedPlan(r.name, IntervalPlan(r.warmup_s, r.work_s, r.rest_s, r.rounds, r.cooldown_s)))
    return out


def _plan_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise PracticeInputError("plan name", "is empty")
    if len(name) > MAX_NAME:
        raise PracticeInputError("plan name", f"is longer than {MAX_NAME} characters")
    if any(name.lower() == b.lower() for b, _ in intervals.BUILTIN_PLANS):
        raise PracticeInputError("plan name", f"{name!r} is a built-in plan; choose another name")
    return name


def save_plan(ctx: AppContext, name: str, plan: IntervalPlan) -> NamedPlan:
    """Save (or overwrite) a plan under a name."""
    name, plan = _plan_name(name), intervals.validate_plan(plan)
    with ctx.db.transaction() as s:
        row = s.scalar(select(HiitPlan).where(func.lower(HiitPlan.name) == name.lower()))
        if row is None:
            row = HiitPlan(name=name)
            s.add(row)
        row.warmup_s, row.work_s, row.rest_s = plan.warmup_s, plan.work_s, plan.rest_s
        row.rounds, row.cooldown_s = plan.rounds, plan.cooldown_s
        return NamedPlan(row.name, plan)


def delete_plan(ctx: AppContext, name: str) -> NamedPlan:
    """Delete a saved plan; returns it (save it again to undo)."""
    with ctx.db.transaction() as s:
        row = s.scalar(select(HiitPlan).where(HiitPlan.name == name))
        if row is None:
            raise PracticeInputError("plan name", f"no saved plan called {name!r}")
        plan = NamedPlan(row.name, IntervalPlan(row.warmup_s, row.work_s, row.rest_s, row.rounds, row.cooldown_s))
        s.delete(row)
        return plan


# --- exercises ---------------------------------------------------------------------------------------


def _exercise_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise PracticeInputError("exercise", "is empty")
    if len(name) > MAX_EXERCISE:
        raise PracticeInputError("exercise", f"is longer than {MAX_EXERCISE} characters")
    return name


def _ensure_exercise(s: Session, name: str) -> str:
    """The stored spelling of an exercise (case-insensitive match), adding the person's own if new."""
    name = _exercise_name(name)
    row = s.scalar(select(Exercise).where(func.lower(Exercise.name) == name.lower()))
    if row is None:
        row = Exercise(name=name, builtin=name in BUILTIN_EXERCISES)
        s.add(row)
        s.flush()
    return row.name


def list_exercises(ctx: AppContext) -> list[tuple[str, bool]]:
    """(name, builtin): the built-in lifts in their usual order, then the person's own alphabetically."""
    with ctx.db.transaction() as s:
        rows = [(r.name, r.builtin) for r in s.scalars(select(Exercise))]
    own = sorted(((n, False) for n, _ in rows if n not in BUILTIN_EXERCISES), key=lambda p: p[0].lower())
    return [(n, True) for n in BUILTIN_EXERCISES] + own


def add_exercise(ctx: AppContext, name: str) -> str:
    with ctx.db.transaction() as s:
        return _ensure_exercise(s, name)


# --- resistance --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetEntry:
    exercise: str
    reps: int
    load: float
    unit: str = "kg"
    to_failure: bool = False
    rest_s: int | None = None
    set_no: int = 0
    id: int | None = None

    @property
    def spec(self) -> SetSpec:
        return SetSpec(self.reps, self.load, self.unit, self.to_failure)

    def label(self, unit: str | None = None) -> str:
        return intervals.format_set(self.spec, unit)


@dataclass(frozen=True)
class ResistanceEntry:
    day: date
    sets: tuple[SetEntry, ...] = ()
    notes: str = ""
    started_at: datetime | None = None
    id: int | None = None

    def volume(self, unit: str) -> float:
        return intervals.session_volume((x.spec for x in self.sets), unit)

    def exercises(self) -> list[str]:
        seen: list[str] = []
        for x in self.sets:
            if x.exercise not in seen:
                seen.append(x.exercise)
        return seen


def _validated_set(x: SetEntry) -> SetEntry:
    spec = intervals.validate_set(x.reps, x.load, x.unit)
    rest = x.rest_s
    if rest is not None:
        rest = intervals.whole_in_range("rest", rest, 0, 3600, unit="s")
    return dataclasses.replace(x, exercise=_exercise_name(x.exercise), reps=spec.reps, load=spec.load,
                               to_failure=bool(x.to_failure), rest_s=rest)


def _set_entry(r: ResistanceSet) -> SetEntry:
    return SetEntry(r.exercise, r.reps, r.load, r.unit, r.to_failure, r.rest_s, r.set_no, r.id)


def _resistance_entry(row: ResistanceSession) -> ResistanceEntry:
    return ResistanceEntry(row.day, tuple(_set_entry(x) for x in sorted(row.sets, key=lambda x: x.id)),
                           row.notes or "", row.started_at, row.id)


def _write_sets(s: Session, row: ResistanceSession, sets: tuple[SetEntry, ...], *, keep_ids: bool = False) -> None:
    for x in list(row.sets):
        s.delete(x)
    s.flush()
    numbers: dict[str, int] = {}
    for x in sets:
        name = _ensure_exercise(s, x.exercise)
        numbers[name] = numbers.get(name, 0) + 1
        s.add(ResistanceSet(
            id=x.id if keep_ids else None, session_id=row.id, exercise=name,
            set_no=x.set_no if keep_ids and x.set_no else numbers[name],
            reps=x.reps, load=x.load, unit=x.unit, to_failure=x.to_failure, rest_s=x.rest_s))
    s.flush()
    s.expire(row, ["sets"])


def _validated_resistance(entry: ResistanceEntry, *, need_sets: bool = True) -> ResistanceEntry:
    if need_sets and not entry.sets:
        raise PracticeInputError("sets", "a session needs at least one set")
    return dataclasses.replace(entry, sets=tuple(_validated_set(x) for x in entry.sets), notes=_notes(entry.notes))


def log_resistance(ctx: AppContext, entry: ResistanceEntry) -> Logged:
    """Store a session with its sets and tick ``resistance`` for its day (one transaction)."""
    e = _validated_resistance(entry)
    autotick.check_day(ctx, e.day)
    with ctx.db.transaction() as s:
        row = ResistanceSession(day=e.day, started_at=e.started_at, notes=e.notes)
        s.add(row)
        s.flush()
        _write_sets(s, row, e.sets)
        changes = autotick.sync_resistance(s, ctx, e.day)
        return Logged(row.id, e.day, changes, autotick.meal_prompt(s, e.day))


def add_set(ctx: AppContext, session_id: int | None, item: SetEntry, *, day: date | None = None,
            started_at: datetime | None = None) -> Logged:
    """Add one set to a session (a new session for ``day``, default today, when ``session_id`` is None)."""
    x = _validated_set(item)
    day = autotick.check_day(ctx, day or ctx.today())
    with ctx.db.transaction() as s:
        if session_id is None:
            row = ResistanceSession(day=day, started_at=started_at or ctx.clock.now(), notes="")
            s.add(row)
            s.flush()
        else:
            row = s.get(ResistanceSession, session_id)
            if row is None:
                raise NotFound("resistance session", session_id)
        name = _ensure_exercise(s, x.exercise)
        n = s.scalar(select(func.count()).select_from(ResistanceSet).where(
            ResistanceSet.session_id == row.id, ResistanceSet.exercise == name)) or 0
        s.add(ResistanceSet(session_id=row.id, exercise=name, set_no=n + 1, reps=x.reps, load=x.load, unit=x.unit,
                            to_failure=x.to_failure, rest_s=x.rest_s))
        s.flush()
        changes = autotick.sync_resistance(s, ctx, row.day)
        return Logged(row.id, row.day, changes, autotick.meal_prompt(s, row.day))


def update_resistance(ctx: AppContext, session_id: int, entry: ResistanceEntry) -> Logged:
    """Replace a session's day, notes and sets (sets are renumbered per exercise)."""
    e = _validated_resistance(entry)
    autotick.check_day(ctx, e.day)
    with ctx.db.transaction() as s:
        row = s.get(ResistanceSession, session_id)
        if row is None:
            raise NotFound("resistance session", session_id)
        old_day = row.day
        row.day, row.notes = e.day, e.notes
        _write_sets(s, row, e.sets)
        changes = autotick.sync_resistance(s, ctx, e.day)
        if old_day != e.day:
            changes += autotick.sync_resistance(s, ctx, old_day)
        return Logged(row.id, e.day, changes, autotick.meal_prompt(s, e.day))


def delete_resistance(ctx: AppContext, session_id: int) -> Deleted:
    with ctx.db.transaction() as s:
        row = s.get(ResistanceSession, session_id)
        if row is None:
            raise NotFound("resistance session", session_id)
        entry = _resistance_entry(row)
        s.delete(row)
        return Deleted(entry, autotick.sync_resistance(s, ctx, entry.day))


def delete_set(ctx: AppContext, set_id: int) -> Deleted:
    """Delete one set (and its session when it was the last); ``entry`` is the whole session before, so
    ``restore_resistance`` undoes it."""
    with ctx.db.transaction() as s:
        x = s.get(ResistanceSet, set_id)
        if x is None:
            raise NotFound("set", set_id)
        row = x.session
        entry = _resistance_entry(row)
        s.delete(x)
        s.flush()
        s.expire(row, ["sets"])
        if not row.sets:
            s.delete(row)
        return Deleted(entry, autotick.sync_resistance(s, ctx, entry.day))


def restore_resistance(ctx: AppContext, entry: ResistanceEntry) -> Logged:
    """Put a session back exactly as ``entry`` (same ids), replacing what is stored under its id now."""
    with ctx.db.transaction() as s:
        row = s.get(ResistanceSession, entry.id) if entry.id is not None else None
        old_day = row.day if row is not None else entry.day
        if row is None:
            row = ResistanceSession(id=entry.id)
            s.add(row)
        row.day, row.notes, row.started_at = entry.day, entry.notes, entry.started_at
        s.flush()
        _write_sets(s, row, entry.sets, keep_ids=True)
        changes = autotick.sync_resistance(s, ctx, entry.day)
        if old_day != entry.day:
            changes += autotick.sync_resistance(s, ctx, old_day)
        return Logged(row.id, entry.day, changes, autotick.meal_prompt(s, entry.day))


def get_resistance(ctx: AppContext, session_id: int) -> ResistanceEntry:
    with ctx.db.transaction() as s:
        row = s.get(ResistanceSession, session_id)
        if row is None:
            raise NotFound("resistance session", session_id)
        return _resistance_entry(row)


def list_resistance(ctx: AppContext, limit: int = 200) -> list[ResistanceEntry]:
    """Newest first."""
    with ctx.db.transaction() as s:
        rows = s.scalars(select(ResistanceSession).order_by(
            ResistanceSession.day.desc(), ResistanceSession.id.desc()).limit(limit))
        return [_resistance_entry(r) for r in rows]


@dataclass(frozen=True)
class LastTime:
    day: date
    sets: tuple[SetEntry, ...]

    def label(self, unit: str) -> str:
        return ", ".join(x.label(unit) for x in self.sets)


def last_sets(ctx: AppContext, exercise: str, *, exclude_session: int | None = None) -> LastTime | None:
    """The sets of ``exercise`` in the most recent session that had it (other than ``exclude_session``)."""
    name = " ".join((exercise or "").split())
    if not name:
        return None
    with ctx.db.transaction() as s:
        q = (select(ResistanceSession).join(ResistanceSet)
             .where(func.lower(ResistanceSet.exercise) == name.lower())
             .order_by(ResistanceSession.day.desc(), ResistanceSession.id.desc()))
        if exclude_session is not None:
            q = q.where(ResistanceSession.id != exclude_session)
        row = s.scalars(q.limit(1)).first()
        if row is None:
            return None
        sets = tuple(_set_entry(x) for x in sorted(row.sets, key=lambda x: x.id)
                     if x.exercise.lower() == name.lower())
        return LastTime(row.day, sets)
