"""Hostile and broken files for every importer: each gets a clear message naming the file (and the row and field
where there is one) and leaves the database byte-for-byte unchanged. Then fuzzing (hypothesis): whatever the bytes
or rows, the only exception is ImportProblem, and a refused file writes nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest
from dataio_helpers import LABS_CSV, YES_MANUAL, LHabit, dump, loop_csv_files, make_loop_db, make_loop_folder, \
    make_loop_zip, populate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from igfcoach.services import export, importers, labs
from igfcoach.services.context import open_context
from igfcoach.services.importers import ImportProblem
from igfcoach.services.importers import loop_habits


def snapshot(ctx) -> tuple:
    """The database's rows and the bytes of its files (an empty write-ahead log counts as none)."""
    files = []
    for suffix in ("", "-wal"):
        p = Path(str(ctx.db.path) + suffix)
        data = p.read_bytes() if p.exists() else b""
        files.append(hashlib.sha256(data).hexdigest() if data else None)
    return (tuple(dump(ctx)), tuple(files))


def refused(ctx, path, match: str, *, row=None, field=None) -> ImportProblem:
    """Importing ``path`` fails with a message matching ``match`` (and the row and field), writing nothing."""
    before = snapshot(ctx)
    with pytest.raises(ImportProblem) as info:
        importers.import_file(ctx, path, confirm=True)
    problem = info.value
    assert problem.file.startswith(str(path)), problem.file
    assert match in str(problem), str(problem)
    if row is not None:
        assert problem.row == row, str(problem)
    if field is not None:
        assert problem.field == field, str(problem)
    assert "\n" not in str(problem)
    assert snapshot(ctx) == before
    return problem


@pytest.fixture
def json_doc(tmp_path, clock) -> dict:
    src = open_context(str(tmp_path / "src"), clock=clock)
    populate(src)
    export.export_json(src, tmp_path / "good.json")
    src.close()
    return json.loads((tmp_path / "good.json").read_text(encoding="utf-8"))


def write_json(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------------- any file

@pytest.mark.parametrize("name", ["backup.json", "loop.db", "loop.zip", "labs.csv"])
def test_empty_files(ctx, tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    refused(ctx, tmp_path / name, "the file is empty")
    (tmp_path / name).write_bytes(b"  \r\n\n ")
    refused(ctx, tmp_path / name, "the file is empty")


@pytest.mark.parametrize("name", ["backup.json", "loop.db", "loop.zip", "labs.csv"])
def test_binary_junk(ctx, tmp_path, name):
    rnd = random.Random(name)
    (tmp_path / name).write_bytes(bytes(rnd.randrange(256) for _ in range(4096)))
    problem = refused(ctx, tmp_path / name, "")
    assert any(w in problem.detail for w in ("binary", "UTF-8", "not a file IGF Coach can import"))


def test_a_folder_that_is_not_a_loop_export(ctx, tmp_path):
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "a.txt").write_text("x")
    refused(ctx, tmp_path / "stuff", "without Loop's Habits.csv")


# --------------------------------------------------------------------------------------------------- lab results CSV

def labs_file(tmp_path, text: str | bytes, name: str = "labs.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.mark.parametrize(("body", "match", "row", "field"), [
    ("2026-01-15,abc,ng/mL\n", "is not a number", 2, "value"),
    ("2026-01-15,98,mg/dL\n", "mg/dL", 2, "unit"),
    ("15.01.2026,98,ng/mL\n", "is not a date", 2, "date"),
    ("2027-01-15,98,ng/mL\n", "in the future", 2, "date"),
    ("2026-01-15,-98,ng/mL\n", "greater than zero", 2, "value"),
    ("2026-01-15,98,\n", "is empty", 2, "unit"),
    ("2026-01-15,98,ng/mL,251,76\n", "below the high limit", 2, "lab_low"),
    ("2026-01-15,98,ng/mL,76,\n", "both the low and the high", 2, "lab_low"),
    ("2026-01-15,98,ng/mL\n2026-02-15,99,ng/mL\n2026-01-15,98,ng/mL\n", "duplicate of row 2", 4, "value"),
    ("2026-01-15,98,ng/mL,,,,extra,cells\n", "cells but the header has", 2, None),
    ("2026-01-15,98,ng/mL,1,2,\"unterminated\n", "not well-formed CSV", None, None),
])
def test_lab_csv_bad_rows(ctx, tmp_path, body, match, row, field):
    path = labs_file(tmp_path, "date,value,unit,lab_low,lab_high,lab_name\n" + body)
    refused(ctx, path, match, row=row, field=field)


def test_lab_csv_a_bad_row_after_good_ones_writes_none_of_them(ctx, tmp_path):
    path = labs_file(tmp_path, LABS_CSV + "2026-09-01,oops,ng/mL,,,\n")
    refused(ctx, path, "is not a number", row=5, field="value")
    assert labs.list_results(ctx) == []


def test_lab_csv_header_problems(ctx, tmp_path):
    refused(ctx, labs_file(tmp_path, "date,value\n2026-01-15,98\n"), "no unit column", row=1, field="unit")
    refused(ctx, labs_file(tmp_path, "date,value,unit,unit\n"), "twice", row=1)
    refused(ctx, labs_file(tmp_path, "date,value,unit\n"), "no results")


def test_lab_csv_encodings(ctx, tmp_path):
    refused(ctx, labs_file(tmp_path, LABS_CSV.encode("utf-16")), "UTF-16")
    latin = ("date,value,unit,lab_low,lab_high,lab_name\n2026-01-15,98,ng/mL,,,M\u00fcller Labor\n").encode("latin-1")
    refused(ctx, labs_file(tmp_path, latin), "0xfc is not UTF-8", row=2)


def test_lab_csv_truncated_and_huge(ctx, tmp_path):
    refused(ctx, labs_file(tmp_path, LABS_CSV[:LABS_CSV.index("ng/mL") + 3]), "ng/", row=2, field="unit")
    huge = "date,value,unit,lab_low,lab_high,lab_name\n2026-01-15,98,ng/mL,,," + "x" * 50_000 + "\n"
    refused(ctx, labs_file(tmp_path, huge), "too long", row=2)
    bigger = "date,value,unit,notes\n2026-01-15,98,ng/mL," + "y" * 200_000 + "\n"
    refused(ctx, labs_file(tmp_path, bigger), "", row=2)


def test_lab_csv_too_many_rows(ctx, tmp_path, monkeypatch):
    from igfcoach.services.importers import labs_csv

    monkeypatch.setattr(labs_csv, "MAX_ROWS", 2)
    refused(ctx, labs_file(tmp_path, LABS_CSV), "at most 2 results")


def test_formula_and_sql_looking_text_is_stored_as_plain_text(ctx, tmp_path):
    text = ("date,value,unit,lab_low,lab_high,lab_name,notes\n"
            "2026-01-15,98,ng/mL,76,251,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"Robert'); DROP TABLE lab_results;--\"\n"
            "2026-02-15,99,ng/mL,,,@SUM(A1),<script>alert(1)</script>\n")
    importers.import_file(ctx, labs_file(tmp_path, text))
    names = {(r.lab_name, r.notes) for r in labs.list_results(ctx)}
    assert names == {('=HYPERLINK("http://x","y")', "Robert'); DROP TABLE lab_results;--"),
                     ("@SUM(A1)", "<script>alert(1)</script>")}


# --------------------------------------------------------------------------------------------------- JSON backup

def test_json_truncated(ctx, tmp_path, json_doc):
    text = json.dumps(json_doc, indent=1)
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    problem = refused(ctx, path, "is not valid JSON")
    assert isinstance(problem.row, int) and problem.row > 1


@pytest.mark.parametrize(("change", "match", "row", "field"), [
    (lambda d: d.__setitem__("format", "something-else"), "not an IGF Coach export", None, "format"),
    (lambda d: d.__setitem__("version", 2), "newer IGF Coach", None, "version"),
    (lambda d: d.__setitem__("version", "1"), "not an export version number", None, "version"),
    (lambda d: d.__setitem__("schema_revision", "9999"), "newer IGF Coach", None, "schema_revision"),
    (lambda d: d.__setitem__("tables", []), "no tables object", None, "tables"),
    (lambda d: d["tables"].__setitem__("spells", []), "unknown table 'spells'", None, "tables"),
    (lambda d: d["tables"]["habits"][2].__setitem__("colour", "red"), "not a column", "3 of habits", "colour"),
    (lambda d: d["tables"]["habits"][0].pop("title"), "is missing", "1 of habits", "title"),
    (lambda d: d["tables"]["habits"][0].__setitem__("title", 5), "is not text", "1 of habits", "title"),
    (lambda d: d["tables"]["habits"][0].__setitem__("title", "x" * 1_000_000), "too long (at most 200)",
     "1 of habits", "title"),
    (lambda d: d["tables"]["habits"][1].__setitem__("kind", "weird"), "kind 'weird'", "2 of habits", "kind"),
    (lambda d: d["tables"]["habits"][1].__setitem__("schedule", "sometimes"), "unknown kind", "2 of habits",
     "schedule"),
    (lambda d: d["tables"]["habits"][1].__setitem__("key", d["tables"]["habits"][0]["key"]), "duplicate of row 1",
     "2 of habits", "key"),
    (lambda d: d["tables"]["lab_results"][0].__setitem__("value_ng", "abc"), "is not a number", "1 of lab_results",
     "value_ng"),
    (lambda d: d["tables"]["lab_results"][0].__setitem__("value_ng", -5), "greater than zero", "1 of lab_results",
     "value_ng"),
    (lambda d: d["tables"]["lab_results"][0].__setitem__("entered_unit", "mg/dL"), "mg/dL", "1 of lab_results",
     "entered_unit"),
    (lambda d: d["tables"]["lab_results"][0].__setitem__("drawn_on", "yesterday"), "is not a date",
     "1 of lab_results", "drawn_on"),
    (lambda d: d["tables"]["checkoffs"][0].__setitem__("habit_id", 999), "not in the file", "1 of checkoffs",
     "habit_id"),
    (lambda d: d["tables"]["checkoffs"][0].__setitem__("done", "yes"), "not true or false", "1 of checkoffs",
     "done"),
    (lambda d: d["tables"]["checkoffs"].append(dict(d["tables"]["checkoffs"][0], id=999)), "duplicate of row 1",
     None, "habit_id"),
    (lambda d: d["tables"]["screen_answers"][0].__setitem__("age", 400), "not a valid age", "1 of screen_answers",
     "age"),
    (lambda d: d["tables"]["resistance_sets"][0].__setitem__("reps", 1000), "breaks a rule of the database",
     "1 of resistance_sets", "reps"),
])
def test_json_bad_content(ctx, tmp_path, json_doc, change, match, row, field):
    change(json_doc)
    refused(ctx, write_json(tmp_path / "bad.json", json_doc), match, row=row, field=field)


def test_json_oddities(ctx, tmp_path, json_doc):
    path = tmp_path / "odd.json"
    path.write_text('{"format": "igfcoach-export", "version": NaN}')
    refused(ctx, path, "NaN is not a number JSON allows")
    path.write_text('{"format": "igfcoach-export", "format": "x"}')
    refused(ctx, path, "appears twice")
    path.write_text("[" * 100_000 + "]" * 100_000)
    refused(ctx, path, "")
    path.write_text('"just a string"')
    refused(ctx, path, "not a file IGF Coach can import")
    path.write_text('{"a": 1, "b": 2}')
    refused(ctx, path, "not an IGF Coach export")
    path.write_bytes(json.dumps(json_doc, ensure_ascii=False).replace("Grüße", "Gr\udcfc\u00dfe", 1)
                     .encode("utf-8", "surrogateescape"))
    refused(ctx, path, "is not UTF-8 text")
    path.write_bytes(json.dumps(json_doc).encode("utf-16"))
    refused(ctx, path, "UTF-16")


def test_json_sql_looking_and_markup_text_is_only_text(ctx, tmp_path, json_doc):
    json_doc["tables"]["checkoffs"][0]["note"] = "'); DROP TABLE habits; --"
    json_doc["tables"]["habits"][0]["title"] = "<img src=x onerror=alert(1)>"
    importers.import_file(ctx, write_json(tmp_path / "x.json", json_doc))
    rows = dump(ctx)
    assert any("DROP TABLE habits" in r for r in rows)
    assert any(r.startswith('CREATE TABLE habits') or r.startswith("CREATE TABLE \"habits\"") for r in rows)


def test_json_file_size_limit(ctx, tmp_path, monkeypatch):
    from igfcoach.services.importers import json_backup

    monkeypatch.setattr(json_backup, "MAX_TEXT_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text('{"format": "igfcoach-export", "pad": "' + "x" * 200 + '"}')
    refused(ctx, path, "the largest file IGF Coach imports")


# --------------------------------------------------------------------------------------------------- Loop database

def test_loop_db_truncated(ctx, tmp_path):
    good = make_loop_db(tmp_path / "good.db", items=[LHabit(f"H{i}", entries=[(date(2026, 1, 1 + i % 28),
                                                                                 YES_MANUAL, "x" * 500)])
                                                     for i in range(200)])
    data = good.read_bytes()
    cut = tmp_path / "cut.db"
    cut.write_bytes(data[: len(data) // 2])
    refused(ctx, cut, "")


def test_an_sqlite_file_that_is_not_loops(ctx, tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    refused(ctx, path, "not a Loop Habit Tracker backup")


def test_a_loop_lookalike_missing_columns(ctx, tmp_path):
    path = tmp_path / "fake.db"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE Habits (id INTEGER PRIMARY KEY, title TEXT); "
                       "CREATE TABLE Repetitions (id INTEGER PRIMARY KEY, habit INTEGER, timestamp INTEGER);")
    conn.close()
    refused(ctx, path, "has no name column", field="name")


def _loop_db_with(tmp_path, sql: str, version: int = 25, items=None) -> Path:
    path = make_loop_db(tmp_path / "loop.db", version=version, items=items)
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return path


@pytest.mark.parametrize(("sql", "match", "row", "field"), [
    ("UPDATE Habits SET freq_num = 'three' WHERE id = 2", "'three' is not a whole number", "Habits id 2",
     "freq_num"),
    ("UPDATE Habits SET freq_den = 0 WHERE id = 2", "outside 1..366", "Habits id 2", "freq_den"),
    ("UPDATE Habits SET name = '' WHERE id = 1", "is empty", "Habits id 1", "name"),
    ("UPDATE Habits SET name = x'4142' WHERE id = 1", "is not text", "Habits id 1", "name"),  # a blob
    ("UPDATE Habits SET name = hex(zeroblob(60000)) WHERE id = 1", "too long", "Habits id 1", "name"),
    ("UPDATE Habits SET type = 7 WHERE id = 1", "outside 0..1", "Habits id 1", "type"),
    ("UPDATE Habits SET target_value = 'lots' WHERE id = 4", "is not a number", "Habits id 4", "target_value"),
    ("UPDATE Repetitions SET timestamp = 'monday' WHERE id = 1", "is not a whole number", "Repetitions id 1",
     "timestamp"),
    ("UPDATE Repetitions SET value = 2.5 WHERE id = 1", "is not a whole number", "Repetitions id 1", "value"),
    ("UPDATE Repetitions SET notes = x'00ff' WHERE id = 1", "is not text", "Repetitions id 1", "notes"),
    ("DROP INDEX idx_repetitions_habit_timestamp; "
     "INSERT INTO Repetitions (habit, timestamp, value, notes) SELECT habit, timestamp, 2, '' FROM Repetitions "
     "WHERE id = 1", "duplicate of Repetitions id 1", None, "timestamp"),
])
def test_loop_db_bad_values(ctx, tmp_path, sql, match, row, field):
    refused(ctx, _loop_db_with(tmp_path, sql), match, row=row, field=field)


def test_loop_db_sql_looking_names_are_only_text(ctx, tmp_path):
    name = "Robert'); DROP TABLE habits;--"
    importers.import_file(ctx, make_loop_db(tmp_path / "x.db", items=[LHabit(name, entries=[(date(2026, 1, 1),
                                                                                               YES_MANUAL, "")])]))
    from igfcoach.services import habits

    assert name in {spec.title for spec, _ in habits.list_habits(ctx, include_archived=True)}


def test_loop_db_is_never_changed_by_reading(ctx, tmp_path):
    path = make_loop_db(tmp_path / "loop.db")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    importers.import_file(ctx, path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "loop.db"]  # no -wal/-journal left


def test_loop_db_limits(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(loop_habits, "MAX_ENTRIES", 3)
    refused(ctx, make_loop_db(tmp_path / "loop.db"), "at most 3 are imported")


# --------------------------------------------------------------------------------------------------- Loop CSV export

def test_loop_zip_truncated(ctx, tmp_path):
    good = make_loop_zip(tmp_path / "good.zip")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good.read_bytes()[:300])
    refused(ctx, cut, "")


def test_loop_zip_bomb_nested_and_oversized(ctx, tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Habits.csv", loop_csv_files()["Habits.csv"])
        z.writestr("001 Meditate/Checkmarks.csv", b"0" * (20 * 1024 * 1024))
    refused(ctx, bomb, "zip bomb")

    nested = tmp_path / "nested.zip"
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("Habits.csv", b"x")
    files = loop_csv_files()
    files["more.zip"] = inner.getvalue()
    make_loop_zip(nested, files=files)
    refused(ctx, nested, "holds another archive")

    disguised = tmp_path / "disguised.zip"
    files = loop_csv_files()
    files["001 Meditate/Checkmarks.csv"] = inner.getvalue()
    make_loop_zip(disguised, files=files)
    refused(ctx, disguised, "another zip archive inside")

    monkeypatch.setattr(loop_habits, "MAX_ZIP_MEMBERS", 5)
    refused(ctx, make_loop_zip(tmp_path / "many.zip"), "holds 15 files")


def test_loop_zip_without_habits_csv(ctx, tmp_path):
    path = make_loop_zip(tmp_path / "x.zip", files={"readme.txt": b"hello"})
    refused(ctx, path, "has no Habits.csv")


@pytest.mark.parametrize(("member", "content", "match", "row", "field"), [
    ("Habits.csv", b"Position,Name,Type\n001,Meditate,MAYBE\n", "not YES_NO or NUMERICAL", 2, "Type"),
    ("Habits.csv", b"Position,Title\n001,Meditate\n", "no Name column", 1, "Name"),
    ("Habits.csv", b"Position,Name,Spells\n001,Meditate,x\n", "unexpected column", 1, None),
    ("Habits.csv", b"Position,Name,FrequencyNumerator,FrequencyDenominator\n001,Meditate,two,7\n",
     "not a whole number", 2, "FrequencyNumerator"),
    ("Habits.csv", "Position,Name\n001,Caf\u00e9\n".encode("latin-1"), "not UTF-8", 2, None),
    ("001 Meditate/Checkmarks.csv", b"Date,Value,Notes\n2026-11-01,YES_MANUAL,\n2026-11-01,NO,\n",
     "duplicate of row 2", 3, "Date"),
    ("001 Meditate/Checkmarks.csv", b"Date,Value,Notes\n11/01/2026,YES_MANUAL,\n", "not a date", 2, "Date"),
    ("001 Meditate/Checkmarks.csv", b"Date,Value,Notes\n2026-11-01,MAYBE,\n", "not a whole number", 2, "Value"),
    ("001 Meditate/Checkmarks.csv", b"Date,Value,Notes\n2026-11-01,2,x,y,z\n", "expected Date, Value and Notes", 2,
     None),
])
def test_loop_csv_bad_members(ctx, tmp_path, member, content, match, row, field):
    files = loop_csv_files()
    files[member] = content
    path = make_loop_zip(tmp_path / "bad.zip", files=files)
    problem = refused(ctx, path, match, row=row, field=field)
    assert problem.file == f"{path}:{member}"


def test_loop_csv_folder_names_the_member_file(ctx, tmp_path):
    folder = make_loop_folder(tmp_path / "export")
    (folder / "002 Gym" / "Checkmarks.csv").write_bytes(b"Date,Value,Notes\n2026-13-45,YES_MANUAL,\n")
    problem = refused(ctx, folder, "not a date", row=2, field="Date")
    assert problem.file == str(folder / "002 Gym" / "Checkmarks.csv")


def test_loop_csv_folder_ignores_symlinks(ctx, tmp_path):
    folder = make_loop_folder(tmp_path / "export")
    secret = tmp_path / "secret.csv"
    secret.write_text("Date,Value,Notes\n2026-11-20,YES_MANUAL,secret\n")
    (folder / "009 Link").mkdir()
    (folder / "009 Link" / "Checkmarks.csv").symlink_to(secret)
    importers.import_file(ctx, folder)
    assert not any("secret" in line for line in dump(ctx))


# --------------------------------------------------------------------------------------------------- fuzzing

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


def _only_import_problem(ctx, path) -> None:
    before = snapshot(ctx)
    try:
        importers.preview(ctx, path)
    except ImportProblem:
        pass
    assert snapshot(ctx) == before  # a preview never writes
    try:
        importers.import_file(ctx, path, confirm=True)
    except ImportProblem:
        assert snapshot(ctx) == before  # refused: nothing written


def test_fuzz_arbitrary_bytes(ctx, tmp_path):
    @FUZZ
    @given(st.binary(max_size=3000), st.sampled_from(["x.json", "x.db", "x.zip", "x.csv"]))
    def run(data, name):
        path = tmp_path / name
        path.write_bytes(data)
        _only_import_problem(ctx, path)

    run()


def _mutations():
    return st.lists(st.tuples(st.sampled_from(["flip", "cut", "insert", "delete"]), st.floats(0, 1),
                              st.binary(min_size=1, max_size=8)), min_size=1, max_size=4)


def _mutate(data: bytes, ops) -> bytes:
    b = bytearray(data)
    for op, where, junk in ops:
        i = int(where * max(len(b) - 1, 0))
        if op == "flip" and b:
            b[i] ^= junk[0] or 1
        elif op == "cut":
            del b[i:]
        elif op == "insert":
            b[i:i] = junk
        elif op == "delete":
            del b[i:i + len(junk)]
    return bytes(b)


@pytest.mark.parametrize("kind", ["json", "loop-db", "loop-zip", "labs"])
def test_fuzz_mutated_valid_files(ctx, tmp_path, kind, clock):
    if kind == "json":
        src = open_context(str(tmp_path / "src"), clock=clock)
        populate(src)
        good = export.export_json(src, tmp_path / "good.json").paths[0].read_bytes()
        src.close()
    elif kind == "loop-db":
        good = make_loop_db(tmp_path / "good.db").read_bytes()
    elif kind == "loop-zip":
        good = make_loop_zip(tmp_path / "good.zip").read_bytes()
    else:
        good = LABS_CSV.encode()
    name = {"json": "m.json", "loop-db": "m.db", "loop-zip": "m.zip", "labs": "m.csv"}[kind]

    @FUZZ
    @given(_mutations())
    def run(ops):
        path = tmp_path / name
        path.write_bytes(_mutate(good, ops))
        _only_import_problem(ctx, path)

    run()


_cell = st.one_of(st.text(max_size=30), st.sampled_from(["2026-01-15", "98", "14.1", "ng/mL", "nmol/L", "", "-1",
                                                          "1e309", "NaN", "=1+1", "0", "µg/L", "2026-02-30"]))


def test_fuzz_lab_csv_rows(ctx, tmp_path):
    @FUZZ
    @given(st.lists(st.lists(_cell, min_size=0, max_size=7), min_size=1, max_size=6))
    def run(rows):
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["date", "value", "unit", "lab_low", "lab_high", "lab_name"])
        w.writerows(rows)
        path = tmp_path / "rows.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        _only_import_problem(ctx, path)

    run()


_json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20) | st.sampled_from(["2026-01-01", "2026-01-01T08:00:00", "daily", "per_week:3",
                                             "ng/mL", "check", "measured", "active"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


def test_fuzz_json_rows(ctx, tmp_path, json_doc):
    tables = sorted(t for t, rows in json_doc["tables"].items() if rows)

    @FUZZ
    @given(st.sampled_from(tables), st.data(), _json_value)
    def run(table, data, value):
        doc = json.loads(json.dumps(json_doc))
        rows = doc["tables"][table]
        row = rows[data.draw(st.integers(0, len(rows) - 1))]
        column = data.draw(st.sampled_from(sorted(row)))
        row[column] = value
        _only_import_problem(ctx, write_json(tmp_path / "rows.json", doc))

    run()


def test_fuzz_loop_rows(ctx, tmp_path):
    names = st.text(min_size=0, max_size=40)

    @FUZZ
    @given(st.lists(st.tuples(names, st.integers(-3, 400), st.integers(-3, 400), st.booleans(),
                              st.floats(-5, 1e10, allow_nan=False), st.text(max_size=30),
                              st.lists(st.tuples(st.dates(date(1960, 1, 1), date(2099, 1, 1)),
                                                 st.integers(-5, 10**7), st.text(max_size=10)), max_size=5)),
                    min_size=0, max_size=4),
           st.sampled_from([25, 18, 12]), st.booleans())
    def run(habits_, version, as_zip):
        items = [LHabit(name=n, freq_num=max(fn, 0), freq_den=fd, numerical=num, target_value=tv, unit=u,
                        entries=list({d: (d, v, t) for d, v, t in es}.values()))
                 for n, fn, fd, num, tv, u, es in habits_]
        if as_zip:
            path = make_loop_zip(tmp_path / "f.zip", items=items)
        else:
            path = tmp_path / "f.db"
            path.unlink(missing_ok=True)
            try:
                make_loop_db(path, version=version, items=items)
            except sqlite3.Error:
                return  # values Loop's own schema would not store
        _only_import_problem(ctx, path)

    run()
