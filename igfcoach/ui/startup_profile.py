"""`--profile-startup`: print the milliseconds from process start to the first painted page, then quit."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def process_start_epoch() -> float:
    """When this process started: IGFCOACH_PROFILE_T0 if the benchmark set it, else from /proc."""
    given = os.environ.get("IGFCOACH_PROFILE_T0")
    if given:
        return float(given)
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return time.time() - uptime + start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.time()


class _FirstPaint(QObject):
    """Watches the application's paint events until one lands on the page or a widget inside it.

    (The page itself may never get one: its children cover it, so Qt paints only them.)
    """

    def __init__(self, app: QApplication, page: QWidget) -> None:
        super().__init__(page)
        self.app = app
        self.page = page
        self.done = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if (not self.done and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                and (obj is self.page or self.page.isAncestorOf(obj))):
            self.done = True
            self.app.removeEventFilter(self)
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        ms = (time.time() - process_start_epoch()) * 1000
        print(f"startup_ms {ms:.1f}", flush=True)
        self.app.exit(0)


def quit_after_first_paint(app: QApplication, window: QWidget) -> None:
    page = window.stack.currentWidget()  # type: ignore[attr-defined]
    app.installEventFilter(_FirstPaint(app, page))
