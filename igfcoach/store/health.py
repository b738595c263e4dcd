"""Checking the database file before use, and naming exactly what is wrong with it.

Nothing here changes or deletes the file: a damaged database is left as it is for the user (or a
restore) to deal with.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

# What the app can offer for each kind of problem (the UI turns these into buttons).
NOT_A_DATABASE = "not_database"
CORRUPT = "corrupt"
LOCKED = "locked"
NEWER = "newer"
READ_ONLY = "read_only"
FULL = "full"
UNUSABLE_DIR = "unusable_dir"


class StoreError(Exception):
    """The database cannot be used; `kind` says why for the code, the message for the person."""

    def __init__(self, message: str, kind: str = CORRUPT, path: Path | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.path = path


def classify_sqlite_error(exc: BaseException, db_file: Path) -> StoreError:
    text = str(exc).lower()
    if "not a database" in text or "file is encrypted" in text:
        return StoreError(f"{db_file} is not an IGF Coach database (it is not an SQLite file at all).",
                          NOT_A_DATABASE, db_file)
    if "locked" in text or "busy" in text:
        return StoreError(f"{db_file} is locked by another program. Close it (or the other copy of IGF Coach) "
                          "and try again.", LOCKED, db_file)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreError(f"{db_file} cannot be written: the file or its folder is read-only.", READ_ONLY, db_file)
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(f"The disk holding {db_file} is full; free some space and try again.", FULL, db_file)
    return StoreError(f"{db_file} is damaged ({exc}). Your backups may hold an intact copy.", CORRUPT, db_file)


def classify_os_error(exc: OSError, path: Path) -> StoreError:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError(f"{path} cannot be written: permission denied or a read-only disk.", READ_ONLY, path)
    if exc.errno == errno.ENOSPC:
        return StoreError(f"The disk holding {path} is full; free some space and try again.", FULL, path)
    return StoreError(f"Cannot use {path}: {exc.strerror or exc}.", UNUSABLE_DIR, path)


def check_file(db_file: Path) -> None:
    """Raise StoreError if an existing database file is unreadable, damaged, locked or read-only."""
    if not os.access(db_file, os.R_OK):
        raise StoreError(f"{db_file} cannot be read: permission denied.", READ_ONLY, db_file)
    if db_file.stat().st_size == 0:
        return  # a new, empty database
    try:
        conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=1.0)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise classify_sqlite_error(exc, db_file) from exc
    if result != "ok":
        raise StoreError(f"{db_file} is damaged (SQLite's check says: {result}). Your backups may hold an "
                         "intact copy.", CORRUPT, db_file)
    if not os.access(db_file, os.W_OK) or not os.access(db_file.parent, os.W_OK):
        raise StoreError(f"{db_file} cannot be written: the file or its folder is read-only.", READ_ONLY, db_file)


def check_writable(db_file: Path) -> None:
    """Take and release the write lock once: fails fast when another program holds the database."""
    try:
        conn = sqlite3.connect(db_file, timeout=1.0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise classify_sqlite_error(exc, db_file) from exc
