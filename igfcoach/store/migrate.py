"""Alembic migrations run on start, with a copy of the database taken first.

Reading the current revision is plain sqlite3, so a start with an up-to-date database never
imports Alembic at all.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from igfcoach.store.backup import backup_database
from igfcoach.store.health import NEWER, NOT_A_DATABASE, StoreError
from igfcoach.store.schema import HEAD_REVISION

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class SchemaError(StoreError):
    """The database's schema cannot be used by this version of the app."""


def current_revision(db_file: Path) -> str | None:
    """The Alembic revision stamped in the file, or None for a new, empty database."""
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def _alembic_config(db_file: Path):  # -> alembic.config.Config
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{db_file}")
    return cfg


def known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(Path("unused.sqlite3")))
    return [rev.revision for rev in script.walk_revisions()]


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(_alembic_config(Path("unused.sqlite3"))).get_heads()
    if len(heads) != 1:
        raise SchemaError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]


def upgrade(db_file: Path, target: str = "head") -> None:
    from alembic import command

    from igfcoach.store.db import make_engine

    engine = make_engine(db_file)
    try:
        with engine.begin() as conn:
            cfg = _alembic_config(db_file)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
    finally:
        engine.dispose()


def check_and_upgrade(db_file: Path, backup_dir: Path, now: datetime | None = None) -> str | None:
    """Bring the database to HEAD_REVISION. Returns the path of the pre-migration copy, if one was taken."""
    try:
        current = current_revision(db_file)
    except sqlite3.DatabaseError as exc:
        raise SchemaError(f"{db_file} is not a usable IGF Coach database ({exc}).", NOT_A_DATABASE, db_file) from exc
    if current == HEAD_REVISION:
        return None
    if current is not None and current not in known_revisions():
        raise SchemaError(
            f"{db_file} was written by a newer version of IGF Coach (schema {current}); "
            "update the app to open it.",
            NEWER,
            db_file,
        )
    copy = None
    if current is not None:
        copy = backup_database(db_file, backup_dir, reason=f"pre-migration-{current}", now=now)
        log.info("database backed up before migration from %s: %s", current, copy)
    upgrade(db_file)
    log.info("database migrated from %s to %s", current, HEAD_REVISION)
    return str(copy) if copy else None
