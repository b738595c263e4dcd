"""`igfcoach export | import | backup | restore | report`, run in-process: output, files, exit code 2 with one
line naming the file, row and field, and nothing changed on error."""

from __future__ import annotations

import json
import sqlite3
import stat

import pytest

from igfcoach.cli.main import main
from igfcoach.paths import resolve_paths
from igfcoach.services import context as context_module

LABS = "date,value,unit,lab_low,lab_high,lab_name\n2026-01-15,98,ng/mL,76,251,City Lab\n2026-04-20,14.1,nmol/L,,,\n"


@pytest.fixture
def run(tmp_path, clock, monkeypatch, capsys):
    """Run the CLI on a private data dir with the test clock (2026-11-25 in Berlin)."""
    real_open = context_module.open_context
    monkeypatch.setattr(context_module, "open_context",
                        lambda data_dir=None, clock_=None: real_open(data_dir, clock=clock))
    data = str(tmp_path / "data")

    def _run(*args: str, data_dir: str = data) -> tuple[int, str, str]:
        code = main(["--data-dir", data_dir, *args])
        out, err = capsys.readouterr()
        return code, out, err

    _run.db = resolve_paths(data).database  # type: ignore[attr-defined]
    return _run


def dump(db) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def count(db, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def some_data(run, tmp_path):
    run("screen", "--age", "44", "--sex", "male")
    assert run("check", "zinc", "--date", "2026-11-20")[0] == 0
    labs = tmp_path / "labs.csv"
    labs.write_text(LABS, encoding="utf-8")
    assert run("import", str(labs))[0] == 0
    return run


def _one_line_error(err: str, *parts: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for part in parts:
        assert part in lines[0], lines[0]


# --------------------------------------------------------------------------------------------------- export

@pytest.mark.parametrize(("fmt", "name"), [("json", "x.json"), ("fhir", "x.fhir.json"), ("csv", "csvdir")])
def test_export_writes_private_files(some_data, tmp_path, fmt, name):
    out = tmp_path / name
    code, stdout, err = some_data("export", "--format", fmt, "--out", str(out))
    assert code == 0, err
    assert f"Wrote {out}" in stdout
    files = list(out.iterdir()) if fmt == "csv" else [out]
    assert files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    if fmt == "json":
        assert json.loads(out.read_text())["format"] == "igfcoach-export"
    if fmt == "fhir":
        assert len(json.loads(out.read_text())["entry"]) == 2


def test_export_refuses_a_folder_for_a_file(some_data, tmp_path):
    code, _out, err = some_data("export", "--format", "json", "--out", str(tmp_path))
    assert code == 2
    _one_line_error(err, "igfcoach export: error: out:", "is a folder")


def test_export_needs_a_known_format(run, tmp_path):
    with pytest.raises(SystemExit) as info:
        run("export", "--format", "xml", "--out", str(tmp_path / "x"))
    assert info.value.code == 2


# --------------------------------------------------------------------------------------------------- import

def test_import_dry_run_shows_the_preview_and_changes_nothing(run, tmp_path):
    labs = tmp_path / "labs.csv"
    labs.write_text(LABS, encoding="utf-8")
    run("screen", "--age", "30")  # the database exists now
    before = dump(run.db)
    code, out, err = run("import", str(labs), "--dry-run")
    assert code == 0, err
    assert "Lab results (CSV)" in out and "2 IGF-1 results: 2 new, 0 already here" in out
    assert "Dry run: nothing was imported." in out
    assert dump(run.db) == before


def test_import_then_reimport_adds_nothing(some_data, tmp_path):
    labs = tmp_path / "labs.csv"
    before = dump(some_data.db)
    code, out, _err = some_data("import", str(labs))
    assert code == 0 and "lab results: 0 added, 2 already there" in out
    assert dump(some_data.db) == before


def test_import_round_trips_a_json_export(some_data, tmp_path):
    out = tmp_path / "all.json"
    some_data("export", "--format", "json", "--out", str(out))
    other = str(tmp_path / "other")
    code, stdout, err = some_data("import", str(out), data_dir=other)
    assert code == 0, err
    assert "IGF Coach backup (JSON)" in stdout
    assert count(resolve_paths(other).database, "lab_results") == 2
    again = tmp_path / "again.json"
    some_data("export", "--format", "json", "--out", str(again), data_dir=other)
    a, b = json.loads(out.read_text()), json.loads(again.read_text())
    a.pop("exported_at"), b.pop("exported_at")
    assert a == b


def test_import_of_a_bad_row_exits_2_naming_file_row_and_field(some_data, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,value,unit\n2026-02-01,120,ng/mL\n2026-03-01,abc,ng/mL\n", encoding="utf-8")
    before = dump(some_data.db)
    code, _out, err = some_data("import", str(bad))
    assert code == 2
    _one_line_error(err, "igfcoach import: error:", str(bad), "row 3", "field 'value'", "'abc' is not a number")
    assert dump(some_data.db) == before


def test_import_of_garbage_exits_2(some_data, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4)
    before = dump(some_data.db)
    code, _out, err = some_data("import", str(junk))
    assert code == 2
    _one_line_error(err, str(junk), "binary")
    assert dump(some_data.db) == before


def test_an_implausible_lab_value_needs_confirm(some_data, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("date,value,unit\n2026-05-01,4,ng/mL\n", encoding="utf-8")
    code, out, err = some_data("import", str(odd))
    assert code == 2
    _one_line_error(err, "row 2", "field 'value'", "--confirm")
    assert "Needs your confirmation" in out
    assert count(some_data.db, "lab_results") == 2
    code, _out, err = some_data("import", str(odd), "--confirm")
    assert code == 0, err
    assert count(some_data.db, "lab_results") == 3


def test_import_a_loop_backup(some_data, tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "services"))
    try:
        from dataio_helpers import make_loop_db
    finally:
        sys.path.pop(0)
    path = make_loop_db(tmp_path / "Loop Habits Backup.db")
    code, out, err = some_data("import", str(path), "--dry-run")
    assert code == 0, err
    assert "\u201cMeditate\u201d (6 days) \u2192 new habit in stress" in out
    code, out, err = some_data("import", str(path))
    assert code == 0 and "habits: 6 added" in out and "checkoffs: 12 added" in out


# --------------------------------------------------------------------------------------------------- backup, restore

def test_backup_and_restore(some_data, tmp_path):
    code, out, err = some_data("backup")
    assert code == 0, err
    made = out.strip().removeprefix("Backed up to ")
    assert stat.S_IMODE(__import__("os").stat(made).st_mode) == 0o600
    code, out, _ = some_data("backup", "--out", str(tmp_path / "mine.sqlite3"))
    assert code == 0 and (tmp_path / "mine.sqlite3").exists()

    some_data("lab", "add", "--value", "150", "--date", "2026-11-01")
    assert count(some_data.db, "lab_results") == 3
    code, out, err = some_data("restore", made)
    assert code == 0, err
    assert "2 lab results" in out and "1 check-offs" in out
    assert "Your data from before the restore is kept in" in out
    assert count(some_data.db, "lab_results") == 2


def test_restore_refuses_what_is_not_a_backup(some_data, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    before = dump(some_data.db)
    code, _out, err = some_data("restore", str(junk))
    assert code == 2
    _one_line_error(err, "igfcoach restore: error:", str(junk))
    assert dump(some_data.db) == before
    code, _out, err = some_data("restore", str(tmp_path / "missing.sqlite3"))
    assert code == 2 and "no such backup file" in err


# --------------------------------------------------------------------------------------------------- report

def test_report_writes_a_pdf(some_data, tmp_path, qapp):
    out = tmp_path / "report.pdf"
    code, stdout, err = some_data("report", "--out", str(out), "--from", "2026-01-01", "--to", "2026-11-25")
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF") and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert f"Wrote {out}" in stdout


@pytest.mark.parametrize(("args", "expected"), [
    (["--from", "first of May"], "from: 'first of May' is not a date"),
    (["--from", "2026-11-01", "--to", "2026-10-01"], "from: 2026-11-01 is after"),
    (["--to", "2027-01-01"], "to: 2027-01-01 is in the future"),
])
def test_report_period_errors(some_data, tmp_path, args, expected):
    code, _out, err = some_data("report", "--out", str(tmp_path / "r.pdf"), *args)
    assert code == 2
    _one_line_error(err, "igfcoach report: error:", expected)
    assert not (tmp_path / "r.pdf").exists()
