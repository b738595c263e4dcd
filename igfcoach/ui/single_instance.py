"""One running app per data dir: a lock file decides who is first, a local socket carries "activate".

The lock (QLockFile) is race-free when two launches start at the same moment, and it notices a
stale lock left by a crashed process (dead PID), so a crash never blocks the next start.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"


class SingleInstance(QObject):
    """Call `claim()`: True means this process is the app; False means another copy was asked to show itself."""

    activation_requested = Signal()

    def __init__(self, key: str, lock_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._lock = QLockFile(str(lock_dir / f"{key}.lock"))
        self._lock.setStaleLockTime(0)  # only a dead owner makes it stale, never age
        self._server: QLocalServer | None = None

    def claim(self, wait_for_primary_s: float = 5.0) -> bool:
        if self._lock.tryLock(0):
            self._listen()
            return True
        self._lock.removeStaleLockFile()
        if self._lock.tryLock(0):
            self._listen()
            return True
        self._notify_primary(wait_for_primary_s)
        return False

    def _listen(self) -> None:
        QLocalServer.removeServer(self.key)  # a socket file left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.key):
            log.warning("single-instance server could not listen: %s", server.errorString())
            return
        server.newConnection.connect(self._on_connection)
        self._server = server

    def _on_connection(self) -> None:
        assert self._server is not None
        while (sock := self._server.nextPendingConnection()) is not None:
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(sock.deleteLater)
            if sock.bytesAvailable():  # the message may have arrived with the connection
                self._read(sock)

    def _read(self, sock: QLocalSocket) -> None:
        if bytes(sock.readAll().data()).startswith(ACTIVATE.strip()):
            self.activation_requested.emit()

    def _notify_primary(self, wait_s: float) -> None:
        deadline = time.monotonic() + wait_s
        while True:
            sock = QLocalSocket()
            sock.connectToServer(self.key)
            if sock.waitForConnected(500):
                sock.write(ACTIVATE)
                sock.waitForBytesWritten(1000)
                sock.disconnectFromServer()
                return
            if time.monotonic() > deadline:
                log.warning("another copy holds the lock but does not answer")
                return
            time.sleep(0.1)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
        self._lock.unlock()
