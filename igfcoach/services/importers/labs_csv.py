"""Import IGF-1 lab results from a CSV file: date, value, unit, and optionally the lab's range and name.

Column names are matched loosely (``Date``, ``drawn on``; ``value``, ``result``; ``lab low``/``lab high`` or
``low``/``high``; ``lab``/``lab name``; also ``time``, ``assay``, ``fasting``, ``biotin_72h`` and ``notes``),
so IGF Coach's own lab_results.csv export reads back. Each row goes through the labs service's validation
(the same rules as typing a result in): an error names the file, the row (the spreadsheet's line number, the
header being row 1) and the column. A value the app would ask you to confirm (outside 10–1500 ng/mL) is
listed in the preview and imported only with ``confirm=True``. A row repeated in the file is an error; a
result already stored (same date and value) is not imported again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from igfcoach.services.fileio import CancelFn, ProgressFn, Steps
from igfcoach.services.importers._common import (
    MAX_TEXT_BYTES,
    ImportPlan,
    ImportProblem,
    ImportResult,
    decode_text,
    read_csv,
    read_limited,
    sniff_delimiter,
    unquote_formula,
)
from igfcoach.store.models import LabResult

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

FORMAT = "labs-csv"
TITLE = "Lab results (CSV)"
MAX_ROWS = 10_000

#: Our field -> the header names that mean it (compared lower-case with spaces, dashes and dots as "_").
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "drawn_on", "draw_date", "drawn", "collected", "collection_date"),
    "value": ("value", "result", "igf_1", "igf1", "igf_1_value"),
    "unit": ("unit", "units"),
    "lab_low": ("lab_low", "low", "ref_low", "reference_low", "range_low", "lower_limit"),
    "lab_high": ("lab_high", "high", "ref_high", "reference_high", "range_high", "upper_limit"),
    "lab_name": ("lab_name", "lab", "laboratory"),
    "time": ("time", "drawn_at_time", "draw_time"),
    "assay": ("assay", "method"),
    "fasting": ("fasting",),
    "biotin_72h": ("biotin_72h", "biotin"),
    "notes": ("notes", "note", "comment", "comments"),
}
REQUIRED = ("date", "value", "unit")
#: Columns IGF Coach's own export writes that this import does not need.
KNOWN_EXTRA = {"value_ng_ml", "lab_low_ng_ml", "lab_high_ng_ml"}
#: The labs service's issue fields -> our field names.
_ISSUE_FIELD = {"date": "date", "value": "value", "unit": "unit", "lab range": "lab_low", "time": "time",
                "lab name": "lab_name", "assay": "assay", "notes": "notes", "fasting": "fasting",
                "biotin": "biotin_72h"}
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def _norm(name: str) -> str:
    return re.sub(r"[\s\-.]+", "_", name.strip().lower()).strip("_")


def looks_like_labs_csv(header_line: str) -> bool:
    names = {_norm(c.strip('"')) for c in header_line.replace(";", ",").split(",")}
    return any(n in names for n in COLUMNS["date"]) and any(n in names for n in COLUMNS["value"])


@dataclass(frozen=True)
class _Row:
    line: int
    clean: Any  # the labs service's cleaned input
    key: tuple


def _header(cells: list[str], label: str) -> tuple[dict[str, int], list[str]]:
    where: dict[str, int] = {}
    ignored: list[str] = []
    for i, cell in enumerate(cells):
        name = _norm(cell)
        ours = next((k for k, names in COLUMNS.items() if name in names), None)
        if ours is None:
            if name and name not in KNOWN_EXTRA:
                ignored.append(cell.strip()[:40])
            continue
        if ours in where:
            raise ImportProblem(label, f"the header names {ours!r} twice (columns {where[ours] + 1} and {i + 1})",
                                row=1, field=cell.strip()[:40])
        where[ours] = i
    missing = [c for c in REQUIRED if c not in where]
    if missing:
        raise ImportProblem(label, f"the header has no {', '.join(missing)} column (it needs date, value and "
                                   "unit; lab_low, lab_high and lab_name are optional)", row=1, field=missing[0])
    return where, ignored


def _flag(text: str, label: str, line: int, field: str) -> bool | None:
    t = text.strip().lower()
    if not t:
        return None
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise ImportProblem(label, f"{text.strip()[:40]!r} is not yes or no", row=line, field=field)


def _parse(ctx: AppContext, path: Path, label: str, steps: Steps) -> tuple[list[_Row], list[ImportProblem],
                                                                          list[str]]:
    from igfcoach.core import igf1
    from igfcoach.services import labs
    from igfcoach.services.labs import LabInput

    text = decode_text(read_limited(path, MAX_TEXT_BYTES, label), label)
    rows = read_csv(text, label, sniff_delimiter(text))
    if not rows:
        raise ImportProblem(label, "the file is empty")
    header_line, header = rows[0]
    where, ignored = _header(header, label)
    body = rows[1:]
    if not body:
        raise ImportProblem(label, "has a header but no results")
    if len(body) > MAX_ROWS:
        raise ImportProblem(label, f"has {len(body)} rows; at most {MAX_ROWS} results are imported at once")
    steps.add_total(len(body))
    out: list[_Row] = []
    warnings: list[ImportProblem] = []
    seen: dict[tuple, int] = {}
    for line, cells in body:
        if len(cells) > len(header):
            raise ImportProblem(label, f"has {len(cells)} cells but the header has {len(header)} columns",
                                row=line)

        def cell(name: str) -> str:
            i = where.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        for name in REQUIRED:
            if not cell(name):
                raise ImportProblem(label, "is empty", row=line, field=name)
        data = LabInput(
            drawn_on=cell("date"),
            value=cell("value"),
            unit=cell("unit"),
            lab_low=cell("lab_low") or None,
            lab_high=cell("lab_high") or None,
            lab_name=unquote_formula(cell("lab_name")) or None,
            assay=unquote_formula(cell("assay")) or None,
            fasting=_flag(cell("fasting"), label, line, "fasting"),
            drawn_at_time=cell("time") or None,
            biotin_72h=_flag(cell("biotin_72h"), label, line, "biotin_72h"),
            notes=unquote_formula(cell("notes")),
        )
        # The labs service's own validation and clean-up (units to ng/mL, trimmed text): the same rules as
        # typing a result in. (A public "clean_input" in services/labs.py would be nicer than the private name.)
        clean, issues = labs._check(ctx, data)  # noqa: SLF001
        errors = [i for i in issues if i.severity is igf1.Severity.ERROR]
        if errors or clean is None:
            if not errors:
                raise ImportProblem(label, "is not a valid result", row=line)
            first = errors[0]
            raise ImportProblem(label, "; ".join(i.message for i in errors), row=line,
                                field=_ISSUE_FIELD.get(first.field, first.field))
        for w in issues:
            warnings.append(ImportProblem(label, w.message, row=line, field=_ISSUE_FIELD.get(w.field, w.field)))
        key = (clean.drawn_on.isoformat(), round(clean.value_ng, 3))
        if key in seen:
            raise ImportProblem(label, f"duplicate of row {seen[key]} (same date and value)", row=line,
                                field="value")
        seen[key] = line
        out.append(_Row(line, clean, key))
        steps.tick()
    return out, warnings, ignored


def _existing_keys(ctx: AppContext) -> set[tuple]:
    with ctx.db.transaction() as s:
        return {(d.isoformat(), round(v, 3)) for d, v in s.execute(select(LabResult.drawn_on, LabResult.value_ng))}


def preview(ctx: AppContext, path: Path, progress: ProgressFn | None = None,
            cancelled: CancelFn | None = None) -> ImportPlan:
    path = Path(path)
    label = str(path)
    rows, warnings, ignored = _parse(ctx, path, label, Steps(0, progress, cancelled, "the import"))
    existing = _existing_keys(ctx)
    new = [r for r in rows if r.key not in existing]
    summary = [f"{len(rows)} IGF-1 results: {len(new)} new, {len(rows) - len(new)} already here"]
    if new:
        dates = sorted(r.key[0] for r in new)
        summary.append(f"New results from {dates[0]} to {dates[-1]}")
    if ignored:
        summary.append(f"Columns not imported: {', '.join(ignored)}")
    return ImportPlan(FORMAT, path, TITLE, summary, payload=rows, warnings=warnings)


def apply(ctx: AppContext, plan: ImportPlan, progress: ProgressFn | None = None,
          cancelled: CancelFn | None = None, *, confirm: bool = False) -> ImportResult:
    from igfcoach.services import labs

    if plan.warnings and not confirm:
        raise plan.warnings[0]
    rows: list[_Row] = plan.payload
    steps = Steps(len(rows), progress, cancelled, "the import")
    result = ImportResult(FORMAT)
    now = ctx.clock.now()
    with ctx.db.transaction() as s:
        existing = {(d.isoformat(), round(v, 3))
                    for d, v in s.execute(select(LabResult.drawn_on, LabResult.value_ng))}
        added = 0
        for r in rows:
            if r.key in existing:
                steps.tick()
                continue
            row = LabResult(created_at=now, updated_at=now)
            labs._apply(row, r.clean)  # noqa: SLF001
            s.add(row)
            existing.add(r.key)
            added += 1
            steps.tick()
        s.flush()
        steps.check()
    result.added["lab_results"] = added
    result.existing["lab_results"] = len(rows) - added
    steps.finish()
    return result
