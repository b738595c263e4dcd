"""Start at login: an XDG autostart entry that opens the app minimized in the tray.

The entry is ``$XDG_CONFIG_HOME/autostart/io.github.igfcoach.IGFCoach.desktop`` (``~/.config`` when
``XDG_CONFIG_HOME`` is unset or not absolute, as the XDG Base Directory spec says). Its ``Exec`` line runs the
Python that runs the app now (``sys.executable -m igfcoach --minimized``), plus ``--data-dir`` when the app uses
a data folder other than the platform default. No Qt here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import platformdirs

from igfcoach.appinfo import APP_ID, APP_NAME, APP_SLUG

__all__ = ["desktop_entry", "disable", "enable", "entry_path", "exec_line", "is_enabled", "uses_default_data_dir"]

FILENAME = f"{APP_ID}.desktop"

# Characters that force quoting of an Exec argument (Desktop Entry spec, "The Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def _config_home(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    value = env.get("XDG_CONFIG_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    home = env.get("HOME") or os.path.expanduser("~")
    return Path(home) / ".config"


def entry_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the autostart entry lives."""
    return _config_home(env) / "autostart" / FILENAME


def _quote(arg: str) -> str:
    """One Exec argument, quoted and escaped as the Desktop Entry spec requires; ``%`` doubled."""
    arg = arg.replace("%", "%%")
    if arg and not (set(arg) & _RESERVED):
        return arg
    escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
    return f'"{escaped}"'


def _escape_value(value: str) -> str:
    """A string value of a desktop entry key (``\\`` escapes; the Exec quoting comes first)."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def default_data_dir() -> Path:
    """The platform's data folder for the app (what the app uses without --data-dir or IGFCOACH_DATA_DIR)."""
    return Path(platformdirs.user_data_dir(APP_SLUG, appauthor=False))


def uses_default_data_dir(data_dir: Path | str | None) -> bool:
    if data_dir is None:
        return True
    try:
        return Path(data_dir).expanduser().resolve() == default_data_dir().expanduser().resolve()
    except OSError:
        return False


def exec_argv(data_dir: Path | str | None = None, python: str | None = None) -> list[str]:
    argv = [python or sys.executable, "-m", APP_SLUG, "--minimized"]
    if not uses_default_data_dir(data_dir):
        argv += ["--data-dir", str(Path(data_dir).expanduser().resolve())]  # type: ignore[arg-type]
    return argv


def exec_line(argv: Sequence[str]) -> str:
    return " ".join(_quote(a) for a in argv)


def desktop_entry(data_dir: Path | str | None = None, python: str | None = None) -> str:
    argv = exec_argv(data_dir, python)
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        f"Name={APP_NAME}",
        "Comment=Start IGF Coach in the tray so your reminders arrive",
        f"Exec={_escape_value(exec_line(argv))}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
    ]
    return "\n".join(lines) + "\n"


def is_enabled(env: Mapping[str, str] | None = None) -> bool:
    path = entry_path(env)
    if not path.is_file():
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    # "Hidden=true" or a disabled GNOME flag means the user switched it off elsewhere
    lowered = text.lower()
    return "hidden=true" not in lowered and "x-gnome-autostart-enabled=false" not in lowered


def enable(data_dir: Path | str | None = None, *, env: Mapping[str, str] | None = None,
           python: str | None = None) -> Path:
    """Write (or rewrite) the autostart entry; returns its path. Raises OSError when it cannot be written."""
    path = entry_path(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(desktop_entry(data_dir, python), encoding="utf-8")
    os.replace(tmp, path)
    return path


def disable(*, env: Mapping[str, str] | None = None) -> None:
    """Remove the autostart entry (nothing to do when it is not there)."""
    entry_path(env).unlink(missing_ok=True)
