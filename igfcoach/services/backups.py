"""Automatic and manual backups, their preview, and restoring one.

Copies are made with SQLite's online backup API (consistent while the app runs), written 0600 into a
0700 folder, and verified after writing (igfcoach/store/backup.py).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from igfcoach.store import migrate
from igfcoach.store.backup import BackupError, backup_database, list_backups
from igfcoach.services import settings

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

AUTO_EVERY = timedelta(hours=24)
DEFAULT_KEEP = 7


@dataclass(frozen=True)
class Preview:
    path: Path
    taken: datetime
    habits: int
    checkoffs: int
    lab_results: int
    first_day: date | None
    last_day: date | None

    def describe(self) -> str:
        span = (f"{self.first_day:%d %b %Y} – {self.last_day:%d %b %Y}" if self.first_day and self.last_day
                else "no check-offs")
        return (f"{self.taken:%d %b %Y %H:%M}: {self.habits} habits, {self.checkoffs} check-offs ({span}), "
                f"{self.lab_results} lab results")


def backup_dir(ctx: AppContext) -> Path:
    chosen = settings.get(ctx, "backup_dir")
    return Path(chosen) if chosen else ctx.paths.backups


def keep_count(ctx: AppContext) -> int:
    return int(settings.get(ctx, "backup_keep") or DEFAULT_KEEP)


def backups(ctx: AppContext) -> list[Path]:
    return list_backups(backup_dir(ctx))


def make_backup(ctx: AppContext, out: Path | None = None, reason: str = "manual") -> Path:
    """A verified copy now, into the backup folder or to `out` (a file path or a folder)."""
    now = ctx.clock.now()
    if out is None:
        path = backup_database(ctx.paths.database, backup_dir(ctx), reason=reason, now=now)
        prune(ctx)
        return path
    out = Path(out)
    if out.is_dir():
        return backup_database(ctx.paths.database, out, reason=reason, now=now)
    made = backup_database(ctx.paths.database, out.parent, reason=reason, now=now)
    return made.rename(out)


def maybe_auto_backup(ctx: AppContext) -> Path | None:
    """Take a backup when the newest one is older than a day (called shortly after start)."""
    existing = backups(ctx)
    now = ctx.clock.now()
    if existing:
        newest = datetime.fromtimestamp(existing[0].stat().st_mtime).astimezone()
        if now - newest < AUTO_EVERY:
            return None
    return make_backup(ctx, reason="auto")


def prune(ctx: AppContext) -> list[Path]:
    """Keep the newest `backup_keep` (default 7) automatic and manual backups; pre-migration copies stay."""
    keep = keep_count(ctx)
    prunable = [p for p in backups(ctx) if "pre-migration" not in p.name and "pre-restore" not in p.name]
    removed = prunable[keep:]
    for path in removed:
        path.unlink()
    return removed


def preview(path: Path) -> Preview:
    """What a backup holds, read without changing it."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            def count(table: str) -> int:
                exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,))
                return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] if exists.fetchone() else 0

            first, last = conn.execute("SELECT MIN(day), MAX(day) FROM checkoffs").fetchone()
            return Preview(
                path=path,
                taken=datetime.fromtimestamp(path.stat().st_mtime).astimezone(),
                habits=count("habits"),
                checkoffs=count("checkoffs"),
                lab_results=count("lab_results"),
                first_day=date.fromisoformat(first) if first else None,
                last_day=date.fromisoformat(last) if last else None,
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable IGF Coach backup: {exc}") from exc


def restore(ctx: AppContext, path: Path) -> Path:
    """Replace the current data by a backup's; the current database is backed up first. Returns that copy.

    The backup is checked first; then its pages are copied into the live database file in one step, so
    open connections see the restored data. Schema migrations run on the next start if it is older.
    """
    preview(path)  # refuses an unreadable file before anything changes
    check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if ok != "ok":
        raise BackupError(f"{path} failed its integrity check: {ok}")
    safety_copy = backup_database(ctx.paths.database, backup_dir(ctx), reason="pre-restore", now=ctx.clock.now())
    ctx.db.engine.dispose()
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    dst = sqlite3.connect(ctx.paths.database)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    migrate.check_and_upgrade(ctx.paths.database, ctx.paths.backups, now=ctx.clock.now())
    return safety_copy
