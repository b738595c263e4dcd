"""Quit cleanly on SIGTERM/SIGINT (logout, `kill`, Ctrl+C) without a polling timer.

Python runs signal handlers only when the interpreter gets control; while Qt's event loop waits in C++
it would not. `signal.set_wakeup_fd` writes a byte to a socket, and a QSocketNotifier on the other end
wakes the loop, so the handler runs at once and costs nothing while idle.
"""

from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication


class QuitOnSignals(QObject):
    def __init__(self, app: QApplication, signals=(signal.SIGTERM, signal.SIGINT)) -> None:
        super().__init__(app)
        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)
        signal.set_wakeup_fd(self._write.fileno())
        for sig in signals:
            signal.signal(sig, lambda *_: None)  # the wake-up byte does the work
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(lambda *_: self._drain_and_quit(app))

    def _drain_and_quit(self, app: QApplication) -> None:
        try:
            while self._read.recv(64):
                pass
        except BlockingIOError:
            pass
        # exit(), not quit(): Qt 6's quit() first asks every window to close and gives up if one
        # refuses, and the main window refuses (it hides to the tray instead).
        app.exit(0)

    def close(self) -> None:
        signal.set_wakeup_fd(-1)
        self._notifier.setEnabled(False)
        self._read.close()
        self._write.close()
