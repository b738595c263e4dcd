"""Opening the SQLite database: private file, WAL, foreign keys, migrations on start."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from igfcoach.paths import AppPaths, ensure_private_dir
from igfcoach.store.health import StoreError, check_file, check_writable, classify_os_error

log = logging.getLogger(__name__)


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # FULL: a commit survives a power cut too, not only a crash (see tests/store/test_crash_safety.py).
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=3000")
    cur.close()


def make_engine(db_file: Path) -> Engine:
    engine = create_engine(f"sqlite:///{db_file}", future=True)
    event.listen(engine, "connect", _set_pragmas)
    return engine


def create_private_file(path: Path) -> None:
    """Create an empty file only its owner can read (0600); tighten an existing one."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class Database:
    """An open database: the engine and a session factory whose `transaction()` is all-or-nothing."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any exception."""
        with self._sessions.begin() as session:
            yield session

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()


def open_database(paths: AppPaths) -> Database:
    """Create the private data dir and database file if needed, check it, and migrate it.

    Raises StoreError (with a `kind` the UI can act on) and never alters a damaged file.
    """
    from igfcoach.store import migrate

    try:
        ensure_private_dir(paths.data_dir)
    except OSError as exc:
        raise classify_os_error(exc, paths.data_dir) from exc
    db_file = paths.database
    if not db_file.exists():
        try:
            create_private_file(db_file)
        except OSError as exc:
            raise classify_os_error(exc, db_file) from exc
    check_file(db_file)
    check_writable(db_file)
    migrate.check_and_upgrade(db_file, paths.backups)
    engine = make_engine(db_file)
    return Database(db_file, engine)
