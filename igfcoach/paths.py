"""Where IGF Coach keeps its files: platformdirs, overridden by --data-dir or IGFCOACH_DATA_DIR."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from igfcoach.appinfo import APP_SLUG

ENV_DATA_DIR = "IGFCOACH_DATA_DIR"
DB_FILENAME = "igfcoach.sqlite3"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "igfcoach.log"

    @property
    def instance_key(self) -> str:
        """A name for the single-instance socket, unique per data dir (one app per data dir)."""
        import hashlib

        digest = hashlib.sha1(str(self.data_dir).encode("utf-8")).hexdigest()[:12]
        return f"{APP_SLUG}-{os.getuid() if hasattr(os, 'getuid') else 0}-{digest}"


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """The command line wins over the environment, which wins over the platform default.

    With an explicit data dir, logs go to `<data dir>/logs` so a test or a portable install
    keeps everything in one place.
    """
    chosen = data_dir or os.environ.get(ENV_DATA_DIR) or None
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return AppPaths(data_dir=root, log_dir=root / "logs")
    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_SLUG, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_SLUG, appauthor=False)),
    )


def ensure_private_dir(path: Path) -> Path:
    """Create a directory readable only by its owner (0700), tightening an existing one."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def make_private_dir(path: Path) -> Path:
    """Create a folder only its owner can use (0700) if it is missing; an existing folder the person
    chose (a synced folder, ~/Documents) keeps its own permissions. The files written into it are 0600."""
    if not path.is_dir():
        path.mkdir(parents=True, mode=0o700)
        os.chmod(path, 0o700)
    return path
