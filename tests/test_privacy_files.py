"""Files on disk are private and logs hold no health data.

* The data dir is 0700; the database and its -wal/-shm files are 0600 -- created by the services and by the real
  command line, under a permissive umask (000), so nothing relies on the user's umask.
* Backups (automatic, manual, to a chosen file, pre-restore copies) are 0600 in a 0700 folder.
* Exports are 0600 (skipped, naming the module, until the export service exists).
* The log dir is 0700 and every log file 0600, also the files the rotating handler starts after a rollover.
* Logs hold no lab values and no notes: the command line (in a child process and in-process with the app's
  logging at DEBUG) and the GUI pieces (main window, every page, the Labs page, a tick with a note, the reminder
  engine, the automatic backup) run with distinctive values, then the log dir and stderr are searched for them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from igfcoach.core.habits import HabitSpec, Schedule
from igfcoach.logsetup import setup_logging
from igfcoach.paths import ensure_private_dir, resolve_paths
from igfcoach.services import backups, checklist, habits, labs
from igfcoach.services.context import open_context

REPO = Path(__file__).resolve().parents[1]

LAB_VALUE = "187.654"
SECRETS = (
    "187.654", "187.65", "SECRET-NOTE-xyz", "SECRET-LAB-xyz", "SECRET-ASSAY-xyz", "SECRET-HABIT-NOTE-xyz",
    "SECRET-PAGE-NOTE-xyz",
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """Run with umask 000: every file must be made private on purpose, not by the user's umask."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def restore_logging():
    """setup_logging() changes the root logger of this process: put it back afterwards."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in [h for h in root.handlers if getattr(h, "_igfcoach", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def private_tree(root: Path) -> list[str]:
    """Every dir under ``root`` that is not 0700 and every file that is not 0600."""
    wrong = []
    for path in [root, *root.rglob("*")]:
        want = 0o700 if path.is_dir() else 0o600
        if mode(path) != want:
            wrong.append(f"{path.relative_to(root.parent)} is {oct(mode(path))}, expected {oct(want)}")
    return wrong


def add_check_habit(ctx) -> str:
    return habits.add_habit(ctx, HabitSpec(key="new", category="sleep", title="Lights out", why="", details="",
                                           kind="check", target=None, schedule=Schedule.daily()))


# ------------------------------------------------------------------------------------------------ modes


def test_data_dir_database_wal_and_shm_are_private(tmp_path, clock, open_umask):
    data = tmp_path / "data"
    ctx = open_context(str(data), clock=clock)
    try:
        key = add_check_habit(ctx)
        checklist.record(ctx, key, done=True, note="x")
        db = ctx.paths.database
        wal, shm = db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")
        assert wal.exists() and shm.exists()  # WAL mode, connection still open
        assert mode(data) == 0o700
        assert (mode(db), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
        assert private_tree(data) == []
    finally:
        ctx.close()


def test_an_existing_open_data_dir_is_tightened(tmp_path, clock, open_umask):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    ctx = open_context(str(data), clock=clock)
    ctx.close()
    assert mode(data) == 0o700
    assert mode(ctx.paths.database) == 0o600


def run_cli(data: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "igfcoach", "--data-dir", str(data), *args],
        cwd=REPO, capture_output=True, text=True, timeout=60, umask=0,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
    )


def has_command(name: str) -> bool:
    """Whether the command line has this subcommand (some arrive with other features)."""
    from igfcoach.cli.main import build_parser

    return name in build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]


def test_the_command_line_creates_private_files(tmp_path):
    data = tmp_path / "data"
    out = tmp_path / "out"
    out.mkdir()
    commands = [["today"], ["check", "bedroom_cool_dark", "--note", "n"], ["today", "--json"],
                ["lab", "add", "--value", "150", "--date", "2026-01-10"], ["lab", "list"]]
    if has_command("export"):
        commands += [["export", "--format", "json", "--out", str(out / "all.json")],
                     ["export", "--format", "csv", "--out", str(out / "csv")]]
    if has_command("backup"):
        commands += [["backup"], ["backup", "--out", str(out / "copy.sqlite3")]]
    for args in commands:
        result = run_cli(data, *args)
        assert result.returncode == 0, (args, result.stderr)
    assert private_tree(data) == []
    for path in out.rglob("*"):
        assert mode(path) == (0o700 if path.is_dir() else 0o600), f"{path} is {oct(mode(path))}"


# ------------------------------------------------------------------------------------------------ backups


def test_backups_are_private_files_in_a_private_folder(tmp_path, clock, open_umask):
    ctx = open_context(str(tmp_path / "data"), clock=clock)
    try:
        key = add_check_habit(ctx)
        checklist.record(ctx, key, done=True)
        auto = backups.maybe_auto_backup(ctx)
        manual = backups.make_backup(ctx)
        elsewhere = tmp_path / "chosen" / "copy.sqlite3"
        elsewhere.parent.mkdir()
        to_file = backups.make_backup(ctx, out=elsewhere)
        pre_restore = backups.restore(ctx, manual)
        made = [auto, manual, to_file, pre_restore]
        assert all(p is not None and p.exists() for p in made)
        for path in made:
            assert mode(path) == 0o600, f"{path} is {oct(mode(path))}"
        assert mode(ctx.paths.backups) == 0o700
        assert private_tree(ctx.paths.backups) == []
        assert mode(ctx.paths.database) == 0o600  # still private after the restore wrote into it
    finally:
        ctx.close()


# ------------------------------------------------------------------------------------------------ exports


def test_exports_are_private(tmp_path, clock, open_umask, qapp):
    try:
        from igfcoach.services import export
    except ModuleNotFoundError:
        pytest.skip("no export service yet (igfcoach.services.export): nothing writes exports to check")
    ctx = open_context(str(tmp_path / "data"), clock=clock)
    try:
        key = add_check_habit(ctx)
        checklist.record(ctx, key, done=True, note="a note")
        labs.add_result(ctx, labs.LabInput(drawn_on=date(2026, 1, 10), value="150"))
        chosen = tmp_path / "Documents"  # a folder the user picked, readable by others
        chosen.mkdir(mode=0o755)
        stale = chosen / "old.json"
        stale.write_text("{}")
        os.chmod(stale, 0o644)  # overwriting an existing, readable file
        written = []
        written += export.export(ctx, "json", stale).paths
        written += export.export(ctx, "fhir", chosen / "igf1.fhir.json").paths
        written += export.export(ctx, "csv", chosen / "csv").paths
        try:  # the clinician's PDF report, where this version has it
            from igfcoach.ui import report_pdf
        except ModuleNotFoundError:
            report_pdf = None
        make_report = getattr(report_pdf, "make_report", None)
        if make_report is not None:
            written.append(make_report(ctx, chosen / "report.pdf"))
        assert len(written) >= 5
        for path in written:
            assert mode(Path(path)) == 0o600, f"{path} is {oct(mode(Path(path)))}"
        assert mode(chosen / "csv") == 0o700
        assert not [p for p in chosen.rglob("*.part")]  # no temporary files left behind
    finally:
        ctx.close()


# ------------------------------------------------------------------------------------------------ logs


def test_log_dir_and_files_are_private_also_after_a_rollover(tmp_path, open_umask, restore_logging):
    paths = resolve_paths(str(tmp_path / "data"))
    ensure_private_dir(paths.data_dir)
    log_file = setup_logging(paths)
    (handler,) = [h for h in logging.getLogger().handlers if getattr(h, "_igfcoach", False)]
    record = logging.LogRecord("igfcoach.test", logging.INFO, __file__, 1, "x" * 1000, None, None)
    handler.handle(record)
    assert mode(paths.log_dir) == 0o700
    assert mode(log_file) == 0o600
    # past maxBytes (1 MB) the handler renames the file to .1 and starts a new one
    for _ in range(1200):
        handler.handle(record)
    files = sorted(paths.log_dir.iterdir())
    assert [f.name for f in files][:2] == ["igfcoach.log", "igfcoach.log.1"]
    assert private_tree(paths.log_dir) == []


def log_text(log_dir: Path) -> str:
    if not log_dir.exists():
        return ""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(log_dir.iterdir()) if p.is_file())


def assert_no_secrets(text: str, where: str) -> None:
    leaked = [s for s in SECRETS if s in text]
    assert not leaked, f"{where} holds {leaked}:\n{text[-3000:]}"


LAB_ARGS = ["lab", "add", "--value", LAB_VALUE, "--date", "2026-01-10", "--lab", "SECRET-LAB-xyz",
            "--assay", "SECRET-ASSAY-xyz", "--notes", "SECRET-NOTE-xyz", "--lab-low", "100", "--lab-high", "300"]


def test_command_line_logs_and_stderr_hold_no_lab_values_or_notes(tmp_path):
    data = tmp_path / "data"
    runs = [run_cli(data, *LAB_ARGS), run_cli(data, "lab", "list"), run_cli(data, "lab", "list", "--json"),
            run_cli(data, "today")]
    key = "bedroom_cool_dark"
    runs.append(run_cli(data, "check", key, "--note", "SECRET-HABIT-NOTE-xyz"))
    runs.append(run_cli(data, "today", "--json"))
    for r in runs:
        assert r.returncode == 0, r.stderr
        assert_no_secrets(r.stderr, f"stderr of {r.args[4:]}")
    assert LAB_VALUE in runs[2].stdout and "SECRET-NOTE-xyz" in runs[2].stdout  # the data went in (and out)
    assert "SECRET-HABIT-NOTE-xyz" in runs[-1].stdout
    assert_no_secrets(log_text(resolve_paths(str(data)).log_dir), "the log dir")


def test_in_process_command_line_with_debug_logging_logs_no_lab_values_or_notes(tmp_path, clock, monkeypatch,
                                                                                 capsys, restore_logging):
    from igfcoach.cli.main import main
    from igfcoach.services import context as context_module

    real_open = context_module.open_context
    monkeypatch.setattr(context_module, "open_context", lambda data_dir=None, clock_=None: real_open(data_dir,
                                                                                                     clock=clock))
    data = tmp_path / "data"
    paths = resolve_paths(str(data))
    ensure_private_dir(paths.data_dir)
    setup_logging(paths, level=logging.DEBUG)
    for args in (LAB_ARGS, ["lab", "list"], ["check", "bedroom_cool_dark", "--note", "SECRET-HABIT-NOTE-xyz"],
                 ["today"], ["today", "--json"]):
        assert main(["--data-dir", str(data), *args]) == 0
    out, err = capsys.readouterr()
    assert "SECRET-HABIT-NOTE-xyz" in out
    assert_no_secrets(err, "stderr")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_text(paths.log_dir)
    assert_no_secrets(text, "the log")


def test_gui_pieces_log_no_lab_values_or_notes(tmp_path, clock, qtbot, qapp, restore_logging):
    from igfcoach.ui.controller import AppController
    from igfcoach.ui.main_window import MainWindow
    from igfcoach.ui.reminders import start_reminders

    paths = resolve_paths(str(tmp_path / "data"))
    ensure_private_dir(paths.data_dir)
    setup_logging(paths, level=logging.DEBUG)
    logging.getLogger("igfcoach.test").info("starting the GUI pieces")
    ctx = open_context(str(paths.data_dir), clock=clock)
    engine = None
    try:
        habits.ensure_seeded(ctx)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        controller = AppController(qapp, ctx, window, None)
        engine = start_reminders(qapp, ctx, window, None)
        for key in window.page_keys():
            window.show_page(key)
        today = window.page("today")
        key = today.ordered_keys()[0]
        today.change(key, note="SECRET-PAGE-NOTE-xyz")
        labs.add_result(ctx, labs.LabInput(drawn_on=date(2026, 1, 10), value=LAB_VALUE, lab_low="100",
                                           lab_high="300", lab_name="SECRET-LAB-xyz", assay="SECRET-ASSAY-xyz",
                                           notes="SECRET-NOTE-xyz"))
        qapp.labs_changed.emit()
        labs_page = window.page("labs")
        labs_page.select_id(labs.list_results(ctx)[0].id)
        assert "SECRET-NOTE-xyz" in labs_page.detail_values["notes"].text()
        qapp.checkoffs_changed.emit()
        qapp.settings_changed.emit()
        controller.auto_backup()
        if engine is not None:
            engine.tick()
            engine.stop()
            engine = None
        controller.shutdown()
    finally:
        if engine is not None:
            engine.stop()
        with contextlib.suppress(Exception):
            ctx.close()
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_text(paths.log_dir)
    assert "starting the GUI pieces" in text and "reminders started" in text  # the log was live
    assert_no_secrets(text, "the log")
