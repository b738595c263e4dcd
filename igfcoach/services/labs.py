"""IGF-1 lab results: add, edit, delete (with undo), list, and classify against the three references.

Every write is one transaction, validated by the core first: on any error nothing is saved. Values are stored
in ng/mL; what the person typed (value and unit) is kept beside it so an edit shows it back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from igfcoach.core import igf1
from igfcoach.core.igf1 import (
    Classification,
    Issue,
    IntervalLookup,
    LabRange,
    Severity,
    Unit,
)
from igfcoach.services import safety
from igfcoach.store.models import LabResult

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from igfcoach.services.context import AppContext

__all__ = [
    "BIOTIN_NOTE",
    "DeletedResult",
    "LabInput",
    "LabInputError",
    "LabResultData",
    "ResultClassifications",
    "UnknownResult",
    "add_result",
    "classify_result",
    "classify_results",
    "count_results",
    "delete_result",
    "get_result",
    "last_result_date",
    "latest_result",
    "list_results",
    "restore_result",
    "update_result",
    "validate_input",
]

BIOTIN_NOTE = (
    "High-dose biotin (often in hair, skin and nail supplements) can distort some IGF-1 assays; labs usually "
    "ask you to stop it about 72 hours before the blood draw."
)

MAX_NAME_CHARS = 200
MAX_NOTES_CHARS = 5000
EARLIEST_DATE = date(1900, 1, 1)


class LabInputError(ValueError):
    """A refused lab result. ``issues`` are the core's Issues; each message starts with the field's name.

    ``needs_confirmation`` is True when the only problems are warnings (an implausible value): saving again
    with ``confirm=True`` accepts them.
    """

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(i.message for i in self.issues))

    @property
    def needs_confirmation(self) -> bool:
        return igf1.needs_confirmation(self.issues)

    @property
    def fields(self) -> list[str]:
        return [i.field for i in self.issues]


class UnknownResult(LookupError):
    """No result with that id."""

    def __init__(self, result_id: object) -> None:
        super().__init__(f"id: there is no lab result with id {result_id}")
        self.result_id = result_id


@dataclass(frozen=True)
class LabInput:
    """What a person enters for one result. ``value`` and the lab limits may be numbers or text.

    The lab range is given in ``unit``, like the value.
    """

    drawn_on: date | str
    value: object
    unit: str | Unit = Unit.NG_ML
    lab_low: object | None = None
    lab_high: object | None = None
    lab_name: str | None = None
    assay: str | None = None
    fasting: bool | None = None
    drawn_at_time: time | str | None = None
    biotin_72h: bool | None = None
    notes: str = ""


@dataclass(frozen=True)
class LabResultData:
    """A stored result, detached from the database."""

    id: int
    drawn_on: date
    drawn_at_time: str | None
    value_ng: float
    entered_value: float
    entered_unit: str
    lab_low_ng: float | None
    lab_high_ng: float | None
    lab_name: str | None
    assay: str | None
    fasting: bool | None
    biotin_72h: bool | None
    notes: str
    created_at: datetime
    updated_at: datetime

    @property
    def lab_range(self) -> LabRange | None:
        if self.lab_low_ng is None or self.lab_high_ng is None:
            return None
        return LabRange(self.lab_low_ng, self.lab_high_ng)

    def value_in(self, unit: str | Unit) -> float:
        return igf1.from_ng_ml(self.value_ng, unit)

    def to_input(self) -> LabInput:
        """The result as the person entered it (the lab range back in the entered unit)."""
        unit = self.entered_unit
        low = high = None
        if self.lab_low_ng is not None and self.lab_high_ng is not None:
            low = _tidy(igf1.from_ng_ml(self.lab_low_ng, unit))
            high = _tidy(igf1.from_ng_ml(self.lab_high_ng, unit))
        return LabInput(
            drawn_on=self.drawn_on, value=self.entered_value, unit=unit, lab_low=low, lab_high=high,
            lab_name=self.lab_name, assay=self.assay, fasting=self.fasting, drawn_at_time=self.drawn_at_time,
            biotin_72h=self.biotin_72h, notes=self.notes,
        )


@dataclass(frozen=True)
class DeletedResult:
    """Everything needed to put a deleted result back exactly (same id, same timestamps)."""

    data: LabResultData


@dataclass(frozen=True)
class ResultClassifications:
    """One result against the target band, the lab's range (None without one) and the built-in interval."""

    target: Classification
    lab: Classification | None
    builtin: Classification | None
    builtin_lookup: IntervalLookup

    @property
    def builtin_reason(self) -> str | None:
        """Why there is no built-in classification (no age, no sex, under 18)."""
        return self.builtin_lookup.reason


def _tidy(x: float) -> float:
    """A converted limit without float noise (labs print at most 2 decimals)."""
    return round(x, 4)


# --------------------------------------------------------------------------------------------------- reading

_COLUMNS = tuple(f.name for f in fields(LabResultData))


def _data(row: LabResult) -> LabResultData:
    return LabResultData(**{name: getattr(row, name) for name in _COLUMNS})


_ORDER = (LabResult.drawn_on.desc(), LabResult.drawn_at_time.desc(), LabResult.id.desc())


def list_results(ctx: AppContext) -> list[LabResultData]:
    """Every result, newest draw first."""
    with ctx.db.transaction() as s:
        return [_data(r) for r in s.scalars(select(LabResult).order_by(*_ORDER))]


def count_results(ctx: AppContext) -> int:
    with ctx.db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(LabResult)) or 0)


def get_result(ctx: AppContext, result_id: int) -> LabResultData:
    with ctx.db.transaction() as s:
        return _data(_row(s, result_id))


def latest_result(ctx: AppContext) -> LabResultData | None:
    """The most recent draw (by date, then time of day, then entry order), or None."""
    with ctx.db.transaction() as s:
        row = s.scalar(select(LabResult).order_by(*_ORDER).limit(1))
        return _data(row) if row is not None else None


def last_result_date(ctx: AppContext) -> date | None:
    """The date of the most recent draw (for the re-test reminder), or None without results."""
    with ctx.db.transaction() as s:
        return s.scalar(select(func.max(LabResult.drawn_on)))


def _row(s: Session, result_id: int) -> LabResult:
    row = s.get(LabResult, result_id) if isinstance(result_id, int) and not isinstance(result_id, bool) else None
    if row is None:
        raise UnknownResult(result_id)
    return row


# --------------------------------------------------------------------------------------------------- validation

def _parse_date(raw: date | str) -> tuple[date | None, list[Issue]]:
    if isinstance(raw, datetime):
        return raw.date(), []
    if isinstance(raw, date):
        return raw, []
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip()), []
        except ValueError:
            pass
    return None, [Issue("date", Severity.ERROR, f"date: {raw!r} is not a date (use YYYY-MM-DD)")]


def _parse_time(raw: time | str | None) -> tuple[str | None, list[Issue]]:
    if raw is None:
        return None, []
    if isinstance(raw, time):
        return raw.strftime("%H:%M"), []
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None, []
        parts = text.split(":")
        if len(parts) == 2 and all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
            h, m = int(parts[0]), int(parts[1])
            if 0 <= h <= 23 and 0 <= m <= 59:
                return f"{h:02d}:{m:02d}", []
    return None, [Issue("time", Severity.ERROR, f"time: {raw!r} is not a time of day (use HH:MM, 24-hour)")]


def _clean_text(field: str, raw: str | None, limit: int, issues: list[Issue]) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        issues.append(Issue(field, Severity.ERROR, f"{field}: must be text"))
        return None
    text = raw.strip()
    if len(text) > limit:
        issues.append(Issue(field, Severity.ERROR, f"{field}: {len(text)} characters is too long (at most {limit})"))
    return text or None


@dataclass(frozen=True)
class _Clean:
    drawn_on: date
    drawn_at_time: str | None
    value_ng: float
    entered_value: float
    entered_unit: str
    lab_low_ng: float | None
    lab_high_ng: float | None
    lab_name: str | None
    assay: str | None
    fasting: bool | None
    biotin_72h: bool | None
    notes: str


def _check(ctx: AppContext, data: LabInput) -> tuple[_Clean | None, list[Issue]]:
    issues: list[Issue] = []
    drawn_on, date_issues = _parse_date(data.drawn_on)
    issues += date_issues
    if drawn_on is not None:
        issues += igf1.validate_draw_date(drawn_on, ctx.today())
        if drawn_on < EARLIEST_DATE:
            issues.append(Issue("date", Severity.ERROR, f"date: {drawn_on.isoformat()} is too far in the past"))
    issues += igf1.validate_result_value(data.value, data.unit)
    # The unit error, if any, is already reported by the value check; report range problems once.
    range_issues = igf1.validate_lab_range(_blank_to_none(data.lab_low), _blank_to_none(data.lab_high), data.unit)
    issues += [i for i in range_issues if i.field != "unit"]
    drawn_at, time_issues = _parse_time(data.drawn_at_time)
    issues += time_issues
    lab_name = _clean_text("lab name", data.lab_name, MAX_NAME_CHARS, issues)
    assay = _clean_text("assay", data.assay, MAX_NAME_CHARS, issues)
    notes = _clean_text("notes", data.notes if data.notes is not None else "", MAX_NOTES_CHARS, issues) or ""
    for name, flag in (("fasting", data.fasting), ("biotin", data.biotin_72h)):
        if flag is not None and not isinstance(flag, bool):
            issues.append(Issue(name, Severity.ERROR, f"{name}: must be yes, no or not given"))
    if igf1.has_errors(issues) or drawn_on is None:
        return None, issues
    unit = igf1.parse_unit(data.unit)  # type: ignore[arg-type]
    entered = igf1.parse_value(data.value)
    low = _blank_to_none(data.lab_low)
    high = _blank_to_none(data.lab_high)
    low_ng = igf1.to_ng_ml(igf1.parse_value(low), unit) if low is not None else None
    high_ng = igf1.to_ng_ml(igf1.parse_value(high), unit) if high is not None else None
    clean = _Clean(
        drawn_on=drawn_on, drawn_at_time=drawn_at, value_ng=igf1.to_ng_ml(entered, unit), entered_value=entered,
        entered_unit=unit.value, lab_low_ng=low_ng, lab_high_ng=high_ng, lab_name=lab_name, assay=assay,
        fasting=data.fasting, biotin_72h=data.biotin_72h, notes=notes,
    )
    return clean, issues


def _blank_to_none(x: object | None) -> object | None:
    return None if x is None or (isinstance(x, str) and not x.strip()) else x


def validate_input(ctx: AppContext, data: LabInput) -> list[Issue]:
    """Every problem with an input (errors refuse it; warnings need a confirmation). Saves nothing."""
    return _check(ctx, data)[1]


def _checked(ctx: AppContext, data: LabInput, confirm: bool) -> _Clean:
    clean, issues = _check(ctx, data)
    if clean is None or (issues and not confirm):
        raise LabInputError(issues)
    return clean


# --------------------------------------------------------------------------------------------------- writing

def _apply(row: LabResult, clean: _Clean) -> None:
    for f in fields(_Clean):
        setattr(row, f.name, getattr(clean, f.name))


def add_result(ctx: AppContext, data: LabInput, *, confirm: bool = False) -> LabResultData:
    """Validate and store a new result. Raises LabInputError (nothing saved) on any problem.

    An implausible value (below 10 or above 1500 ng/mL) is saved only with ``confirm=True``.
    """
    clean = _checked(ctx, data, confirm)
    now = ctx.clock.now()
    with ctx.db.transaction() as s:
        row = LabResult(created_at=now, updated_at=now)
        _apply(row, clean)
        s.add(row)
        s.flush()
        s.refresh(row)  # as stored (SQLite keeps wall-clock times without the zone)
        return _data(row)


def update_result(ctx: AppContext, result_id: int, data: LabInput, *, confirm: bool = False) -> LabResultData:
    """Validate and save an edited result (same rules as adding). Raises UnknownResult or LabInputError."""
    clean = _checked(ctx, data, confirm)
    with ctx.db.transaction() as s:
        row = _row(s, result_id)
        _apply(row, clean)
        row.updated_at = ctx.clock.now()
        s.flush()
        s.refresh(row)  # as stored (SQLite keeps wall-clock times without the zone)
        return _data(row)


def delete_result(ctx: AppContext, result_id: int) -> DeletedResult:
    """Delete a result; the returned snapshot puts it back with :func:`restore_result`."""
    with ctx.db.transaction() as s:
        row = _row(s, result_id)
        snapshot = DeletedResult(_data(row))
        s.delete(row)
    return snapshot


def restore_result(ctx: AppContext, deleted: DeletedResult) -> LabResultData:
    """Undo a delete: the same row comes back with its id (a new id if that one was reused meanwhile)."""
    values = {name: getattr(deleted.data, name) for name in _COLUMNS}
    with ctx.db.transaction() as s:
        if s.get(LabResult, values["id"]) is not None:
            values.pop("id")
        row = LabResult(**values)
        s.add(row)
        s.flush()
        s.refresh(row)  # as stored (SQLite keeps wall-clock times without the zone)
        return _data(row)


# --------------------------------------------------------------------------------------------------- classification

def classify_result(ctx: AppContext, result: LabResultData, unit: str | Unit = Unit.NG_ML) -> ResultClassifications:
    """The result against the target band, its lab range and the built-in interval for the screen's age and sex.

    ``unit`` is only the unit of the ranges in the labels.
    """
    return classify_results(ctx, [result], unit)[0]


def classify_results(ctx: AppContext, results: list[LabResultData],
                     unit: str | Unit = Unit.NG_ML) -> list[ResultClassifications]:
    """:func:`classify_result` for many results, reading the screen and the target band once."""
    answers = safety.current_answers(ctx)
    band = safety.target_band(ctx)
    lookup = igf1.lookup_builtin_interval(answers.age, answers.sex)
    return [
        ResultClassifications(
            target=igf1.classify_against_target(r.value_ng, band, unit),
            lab=igf1.classify_against_lab(r.value_ng, r.lab_range, unit),
            builtin=igf1.classify_against_builtin(r.value_ng, lookup.interval, unit),
            builtin_lookup=lookup,
        )
        for r in results
    ]
