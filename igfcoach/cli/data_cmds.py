"""`igfcoach export`, `import`, `backup`, `restore` and `report`: the data the person owns, from a terminal.

Every refusal is one line naming the file, row and field, with exit code 2; nothing is written then.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from igfcoach.cli.errors import UsageError
from igfcoach.services.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export everything as JSON, CSV files, or IGF-1 results as FHIR",
                       description="json: a full backup you can import again (docs/export-format.md); csv: one "
                                   "file per kind of record into the folder PATH; fhir: IGF-1 results as a FHIR R4 "
                                   "Bundle of Observations (LOINC 2484-4) for a health record. Files are private "
                                   "(0600).")
    p.add_argument("--format", required=True, choices=("json", "csv", "fhir"), help="what to write")
    p.add_argument("--out", required=True, metavar="PATH", help="the file to write (a folder for csv)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import", help="import an IGF Coach JSON backup, Loop Habit Tracker data or lab results",
                       description="Detects the format: an IGF Coach JSON backup, a Loop Habit Tracker backup "
                                   "(.db) or CSV export (zip or folder), or a CSV of lab results (date, value, unit, "
                                   "optional lab_low, lab_high, lab_name). The whole file is checked first and "
                                   "written in one step; importing the same file again adds nothing.")
    p.add_argument("path", metavar="PATH", help="the file (or the folder of a Loop CSV export)")
    p.add_argument("--dry-run", action="store_true", help="show what would be imported and change nothing")
    p.add_argument("--confirm", action="store_true",
                   help="import lab values outside the plausible 10–1500 ng/mL after checking them and their unit")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("backup", help="make a verified copy of the database now",
                       description="Copies the database with SQLite's online backup API into the backup folder "
                                   "(Settings › Data) or to PATH, and checks the copy.")
    p.add_argument("--out", metavar="PATH", help="a file or folder for the copy (default: the backup folder)")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="replace your data by a backup's (your current data is backed up first)")
    p.add_argument("path", metavar="PATH", help="a backup made by IGF Coach (igfcoach-….sqlite3)")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("report", help="make a PDF report for your clinician",
                       description="Profile, IGF-1 results with units and ranges, adherence against IGF-1, "
                                   "adherence per area for the period, the safety screen and the disclaimer.")
    p.add_argument("--out", required=True, metavar="FILE", help="the PDF to write, e.g. report.pdf")
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="start of the period (default: a year ago)")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="end of the period (default: today)")
    p.set_defaults(handler=cmd_report)


def _progress_printer(label: str):  # noqa: ANN202
    """A progress callback that prints a percentage on a terminal (nothing when not a terminal)."""
    if not sys.stderr.isatty():
        return None
    state = {"last": -1}

    def show(done: int, total: int) -> None:
        pct = int(100 * done / total) if total else 0
        if pct != state["last"]:
            state["last"] = pct
            print(f"\r{label}: {pct} %", end="" if pct < 100 else "\n", file=sys.stderr, flush=True)

    return show


def cmd_export(ctx: AppContext, args: argparse.Namespace) -> int:
    from igfcoach.services import export

    out = Path(args.out).expanduser()
    if args.format != "csv" and out.is_dir():
        raise UsageError(f"out: {out} is a folder; give a file name such as {out / ('igfcoach.' + 'json')}")
    if args.format == "csv" and out.exists() and not out.is_dir():
        raise UsageError(f"out: {out} is a file; csv writes a folder of files")
    try:
        result = export.export(ctx, args.format, out, _progress_printer("Exporting"))
    except OSError as exc:
        raise UsageError(f"out: cannot write {out}: {exc.strerror or exc}") from None
    print(result.describe())
    return 0


def cmd_import(ctx: AppContext, args: argparse.Namespace) -> int:
    from igfcoach.services import importers
    from igfcoach.services.importers import ImportProblem

    path = Path(args.path).expanduser()
    try:
        plan = importers.preview(ctx, path, progress=_progress_printer("Checking"))
        print(plan.describe())
        if args.dry_run:
            print("Dry run: nothing was imported.")
            return 0
        if plan.warnings and not args.confirm:
            first = plan.warnings[0]
            raise UsageError(f"{first} (check it, then run again with --confirm)")
        result = importers.apply(ctx, plan, _progress_printer("Importing"), confirm=args.confirm)
    except ImportProblem as exc:
        raise UsageError(str(exc)) from None
    print(f"Imported: {result.describe()}")
    return 0


def cmd_backup(ctx: AppContext, args: argparse.Namespace) -> int:
    from igfcoach.services import backups
    from igfcoach.store.backup import BackupError

    try:
        path = backups.make_backup(ctx, Path(args.out).expanduser() if args.out else None)
    except (BackupError, OSError) as exc:
        raise UsageError(f"out: {exc}") from None
    print(f"Backed up to {path}")
    return 0


def cmd_restore(ctx: AppContext, args: argparse.Namespace) -> int:
    from igfcoach.services import backups
    from igfcoach.store.backup import BackupError

    path = Path(args.path).expanduser()
    if not path.is_file():
        raise UsageError(f"{path}: no such backup file")
    try:
        print(f"Restoring {path}")
        print(f"  {backups.preview(path).describe()}")
        safety_copy = backups.restore(ctx, path)
    except BackupError as exc:
        raise UsageError(str(exc)) from None
    print(f"Restored. Your data from before the restore is kept in {safety_copy}")
    return 0


def _date(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{name}: {text!r} is not a date (use YYYY-MM-DD)") from None


def cmd_report(ctx: AppContext, args: argparse.Namespace) -> int:
    from igfcoach.services import report
    from igfcoach.ui import report_pdf

    out = Path(args.out).expanduser()
    if out.is_dir():
        raise UsageError(f"out: {out} is a folder; give a file name such as {out / 'report.pdf'}")
    start, end = _date(args.start, "from"), _date(args.end, "to")
    try:
        path = report_pdf.make_report(ctx, out, start, end)
    except report.ReportError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"out: cannot write {out}: {exc.strerror or exc}") from None
    print(f"Wrote {path}")
    return 0
