"""Exports: the full JSON backup, CSV files for a spreadsheet, and IGF-1 results as a FHIR R4 Bundle.

The JSON backup is generic over the SQLAlchemy metadata: every table the models define (and the database
has) is written, so a new table is exported, and imported back, without touching this module. Its layout
is documented in docs/export-format.md.

Every file is written 0600 (folders 0700) through a temporary file, so a cancelled export leaves nothing.
Long exports report ``progress(done, total)`` and stop when ``cancelled()`` returns True.
"""

from __future__ import annotations

import csv
import io
import json
import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Table, inspect, select
from sqlalchemy import types as sat

from igfcoach import __version__
from igfcoach.core import igf1
from igfcoach.paths import make_private_dir
from igfcoach.services.fileio import CancelFn, Cancelled, ProgressFn, Steps, write_private
from igfcoach.store import migrate
from igfcoach.store.models import Base
from igfcoach.store.schema import HEAD_REVISION

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

__all__ = [
    "CSV_SKIP_TABLES",
    "Cancelled",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "FORMATS",
    "ExportResult",
    "build_document",
    "column_kind",
    "csv_cell",
    "decode_value",
    "encode_value",
    "export",
    "export_csv",
    "export_fhir",
    "export_json",
    "exported_tables",
    "fhir_bundle",
]

EXPORT_FORMAT = "igfcoach-export"
EXPORT_VERSION = 1
FORMATS = ("json", "csv", "fhir")

#: Longest text accepted in a Text column on import (String(n) columns accept n characters).
MAX_TEXT_CHARS = 100_000
#: Largest JSON column value accepted on import, serialised.
MAX_JSON_CHARS = 100_000

CHUNK = 500

LOINC_SYSTEM = "http://loinc.org"
LOINC_IGF1 = "2484-4"
LOINC_IGF1_DISPLAY = "Insulin-like growth factor-I [Mass/volume] in Serum or Plasma"
UCUM_SYSTEM = "http://unitsofmeasure.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
_BUNDLE_NAMESPACE = uuid.UUID("7d3f4a52-6c1e-4f0e-9a55-1f6f0c2b9e01")

BUILTIN_RANGE_TEXT = (
    "No reference range was recorded from the lab; this is IGF Coach's built-in age- and sex-specific "
    "interval (2.5th to 97.5th centile from a published table, assay not named), not the lab's range."
)
LAB_RANGE_TEXT = "Reference range printed by the lab with this result."


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the files (one for JSON and FHIR, several for CSV) and row counts."""

    format: str
    paths: tuple[Path, ...]
    counts: dict[str, int]

    def describe(self) -> str:
        rows = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in self.counts.items())
        where = self.paths[0] if len(self.paths) == 1 else self.paths[0].parent
        return f"Wrote {where} ({rows or 'no rows'})"


# --------------------------------------------------------------------------------------------------- columns

def column_kind(column: Column) -> str:
    """How a column's values travel in the JSON backup: bool, int, float, date, datetime, time, text or json."""
    t = column.type
    impl = getattr(t, "impl_instance", None) if isinstance(t, sat.TypeDecorator) else t
    impl = impl if impl is not None else t
    if isinstance(impl, sat.Boolean):
        return "bool"
    if isinstance(impl, sat.Integer):
        return "int"
    if isinstance(impl, (sat.Float, sat.Numeric)):
        return "float"
    if isinstance(impl, sat.DateTime):
        return "datetime"
    if isinstance(impl, sat.Date):
        return "date"
    if isinstance(impl, sat.Time):
        return "time"
    if isinstance(impl, sat.JSON):
        return "json"
    if isinstance(impl, sat.String):  # Text is a String
        return "text"
    raise TypeError(f"column {column.table.name}.{column.name}: type {t!r} has no export encoding")


def _text_limit(column: Column) -> int:
    length = getattr(getattr(column.type, "impl_instance", column.type), "length", None)
    if length is None:
        length = getattr(column.type, "length", None)
    return int(length) if length else MAX_TEXT_CHARS


def encode_value(column: Column, value: Any) -> Any:
    """A stored value as JSON (dates and times as ISO 8601 text)."""
    if value is None:
        return None
    kind = column_kind(column)
    if kind in ("date", "datetime", "time"):
        return value.isoformat()
    if kind == "float":
        value = float(value)
        if not math.isfinite(value):
            return None
        return value
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value)
    return value


def decode_value(column: Column, raw: Any) -> Any:
    """A JSON value back into what the column stores. ValueError says what is wrong (no field name)."""
    if raw is None:
        if not column.nullable:
            raise ValueError("is required and may not be null")
        return None
    kind = column_kind(column)
    if kind == "bool":
        if not isinstance(raw, bool):
            raise ValueError(f"{_show(raw)} is not true or false")
        return raw
    if kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"{_show(raw)} is not a whole number")
        if not -(2**63) <= raw < 2**63:
            raise ValueError(f"{_show(raw)} is out of range")
        return raw
    if kind == "float":
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise ValueError(f"{_show(raw)} is not a number")
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError(f"{_show(raw)} is not a finite number")
        return value
    if kind == "date":
        if not isinstance(raw, str) or len(raw) != 10:
            raise ValueError(f"{_show(raw)} is not a date (YYYY-MM-DD)")
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"{_show(raw)} is not a date (YYYY-MM-DD)") from None
    if kind == "datetime":
        if not isinstance(raw, str) or len(raw) > 40:
            raise ValueError(f"{_show(raw)} is not a date and time (ISO 8601)")
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"{_show(raw)} is not a date and time (ISO 8601)") from None
        if isinstance(column.type, sat.TypeDecorator) and value.tzinfo is None:
            from datetime import timezone

            value = value.replace(tzinfo=timezone.utc)  # the UTC-stored columns need an aware value
        return value
    if kind == "time":
        if not isinstance(raw, str) or len(raw) > 20:
            raise ValueError(f"{_show(raw)} is not a time of day (HH:MM)")
        try:
            return time.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"{_show(raw)} is not a time of day (HH:MM)") from None
    if kind == "json":
        if len(json.dumps(raw)) > MAX_JSON_CHARS:
            raise ValueError(f"is larger than {MAX_JSON_CHARS} characters")
        return raw
    # text
    if not isinstance(raw, str):
        raise ValueError(f"{_show(raw)} is not text")
    limit = _text_limit(column)
    if len(raw) > limit:
        raise ValueError(f"{len(raw)} characters is too long (at most {limit})")
    if "\x00" in raw:
        raise ValueError("contains a NUL character")
    return raw


def _show(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


# --------------------------------------------------------------------------------------------------- JSON

def exported_tables(ctx: AppContext) -> list[Table]:
    """Every model table the database has, parents before children (foreign keys)."""
    present = set(inspect(ctx.db.engine).get_table_names())
    return [t for t in Base.metadata.sorted_tables if t.name in present]


def _ordered(table: Table):
    pk = list(table.primary_key.columns)
    return select(table).order_by(*(pk or list(table.columns)))


def _count(ctx: AppContext, tables: Sequence[Table]) -> int:
    from sqlalchemy import func

    with ctx.db.transaction() as s:
        return sum(int(s.scalar(select(func.count()).select_from(t)) or 0) for t in tables)


def build_document(ctx: AppContext, progress: ProgressFn | None = None,
                   cancelled: CancelFn | None = None) -> dict[str, Any]:
    """The whole database as the versioned export document (see docs/export-format.md)."""
    tables = exported_tables(ctx)
    steps = Steps(_count(ctx, tables), progress, cancelled, "the export")
    steps.check()
    out: dict[str, list[dict[str, Any]]] = {}
    with ctx.db.transaction() as s:
        for table in tables:
            rows = []
            for n, row in enumerate(s.execute(_ordered(table)).mappings(), 1):
                rows.append({c.name: encode_value(c, row[c]) for c in table.columns})
                if n % CHUNK == 0:
                    steps.tick(CHUNK)
            steps.tick(len(rows) % CHUNK)
            out[table.name] = rows
    try:
        revision = migrate.current_revision(ctx.paths.database) or HEAD_REVISION
    except Exception:  # noqa: BLE001 - a read problem here must not stop the export
        revision = HEAD_REVISION
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "app_version": __version__,
        "schema_revision": revision,
        "exported_at": ctx.clock.now().isoformat(timespec="seconds"),
        "tables": out,
    }


def dump_document(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def export_json(ctx: AppContext, out: Path, progress: ProgressFn | None = None,
                cancelled: CancelFn | None = None) -> ExportResult:
    """Write the full backup document to ``out`` (0600)."""
    doc = build_document(ctx, progress, cancelled)
    path = write_private(Path(out), dump_document(doc))
    return ExportResult("json", (path,), {name: len(rows) for name, rows in doc["tables"].items()})


# --------------------------------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Tables the CSV export leaves out: settings and reminder delivery state are app internals, not records.
CSV_SKIP_TABLES = frozenset({"settings", "reminder_state"})


def csv_cell(value: Any) -> Any:
    """A value made safe for a spreadsheet: text that a spreadsheet would run as a formula gets a leading '.

    Numbers stay numbers (a negative number is not text, so it is left alone); booleans become yes/no.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value if not (isinstance(value, float) and not math.isfinite(value)) else ""
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    # A byte-order mark so spreadsheets open the file as UTF-8.
    return "\ufeff" + buf.getvalue()


def _tidy(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def export_csv(ctx: AppContext, out_dir: Path, progress: ProgressFn | None = None,
               cancelled: CancelFn | None = None) -> ExportResult:
    """One CSV file per kind of record into ``out_dir`` (created 0700; files 0600).

    habits.csv, checkoffs.csv (with the habit's key and title, values and notes) and lab_results.csv (the
    value and range as entered, and in ng/mL; readable back by the lab CSV import) are laid out for people;
    every other table the database has (workouts and sets, sleep, breathing, ...) is written column by column.
    """
    from igfcoach.store.models import CheckOff, Habit, LabResult

    tables = [t for t in exported_tables(ctx) if t.name not in CSV_SKIP_TABLES]
    steps = Steps(_count(ctx, tables), progress, cancelled, "the export")
    steps.check()
    files: dict[str, str] = {}
    counts: dict[str, int] = {}
    with ctx.db.transaction() as s:
        habits = list(s.scalars(select(Habit).order_by(Habit.position, Habit.id)))
        by_id = {h.id: h for h in habits}
        files["habits.csv"] = _csv_text(
            ["key", "title", "category", "kind", "schedule", "target", "target_value", "unit", "status",
             "created_at", "archived_at", "why", "details"],
            ([h.key, h.title, h.category, h.kind, h.schedule, h.target_direction, h.target_value, h.unit,
              h.status, h.created_at, h.archived_at, h.why, h.details] for h in habits),
        )
        counts["habits"] = len(habits)
        steps.tick(len(habits))

        checkoff_rows = []
        for n, c in enumerate(s.scalars(select(CheckOff).order_by(CheckOff.day, CheckOff.habit_id)), 1):
            h = by_id.get(c.habit_id)
            checkoff_rows.append([c.day, h.key if h else c.habit_id, h.title if h else "", c.done, c.value,
                                  h.unit if h else None, c.skipped, c.note, c.source, c.updated_at])
            if n % CHUNK == 0:
                steps.tick(CHUNK)
        steps.tick(len(checkoff_rows) % CHUNK)
        files["checkoffs.csv"] = _csv_text(
            ["date", "habit_key", "habit", "done", "value", "unit", "skipped", "note", "source", "updated_at"],
            checkoff_rows,
        )
        counts["checkoffs"] = len(checkoff_rows)

        lab_rows = []
        for r in s.scalars(select(LabResult).order_by(LabResult.drawn_on, LabResult.drawn_at_time, LabResult.id)):
            unit = r.entered_unit
            low = _tidy(igf1.from_ng_ml(r.lab_low_ng, unit)) if r.lab_low_ng is not None else None
            high = _tidy(igf1.from_ng_ml(r.lab_high_ng, unit)) if r.lab_high_ng is not None else None
            lab_rows.append([r.drawn_on, r.drawn_at_time, r.entered_value, unit, low, high, r.lab_name, r.assay,
                             r.fasting, r.biotin_72h, r.notes, _tidy(r.value_ng), _tidy(r.lab_low_ng),
                             _tidy(r.lab_high_ng)])
        files["lab_results.csv"] = _csv_text(
            ["date", "time", "value", "unit", "lab_low", "lab_high", "lab_name", "assay", "fasting", "biotin_72h",
             "notes", "value_ng_ml", "lab_low_ng_ml", "lab_high_ng_ml"],
            lab_rows,
        )
        counts["lab_results"] = len(lab_rows)
        steps.tick(len(lab_rows))

        done_tables = {"habits", "checkoffs", "lab_results"}
        for table in tables:
            if table.name in done_tables:
                continue
            rows = [[row[c] for c in table.columns] for row in s.execute(_ordered(table)).mappings()]
            files[f"{table.name}.csv"] = _csv_text([c.name for c in table.columns], rows)
            counts[table.name] = len(rows)
            steps.tick(len(rows))
    steps.check()
    folder = make_private_dir(Path(out_dir))
    paths = tuple(write_private(folder / name, text) for name, text in files.items())
    steps.finish()
    return ExportResult("csv", paths, counts)


# --------------------------------------------------------------------------------------------------- FHIR

def _quantity(value_ng: float) -> dict[str, Any]:
    return {"value": round(value_ng, 2), "unit": "ng/mL", "system": UCUM_SYSTEM, "code": "ng/mL"}


def _effective(drawn_on: date, drawn_at: str | None, ctx: AppContext) -> str:
    if not drawn_at:
        return drawn_on.isoformat()
    tz = ctx.clock.now().tzinfo
    hh, mm = (int(x) for x in drawn_at.split(":"))
    return datetime.combine(drawn_on, time(hh, mm), tzinfo=tz).isoformat(timespec="seconds")


def fhir_bundle(ctx: AppContext) -> dict[str, Any]:
    """Every IGF-1 result as a FHIR R4 Observation (LOINC 2484-4, UCUM ng/mL) in a Bundle of type collection."""
    from igfcoach.services import labs, safety

    answers = safety.current_answers(ctx)
    builtin = igf1.lookup_builtin_interval(answers.age, answers.sex).interval
    entries = []
    for r in sorted(labs.list_results(ctx), key=lambda r: (r.drawn_on, r.drawn_at_time or "", r.id)):
        ident = uuid.uuid5(_BUNDLE_NAMESPACE, f"lab-result/{r.id}/{r.drawn_on.isoformat()}/{r.value_ng!r}")
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "id": f"igf1-{r.id}",
            "status": "final",
            "category": [{
                "coding": [{"system": CATEGORY_SYSTEM, "code": "laboratory", "display": "Laboratory"}],
                "text": "Laboratory",
            }],
            "code": {
                "coding": [{"system": LOINC_SYSTEM, "code": LOINC_IGF1, "display": LOINC_IGF1_DISPLAY}],
                "text": "IGF-1 (insulin-like growth factor 1)",
            },
            "effectiveDateTime": _effective(r.drawn_on, r.drawn_at_time, ctx),
            "valueQuantity": _quantity(r.value_ng),
        }
        lab_range = r.lab_range
        if lab_range is not None:
            obs["referenceRange"] = [{"low": _quantity(lab_range.low_ng), "high": _quantity(lab_range.high_ng),
                                      "text": LAB_RANGE_TEXT}]
        elif builtin is not None:
            obs["referenceRange"] = [{"low": _quantity(builtin.low), "high": _quantity(builtin.high),
                                      "text": BUILTIN_RANGE_TEXT}]
        interpretation = igf1.fhir_interpretation(r.value_ng, lab_range, builtin)
        if interpretation is not None:
            obs["interpretation"] = [interpretation.to_codeable_concept()]
        if r.assay:
            obs["method"] = {"text": r.assay}
        notes = []
        if r.entered_unit != igf1.Unit.NG_ML.value:
            notes.append(f"Entered as {r.entered_value:g} {r.entered_unit}.")
        if r.lab_name:
            notes.append(f"Lab: {r.lab_name}")
        if r.fasting is not None:
            notes.append("Drawn fasting." if r.fasting else "Not drawn fasting.")
        if r.biotin_72h:
            notes.append("High-dose biotin was taken in the 72 hours before the draw (can distort some assays).")
        if r.notes:
            notes.append(r.notes)
        if notes:
            obs["note"] = [{"text": n} for n in notes]
        entries.append({"fullUrl": f"urn:uuid:{ident}", "resource": obs})
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": ctx.clock.now().isoformat(timespec="seconds"),
        "entry": entries,
    }


def export_fhir(ctx: AppContext, out: Path, progress: ProgressFn | None = None,
                cancelled: CancelFn | None = None) -> ExportResult:
    steps = Steps(1, progress, cancelled, "the export")
    steps.check()
    bundle = fhir_bundle(ctx)
    steps.check()
    path = write_private(Path(out), json.dumps(bundle, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
    steps.tick()
    return ExportResult("fhir", (path,), {"observations": len(bundle["entry"])})


def export(ctx: AppContext, fmt: str, out: Path, progress: ProgressFn | None = None,
           cancelled: CancelFn | None = None) -> ExportResult:
    """Export in ``fmt`` (json, csv or fhir) to ``out`` (a file; a folder for csv)."""
    if fmt == "json":
        return export_json(ctx, out, progress, cancelled)
    if fmt == "csv":
        return export_csv(ctx, out, progress, cancelled)
    if fmt == "fhir":
        return export_fhir(ctx, out, progress, cancelled)
    raise ValueError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
