"""Last night's sleep: log, edit, delete (with undo) and history, ticking the sleep items of the
wake-up day in the same transaction (see ``services/autotick.py``).

One entry per wake-up day. Bedtime and wake-up are wall-clock times in the person's zone; the bedtime is on
the evening before when it is later in the day than the wake time (see ``core.intervals.sleep_window``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from igfcoach.core import intervals
from igfcoach.core.intervals import PracticeInputError, SleepWindow
from igfcoach.services import autotick
from igfcoach.services.autotick import Deleted, Logged
from igfcoach.store.models import SleepEntry

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

MAX_NOTES = 2000


class SleepExists(PracticeInputError):
    def __init__(self, day: date) -> None:
        super().__init__("date", f"sleep for the night ending {day.isoformat()} is already logged; "
                                 "edit it (or replace it) instead")
        self.day = day


@dataclass(frozen=True)
class SleepInput:
    day: date  # the wake-up day
    bedtime: time
    wake_time: time
    quality: int | None = None
    cool_dark: bool = False
    screens_off: bool = False
    notes: str = ""


@dataclass(frozen=True)
class SleepRecord:
    id: int
    day: date
    bedtime: datetime  # aware, in the person's zone
    wake: datetime
    quality: int | None
    cool_dark: bool
    screens_off: bool
    notes: str

    @property
    def duration(self) -> timedelta:
        return self.wake - self.bedtime

    @property
    def hours(self) -> float:
        return self.duration.total_seconds() / 3600

    def to_input(self) -> SleepInput:
        return SleepInput(self.day, self.bedtime.time().replace(tzinfo=None), self.wake.time().replace(tzinfo=None),
                          self.quality, self.cool_dark, self.screens_off, self.notes)


@dataclass(frozen=True)
class SleepSummary:
    """What the form shows while typing: duration, and the bedtime against the target."""

    window: SleepWindow
    target: time
    tolerance_min: int
    deviation_min: int
    on_time: bool
    needs_confirmation: bool

    @property
    def hours(self) -> float:
        return self.window.hours

    def text(self) -> str:
        dev = intervals.format_deviation(self.deviation_min)
        where = "within" if self.on_time else "outside"
        timing = (f"right on your {self.target:%H:%M} target" if self.deviation_min == 0
                  else f"{dev} than your {self.target:%H:%M} target")
        return (f"{intervals.format_duration(self.window.duration)} of sleep · bedtime {timing} "
                f"({where} ±{self.tolerance_min} min)")


def _tz(ctx: AppContext):
    return ctx.clock.now().tzinfo


def _tolerance(ctx: AppContext) -> int:
    with ctx.db.transaction() as s:
        return autotick.sleep_tolerance(s)


def _target(ctx: AppContext) -> time:
    from igfcoach.services import profile

    return profile.load(ctx).bedtime


def summarize(ctx: AppContext, inp: SleepInput) -> SleepSummary:
    """Duration and bedtime deviation for the form (raises PracticeInputError for impossible times)."""
    window = intervals.sleep_window(inp.day, inp.bedtime, inp.wake_time, _tz(ctx))
    needs = False
    try:
        intervals.validate_sleep(window)
    except intervals.NeedsConfirmation:
        needs = True
    target, tolerance = _target(ctx), _tolerance(ctx)
    bed = inp.bedtime.replace(second=0, microsecond=0)
    return SleepSummary(window, target, tolerance, intervals.bedtime_deviation_min(bed, target),
                        intervals.bedtime_consistent(bed, target, tolerance), needs)


def _validated(ctx: AppContext, inp: SleepInput, confirm: bool) -> tuple[SleepInput, SleepWindow]:
    autotick.check_day(ctx, inp.day)
    for name, t in (("bedtime", inp.bedtime), ("wake time", inp.wake_time)):
        if not isinstance(t, time):
            raise PracticeInputError(name, f"{t!r} is not a time like 23:10")
    window = intervals.sleep_window(inp.day, inp.bedtime, inp.wake_time, _tz(ctx))
    quality = intervals.validate_sleep(window, confirm=confirm, quality=inp.quality)
    if window.wake > ctx.clock.now():
        raise PracticeInputError("wake time", f"{inp.wake_time:%H:%M} on {inp.day.isoformat()} is still to come")
    notes = (inp.notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise PracticeInputError("notes", f"{len(notes)} characters is more than {MAX_NOTES}")
    return dataclasses.replace(inp, quality=quality, notes=notes, cool_dark=bool(inp.cool_dark),
                               screens_off=bool(inp.screens_off)), window


def _fill(row: SleepEntry, inp: SleepInput, window: SleepWindow) -> None:
    row.day, row.bedtime, row.wake = inp.day, window.bedtime, window.wake
    row.quality, row.cool_dark, row.screens_off, row.notes = inp.quality, inp.cool_dark, inp.screens_off, inp.notes


def _record(ctx: AppContext, row: SleepEntry) -> SleepRecord:
    tz = _tz(ctx)
    return SleepRecord(row.id, row.day, row.bedtime.astimezone(tz), row.wake.astimezone(tz), row.quality,
                       row.cool_dark, row.screens_off, row.notes or "")


def log_sleep(ctx: AppContext, inp: SleepInput, *, confirm: bool = False, replace: bool = False) -> Logged:
    """Store a night and tick the sleep items of the wake-up day (one transaction).

    A night over 20 hours raises ``NeedsConfirmation`` unless ``confirm``; a day that already has an entry
    raises ``SleepExists`` unless ``replace``.
    """
    inp, window = _validated(ctx, inp, confirm)
    target = _target(ctx)
    with ctx.db.transaction() as s:
        row = s.scalar(select(SleepEntry).where(SleepEntry.day == inp.day))
        if row is not None and not replace:
            raise SleepExists(inp.day)
        if row is None:
            row = SleepEntry()
            s.add(row)
        _fill(row, inp, window)
        s.flush()
        return Logged(row.id, inp.day, autotick.sync_sleep(s, ctx, inp.day, target))


def update_sleep(ctx: AppContext, entry_id: int, inp: SleepInput, *, confirm: bool = False) -> Logged:
    inp, window = _validated(ctx, inp, confirm)
    target = _target(ctx)
    with ctx.db.transaction() as s:
        row = s.get(SleepEntry, entry_id)
        if row is None:
            raise PracticeInputError("id", f"no sleep entry with id {entry_id}")
        other = s.scalar(select(SleepEntry).where(SleepEntry.day == inp.day, SleepEntry.id != entry_id))
        if other is not None:
            raise SleepExists(inp.day)
        old_day = row.day
        _fill(row, inp, window)
        s.flush()
        changes = autotick.sync_sleep(s, ctx, inp.day, target)
        if old_day != inp.day:
            changes += autotick.sync_sleep(s, ctx, old_day, target)
        return Logged(row.id, inp.day, changes)


def delete_sleep(ctx: AppContext, entry_id: int) -> Deleted:
    target = _target(ctx)
    with ctx.db.transaction() as s:
        row = s.get(SleepEntry, entry_id)
        if row is None:
            raise PracticeInputError("id", f"no sleep entry with id {entry_id}")
        record = _record(ctx, row)
        s.delete(row)
        return Deleted(record, autotick.sync_sleep(s, ctx, record.day, target))


def restore_sleep(ctx: AppContext, record: SleepRecord) -> Logged:
    """Undo a delete: the same entry back under its old id."""
    target = _target(ctx)
    with ctx.db.transaction() as s:
        if s.scalar(select(SleepEntry.id).where(SleepEntry.day == record.day)) is not None:
            raise SleepExists(record.day)  # another night was logged for that day since
        row = SleepEntry(id=record.id, day=record.day, bedtime=record.bedtime, wake=record.wake,
                         quality=record.quality, cool_dark=record.cool_dark, screens_off=record.screens_off,
                         notes=record.notes)
        s.add(row)
        s.flush()
        return Logged(row.id, record.day, autotick.sync_sleep(s, ctx, record.day, target))


def get_sleep(ctx: AppContext, day: date) -> SleepRecord | None:
    with ctx.db.transaction() as s:
        row = s.scalar(select(SleepEntry).where(SleepEntry.day == day))
        return _record(ctx, row) if row is not None else None


def list_sleep(ctx: AppContext, limit: int = 200) -> list[SleepRecord]:
    """Newest first."""
    with ctx.db.transaction() as s:
        return [_record(ctx, r) for r in s.scalars(select(SleepEntry).order_by(SleepEntry.day.desc()).limit(limit))]
