"""Import IGF Coach's own JSON backup (docs/export-format.md), generic over the SQLAlchemy metadata.

Validation reads the whole document first: the header, every table and column against the models, every
value against its column type and length, the domain rules for habits, lab results and the safety screen,
references between rows, and finally a dry run into an in-memory database with the same schema (so CHECK,
NOT NULL, UNIQUE and FOREIGN KEY constraints are all proven before the real database is touched).

Writing is one transaction. Rows are matched to what is already there by natural keys, so importing the
same file twice adds nothing: a habit by its key, a check-off by (habit, day), a lab result by (date, value),
a setting by its key; tables without a unique key match on all their columns. When the same natural key
appears n times in the file and m times in the database, max(0, n - m) rows are added. Existing rows are never
changed. Ids are kept when they are free (so an import into an empty data dir reproduces the exported
document exactly) and references are re-pointed when a row was matched or renumbered.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Table, create_engine, event, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from igfcoach.services.export import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    column_kind,
    decode_value,
)
from igfcoach.services.fileio import CancelFn, ProgressFn, Steps
from igfcoach.services.importers._common import (
    MAX_TEXT_BYTES,
    ImportPlan,
    ImportProblem,
    ImportResult,
    decode_text,
    read_limited,
)
from igfcoach.store.models import Base
from igfcoach.store.schema import HEAD_REVISION

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from igfcoach.services.context import AppContext

FORMAT = "igfcoach-json"
TITLE = "IGF Coach backup (JSON)"

#: Natural keys where the table's own unique constraints do not say it (see the module docstring).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "lab_results": ("drawn_on", "value_ng"),
}

CHUNK = 500
MAX_DEPTH_MESSAGE = "is nested too deeply to be an IGF Coach export"


@dataclass
class TableRows:
    table: Table
    rows: list[dict[str, Any]]  # decoded values; ids as in the file


# --------------------------------------------------------------------------------------------------- keys

def _single_int_pk(table: Table) -> Column | None:
    pk = list(table.primary_key.columns)
    if len(pk) == 1 and column_kind(pk[0]) == "int" and not pk[0].foreign_keys:
        return pk[0]
    return None


def natural_key_columns(table: Table) -> tuple[str, ...]:
    if table.name in NATURAL_KEYS:
        return NATURAL_KEYS[table.name]
    from sqlalchemy import UniqueConstraint

    for c in table.constraints:
        if isinstance(c, UniqueConstraint) and c.columns:
            return tuple(col.name for col in c.columns)
    for col in table.columns:
        if col.unique:
            return (col.name,)
    if _single_int_pk(table) is None and table.primary_key.columns:
        return tuple(col.name for col in table.primary_key.columns)
    pk = {c.name for c in table.primary_key.columns}
    return tuple(c.name for c in table.columns if c.name not in pk)


def _key_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    kind = column_kind(column)
    if kind == "json":
        return json.dumps(value, sort_keys=True)
    if kind == "datetime" and value.tzinfo is not None and not hasattr(column.type, "impl_instance"):
        return value.replace(tzinfo=None)  # what SQLite keeps of an aware value in a plain DateTime column
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    return value


def _key(table: Table, names: tuple[str, ...], values: dict[str, Any]) -> tuple:
    return tuple(_key_value(table.c[n], values.get(n)) for n in names)


# --------------------------------------------------------------------------------------------------- reading

def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"the key {k!r} appears twice in one object")
        out[k] = v
    return out


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def load_document(path: Path, label: str | None = None) -> dict[str, Any]:
    label = label or str(path)
    text = decode_text(read_limited(path, MAX_TEXT_BYTES, label), label)
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ImportProblem(label, f"is not valid JSON ({exc.msg}, column {exc.colno})", row=exc.lineno) from None
    except RecursionError:
        raise ImportProblem(label, MAX_DEPTH_MESSAGE) from None
    except ValueError as exc:
        raise ImportProblem(label, f"is not valid JSON ({exc})") from None
    return doc


def _check_header(doc: Any, label: str) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise ImportProblem(label, "is not an IGF Coach export (its top level is not an object)")
    if doc.get("format") != EXPORT_FORMAT:
        raise ImportProblem(label, f"is not an IGF Coach export (format is {str(doc.get('format'))[:40]!r}, "
                                   f"expected {EXPORT_FORMAT!r})", field="format")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ImportProblem(label, f"{version!r} is not an export version number", field="version")
    if version > EXPORT_VERSION:
        raise ImportProblem(label, f"was made by a newer IGF Coach (export version {version}; this app reads "
                                   f"version {EXPORT_VERSION}); update the app to import it", field="version")
    if version < 1:
        raise ImportProblem(label, f"{version} is not an export version", field="version")
    revision = doc.get("schema_revision")
    if not isinstance(revision, str) or not revision.isdigit() or len(revision) > 8:
        raise ImportProblem(label, f"{str(revision)[:40]!r} is not a schema revision", field="schema_revision")
    if int(revision) > int(HEAD_REVISION):
        raise ImportProblem(label, f"was made by a newer IGF Coach (schema {revision}; this app knows up to "
                                   f"{HEAD_REVISION}); update the app to import it", field="schema_revision")
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise ImportProblem(label, "has no tables object", field="tables")
    return tables


def _guess_field(message: str, table: Table) -> str | None:
    first = message.split(" ", 1)[0].strip(":").replace(" ", "_")
    return first if first in table.c else None


def _domain_check(table: Table, values: dict[str, Any]) -> tuple[str | None, str] | None:
    """The app's own rules for the tables that have them: (field, message) when a row breaks one."""
    if table.name == "habits":
        from igfcoach.services.habits import spec_of
        from igfcoach.store.models import Habit

        defaults = {"why": "", "details": "", "kind": "check", "schedule": "daily", "flags": "", "params": {},
                    "position": 0, "status": "active"}
        row = Habit(**{**defaults, **{k: v for k, v in values.items() if v is not None or k not in defaults}})
        try:
            spec_of(row)
        except (ValueError, TypeError, AttributeError) as exc:
            return _guess_field(str(exc), table), str(exc)
        if row.status not in ("active", "paused", "archived"):
            return "status", f"{row.status!r} is not one of active, paused, archived"
        return None
    if table.name == "lab_results":
        from igfcoach.core import igf1

        unit = values.get("entered_unit")
        try:
            if unit not in ("ng/mL", "nmol/L"):
                igf1.parse_unit(unit)  # the message lists the units it knows
                return "entered_unit", f"{unit!r} is not stored as ng/mL or nmol/L"
        except ValueError as exc:
            return "entered_unit", str(exc)
        for name in ("value_ng", "entered_value"):
            v = values.get(name)
            if v is not None and v <= 0:
                return name, f"{v:g} must be greater than zero"
        low, high = values.get("lab_low_ng"), values.get("lab_high_ng")
        if (low is None) != (high is None):
            return "lab_low_ng", "the lab range needs both a low and a high limit, or neither"
        if low is not None and (low < 0 or high <= 0 or low > high):
            return "lab_low_ng", f"the lab range {low:g}\u2013{high:g} is not a range"
        t = values.get("drawn_at_time")
        if t is not None:
            import re

            if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", t):
                return "drawn_at_time", f"{t!r} is not a time of day (HH:MM)"
        return None
    if table.name == "checkoffs":
        v = values.get("value")
        if v is not None and v < 0:
            return "value", f"{v:g} is negative"
        return None
    if table.name == "screen_answers":
        from igfcoach.core.safety import ScreenAnswers

        try:
            ScreenAnswers(age=values.get("age"), sex=values.get("sex"))
        except ValueError as exc:
            return _guess_field(str(exc), table), str(exc)
    return None


def validate_document(doc: Any, label: str, steps: Steps | None = None) -> list[TableRows]:
    """Every check but the database's own, in order; the first problem raises ImportProblem."""
    steps = steps or Steps()
    raw_tables = _check_header(doc, label)
    known = {t.name: t for t in Base.metadata.sorted_tables}
    for name, rows in raw_tables.items():
        if name not in known:
            raise ImportProblem(label, f"unknown table {name[:60]!r} (from a newer IGF Coach?)", field="tables")
        if not isinstance(rows, list):
            raise ImportProblem(label, f"table {name!r} is not a list of rows", field="tables")
    steps.add_total(sum(len(v) for v in raw_tables.values()))
    out: list[TableRows] = []
    ids: dict[tuple[str, str], set[Any]] = {}
    referenced = {(fk.column.table.name, fk.column.name) for t in Base.metadata.sorted_tables
                  for c in t.columns for fk in c.foreign_keys}
    for table in Base.metadata.sorted_tables:
        if table.name not in raw_tables:
            continue
        unique_sets = [tuple(c.name for c in u.columns) for u in table.constraints
                       if u.__class__.__name__ == "UniqueConstraint"] + [(c.name,) for c in table.columns if c.unique]
        pk_names = tuple(c.name for c in table.primary_key.columns)
        seen: dict[tuple[str, ...], dict[tuple, int]] = {u: {} for u in {*unique_sets, pk_names}}
        rows: list[dict[str, Any]] = []
        for i, raw in enumerate(raw_tables[table.name], 1):
            where = f"{i} of {table.name}"
            if not isinstance(raw, dict):
                raise ImportProblem(label, "is not an object of column values", row=where)
            for name in raw:
                if name not in table.c:
                    raise ImportProblem(label, "is not a column of this table", row=where, field=str(name)[:60])
            values: dict[str, Any] = {}
            for col in table.columns:
                if col.name in raw:
                    try:
                        values[col.name] = decode_value(col, raw[col.name])
                    except ValueError as exc:
                        raise ImportProblem(label, str(exc), row=where, field=col.name) from None
                elif col.primary_key or not (col.nullable or col.default is not None
                                             or col.server_default is not None):
                    raise ImportProblem(label, "is missing", row=where, field=col.name)
            for fk_col in table.columns:
                for fk in fk_col.foreign_keys:
                    v = values.get(fk_col.name)
                    if v is None:
                        continue
                    target = (fk.column.table.name, fk.column.name)
                    if target not in ids or v not in ids[target]:
                        raise ImportProblem(label, f"refers to {fk.column.table.name} {v!r}, which is not in the "
                                                   "file", row=where, field=fk_col.name)
            problem = _domain_check(table, values)
            if problem is not None:
                raise ImportProblem(label, problem[1], row=where, field=problem[0])
            for names, index in seen.items():
                k = _key(table, names, values)
                if any(x is None for x in k):
                    continue
                if k in index:
                    raise ImportProblem(label, f"duplicate of row {index[k]} (same {', '.join(names)})",
                                        row=where, field=names[0])
                index[k] = i
            rows.append(values)
            if i % CHUNK == 0:
                steps.tick(CHUNK)
        steps.tick(len(rows) % CHUNK)
        for tname, cname in referenced:
            if tname == table.name:
                ids[(tname, cname)] = {r.get(cname) for r in rows}
        out.append(TableRows(table, rows))
    _dry_run(out, label, steps)
    return out


def _constraint_field(message: str, table: Table) -> str | None:
    # "NOT NULL constraint failed: habits.title", "UNIQUE constraint failed: checkoffs.habit_id, checkoffs.day",
    # "CHECK constraint failed: ck_habits_kind"
    tail = message.split(":", 1)[-1].strip()
    first = tail.split(",")[0].strip()
    if "." in first:
        return first.split(".", 1)[1]
    prefix = f"ck_{table.name}_"
    if first.startswith(prefix) and first[len(prefix):] in table.c:
        return first[len(prefix):]
    return None


def _dry_run(tables: list[TableRows], label: str, steps: Steps) -> None:
    """Insert everything into an in-memory copy of the schema: the database's constraints, proven offline."""
    engine = create_engine("sqlite://")
    event.listen(engine, "connect", lambda conn, _r: conn.execute("PRAGMA foreign_keys=ON"))
    try:
        Base.metadata.create_all(engine)
        with engine.connect() as conn:
            for tr in tables:
                for start in range(0, len(tr.rows), CHUNK):
                    chunk = tr.rows[start:start + CHUNK]
                    steps.check()
                    nested = conn.begin()
                    try:
                        _insert_rows(conn, tr.table, chunk)
                        nested.commit()
                        continue
                    except (IntegrityError, DBAPIError):
                        nested.rollback()
                    for offset, row in enumerate(chunk):
                        tx = conn.begin()
                        try:
                            conn.execute(insert(tr.table), [row])
                            tx.commit()
                        except (IntegrityError, DBAPIError) as exc:
                            tx.rollback()
                            message = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
                            raise ImportProblem(
                                label, f"breaks a rule of the database ({message})",
                                row=f"{start + offset + 1} of {tr.table.name}",
                                field=_constraint_field(message, tr.table),
                            ) from None
    finally:
        engine.dispose()


def _insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """executemany needs the same keys in every row; group rows by their key sets."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[tuple(sorted(row))].append(row)
    for group in groups.values():
        conn.execute(insert(table), group)


# --------------------------------------------------------------------------------------------------- matching

@dataclass
class _Matched:
    table: Table
    new_rows: list[dict[str, Any]]
    existing: int


def _match(conn: Connection, tables: list[TableRows], steps: Steps) -> list[_Matched]:
    """Which rows are new, with ids and references re-pointed into the target database."""
    id_maps: dict[str, dict[Any, Any]] = defaultdict(dict)
    out: list[_Matched] = []
    for tr in tables:
        table = tr.table
        names = natural_key_columns(table)
        pk = _single_int_pk(table)
        available: dict[tuple, list[Any]] = defaultdict(list)
        used: set[Any] = set()
        pk_names = [c.name for c in table.primary_key.columns]
        for row in conn.execute(select(table)).mappings():
            ident = row[pk.name] if pk is not None else tuple(row[n] for n in pk_names)
            available[_key(table, names, dict(row))].append(ident)
            if pk is not None:
                used.add(row[pk.name])
        next_id = (max(used) if used else 0) + 1
        file_ids = {r.get(pk.name) for r in tr.rows} if pk is not None else set()
        new_rows: list[dict[str, Any]] = []
        existing = 0
        for n, row in enumerate(tr.rows, 1):
            values = dict(row)
            for col in table.columns:
                for fk in col.foreign_keys:
                    v = values.get(col.name)
                    ref = fk.column.table.name
                    if v is not None and ref in id_maps and fk.column.primary_key:
                        values[col.name] = id_maps[ref].get(v, v)
            k = _key(table, names, values)
            if available.get(k):
                matched = available[k].pop()
                if pk is not None:
                    id_maps[table.name][row[pk.name]] = matched
                existing += 1
            else:
                if pk is not None:
                    old = values.get(pk.name)
                    if old is None or old in used:
                        while next_id in used or next_id in file_ids:
                            next_id += 1
                        values[pk.name] = next_id
                    used.add(values[pk.name])
                    id_maps[table.name][old] = values[pk.name]
                new_rows.append(values)
            if n % CHUNK == 0:
                steps.tick(CHUNK)
        steps.tick(len(tr.rows) % CHUNK)
        out.append(_Matched(table, new_rows, existing))
    return out


# --------------------------------------------------------------------------------------------------- API

def preview(ctx: AppContext, path: Path, progress: ProgressFn | None = None,
            cancelled: CancelFn | None = None) -> ImportPlan:
    path = Path(path)
    label = str(path)
    steps = Steps(0, progress, cancelled, "the import")
    doc = load_document(path, label)
    tables = validate_document(doc, label, steps)
    with ctx.db.transaction() as s:
        matched = _match(s.connection(), tables, Steps())  # reads only
    summary = [f"Exported {doc.get('exported_at', 'at an unknown time')} by IGF Coach "
               f"{str(doc.get('app_version', '?'))[:20]} (schema {doc['schema_revision']})"]
    for m in matched:
        if m.new_rows or m.existing:
            summary.append(f"{m.table.name.replace('_', ' ')}: {len(m.new_rows)} new, {m.existing} already here")
    if len(summary) == 1:
        summary.append("The file holds no records.")
    return ImportPlan(FORMAT, path, TITLE, summary, payload=tables)


def apply(ctx: AppContext, plan: ImportPlan, progress: ProgressFn | None = None,
          cancelled: CancelFn | None = None) -> ImportResult:
    tables: list[TableRows] = plan.payload
    steps = Steps(2 * sum(len(t.rows) for t in tables), progress, cancelled, "the import")
    result = ImportResult(FORMAT)
    label = str(plan.path)
    with ctx.db.transaction() as s:
        conn = s.connection()
        matched = _match(conn, tables, steps)
        for m in matched:
            for start in range(0, len(m.new_rows), CHUNK):
                chunk = m.new_rows[start:start + CHUNK]
                try:
                    _insert_rows(conn, m.table, chunk)
                except IntegrityError as exc:
                    raise ImportProblem(label, f"conflicts with what is already in your data ({exc.orig})",
                                        field=_constraint_field(str(exc.orig), m.table)) from None
                steps.tick(len(chunk))
            steps.tick(m.existing)
            result.added[m.table.name] = len(m.new_rows)
            result.existing[m.table.name] = m.existing
        steps.check()
    steps.finish()
    return result
