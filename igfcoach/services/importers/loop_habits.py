"""Import from Loop Habit Tracker: its SQLite backup (``.db``) and its CSV export (a zip or an unpacked folder).

What Loop writes (read from its source, github.com/iSoron/uhabits):

- The database (``uhabits-core/src/jvmMain/resources/migrations/NN.sql``; ``PRAGMA user_version`` is NN):
  ``Habits(id, name, description, freq_num, freq_den, archived, position, color, ...)`` since version 9;
  ``type`` (0 yes/no, 1 numerical) since 16; ``target_type`` (0 at least, 1 at most), ``target_value`` and
  ``unit`` since 18; ``question`` since 23 (before that ``description`` held the question); ``uuid`` since 24.
  ``Repetitions(id, habit, timestamp)``; ``value`` since 16 (before, every row was a "yes"); unique
  (habit, timestamp) since 22; ``notes`` since 25. ``timestamp`` is milliseconds at midnight UTC of the day.
- Values (``Entry.kt``): 2 yes (ticked), 1 yes-auto (filled in by Loop from the frequency, not a tick),
  0 no, 3 skip, -1 unknown; a numerical habit stores the amount × 1000.
- The CSV export (``HabitsCSVExporter.kt``, ``HabitList.writeCSV``): ``Habits.csv`` with a header
  (since mid-2025: Position, Name, Type, Question, Description, FrequencyNumerator, FrequencyDenominator,
  Color, Unit, Target Type, Target Value, Archived?; before: Position, Name, Question, Description,
  NumRepetitions, Interval, Color; older still without Question) and one folder per habit named
  ``"%03d <name>"`` holding ``Checkmarks.csv`` (since mid-2025 with a ``Date,Value,Notes`` header and values
  written as YES_MANUAL/YES_AUTO/NO/SKIP/UNKNOWN or the number; before, ``date,number`` rows with no header)
  and ``Scores.csv`` (not imported: IGF Coach computes its own strength score).

How it maps: a Loop habit becomes a habit here (or adds to the existing habit whose name is most alike, shown
in the preview, which the user may change). Frequency "n times in d days" becomes daily, n a week, or the
nearest number a week (said in the preview). A numerical habit becomes a measured habit with its target
("at least"/"at most") and unit. Ticks become done days, skips skipped days, amounts values (÷ 1000), notes
notes; "no" and "unknown" days without a note and Loop's auto-filled days are not stored (an unticked day
already means that here). A day already recorded here is left as it is, so importing twice adds nothing.
"""

from __future__ import annotations

import difflib
import math
import re
import sqlite3
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import select

from igfcoach.core.habits import CATEGORIES, CATEGORY_TITLES, HabitSpec, Schedule, Target
from igfcoach.services.fileio import CancelFn, ProgressFn, Steps
from igfcoach.services.habits import spec_of
from igfcoach.services.importers._common import (
    MAX_DB_BYTES,
    MAX_TEXT_BYTES,
    MB,
    HabitMapping,
    ImportPlan,
    ImportProblem,
    ImportResult,
    decode_text,
    read_csv,
    read_limited,
)
from igfcoach.store.models import CheckOff, Habit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from igfcoach.services.context import AppContext

FORMAT_DB = "loop-db"
FORMAT_CSV = "loop-csv"

SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"

YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN = 2, 1, 0, 3, -1
VALUE_NAMES = {"YES_MANUAL": YES_MANUAL, "YES_AUTO": YES_AUTO, "NO": NO, "SKIP": SKIP, "UNKNOWN": UNKNOWN}
DAY_MS = 86_400_000
EPOCH = date(1970, 1, 1)

MAX_HABITS = 1_000
MAX_ENTRIES = 2_000_000
MAX_NAME = 200
MAX_TEXT = 10_000
MAX_UNIT = 16  # the habit editor's limit
MAX_ZIP_MEMBERS = 10_000
MAX_MEMBER_BYTES = 32 * MB
MAX_ZIP_TOTAL = 128 * MB
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB
MATCH_CUTOFF = 0.8

#: Words in a Loop habit's name that suggest a category here (the preview shows the guess; it can be changed).
_CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sleep", ("sleep", "bed", "nap", "wake", "screen", "alarm")),
    ("training", ("gym", "workout", "run", "walk", "hiit", "lift", "squat", "push", "train", "exercise", "yoga",
                  "swim", "bike", "cycl", "steps", "stretch", "sport")),
    ("nutrition", ("protein", "eat", "meal", "food", "water", "drink", "breakfast", "lunch", "dinner", "fast",
                   "sugar", "vegetable", "fruit", "alcohol", "coffee")),
    ("micronutrients", ("zinc", "magnesium", "vitamin", "omega", "iron", "calcium")),
    ("supplements", ("supplement", "creatine", "arginine", "ornithine", "pill")),
    ("stress", ("meditat", "breath", "journal", "mindful", "relax", "gratitude", "read", "pray")),
)
DEFAULT_CATEGORY = "stress"


@dataclass
class LoopEntry:
    day: date
    value: int
    notes: str
    where: str


@dataclass
class LoopHabit:
    where: str  # "file, row" for messages
    name: str
    question: str = ""
    description: str = ""
    freq_num: int = 1
    freq_den: int = 1
    numerical: bool | None = False  # None: an old CSV export that does not say
    target_type: int = 0
    target_value: float = 0.0
    unit: str = ""
    archived: bool = False
    entries: list[LoopEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class LoopData:
    habits: list[LoopHabit]
    summary: list[str]


# --------------------------------------------------------------------------------------------------- checks

def _text(value: object, label: str, row: object, fld: str, limit: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ImportProblem(label, f"{_show(value)} is not text", row=row, field=fld)
    if "\x00" in value:
        raise ImportProblem(label, "contains a NUL character", row=row, field=fld)
    if len(value) > limit:
        raise ImportProblem(label, f"{len(value)} characters is too long (at most {limit})", row=row, field=fld)
    if required and not value.strip():
        raise ImportProblem(label, "is empty", row=row, field=fld)
    return value


def _int(value: object, label: str, row: object, fld: str, lo: int, hi: int) -> int:
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,12}", value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImportProblem(label, f"{_show(value)} is not a whole number", row=row, field=fld)
    if not lo <= value <= hi:
        raise ImportProblem(label, f"{value} is outside {lo}..{hi}", row=row, field=fld)
    return value


def _number(value: object, label: str, row: object, fld: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise ImportProblem(label, f"{_show(value)} is not a number", row=row, field=fld) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        raise ImportProblem(label, f"{_show(value)} is not a number", row=row, field=fld)
    if value < 0 or value > 1e9:
        raise ImportProblem(label, f"{value:g} is outside 0..1e9", row=row, field=fld)
    return float(value)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --------------------------------------------------------------------------------------------------- the .db

def is_sqlite(head: bytes) -> bool:
    return head.startswith(SQLITE_MAGIC)


def _open_ro(path: Path, label: str) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
        conn.execute("PRAGMA query_only=ON")
        conn.execute("PRAGMA trusted_schema=OFF")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ImportProblem(label, f"is not a readable SQLite database ({exc})") from None
    return conn


def sqlite_tables(path: Path, label: str) -> dict[str, str]:
    """Lower-case name -> real name of the tables in an SQLite file (read-only, never changed)."""
    conn = _open_ro(path, label)
    try:
        return {n.lower(): n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                if isinstance(n, str)}
    except sqlite3.DatabaseError as exc:
        raise ImportProblem(label, f"is not a readable SQLite database ({exc})") from None
    finally:
        conn.close()


def not_loop_message(tables: dict[str, str]) -> str:
    if "alembic_version" in tables and "habits" in tables:
        return ("is an IGF Coach database backup, not an export: restore it from Settings \u203a Data or with "
                "`igfcoach restore`")
    return "is an SQLite database but not a Loop Habit Tracker backup (it has no Habits and Repetitions tables)"


def read_db(path: Path, steps: Steps) -> LoopData:
    label = str(path)
    data = read_limited(path, MAX_DB_BYTES, label)
    if not is_sqlite(data[:16]):
        raise ImportProblem(label, "is not an SQLite database (a Loop backup ends in .db)")
    del data
    tables = sqlite_tables(path, label)
    if "habits" not in tables or "repetitions" not in tables:
        raise ImportProblem(label, not_loop_message(tables))
    conn = _open_ro(path, label)
    try:
        return _read_db(conn, label, tables, steps)
    except sqlite3.DatabaseError as exc:
        raise ImportProblem(label, f"could not be read to the end; it may be damaged or truncated ({exc})") from None
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {str(r[1]).lower() for r in conn.execute(f'PRAGMA table_info("{table}")')}


def _read_db(conn: sqlite3.Connection, label: str, tables: dict[str, str], steps: Steps) -> LoopData:
    habits_t, reps_t = tables["habits"], tables["repetitions"]
    for t in (habits_t, reps_t):
        if not re.fullmatch(r"[A-Za-z_]+", t):
            raise ImportProblem(label, f"has an unexpected table name {t!r}")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    hcols = _columns(conn, habits_t)
    rcols = _columns(conn, reps_t)
    for needed in ("id", "name", "freq_num", "freq_den"):
        if needed not in hcols:
            raise ImportProblem(label, f"the Habits table has no {needed} column, so this is not a Loop backup",
                                field=needed)
    for needed in ("habit", "timestamp"):
        if needed not in rcols:
            raise ImportProblem(label, f"the Repetitions table has no {needed} column, so this is not a Loop "
                                       "backup", field=needed)
    n_habits = conn.execute(f'SELECT count(*) FROM "{habits_t}"').fetchone()[0]
    n_reps = conn.execute(f'SELECT count(*) FROM "{reps_t}"').fetchone()[0]
    if n_habits > MAX_HABITS:
        raise ImportProblem(label, f"has {n_habits} habits; at most {MAX_HABITS} are imported")
    if n_reps > MAX_ENTRIES:
        raise ImportProblem(label, f"has {n_reps} check-marks; at most {MAX_ENTRIES} are imported")
    steps.add_total(n_habits + n_reps)

    optional = ["description", "question", "archived", "type", "target_type", "target_value", "unit", "position"]
    present = [c for c in optional if c in hcols]
    order = "position, id" if "position" in hcols else "id"
    habits: dict[int, LoopHabit] = {}
    for row in conn.execute(f'SELECT id, name, freq_num, freq_den{"".join(", " + c for c in present)} '
                            f'FROM "{habits_t}" ORDER BY {order}'):
        values = dict(zip(["id", "name", "freq_num", "freq_den", *present], row, strict=True))
        hid = _int(values["id"], label, "?", "id", 0, 2**62)
        where = f"Habits id {hid}"
        h = LoopHabit(where=f"{label}, {where}", name=_text(values["name"], label, where, "name", MAX_NAME,
                                                               required=True).strip())
        question = _text(values.get("question"), label, where, "question", MAX_TEXT)
        description = _text(values.get("description"), label, where, "description", MAX_TEXT)
        if "question" not in hcols:  # before version 23 the description was the question
            question, description = description, ""
        h.question, h.description = question.strip(), description.strip()
        h.freq_num = _int(values["freq_num"], label, where, "freq_num", 1, 366)
        h.freq_den = _int(values["freq_den"], label, where, "freq_den", 1, 366)
        h.archived = bool(_int(values.get("archived") or 0, label, where, "archived", 0, 1))
        h.numerical = bool(_int(values.get("type") or 0, label, where, "type", 0, 1))
        if h.numerical:
            h.target_type = _int(values.get("target_type") or 0, label, where, "target_type", 0, 1)
            h.target_value = _number(values.get("target_value") or 0, label, where, "target_value")
            h.unit = _text(values.get("unit"), label, where, "unit", MAX_TEXT).strip()
        if hid in habits:
            raise ImportProblem(label, "duplicate habit id", row=where, field="id")
        habits[hid] = h
        steps.tick()

    value_col = "value" if "value" in rcols else None
    notes_col = "notes" if "notes" in rcols else None
    cols = "id, habit, timestamp" if "id" in rcols else "rowid, habit, timestamp"
    cols += f", {value_col or 'NULL'}, {notes_col or 'NULL'}"
    seen: dict[tuple[int, date], object] = {}
    orphans = duplicates = 0
    for n, (rid, habit, ts, value, notes) in enumerate(
            conn.execute(f'SELECT {cols} FROM "{reps_t}" ORDER BY rowid'), 1):
        where = f"Repetitions id {rid}"
        if habit is None or ts is None or (isinstance(habit, int) and habit not in habits):
            if isinstance(habit, (int, type(None))) and isinstance(ts, (int, type(None))):
                orphans += 1  # Loop's own migration 22 drops these rows too
                continue
        hid = _int(habit, label, where, "habit", 0, 2**62)
        stamp = _int(ts, label, where, "timestamp", 0, 4_102_444_800_000)  # up to the year 2100
        day = EPOCH + timedelta(days=stamp // DAY_MS)
        v = YES_MANUAL if value_col is None else _int(value, label, where, "value", -1, 10**12)
        text = _text(notes, label, where, "notes", MAX_TEXT).strip() if notes_col else ""
        key = (hid, day)
        if key in seen:
            if version >= 22:  # a unique index forbids this since version 22: the file was altered
                raise ImportProblem(label, f"duplicate of {seen[key]} (same habit and day)", row=where,
                                    field="timestamp")
            duplicates += 1  # what Loop's migration 22 does: keep the first
            continue
        seen[key] = where
        habits[hid].entries.append(LoopEntry(day, v, text, f"{label}, {where}"))
        if n % 1000 == 0:
            steps.tick(1000)
    steps.tick(n_reps % 1000)
    summary = [f"Loop Habit Tracker database, schema version {version}: {len(habits)} habits, "
               f"{sum(len(h.entries) for h in habits.values())} check-marks"]
    if orphans or duplicates:
        summary.append(f"Left out as Loop itself does: {orphans} check-marks of deleted habits, "
                       f"{duplicates} repeated check-marks")
    return LoopData(list(habits.values()), summary)


# --------------------------------------------------------------------------------------------------- the CSV export

class _Container:
    """The files of a CSV export, from a zip (read in memory with limits) or a folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = str(path)
        self.zip: zipfile.ZipFile | None = None
        self.names: list[str] = []
        self._total = 0
        if path.is_dir():
            self._list_folder()
        else:
            self._open_zip()

    def _list_folder(self) -> None:
        count = 0
        for child in sorted(self.path.iterdir()):
            count += 1
            if count > MAX_ZIP_MEMBERS:
                raise ImportProblem(self.label, f"holds more than {MAX_ZIP_MEMBERS} files; is it the right folder?")
            st = child.lstat()
            if stat.S_ISREG(st.st_mode):
                self.names.append(child.name)
            elif stat.S_ISDIR(st.st_mode):
                for sub in sorted(child.iterdir())[:50]:
                    if stat.S_ISREG(sub.lstat().st_mode):
                        self.names.append(f"{child.name}/{sub.name}")

    def _open_zip(self) -> None:
        try:
            if not self.path.is_file():
                raise ImportProblem(self.label, "is not a file or a folder")
            if self.path.stat().st_size > MAX_ZIP_TOTAL:
                raise ImportProblem(self.label, f"is larger than {MAX_ZIP_TOTAL / MB:.0f} MB")
            with self.path.open("rb") as fh:
                data_head = fh.read(4)
        except OSError as exc:
            raise ImportProblem(self.label, f"cannot be read: {exc.strerror or exc}") from None
        if not data_head.strip():
            raise ImportProblem(self.label, "the file is empty")
        if data_head != ZIP_MAGIC:
            raise ImportProblem(self.label, "is not a zip archive")
        try:
            self.zip = zipfile.ZipFile(self.path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise ImportProblem(self.label, f"is not a readable zip archive; it may be damaged or truncated "
                                            f"({exc})") from None
        if len(infos) > MAX_ZIP_MEMBERS:
            raise ImportProblem(self.label, f"holds {len(infos)} files; a Loop export has far fewer")
        total = 0
        for info in infos:
            name = info.filename
            if name.lower().endswith((".zip", ".gz", ".7z", ".rar", ".tar", ".bz2", ".xz")):
                raise ImportProblem(self.label, "holds another archive; Loop's export has none (unpack it first)",
                                    field=name[:80])
            if info.flag_bits & 0x1:
                raise ImportProblem(self.label, "is encrypted", field=name[:80])
            total += info.file_size
            if info.file_size > 1 * MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ImportProblem(self.label, f"a member unpacks to {info.file_size / MB:.0f} MB from "
                                                f"{info.compress_size} bytes (a zip bomb?)", field=name[:80])
            if not name.endswith("/"):
                self.names.append(name)
        if total > MAX_ZIP_TOTAL:
            raise ImportProblem(self.label, f"unpacks to {total / MB:.0f} MB; the limit is {MAX_ZIP_TOTAL / MB:.0f} MB")

    def member_label(self, name: str) -> str:
        return f"{self.label}:{name}" if self.zip is not None else str(self.path / name)

    def read(self, name: str) -> bytes:
        label = self.member_label(name)
        if self.zip is None:
            return read_limited(self.path / name, MAX_TEXT_BYTES, label)
        try:
            with self.zip.open(name) as fh:
                data = fh.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise ImportProblem(label, f"cannot be unpacked; the archive may be damaged ({exc})") from None
        if len(data) > MAX_MEMBER_BYTES:
            raise ImportProblem(label, f"is larger than {MAX_MEMBER_BYTES / MB:.0f} MB")
        self._total += len(data)
        if self._total > MAX_ZIP_TOTAL:
            raise ImportProblem(self.label, f"unpacks to more than {MAX_ZIP_TOTAL / MB:.0f} MB")
        if data[:4] == ZIP_MAGIC:
            raise ImportProblem(label, "is another zip archive inside the archive; Loop's export has none")
        return data

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def find_habits_csv(names: list[str]) -> str | None:
    """Where Habits.csv is: at the top, or in one folder (a zip of the export folder)."""
    found = sorted((n for n in names if PurePosixPath(n).name == "Habits.csv" and n.count("/") <= 1),
                   key=lambda n: n.count("/"))
    return found[0] if found else None


def container_has_loop_csv(path: Path) -> bool:
    try:
        c = _Container(path)
    except ImportProblem:
        return False
    try:
        return find_habits_csv(c.names) is not None
    finally:
        c.close()


_HABIT_HEADER = {"position", "name", "type", "question", "description", "frequencynumerator",
                 "frequencydenominator", "numrepetitions", "interval", "color", "unit", "target type",
                 "target value", "archived?"}


def read_csv_export(path: Path, steps: Steps) -> LoopData:
    label = str(path)
    c = _Container(path)
    try:
        habits_name = find_habits_csv(c.names)
        if habits_name is None:
            raise ImportProblem(label, "has no Habits.csv, so it is not a Loop Habit Tracker CSV export")
        prefix = habits_name[: -len("Habits.csv")]
        hlabel = c.member_label(habits_name)
        rows = read_csv(decode_text(c.read(habits_name), hlabel), hlabel)
        if not rows:
            raise ImportProblem(hlabel, "the file is empty")
        header = [h.strip().lower() for h in rows[0][1]]
        if "name" not in header:
            raise ImportProblem(hlabel, "the header has no Name column, so this is not Loop's Habits.csv", row=1,
                                field="Name")
        unknown = [h for h in header if h and h not in _HABIT_HEADER]
        if unknown:
            raise ImportProblem(hlabel, f"unexpected column {unknown[0][:40]!r} for Loop's Habits.csv", row=1,
                                field=unknown[0][:40])
        if len(rows) - 1 > MAX_HABITS:
            raise ImportProblem(hlabel, f"has {len(rows) - 1} habits; at most {MAX_HABITS} are imported")
        folders: dict[int, str] = {}
        for n in c.names:
            if not n.startswith(prefix):
                continue
            rel = n[len(prefix):]
            parts = rel.split("/")
            if len(parts) == 2 and parts[1] == "Checkmarks.csv":
                m = re.match(r"(\d{3,})\s", parts[0] + " ")
                if m:
                    folders.setdefault(int(m.group(1)), n)
        habits: list[LoopHabit] = []
        steps.add_total(len(rows) - 1)
        for index, (line, cells) in enumerate(rows[1:], 1):
            if len(cells) > len(header):
                raise ImportProblem(hlabel, f"has {len(cells)} cells but the header has {len(header)} columns",
                                    row=line)
            values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)}
            h = _habit_from_csv(values, hlabel, line, index)
            position = _int(values["position"], hlabel, line, "Position", 1, 10**6) if values.get("position") \
                else index
            member = folders.get(position)
            if member is None:
                h.notes.append("no Checkmarks.csv for it in the export")
            else:
                h.entries = _entries_from_csv(c, member, h, steps)
            habits.append(h)
            steps.tick()
        summary = [f"Loop Habit Tracker CSV export: {len(habits)} habits, "
                   f"{sum(len(h.entries) for h in habits)} check-marks"]
        return LoopData(habits, summary)
    finally:
        c.close()


def _habit_from_csv(values: dict[str, str], label: str, line: int, index: int) -> LoopHabit:
    name = _text(values.get("name"), label, line, "Name", MAX_NAME, required=True).strip()
    h = LoopHabit(where=f"{label}, row {line}", name=name)
    h.question = _text(values.get("question", ""), label, line, "Question", MAX_TEXT).strip()
    h.description = _text(values.get("description", ""), label, line, "Description", MAX_TEXT).strip()
    if "question" not in values:  # the oldest layout: the description was the question
        h.question, h.description = h.description, ""
    if "frequencynumerator" in values:
        h.freq_num = _int(values["frequencynumerator"], label, line, "FrequencyNumerator", 1, 366)
        h.freq_den = _int(values.get("frequencydenominator", ""), label, line, "FrequencyDenominator", 1, 366)
    elif "numrepetitions" in values:
        h.freq_num = _int(values["numrepetitions"], label, line, "NumRepetitions", 1, 366)
        h.freq_den = _int(values.get("interval", ""), label, line, "Interval", 1, 366)
    kind = values.get("type")
    if kind is None:
        h.numerical = None  # decided from the values
    elif kind.strip() in ("YES_NO", "NUMERICAL"):
        h.numerical = kind.strip() == "NUMERICAL"
    else:
        raise ImportProblem(label, f"{kind[:40]!r} is not YES_NO or NUMERICAL", row=line, field="Type")
    if h.numerical:
        tt = values.get("target type", "").strip() or "AT_LEAST"
        if tt not in ("AT_LEAST", "AT_MOST"):
            raise ImportProblem(label, f"{tt[:40]!r} is not AT_LEAST or AT_MOST", row=line, field="Target Type")
        h.target_type = 0 if tt == "AT_LEAST" else 1
        raw = values.get("target value", "").strip() or "0"
        h.target_value = _number(raw, label, line, "Target Value")
        h.unit = _text(values.get("unit", ""), label, line, "Unit", MAX_TEXT).strip()
    archived = values.get("archived?", "false").strip().lower() or "false"
    if archived not in ("true", "false"):
        raise ImportProblem(label, f"{archived[:40]!r} is not true or false", row=line, field="Archived?")
    h.archived = archived == "true"
    return h


def _entries_from_csv(c: _Container, member: str, h: LoopHabit, steps: Steps) -> list[LoopEntry]:
    label = c.member_label(member)
    rows = read_csv(decode_text(c.read(member), label), label)
    if rows and rows[0][1][:1] and rows[0][1][0].strip().lower() == "date":
        rows = rows[1:]
    if len(rows) > MAX_ENTRIES:
        raise ImportProblem(label, f"has {len(rows)} rows; at most {MAX_ENTRIES} are imported")
    steps.add_total(len(rows))
    seen: dict[date, int] = {}
    out: list[LoopEntry] = []
    for line, cells in rows:
        if len(cells) < 2 or len(cells) > 3:
            raise ImportProblem(label, f"has {len(cells)} cells; expected Date, Value and Notes", row=line)
        raw_day = cells[0].strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw_day):
            raise ImportProblem(label, f"{raw_day[:40]!r} is not a date (YYYY-MM-DD)", row=line, field="Date")
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            raise ImportProblem(label, f"{raw_day!r} is not a date", row=line, field="Date") from None
        raw_value = cells[1].strip()
        value = VALUE_NAMES.get(raw_value)
        if value is None:
            value = _int(raw_value, label, line, "Value", -1, 10**12)
        notes = _text(cells[2] if len(cells) > 2 else "", label, line, "Notes", MAX_TEXT).strip()
        if day in seen:
            raise ImportProblem(label, f"duplicate of row {seen[day]} (same date)", row=line, field="Date")
        seen[day] = line
        out.append(LoopEntry(day, value, notes, f"{label}, row {line}"))
    steps.tick(len(rows))
    if h.numerical is None:
        numbers = any(e.value not in (YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN) for e in out)
        h.numerical = False
        if numbers:
            h.notes.append("Loop's older CSV export does not say the habit's type or target, so amounts are "
                           "imported as done days (import the .db backup to keep the amounts)")
            for e in out:
                if e.value not in (YES_AUTO, NO, SKIP, UNKNOWN):
                    e.value = YES_MANUAL if e.value > 0 else NO
    return out


# --------------------------------------------------------------------------------------------------- mapping

def _norm(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


def similarity(a: str, b: str) -> float:
    x, y = _norm(a), _norm(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    return difflib.SequenceMatcher(None, x, y).ratio()


def guess_category(name: str) -> str:
    n = name.casefold()
    for category, words in _CATEGORY_WORDS:
        if any(w in n for w in words):
            return category
    return DEFAULT_CATEGORY


def schedule_for(num: int, den: int) -> tuple[Schedule, str | None]:
    """Loop's "num times in den days" as a schedule here, with a note when it is an approximation."""
    if num >= den:
        return Schedule.daily(), None
    if den == 7:
        return Schedule.per_week(num), None
    per_week = max(1, min(7, math.floor(7 * num / den + 0.5)))  # half up: 3.5 a week is 4
    schedule = Schedule.daily() if per_week == 7 else Schedule.per_week(per_week)
    what = f"{num} time{'s' if num > 1 else ''} in {den} days"
    return schedule, f"Loop's \u201c{what}\u201d becomes \u201c{schedule.label}\u201d (the nearest)"


def _target(h: LoopHabit) -> tuple[Target | None, list[str]]:
    notes: list[str] = []
    if not h.numerical:
        return None, notes
    unit = h.unit or "units"
    if len(unit) > MAX_UNIT:
        notes.append(f"unit \u201c{unit}\u201d shortened to {MAX_UNIT} characters")
        unit = unit[:MAX_UNIT].strip()
    direction = "at_most" if h.target_type == 1 else "at_least"
    if direction == "at_least" and h.target_value <= 0:
        notes.append("Loop target 0: imported as a simple tick (done on days with an amount)")
        return None, notes
    return Target(value=h.target_value, unit=unit, direction=direction), notes


def _kind(h: LoopHabit) -> str:
    target, _ = _target(h)
    return "measured" if target is not None else "check"


def build_mappings(ctx: AppContext, habits: list[LoopHabit]) -> list[HabitMapping]:
    """Each Loop habit onto the existing habit with the most alike name (each used once), or a new one."""
    with ctx.db.transaction() as s:
        existing = [(r.key, r.title, r.kind, r.unit) for r in s.scalars(select(Habit).order_by(Habit.id))]
    pairs = []
    for i, h in enumerate(habits):
        kind = _kind(h)
        unit = _target(h)[0].unit if kind == "measured" else None
        for j, (_key, title, their_kind, their_unit) in enumerate(existing):
            if their_kind != kind:
                continue
            score = similarity(h.name, title)
            if score >= MATCH_CUTOFF:
                pairs.append((-score, unit != their_unit, i, j))
    pairs.sort()
    chosen: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    for neg, _unit_differs, i, j in pairs:
        if i in chosen or j in taken:
            continue
        chosen[i] = (j, -neg)
        taken.add(j)
    out = []
    for i, h in enumerate(habits):
        schedule, schedule_note = schedule_for(h.freq_num, h.freq_den)
        _t, target_notes = _target(h)
        notes = list(h.notes)
        if i in chosen:
            j, score = chosen[i]
            key, title, _kind_, their_unit = existing[j]
            if _t is not None and their_unit != _t.unit:
                notes.append(f"Loop counts in \u201c{_t.unit}\u201d, your habit in \u201c{their_unit}\u201d")
            out.append(HabitMapping(h.name, "merge", key, title, guess_category(h.name), score, len(h.entries),
                                    notes))
        else:
            notes += [n for n in (schedule_note, *target_notes, "archived in Loop" if h.archived else None) if n]
            out.append(HabitMapping(h.name, "new", None, None, guess_category(h.name), 0.0, len(h.entries), notes))
    return out


def merge_targets(ctx: AppContext, plan: ImportPlan, index: int) -> list[tuple[str, str]]:
    """(key, title) of the existing habits the plan's habit ``index`` may be added to (same kind)."""
    h: LoopHabit = plan.payload.habits[index]
    kind = _kind(h)
    with ctx.db.transaction() as s:
        return [(r.key, r.title) for r in s.scalars(select(Habit).where(Habit.kind == kind)
                                                   .order_by(Habit.position, Habit.id))]


# --------------------------------------------------------------------------------------------------- preview/apply

def preview(ctx: AppContext, path: Path, fmt: str, progress: ProgressFn | None = None,
            cancelled: CancelFn | None = None) -> ImportPlan:
    path = Path(path)
    steps = Steps(0, progress, cancelled, "the import")
    data = read_db(path, steps) if fmt == FORMAT_DB else read_csv_export(path, steps)
    mappings = build_mappings(ctx, data.habits)
    summary = list(data.summary)
    new = sum(1 for m in mappings if m.action == "new")
    summary.append(f"{new} new habits, {len(mappings) - new} added to habits you have")
    title = "Loop Habit Tracker backup" if fmt == FORMAT_DB else "Loop Habit Tracker CSV export"
    return ImportPlan(fmt, path, title, summary, payload=data, mappings=mappings)


@dataclass(frozen=True)
class _Record:
    done: bool
    value: float | None
    skipped: bool
    note: str | None


def _record(entry: LoopEntry, numerical: bool, target: Target | None) -> _Record | None:
    note = entry.notes or None
    v = entry.value
    if v == SKIP:
        return _Record(False, None, True, note)
    if v == YES_AUTO or v == UNKNOWN or v == NO or v < 0:
        return _Record(False, None, False, note) if note else None
    if numerical:
        amount = v / 1000
        if target is None:
            return _Record(amount > 0, None, False, note)
        return _Record(target.is_met(amount), amount, False, note)
    return _Record(True, None, False, note) if v == YES_MANUAL else None


def _new_habit(s: Session, ctx: AppContext, h: LoopHabit, category: str) -> Habit:
    from igfcoach.services import habits as habits_service

    schedule, _ = schedule_for(h.freq_num, h.freq_den)
    target, _ = _target(h)
    details = "\n\n".join(t for t in (h.question, h.description) if t)
    base = habits_service._slug(h.name)  # noqa: SLF001 - the same keys the habit editor makes
    key, n = base, 1
    while s.scalar(select(Habit.id).where(Habit.key == key)) is not None:
        n += 1
        key = f"{base[:36]}_{n}"
    spec = HabitSpec(key=key, category=category, title=h.name, why="", details=details,
                     kind="measured" if target else "check", target=target, schedule=schedule)
    now = ctx.clock.now()
    row = Habit(key=key, catalog_key=None, position=habits_service._next_position(s),  # noqa: SLF001
                status="archived" if h.archived else "active", created_at=now,
                archived_at=now if h.archived else None)
    habits_service._apply_spec(row, spec)  # noqa: SLF001
    s.add(row)
    s.flush()
    return row


def apply(ctx: AppContext, plan: ImportPlan, progress: ProgressFn | None = None,
          cancelled: CancelFn | None = None) -> ImportResult:
    data: LoopData = plan.payload
    if len(plan.mappings) != len(data.habits):
        raise ImportProblem(plan.path, "the preview's habit list does not match the file")
    for m in plan.mappings:
        if m.action not in ("new", "merge", "skip"):
            raise ImportProblem(plan.path, f"{m.action!r} is not new, merge or skip", field=m.source_name)
        if m.action == "new" and m.category not in CATEGORIES:
            raise ImportProblem(plan.path, f"{m.category!r} is not one of "
                                           f"{', '.join(CATEGORY_TITLES)}", field=m.source_name)
    today = ctx.today()
    steps = Steps(sum(len(h.entries) for h in data.habits) + len(data.habits), progress, cancelled, "the import")
    result = ImportResult(plan.format)
    added_habits = merged = 0
    added = existing = future = 0
    now = ctx.clock.now()
    with ctx.db.transaction() as s:
        for h, m in zip(data.habits, plan.mappings, strict=True):
            steps.tick()
            if m.action == "skip":
                steps.tick(len(h.entries))
                continue
            if m.action == "merge":
                row = s.scalar(select(Habit).where(Habit.key == m.target_key))
                if row is None:
                    raise ImportProblem(plan.path, f"your habit {m.target_key!r} no longer exists",
                                        field=m.source_name)
                merged += 1
            else:
                row = _new_habit(s, ctx, h, m.category)
                added_habits += 1
            spec = spec_of(row)
            have = set(s.scalars(select(CheckOff.day).where(CheckOff.habit_id == row.id)))
            batch = []
            for e in h.entries:
                if e.day > today:
                    future += 1
                    continue
                rec = _record(e, bool(h.numerical), spec.target if spec.kind == "measured" else None)
                if rec is None:
                    continue
                if e.day in have:
                    existing += 1
                    continue
                have.add(e.day)
                batch.append({"habit_id": row.id, "day": e.day, "done": rec.done, "value": rec.value,
                              "note": rec.note, "skipped": rec.skipped, "source": "loop", "updated_at": now})
                if len(batch) >= 1000:
                    s.execute(CheckOff.__table__.insert(), batch)
                    added += len(batch)
                    batch = []
                    steps.check()
            if batch:
                s.execute(CheckOff.__table__.insert(), batch)
                added += len(batch)
            steps.tick(len(h.entries))
        steps.check()
    result.added["habits"] = added_habits
    result.existing["habits"] = merged
    result.added["checkoffs"] = added
    result.existing["checkoffs"] = existing
    if future:
        result.notes.append(f"{future} check-marks dated after today were left out")
    steps.finish()
    return result
