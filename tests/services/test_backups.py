"""Automatic backups, pruning, preview and restore."""

from __future__ import annotations

import os
import stat
from datetime import date, timedelta

import pytest

from igfcoach.services import backups, checklist, habits, settings
from igfcoach.store.backup import BackupError


@pytest.fixture
def seeded(ctx):
    habits.seed_from_catalog(ctx)
    checklist.record(ctx, "zinc", date(2026, 11, 20), done=True)
    return ctx


def test_auto_backup_is_taken_when_the_newest_is_over_a_day_old(seeded, clock):
    first = backups.maybe_auto_backup(seeded)
    assert first is not None and first.exists()
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
    assert backups.maybe_auto_backup(seeded) is None  # the newest is minutes old
    # A day later (file times are real, so age the file rather than the clock).
    old = (clock.now() - timedelta(hours=25)).timestamp()
    os.utime(first, (old, old))
    clock.advance(timedelta(seconds=1))
    assert backups.maybe_auto_backup(seeded) is not None


def test_keeps_the_last_seven_by_default(seeded, clock):
    made = []
    for i in range(10):
        clock.advance(timedelta(seconds=1))
        path = backups.make_backup(seeded)
        t = 1_700_000_000 + i * 60
        os.utime(path, (t, t))
        made.append(path)
    kept = backups.backups(seeded)
    assert len(kept) == 7
    assert set(kept) == set(made[3:])


def test_backup_folder_can_be_chosen(seeded, tmp_path):
    settings.put(seeded, backup_dir=str(tmp_path / "synced"))
    path = backups.make_backup(seeded)
    assert path.parent == tmp_path / "synced"


def test_preview_says_what_a_backup_holds(seeded):
    path = backups.make_backup(seeded)
    p = backups.preview(path)
    assert p.habits >= 12 and p.checkoffs == 1
    assert p.first_day == p.last_day == date(2026, 11, 20)
    assert "1 check-offs" in p.describe()


def test_restore_replaces_data_and_backs_up_the_current_first(seeded, clock):
    path = backups.make_backup(seeded)
    checklist.record(seeded, "magnesium", date(2026, 11, 21), done=True)
    clock.advance(timedelta(seconds=2))
    safety = backups.restore(seeded, path)
    assert "pre-restore" in safety.name
    assert backups.preview(safety).checkoffs == 2
    assert [r.day for r in checklist.history(seeded, "magnesium")] == []
    assert checklist.history(seeded, "zinc")[0].done


def test_a_bad_backup_changes_nothing(seeded, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"nope" * 500)
    with pytest.raises(BackupError, match="not a readable IGF Coach backup"):
        backups.restore(seeded, bad)
    assert checklist.history(seeded, "zinc")[0].done
    assert not [p for p in backups.backups(seeded) if "pre-restore" in p.name]


def test_a_folder_the_person_chose_keeps_its_permissions(seeded, tmp_path):
    documents = tmp_path / "Documents"
    documents.mkdir(mode=0o755)
    documents.chmod(0o755)
    path = backups.make_backup(seeded, out=documents)
    assert stat.S_IMODE(documents.stat().st_mode) == 0o755
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
