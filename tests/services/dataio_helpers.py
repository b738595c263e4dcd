"""Test data for export and import: a populated data dir, database dumps, and Loop Habit Tracker files built in
Loop's documented formats (its SQL migrations, uhabits-core/src/jvmMain/resources/migrations/NN.sql, and its CSV
exporter, HabitsCSVExporter.kt / HabitList.writeCSV), for the current and older versions.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path

from igfcoach.core.safety import ScreenAnswers
from igfcoach.services import checklist, habits, labs, safety, settings
from igfcoach.services.labs import LabInput


def dump(ctx_or_path) -> list[str]:
    """Every row of every table (SQL text), to prove an operation left the database unchanged."""
    path = ctx_or_path if isinstance(ctx_or_path, (str, Path)) else ctx_or_path.db.path
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def populate(ctx) -> None:
    """A little of everything, with awkward text: formula-looking notes, markup, non-ASCII."""
    habits.seed_from_catalog(ctx)
    keys = [spec.key for spec, _ in habits.list_habits(ctx)]
    check_key = next(k for k in keys if k == "zinc")
    measured = next(spec for spec, _ in habits.list_habits(ctx) if spec.kind == "measured")
    checklist.record(ctx, check_key, date(2026, 11, 20), done=True, note="=cmd|' /C calc'!A0")
    checklist.record(ctx, check_key, date(2026, 11, 21), skipped=True, note="<b>ill</b> – Grüße")
    checklist.record(ctx, check_key, date(2026, 11, 22), done=True)
    checklist.record(ctx, measured.key, date(2026, 11, 20), value=measured.target.value + 1, note="+1 extra")
    habits.set_status(ctx, keys[-1], "archived")
    labs.add_result(ctx, LabInput(drawn_on="2026-06-01", value="110", unit="ng/mL", lab_low="76", lab_high="251",
                                  lab_name="@City Lab", fasting=True, drawn_at_time="08:30"))
    labs.add_result(ctx, LabInput(drawn_on="2026-10-01", value="15.2", unit="nmol/L", notes="-after a cold",
                                  biotin_72h=True, assay="IDS-iSYS"))
    labs.add_result(ctx, LabInput(drawn_on="2026-11-02", value="300", unit="ng/mL"))
    safety.record_answers(ctx, ScreenAnswers(age=44, sex="male"))
    settings.put(ctx, weight_kg=82.5, lab_unit="ng/mL", day_start="03:00")
    _training(ctx)


def _training(ctx) -> None:
    """Rows in the training, sleep and breathing tables when those models exist."""
    try:
        from igfcoach.store.models import training as t
    except ImportError:  # pragma: no cover - the colleague's tables are not there yet
        return
    now = datetime(2026, 11, 20, 7, 0, tzinfo=timezone.utc)
    with ctx.db.transaction() as s:
        session = t.ResistanceSession(day=date(2026, 11, 20), started_at=now, notes="=SUM(A1)")
        s.add(session)
        s.flush()
        for n in (1, 2):
            s.add(t.ResistanceSet(session_id=session.id, exercise="Squat", set_no=n, reps=8, load=60.0, unit="kg",
                                  to_failure=n == 2, rest_s=90))
        s.add(t.SleepEntry(day=date(2026, 11, 21), bedtime=datetime(2026, 11, 20, 22, 0, tzinfo=timezone.utc),
                           wake=datetime(2026, 11, 21, 6, 0, tzinfo=timezone.utc), quality=4, cool_dark=True,
                           screens_off=False, notes=""))
        s.add(t.BreathingSession(day=date(2026, 11, 21), pattern="box", minutes=5.0, started_at=now))


# --------------------------------------------------------------------------------------------------- Loop files

YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN = 2, 1, 0, 3, -1
DAY_MS = 86_400_000


def stamp(d: date) -> int:
    """Loop's timestamp: milliseconds at midnight UTC of the day."""
    return int(datetime.combine(d, time(0), tzinfo=timezone.utc).timestamp() * 1000)


@dataclass
class LHabit:
    name: str
    question: str = ""
    description: str = ""
    freq_num: int = 1
    freq_den: int = 1
    numerical: bool = False
    target_type: int = 0  # 0 at least, 1 at most
    target_value: float = 0.0
    unit: str = ""
    archived: bool = False
    #: (day, value, notes); values in Loop's encoding (numerical: amount × 1000)
    entries: list[tuple[date, int, str]] = field(default_factory=list)


def sample_habits() -> list[LHabit]:
    return [
        LHabit("Meditate", question="Did you meditate this morning?", description="10 minutes",
               entries=[(date(2026, 11, 1), YES_MANUAL, "calm"), (date(2026, 11, 2), YES_MANUAL, ""),
                        (date(2026, 11, 3), SKIP, "travel"), (date(2026, 11, 4), NO, ""),
                        (date(2026, 11, 5), YES_AUTO, ""), (date(2026, 11, 6), NO, "forgot")]),
        LHabit("Gym", question="Did you lift?", freq_num=3, freq_den=7,
               entries=[(date(2026, 11, 2), YES_MANUAL, ""), (date(2026, 11, 4), YES_MANUAL, "legs")]),
        LHabit("Walk every other day", freq_num=1, freq_den=2, entries=[(date(2026, 11, 3), YES_MANUAL, "")]),
        LHabit("Protein", question="How much protein?", numerical=True, target_type=0, target_value=120.0,
               unit="g", entries=[(date(2026, 11, 1), 130_000, ""), (date(2026, 11, 2), 90_500, "light day")]),
        LHabit("Screen time", numerical=True, target_type=1, target_value=2.0, unit="hours",
               entries=[(date(2026, 11, 1), 1_500, ""), (date(2026, 11, 2), 3_000, "")]),
        LHabit("Old habit", archived=True, entries=[(date(2026, 10, 1), YES_MANUAL, "")]),
    ]


def _loop_schema(conn: sqlite3.Connection, version: int) -> None:
    """Loop's schema as of ``version``, following its migrations 09..25."""
    conn.executescript("""
        CREATE TABLE android_metadata (locale TEXT);
        INSERT INTO android_metadata VALUES ('en_US');
        create table Habits (id integer primary key autoincrement, archived integer, color integer,
            description text, freq_den integer, freq_num integer, highlight integer, name text,
            position integer, reminder_hour integer, reminder_min integer);
        create table Checkmarks (id integer primary key autoincrement, habit integer references habits(id),
            timestamp integer, value integer);
        create table Repetitions (id integer primary key autoincrement, habit integer references habits(id),
            timestamp integer);
        create table Streak (id integer primary key autoincrement, end integer, habit integer references habits(id),
            length integer, start integer);
        create table Score (id integer primary key autoincrement, habit integer references habits(id),
            score integer, timestamp integer);
    """)
    if version >= 11:
        conn.execute("alter table Habits add column reminder_days integer not null default 127")
    if version >= 16:
        conn.execute("alter table Habits add column type integer not null default 0")
        conn.execute("alter table Repetitions add column value integer not null default 2")
    if version >= 18:
        conn.execute("alter table Habits add column target_type integer not null default 0")
        conn.execute("alter table Habits add column target_value real not null default 0")
        conn.execute("alter table Habits add column unit text not null default ''")
    if version >= 19:
        conn.execute("create table Events (id integer primary key autoincrement, timestamp integer, message text, "
                     "server_id integer)")
    if version >= 20:
        conn.executescript("drop table checkmarks; drop table streak; drop table score;")
    if version >= 22:
        conn.executescript("""
            alter table Repetitions rename to RepetitionsBak;
            create table Repetitions (id integer primary key autoincrement,
                habit integer not null references habits(id), timestamp integer not null, value integer not null);
            create unique index idx_repetitions_habit_timestamp on Repetitions(habit, timestamp);
            insert into Repetitions select * from RepetitionsBak;
            drop table RepetitionsBak;
        """)
    if version >= 23:
        conn.execute("alter table Habits add column question text")
    if version >= 24:
        conn.execute("alter table habits add column uuid text")
    if version >= 25:
        conn.execute("alter table Repetitions add column notes text")
    conn.execute(f"PRAGMA user_version = {version}")


def make_loop_db(path: Path, version: int = 25, items: list[LHabit] | None = None) -> Path:
    """A Loop backup at schema ``version`` holding ``items`` (default: :func:`sample_habits`)."""
    items = sample_habits() if items is None else items
    conn = sqlite3.connect(path)
    try:
        _loop_schema(conn, version)
        hcols = {r[1] for r in conn.execute("PRAGMA table_info(Habits)")}
        rcols = {r[1] for r in conn.execute("PRAGMA table_info(Repetitions)")}
        for i, h in enumerate(items, 1):
            row = {"id": i, "archived": int(h.archived), "color": 5, "freq_num": h.freq_num, "freq_den": h.freq_den,
                   "highlight": 0, "name": h.name, "position": i - 1, "reminder_hour": None, "reminder_min": None}
            if "question" in hcols:
                row["question"], row["description"] = h.question, h.description
            else:
                row["description"] = h.question  # before version 23 the description held the question
            if "type" in hcols:
                row["type"] = int(h.numerical)
            if "target_type" in hcols:
                row["target_type"], row["target_value"], row["unit"] = h.target_type, h.target_value, h.unit
            if "uuid" in hcols:
                row["uuid"] = f"{i:032x}"
            conn.execute(f"INSERT INTO Habits ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                         list(row.values()))
            for d, value, notes in h.entries:
                rep = {"habit": i, "timestamp": stamp(d)}
                if "value" in rcols:
                    rep["value"] = value
                elif value != YES_MANUAL:
                    continue  # before version 16 a row was a tick, nothing else
                if "notes" in rcols:
                    rep["notes"] = notes
                conn.execute(f"INSERT INTO Repetitions ({', '.join(rep)}) VALUES ({', '.join('?' * len(rep))})",
                             list(rep.values()))
        conn.commit()
    finally:
        conn.close()
    return path


_VALUE_NAMES = {YES_MANUAL: "YES_MANUAL", YES_AUTO: "YES_AUTO", NO: "NO", SKIP: "SKIP", UNKNOWN: "UNKNOWN"}


def loop_csv_files(items: list[LHabit] | None = None, layout: str = "2025") -> dict[str, bytes]:
    """The files of Loop's CSV export: ``layout`` "2025" (current) or "2020" (no Type, NumRepetitions/Interval,
    headerless Checkmarks.csv with numbers)."""
    items = sample_habits() if items is None else items
    files: dict[str, bytes] = {}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if layout == "2025":
        w.writerow(["Position", "Name", "Type", "Question", "Description", "FrequencyNumerator",
                    "FrequencyDenominator", "Color", "Unit", "Target Type", "Target Value", "Archived?"])
        for i, h in enumerate(items, 1):
            w.writerow([f"{i:03d}", h.name, "NUMERICAL" if h.numerical else "YES_NO", h.question, h.description,
                        h.freq_num, h.freq_den, "#FF8F00", h.unit if h.numerical else "",
                        ("AT_MOST" if h.target_type else "AT_LEAST") if h.numerical else "",
                        str(h.target_value) if h.numerical else "", "true" if h.archived else "false"])
    else:
        w.writerow(["Position", "Name", "Question", "Description", "NumRepetitions", "Interval", "Color"])
        for i, h in enumerate(items, 1):
            w.writerow([f"{i:03d}", h.name, h.question, h.description, h.freq_num, h.freq_den, "#FF8F00"])
    files["Habits.csv"] = buf.getvalue().encode()
    for i, h in enumerate(items, 1):
        folder = f"{i:03d} {''.join(c for c in h.name if c.isalnum() or c in ' ._-')}".strip()
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        if layout == "2025":
            w.writerow(["Date", "Value", "Notes"])
        for d, value, notes in sorted(h.entries, reverse=True):
            if layout == "2025":
                w.writerow([d.isoformat(), _VALUE_NAMES.get(value, str(value)), notes])
            else:
                w.writerow([d.isoformat(), value])
        files[f"{folder}/Checkmarks.csv"] = buf.getvalue().encode()
        files[f"{folder}/Scores.csv"] = b"Date,Score\n" if layout == "2025" else b""
    files["Checkmarks.csv"] = b"Date," + ",".join(h.name for h in items).encode() + b",\n"
    files["Scores.csv"] = files["Checkmarks.csv"]
    return files


def make_loop_zip(path: Path, items: list[LHabit] | None = None, layout: str = "2025",
                  files: dict[str, bytes] | None = None) -> Path:
    files = files if files is not None else loop_csv_files(items, layout)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def make_loop_folder(path: Path, items: list[LHabit] | None = None, layout: str = "2025") -> Path:
    for name, data in loop_csv_files(items, layout).items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return path


LABS_CSV = (
    "date,value,unit,lab_low,lab_high,lab_name\n"
    "2026-01-15,98,ng/mL,76,251,City Lab\n"
    "2026-04-20,14.1,nmol/L,,,\n"
    "2026-08-03,131,ng/mL,76,251,\"Lab, Inc.\"\n"
)
