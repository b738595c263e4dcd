"""The database file: where it is, who can read it, how it is set up and migrated."""

from __future__ import annotations

import sqlite3
import stat

import pytest
from sqlalchemy import text

from igfcoach.paths import resolve_paths
from igfcoach.store import migrate
from igfcoach.store.db import open_database
from igfcoach.store.health import NOT_A_DATABASE, StoreError
from igfcoach.store.schema import HEAD_REVISION


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_data_dir_is_private_and_migrated(tmp_path):
    paths = resolve_paths(tmp_path / "new" / "dir")
    db = open_database(paths)
    try:
        with db.transaction() as s:
            s.execute(text("SELECT 1"))
        assert mode(paths.data_dir) == 0o700
        assert mode(paths.database) == 0o600
        for extra in paths.data_dir.glob("igfcoach.sqlite3-*"):
            assert mode(extra) == 0o600, extra
        assert migrate.current_revision(paths.database) == HEAD_REVISION
    finally:
        db.close()


def test_existing_loose_permissions_are_tightened(tmp_path):
    paths = resolve_paths(tmp_path / "d")
    paths.data_dir.mkdir(mode=0o755)
    paths.data_dir.chmod(0o755)
    open_database(paths).close()
    assert mode(paths.data_dir) == 0o700


def test_wal_and_foreign_keys_are_on(tmp_path):
    db = open_database(resolve_paths(tmp_path))
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.close()


def test_schema_head_constant_matches_alembic():
    assert migrate.alembic_head() == HEAD_REVISION


def test_models_match_migrations(tmp_path):
    """The migrated schema has every table and column the models declare."""
    from igfcoach.store.models import Base

    paths = resolve_paths(tmp_path)
    open_database(paths).close()
    conn = sqlite3.connect(paths.database)
    try:
        for table in Base.metadata.sorted_tables:
            cols = {row[1] for row in conn.execute(f"PRAGMA table_info({table.name})")}
            assert cols == {c.name for c in table.columns}, table.name
    finally:
        conn.close()


def test_transaction_is_all_or_nothing(tmp_path):
    from igfcoach.store.models import Setting

    db = open_database(resolve_paths(tmp_path))
    try:
        with pytest.raises(RuntimeError):
            with db.transaction() as s:
                s.add(Setting(key="a", value=1))
                s.flush()
                raise RuntimeError("boom")
        with db.transaction() as s:
            assert s.get(Setting, "a") is None
    finally:
        db.close()


def test_database_from_a_newer_app_is_refused_and_left_alone(tmp_path):
    paths = resolve_paths(tmp_path)
    open_database(paths).close()
    conn = sqlite3.connect(paths.database)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    before = paths.database.read_bytes()
    with pytest.raises(migrate.SchemaError, match="newer version"):
        open_database(paths)
    assert paths.database.read_bytes() == before


def test_not_a_database_is_refused(tmp_path):
    paths = resolve_paths(tmp_path)
    paths.data_dir.mkdir(exist_ok=True)
    paths.database.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not an IGF Coach database") as info:
        open_database(paths)
    assert info.value.kind == NOT_A_DATABASE
    assert paths.database.read_bytes() == b"this is not sqlite" * 100
