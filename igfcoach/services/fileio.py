"""Shared by export, import and the report: private files, progress reporting and cancellation.

Every file the app writes for the user is created 0600 (folders 0700), written to a temporary name in the
same folder and renamed into place, so a cancelled or failed export never leaves half a file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from igfcoach.paths import make_private_dir

#: ``progress(done, total)``; total may be 0 when unknown.
ProgressFn = Callable[[int, int], None]
#: Returns True when the user asked to stop.
CancelFn = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled a long export or import; nothing was written."""

    def __init__(self, what: str = "the operation") -> None:
        super().__init__(f"{what} was cancelled; nothing was written")


class Steps:
    """Counts work done, reports it and stops the work when cancelled (by raising :class:`Cancelled`)."""

    def __init__(self, total: int = 0, progress: ProgressFn | None = None, cancelled: CancelFn | None = None,
                 what: str = "the operation") -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._cancelled = cancelled
        self._what = what

    def add_total(self, n: int) -> None:
        self.total += n

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled(self._what)

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self._progress is not None:
            self._progress(min(self.done, self.total) if self.total else self.done, self.total)
        self.check()

    def finish(self) -> None:
        if self._progress is not None:
            self._progress(self.total, self.total)


def write_private(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` as a 0600 file, atomically (temporary file, fsync, rename)."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give a file name")
    parent = path.parent
    if not parent.exists():
        make_private_dir(parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        os.chmod(path, 0o600)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path
