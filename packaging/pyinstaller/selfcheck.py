"""`igfcoach --frozen-selfcheck` in the PyInstaller build: check what freezing can break, one line per check.

Exit 0 when every check passed. Run it with a display (test-built.sh uses Xvfb) so the platform plugin loads.
Covers: APScheduler's entry-point plugins, SQLAlchemy's sqlite dialect, Alembic migrating a new database from the
bundled scripts, the bundled resources and desktop files, the Qt platform plugin, the SVG image format and icon
engine, QtDBus, QtMultimedia's FFmpeg back-end, and that "Add to application menu" would start this binary.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path


def _apscheduler() -> str:
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.base import BaseScheduler

    plugins = {
        "triggers": set(BaseScheduler._trigger_plugins),
        "executors": set(BaseScheduler._executor_plugins),
        "jobstores": set(BaseScheduler._jobstore_plugins),
    }
    assert {"date", "interval", "cron"} <= plugins["triggers"], plugins
    assert {"threadpool", "debug"} <= plugins["executors"], plugins
    assert "memory" in plugins["jobstores"], plugins
    # Triggers, executor and job store named by string go through the entry points.
    sched = BackgroundScheduler(executors={"default": {"type": "threadpool", "max_workers": 1}},
                                jobstores={"default": {"type": "memory"}}, timezone="UTC")
    sched.start(paused=True)
    try:
        for trigger, kwargs in (("interval", {"hours": 1}), ("cron", {"hour": 22}), ("date", {"run_date": "2099-01-01"})):
            sched.add_job(print, trigger, **kwargs)
        assert len(sched.get_jobs()) == 3
    finally:
        sched.shutdown(wait=False)
    from igfcoach.reminders import scheduler  # noqa: F401 - the app's own scheduler module imports

    return f"{len(plugins['triggers'])} triggers, {len(plugins['executors'])} executors via entry points"


def _database() -> str:
    from igfcoach.store import migrate
    from igfcoach.store.schema import HEAD_REVISION

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "check.sqlite3"
        migrate.upgrade(db)
        got = migrate.current_revision(db)
    assert got == HEAD_REVISION, (got, HEAD_REVISION)
    return f"migrated a new database to {got} from {migrate.MIGRATIONS_DIR}"


def _resources() -> str:
    from igfcoach.resources_path import resource_path
    from igfcoach.services import desktop_integration as di

    for rel in ("coaching/habits.toml", "icons/igfcoach.svg", "style/app.qss"):
        assert resource_path(rel).is_file(), rel
    assert len(di.icon_files()) >= 3
    di.linux_file(di.DESKTOP_NAME)
    di.linux_file(di.METAINFO_NAME)
    cmd = di.launch_command()
    assert cmd == [os.path.abspath(sys.executable)], cmd
    return f"resources in {resource_path('icons').parent}; menu entry would run {cmd[0]}"


def _qt() -> str:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QGuiApplication, QIcon, QImageReader
    from PySide6.QtWidgets import QApplication

    from igfcoach.resources_path import resource_path

    app = QApplication.instance() or QApplication([sys.executable])
    platform = QGuiApplication.platformName()
    formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
    assert "svg" in formats, sorted(formats)
    icon = QIcon(str(resource_path("icons/igfcoach.svg")))
    pixmap = icon.pixmap(QSize(64, 64))
    assert not pixmap.isNull(), "SVG icon did not render"
    from PySide6.QtDBus import QDBusConnection  # noqa: F401

    del app
    return f"platform {platform}; svg format + icon engine ok; image formats: {','.join(sorted(formats))}"


def _multimedia() -> str:
    from PySide6.QtMultimedia import QMediaFormat, QSoundEffect
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.executable])  # noqa: F841
    effect = QSoundEffect()
    decodable = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
    assert decodable, "no multimedia back-end: no decodable file formats"
    names = sorted(QMediaFormat.fileFormatName(f) for f in decodable)
    del effect
    return f"back-end loaded; decodes {len(names)} formats ({', '.join(names[:4])}...)"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("apscheduler", _apscheduler),
    ("database", _database),
    ("resources", _resources),
    ("qt", _qt),
    ("multimedia", _multimedia),
]


def run_selfcheck() -> int:
    failed = 0
    for name, check in CHECKS:
        try:
            detail = check()
        except Exception:  # noqa: BLE001 - report every check
            failed += 1
            print(f"selfcheck {name}: FAILED", flush=True)
            traceback.print_exc()
        else:
            print(f"selfcheck {name}: ok ({detail})", flush=True)
    print(f"selfcheck: {len(CHECKS) - failed} passed, {failed} failed", flush=True)
    return 1 if failed else 0
