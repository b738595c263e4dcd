"""Migrations run on start and copy the database first."""

from __future__ import annotations

import sqlite3

from igfcoach.paths import resolve_paths
from igfcoach.store import migrate
from igfcoach.store.db import create_private_file, open_database
from igfcoach.store.schema import HEAD_REVISION


def revisions_oldest_first() -> list[str]:
    return list(reversed(migrate.known_revisions()))


def test_every_revision_upgrades_to_head_keeping_data_and_a_copy(tmp_path):
    """Start from each earlier revision with data in it; upgrading keeps the data and leaves a copy."""
    for rev in revisions_oldest_first():
        paths = resolve_paths(tmp_path / rev)
        paths.data_dir.mkdir(parents=True)
        create_private_file(paths.database)
        migrate.upgrade(paths.database, rev)
        conn = sqlite3.connect(paths.database)
        conn.execute("INSERT INTO settings(key, value) VALUES ('marker', '\"kept\"')")
        conn.commit()
        conn.close()
        open_database(paths).close()
        assert migrate.current_revision(paths.database) == HEAD_REVISION
        conn = sqlite3.connect(paths.database)
        assert conn.execute("SELECT value FROM settings WHERE key='marker'").fetchone() == ('"kept"',)
        conn.close()
        copies = list(paths.backups.glob("*pre-migration*")) if rev != HEAD_REVISION else []
        if rev != HEAD_REVISION:
            assert len(copies) == 1
            c = sqlite3.connect(copies[0])
            assert c.execute("SELECT version_num FROM alembic_version").fetchone() == (rev,)
            c.close()


def test_up_to_date_database_is_not_copied(tmp_path):
    paths = resolve_paths(tmp_path)
    open_database(paths).close()
    open_database(paths).close()
    assert not paths.backups.exists() or not list(paths.backups.iterdir())
