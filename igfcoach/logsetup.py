"""Logging to a rotating file in the platform's log dir. Logs never hold lab values or notes."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from igfcoach.paths import AppPaths, ensure_private_dir

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Every file it opens is 0600, also the new one it starts after a rollover (whatever the umask)."""

    def _open(self):  # noqa: ANN202 (logging's signature)
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115


def setup_logging(paths: AppPaths, level: int = logging.INFO) -> Path:
    ensure_private_dir(paths.log_dir)
    handler = _PrivateRotatingFileHandler(
        paths.log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_igfcoach", False)]:
        root.removeHandler(old)
        old.close()
    handler._igfcoach = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # APScheduler logs each job's name (a reminder's title, which is user text) at INFO.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        os.chmod(paths.log_file, 0o600)
    except OSError:
        pass
    return paths.log_file
