"""The PDF report for the clinician: profile, IGF-1 results with units and ranges, adherence against IGF-1,
adherence per area for the chosen period, the safety screen's answers and the disclaimer.

This module gathers everything into plain data (no Qt); igfcoach/ui/report_pdf.py lays it out as a PDF with
Qt's QTextDocument and QPdfWriter, since drawing needs Qt and services do not import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from igfcoach.core import analysis, igf1
from igfcoach.core.habits import CATEGORIES, CATEGORY_TITLES
from igfcoach.core.igf1 import IntervalLookup, TargetBand, Unit
from igfcoach.core.safety import ScreenAnswers, contraindications
from igfcoach.core.scores import DayRecord

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

DEFAULT_PERIOD_DAYS = 365
ROLLING = 28


class ReportError(ValueError):
    """A report that cannot be made as asked (the message names the field)."""


@dataclass(frozen=True)
class ResultRow:
    day: date
    time: str | None
    value_ng: float
    entered: str  # as typed, e.g. "15.2 nmol/L"
    lab_range: str  # "76–306 ng/mL" or "not given"
    vs_lab: str
    vs_builtin: str
    vs_target: str
    lab_name: str
    details: str  # fasting, biotin, notes


@dataclass(frozen=True)
class CategoryRow:
    title: str
    done: int
    due: int

    @property
    def percent(self) -> str:
        return f"{100 * self.done / self.due:.0f} %" if self.due else "nothing due"


@dataclass
class ReportData:
    generated: datetime
    start: date
    end: date
    unit: Unit
    answers: ScreenAnswers
    answered_at: datetime | None
    weight_kg: float | None
    band: TargetBand
    builtin: IntervalLookup
    results: list[ResultRow]
    categories: list[CategoryRow]
    overall: CategoryRow
    #: ``(day, 28-day rolling adherence or None)`` for each day of the period.
    rolling: list[tuple[date, float | None]]
    #: Results drawn in the period, for the chart: (day, ng/mL).
    points: list[tuple[date, float]]
    coaching: str
    clinician_reason: str | None
    contraindications: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------- gathering

def yes_no(b: bool | None) -> str:
    return "not recorded" if b is None else ("yes" if b else "no")


def gather(ctx: AppContext, start: date | None = None, end: date | None = None) -> ReportData:
    """Everything the report shows, for the period ``start``..``end`` (default: the last 12 months)."""
    from igfcoach.services import labs, safety, settings
    from igfcoach.services.habits import ARCHIVED, PAUSED, spec_of
    from igfcoach.store.models import CheckOff, Habit

    today = ctx.today()
    end = end or today
    start = start or (end - timedelta(days=DEFAULT_PERIOD_DAYS - 1))
    if start > end:
        raise ReportError(f"from: {start.isoformat()} is after the end of the period ({end.isoformat()})")
    if end > today:
        raise ReportError(f"to: {end.isoformat()} is in the future")
    if (end - start).days > 20 * 366:
        raise ReportError("from: the period may be at most 20 years")

    try:
        unit = igf1.parse_unit(settings.get(ctx, "lab_unit") or "ng/mL")
    except ValueError:
        unit = Unit.NG_ML
    answers = safety.current_answers(ctx)
    history = safety.answers_history(ctx)
    band = safety.target_band(ctx)
    lookup = igf1.lookup_builtin_interval(answers.age, answers.sex)
    policy = safety.current_policy(ctx, unit=unit)

    results = sorted(labs.list_results(ctx), key=lambda r: (r.drawn_on, r.drawn_at_time or "", r.id))
    classes = labs.classify_results(ctx, results, unit)
    rows = []
    for r, c in zip(results, classes, strict=True):
        details = []
        if r.fasting is not None:
            details.append(f"fasting: {yes_no(r.fasting)}")
        if r.biotin_72h:
            details.append("high-dose biotin in the 72 h before the draw (can distort some assays)")
        if r.assay:
            details.append(f"assay: {r.assay}")
        if r.notes:
            details.append(r.notes)
        entered = f"{r.entered_value:g} {r.entered_unit}"
        rows.append(ResultRow(
            day=r.drawn_on, time=r.drawn_at_time, value_ng=r.value_ng, entered=entered,
            lab_range=(igf1.format_range(r.lab_low_ng, r.lab_high_ng, unit)
                       if r.lab_low_ng is not None and r.lab_high_ng is not None else "not given"),
            vs_lab=c.lab.position.value if c.lab else "\u2013",
            vs_builtin=c.builtin.position.value if c.builtin else "\u2013",
            vs_target=c.target.position.value,
            lab_name=r.lab_name or "",
            details="; ".join(details),
        ))

    # Adherence: the same definitions as the Charts page (igfcoach.core.analysis).
    with ctx.db.transaction() as s:
        habit_rows = list(s.scalars(select(Habit)))
        specs = [(h, spec_of(h)) for h in habit_rows]
        records: dict[int, list[DayRecord]] = {h.id: [] for h in habit_rows}
        for c in s.scalars(select(CheckOff).where(CheckOff.day <= end).order_by(CheckOff.day)):
            records.setdefault(c.habit_id, []).append(DayRecord(c.day, c.done, c.value, c.skipped))
    from igfcoach.core.safety import habit_allowed

    specs = [(h, sp) for h, sp in specs if habit_allowed(sp.flags, policy)]
    series_start = start - timedelta(days=ROLLING - 1)
    n = (end - series_start).days + 1
    flag_rows: list[tuple[str, list[bool], list[bool]]] = []
    for h, spec in specs:
        recs = records.get(h.id, [])
        first = min([h.created_at.date()] + [r.day for r in recs[:1]])
        last: date | None = None
        if h.status == ARCHIVED and h.archived_at is not None:
            last = h.archived_at.date() - timedelta(days=1)
        elif h.status == PAUSED:
            last = recs[-1].day if recs else first - timedelta(days=1)
        due, done = analysis.day_flags(spec, recs, series_start, end, active_from=first, active_until=last)
        flag_rows.append((spec.category, due, done))
    counts = analysis.tally([(d, dn) for _, d, dn in flag_rows], n)
    rolling = analysis.rolling_mean(analysis.ratios(counts), ROLLING)
    offset = ROLLING - 1
    period = analysis.window_adherence(counts, offset, n - 1)
    categories = []
    for cat in CATEGORIES:
        cat_rows = [(d, dn) for c, d, dn in flag_rows if c == cat]
        if not cat_rows:
            continue
        w = analysis.window_adherence(analysis.tally(cat_rows, n), offset, n - 1)
        categories.append(CategoryRow(CATEGORY_TITLES.get(cat, cat), w.done, w.due))
    return ReportData(
        generated=ctx.clock.now(),
        start=start,
        end=end,
        unit=unit,
        answers=answers,
        answered_at=history[0].recorded_at if history else None,
        weight_kg=settings.get(ctx, "weight_kg"),
        band=band,
        builtin=lookup,
        results=rows,
        categories=categories,
        overall=CategoryRow("All areas", period.done, period.due),
        rolling=[(start + timedelta(days=i), rolling[offset + i]) for i in range(n - offset)],
        points=[(r.drawn_on, r.value_ng) for r in results if start <= r.drawn_on <= end],
        coaching=policy.message,
        clinician_reason=policy.clinician_reason,
        contraindications=contraindications(answers),
    )


# --------------------------------------------------------------------------------------------------- rendering

_app_ref: Any = None
