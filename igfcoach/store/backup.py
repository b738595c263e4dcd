"""Consistent copies of the database through SQLite's online backup API, verified after writing."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from igfcoach.paths import ensure_private_dir


class BackupError(Exception):
    pass


def backup_database(db_file: Path, backup_dir: Path, reason: str, now: datetime | None = None) -> Path:
    """Copy `db_file` into `backup_dir` (0700) as a 0600 file and check the copy's integrity."""
    ensure_private_dir(backup_dir)
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
