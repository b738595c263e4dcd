"""A damaged start: every kind of unusable database is named, exit 2 on the command line, file untouched."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest

from igfcoach.paths import resolve_paths
from igfcoach.services import checklist, habits
from igfcoach.services.context import open_context
from igfcoach.store import health
from igfcoach.store.backup import backup_database
from igfcoach.store.db import open_database
from igfcoach.store.health import StoreError

IS_ROOT = os.geteuid() == 0


@pytest.fixture
def filled(tmp_path, clock):
    """A data dir with a real database holding a few check-offs, closed."""
    ctx = open_context(str(tmp_path / "data"), clock=clock)
    habits.seed_from_catalog(ctx)
    checklist.record(ctx, "zinc", done=True)
    ctx.close()
    db = resolve_paths(tmp_path / "data").database
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return resolve_paths(tmp_path / "data")


def expect(paths, kind: str, match: str) -> None:
    before = paths.database.read_bytes() if paths.database.exists() else None
    with pytest.raises(StoreError, match=match) as info:
        open_database(paths)
    assert info.value.kind == kind
    if before is not None:
        assert paths.database.read_bytes() == before, "the damaged file must be left as it was"


def test_corrupt_pages(filled):
    data = bytearray(filled.database.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[2 * page : 3 * page] = b"\xde\xad\xbe\xef" * (page // 4)
    filled.database.write_bytes(bytes(data))
    expect(filled, health.CORRUPT, "is damaged")


def test_truncated(filled):
    data = filled.database.read_bytes()
    filled.database.write_bytes(data[: len(data) // 2])
    expect(filled, health.CORRUPT, "is damaged")


def test_not_a_database(filled):
    filled.database.write_bytes(b"PK\x03\x04 a zip file, say" * 50)
    expect(filled, health.NOT_A_DATABASE, "not an IGF Coach database")


def test_from_a_newer_version(filled):
    conn = sqlite3.connect(filled.database)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    expect(filled, health.NEWER, "newer version")


def test_locked_by_another_process(filled):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sqlite3, sys, time
            c = sqlite3.connect({str(filled.database)!r}, isolation_level=None)
            c.execute("PRAGMA locking_mode=EXCLUSIVE")
            c.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        expect(filled, health.LOCKED, "locked by another program")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


@contextmanager
def read_only(path: Path):
    """Make a folder read-only for real: a read-only bind mount as root (root ignores file modes)."""
    if IS_ROOT:
        subprocess.run(["mount", "--bind", str(path), str(path)], check=True)
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], check=True)
            yield
        finally:
            subprocess.run(["umount", str(path)], check=True)
    else:
        path.chmod(0o500)
        try:
            yield
        finally:
            path.chmod(0o700)


def test_read_only_data_dir(filled):
    with read_only(filled.data_dir):
        expect(filled, health.READ_ONLY, "cannot be written")


@pytest.mark.skipif(not IS_ROOT, reason="a full disk is simulated with a tiny tmpfs, which needs root")
def test_full_disk(tmp_path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], check=True)
    try:
        fd = os.open(mount / "filler", os.O_CREAT | os.O_WRONLY)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        paths = resolve_paths(mount / "data")
        with pytest.raises(StoreError) as info:
            open_database(paths)
        assert info.value.kind in (health.FULL,)
        assert "full" in str(info.value)
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_command_line_says_what_is_wrong_and_exits_2(filled):
    filled.database.write_bytes(b"garbage" * 200)
    r = subprocess.run([sys.executable, "-m", "igfcoach", "--data-dir", str(filled.data_dir), "today"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "not an IGF Coach database" in r.stderr and "Traceback" not in r.stderr
    assert filled.database.read_bytes() == b"garbage" * 200


def test_restore_latest_backup_keeps_the_damaged_file(filled, clock):
    from igfcoach.ui.controller import open_or_ask
    from igfcoach.ui.damaged_start import Choice

    backup = backup_database(filled.database, filled.backups, reason="manual")
    filled.database.write_bytes(b"garbage" * 200)
    seen = []

    def ask(error, backups):
        seen.append((error.kind, backups))
        return Choice("restore", backups[0])

    ctx = open_or_ask(filled, ask=ask)
    try:
        assert seen == [(health.NOT_A_DATABASE, [backup])]
        assert checklist.history(ctx, "zinc")[0].done
        kept = [p for p in filled.data_dir.glob("igfcoach.sqlite3.set-aside-*") if p.name[-4:] not in ("-wal", "-shm")]
        assert len(kept) == 1 and kept[0].read_bytes() == b"garbage" * 200
        assert oct(filled.database.stat().st_mode & 0o777) == "0o600"
    finally:
        ctx.close()


def test_open_another_folder_or_quit(filled, tmp_path):
    from igfcoach.ui.controller import open_or_ask
    from igfcoach.ui.damaged_start import Choice

    filled.database.write_bytes(b"garbage" * 200)
    other = tmp_path / "elsewhere"
    ctx = open_or_ask(filled, ask=lambda e, b: Choice("other_dir", other))
    assert ctx is not None and ctx.paths.data_dir == other
    ctx.close()
    assert open_or_ask(filled, ask=lambda e, b: Choice("quit")) is None
    assert filled.database.read_bytes() == b"garbage" * 200


def test_dialog_offers_what_makes_sense(qtbot, filled):
    from igfcoach.ui.damaged_start import DamagedStartDialog

    corrupt = DamagedStartDialog(StoreError("x is damaged", health.CORRUPT), [])
    qtbot.addWidget(corrupt)
    assert not corrupt.restore_button.isHidden() and not corrupt.restore_button.isEnabled()
    assert corrupt.retry_button.isHidden()
    locked = DamagedStartDialog(StoreError("x is locked", health.LOCKED), [Path("b")])
    qtbot.addWidget(locked)
    assert locked.restore_button.isHidden() and not locked.retry_button.isHidden()
    locked.retry_button.click()
    assert locked.choice.action == "retry"
