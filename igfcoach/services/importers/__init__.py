"""Imports, shared by the GUI and the command line: detect the format, preview, then apply in one transaction.

    plan = importers.preview(ctx, path)      # reads and validates the whole file; writes nothing
    print(plan.describe())                   # what will be imported and how it maps
    result = importers.apply(ctx, plan)      # one transaction; re-importing adds nothing

Formats: ``igfcoach-json`` (our own backup), ``loop-db`` and ``loop-csv`` (Loop Habit Tracker), ``labs-csv``
(IGF-1 results). Every problem is an :class:`ImportProblem` naming the file, row and field; nothing is written.
Long imports report ``progress(done, total)`` and stop (rolling back) when ``cancelled()`` returns True.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from igfcoach.services.fileio import CancelFn, Cancelled, ProgressFn
from igfcoach.services.importers._common import HabitMapping, ImportPlan, ImportProblem, ImportResult

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

__all__ = [
    "FORMATS",
    "Cancelled",
    "HabitMapping",
    "ImportPlan",
    "ImportProblem",
    "ImportResult",
    "apply",
    "detect",
    "preview",
]

FORMATS: dict[str, str] = {
    "igfcoach-json": "IGF Coach backup (JSON)",
    "loop-db": "Loop Habit Tracker backup (.db)",
    "loop-csv": "Loop Habit Tracker CSV export (zip or folder)",
    "labs-csv": "Lab results (CSV: date, value, unit, optional lab_low, lab_high, lab_name)",
}

UNKNOWN_FORMAT = (
    "is not a file IGF Coach can import: expected an IGF Coach JSON backup, a Loop Habit Tracker backup (.db) or "
    "CSV export (zip or folder), or a lab results CSV with date, value and unit columns"
)


def detect(path: str | Path) -> str:
    """The format of ``path`` from its content (not its name). ImportProblem when it is none we read."""
    from igfcoach.services.importers import labs_csv, loop_habits
    from igfcoach.services.importers._common import decode_text

    path = Path(path)
    label = str(path)
    try:
        if path.is_dir():
            if loop_habits.find_habits_csv(loop_habits._Container(path).names):  # noqa: SLF001
                return "loop-csv"
            raise ImportProblem(label, "is a folder without Loop's Habits.csv; choose a file, or the folder of "
                                       "a Loop Habit Tracker CSV export")
        if not path.exists():
            raise ImportProblem(label, "does not exist")
        if not path.is_file():
            raise ImportProblem(label, "is not a regular file")
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise ImportProblem(label, f"cannot be read: {exc.strerror or exc}") from None
    if head.startswith(loop_habits.SQLITE_MAGIC):
        tables = loop_habits.sqlite_tables(path, label)
        if "habits" in tables and "repetitions" in tables:
            return "loop-db"
        raise ImportProblem(label, loop_habits.not_loop_message(tables))
    if head.startswith(loop_habits.ZIP_MAGIC):
        return "loop-csv"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "igfcoach-json"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        decode_text(head, label)  # says UTF-16, or binary, with the row
    first_line = head.split(b"\n", 1)[0]
    if b"\n" not in head and len(head) == 8192:
        raise ImportProblem(label, UNKNOWN_FORMAT + " (its first line is over 8 KB long)", row=1)
    text = decode_text(first_line if first_line.strip() else head, label)
    if labs_csv.looks_like_labs_csv(text):
        return "labs-csv"
    names = {c.strip().strip('"').lower() for c in text.split(",")}
    if {"position", "name"} <= names:
        raise ImportProblem(label, "is Loop's Habits.csv on its own; import the whole export (its zip, or the "
                                   "folder holding Habits.csv and the habits' folders)")
    raise ImportProblem(label, UNKNOWN_FORMAT)


def preview(ctx: AppContext, path: str | Path, fmt: str | None = None, progress: ProgressFn | None = None,
            cancelled: CancelFn | None = None) -> ImportPlan:
    """Read and validate the whole file, and say what importing it would do. Writes nothing."""
    from igfcoach.services.importers import json_backup, labs_csv, loop_habits

    path = Path(path)
    fmt = fmt or detect(path)
    if fmt == "igfcoach-json":
        return json_backup.preview(ctx, path, progress, cancelled)
    if fmt in ("loop-db", "loop-csv"):
        return loop_habits.preview(ctx, path, fmt, progress, cancelled)
    if fmt == "labs-csv":
        return labs_csv.preview(ctx, path, progress, cancelled)
    raise ImportProblem(path, f"{fmt!r} is not one of {', '.join(FORMATS)}", field="format")


def apply(ctx: AppContext, plan: ImportPlan, progress: ProgressFn | None = None, cancelled: CancelFn | None = None,
          *, confirm: bool = False) -> ImportResult:
    """Write a previewed plan in one transaction (all or nothing). ``confirm`` accepts the plan's warnings."""
    from igfcoach.services.importers import json_backup, labs_csv, loop_habits

    if plan.format == "igfcoach-json":
        return json_backup.apply(ctx, plan, progress, cancelled)
    if plan.format in ("loop-db", "loop-csv"):
        return loop_habits.apply(ctx, plan, progress, cancelled)
    if plan.format == "labs-csv":
        return labs_csv.apply(ctx, plan, progress, cancelled, confirm=confirm)
    raise ImportProblem(plan.path, f"{plan.format!r} is not one of {', '.join(FORMATS)}", field="format")


def import_file(ctx: AppContext, path: str | Path, *, confirm: bool = False, progress: ProgressFn | None = None,
                cancelled: CancelFn | None = None) -> ImportResult:
    """Preview and apply in one call (no chance to edit the mapping)."""
    return apply(ctx, preview(ctx, path, progress=progress, cancelled=cancelled), progress, cancelled,
                 confirm=confirm)
