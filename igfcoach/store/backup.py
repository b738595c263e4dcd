"""Consistent copies of the database through SQLite's online backup API, verified after writing."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from igfcoach.paths import make_private_dir


class BackupError(Exception):
    pass


def backup_database(db_file: Path, backup_dir: Path, reason: str, now: datetime | None = None) -> Path:
    """Copy `db_file` into `backup_dir` (made 0700 if new) as a 0600 file and check the copy's integrity."""
    make_private_dir(backup_dir)
    stamp = (now or datetime.now().astimezone()).strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"igfcoach-{stamp}-{reason}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = backup_dir / f"igfcoach-{stamp}-{reason}-{n}.sqlite3"
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if ok != "ok":
        raise BackupError(f"the backup {target} failed its integrity check: {ok}")
    os.chmod(target, 0o600)
    return target


def list_backups(backup_dir: Path) -> list[Path]:
    """Backups, newest first."""
    if not backup_dir.is_dir():
        return []
    return sorted(backup_dir.glob("igfcoach-*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)


def move_aside(db_file: Path, now: datetime | None = None) -> Path:
    """Rename a (damaged or replaced) database out of the way, with its -wal/-shm files. Never deletes."""
    stamp = (now or datetime.now().astimezone()).strftime("%Y%m%d-%H%M%S")
    aside = db_file.with_name(f"{db_file.name}.set-aside-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = db_file.with_name(f"{db_file.name}.set-aside-{stamp}-{n}")
    for suffix in ("-wal", "-shm"):
        extra = db_file.with_name(db_file.name + suffix)
        if extra.exists():
            extra.rename(aside.with_name(aside.name + suffix))
    db_file.rename(aside)
    return aside


def restore_backup(backup: Path, db_file: Path, now: datetime | None = None) -> Path | None:
    """Replace `db_file` by a verified copy of `backup`; the old file is moved aside, not deleted.

    Returns where the old file went (None if there was none).
    """
    check = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{backup} is not a usable backup: {exc}") from exc
    finally:
        check.close()
    if ok != "ok":
        raise BackupError(f"{backup} failed its integrity check: {ok}")
    aside = move_aside(db_file, now) if db_file.exists() else None
    fd = os.open(db_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    dst = sqlite3.connect(db_file)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return aside
