"""What every importer shares: the validation error, the plan shown before writing, and careful file reading.

The rules (issue 8): an importer reads and validates the whole file before anything is written, and writes
in one transaction; a problem is reported as :class:`ImportProblem` naming the file, the row and the field,
and leaves the database unchanged. Files are read with size limits and never trusted (no formulas run, no
SQL from the file is executed, zip members are read in memory with limits, never extracted).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MB = 1024 * 1024
#: Largest text file (CSV, JSON) an importer reads.
MAX_TEXT_BYTES = 64 * MB
#: Largest SQLite file (Loop backup) an importer opens.
MAX_DB_BYTES = 256 * MB
#: Longest single CSV field (the csv module's own limit is 128 KiB).
MAX_FIELD_CHARS = 10_000


class ImportProblem(ValueError):
    """A file that cannot be imported; nothing was written.

    ``file`` is the file (or ``archive.zip:member``), ``row`` the row (a spreadsheet-style line number for
    CSV, the 1-based position in its table for JSON, the record id for a database) and ``field`` the column,
    each None when it does not apply. ``detail`` is the explanation on its own.
    """

    def __init__(self, file: str | Path, detail: str, *, row: int | str | None = None,
                 field: str | None = None) -> None:
        self.file = str(file)
        self.row = row
        self.field = field
        self.detail = detail
        super().__init__(self._text())

    def _text(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return ", ".join(where) + ": " + self.detail


@dataclass
class ImportResult:
    """What an import wrote: per kind of record, how many were added and how many were already there."""

    format: str
    added: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        kinds = list(dict.fromkeys([*self.added, *self.existing]))
        if not kinds:
            return "Nothing to import."
        parts = [f"{kind.replace('_', ' ')}: {self.added.get(kind, 0)} added, "
                 f"{self.existing.get(kind, 0)} already there" for kind in kinds]
        return "; ".join(parts) + "".join(f". {n}" for n in self.notes)


@dataclass
class HabitMapping:
    """How one habit from another app lands in IGF Coach (the preview shows it; the user may change it).

    ``action`` is "new" (create ``title`` in ``category``), "merge" (add its check-offs to the existing habit
    ``target_key``) or "skip".
    """

    source_name: str
    action: str
    target_key: str | None
    target_title: str | None
    category: str
    similarity: float
    entries: int
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if self.action == "merge":
            how = f"adds to your habit \u201c{self.target_title}\u201d"
            if self.similarity < 1:
                how += f" (names {self.similarity:.0%} alike)"
        elif self.action == "new":
            how = f"new habit in {self.category}"
        else:
            how = "skipped"
        text = f"\u201c{self.source_name}\u201d ({self.entries} days) \u2192 {how}"
        return text + "".join(f"; {n}" for n in self.notes)


@dataclass
class ImportPlan:
    """A validated file, ready to write: what the preview shows, and the parsed data ``apply`` writes.

    ``warnings`` need the user's confirmation (``apply(..., confirm=True)``); ``mappings`` (Loop only) may be
    edited before applying.
    """

    format: str
    path: Path
    title: str
    summary: list[str]
    payload: Any
    warnings: list[ImportProblem] = field(default_factory=list)
    mappings: list[HabitMapping] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"{self.title}: {self.path}"]
        lines += [f"  {s}" for s in self.summary]
        if self.mappings:
            lines.append("  Habits:")
            lines += [f"    {m.describe()}" for m in self.mappings]
        if self.warnings:
            lines.append("  Needs your confirmation:")
            lines += [f"    {w}" for w in self.warnings]
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------- reading

def read_limited(path: Path, limit: int, label: str | None = None) -> bytes:
    """The bytes of a regular file no larger than ``limit``."""
    label = label or str(path)
    try:
        if not path.is_file():
            raise ImportProblem(label, "is not a file")
        size = path.stat().st_size
        if size > limit:
            raise ImportProblem(label, f"is {size / MB:.1f} MB; the largest file IGF Coach imports is "
                                       f"{limit / MB:.0f} MB")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ImportProblem(label, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise ImportProblem(label, f"is larger than {limit / MB:.0f} MB")
    return data


def decode_text(data: bytes, label: str) -> str:
    """UTF-8 text (a byte-order mark is fine); anything else is refused with the row where it went wrong."""
    if not data.strip():
        raise ImportProblem(label, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportProblem(label, "the file is UTF-16 text; save it as UTF-8 (\u201cCSV UTF-8\u201d in a "
                                   "spreadsheet) and import it again")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ImportProblem(label, "the file holds binary data (NUL bytes), not text",
                            row=data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise ImportProblem(label, f"byte 0x{data[exc.start]:02x} is not UTF-8 text; save the file as UTF-8 "
                                   "and import it again", row=row) from None


def read_csv(text: str, label: str, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    """(line number, cells) for every non-blank row; a malformed row names its line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                for i, c in enumerate(cells):
                    if len(c) > MAX_FIELD_CHARS:
                        raise ImportProblem(label, f"a field of {len(c)} characters is too long (at most "
                                                   f"{MAX_FIELD_CHARS})", row=line, field=f"column {i + 1}")
                rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportProblem(label, f"is not well-formed CSV ({exc})", row=reader.line_num or line) from None
    return rows


def sniff_delimiter(text: str) -> str:
    """"," or, for a spreadsheet saved with a European locale, ";" (judged from the first line)."""
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def unquote_formula(text: str) -> str:
    """Undo the apostrophe IGF Coach's CSV export puts before text a spreadsheet would run as a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


ProgressCb = Callable[[int, int], None]
