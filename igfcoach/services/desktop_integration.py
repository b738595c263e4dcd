"""Put IGF Coach in the desktop's application menu for people who installed it with pip (or unpacked a build).

Linux and other XDG desktops only; no Qt. ``install()`` writes, under the user's data home
(``$XDG_DATA_HOME``, default ``~/.local/share``):

* ``applications/<APP_ID>.desktop``: ``packaging/linux/<APP_ID>.desktop`` with ``Exec`` and ``TryExec`` pointing at
  this copy of the app (the frozen binary, the ``igfcoach`` script beside this interpreter, or
  ``<this python> -m igfcoach``);
* ``metainfo/<APP_ID>.metainfo.xml`` (software centres read it);
* ``icons/hicolor/<N>x<N>/apps/<APP_ID>.png`` for every size in ``resources/icons/hicolor``,
  ``icons/hicolor/scalable/apps/<APP_ID>.svg`` and ``icons/hicolor/symbolic/apps/<APP_ID>-symbolic.svg``.

``remove()`` deletes exactly those names and then the directories that are left empty (never the data home
itself). Caches are refreshed only where the user already has one (``update-desktop-database`` for
``applications/mimeinfo.cache``, ``gtk-update-icon-cache`` for ``icons/hicolor/icon-theme.cache``), quietly and only
when the tool is installed, the same rule xdg-utils follows: creating a cache the user never had would make later
icon installs by other programs invisible until someone refreshed it, and would make ``remove()`` leave files behind.

The desktop entry and metainfo come from ``packaging/linux/`` in a source checkout, or from
``igfcoach/_resources/linux/`` in a wheel or a PyInstaller build (both copy that folder there).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from igfcoach.appinfo import APP_ID, APP_NAME, APP_SLUG
from igfcoach.resources_path import resource_path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent

#: Where the desktop entry and metainfo are found, in order: installed/frozen copy, then the checkout.
LINUX_FILE_ROOTS: tuple[Path, ...] = (
    _PACKAGE_DIR / "_resources" / "linux",
    _PACKAGE_DIR.parent / "packaging" / "linux",
)

DESKTOP_NAME = f"{APP_ID}.desktop"
METAINFO_NAME = f"{APP_ID}.metainfo.xml"
SYMBOLIC_NAME = f"{APP_ID}-symbolic"
_SIZE_PNG = re.compile(r"^(\d+)x\1\.png$")
#: Seconds a cache tool may take before it is given up on (it is only a refresh).
CACHE_TOOL_TIMEOUT = 20


class DesktopIntegrationError(Exception):
    """The menu entry cannot be written or removed here; the message says why in plain words."""


# --- where things are --------------------------------------------------------------------------------------


def supported() -> bool:
    """True on Linux and the BSDs, where menus are XDG desktop entries."""
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly"))


def managed_by(environ: Mapping[str, str] | None = None) -> str | None:
    """"Flatpak" or "Snap" when a package manager already put the app in the menu, else None."""
    env = os.environ if environ is None else environ
    if env.get("FLATPAK_ID") or (environ is None and Path("/.flatpak-info").exists()):
        return "Flatpak"
    if env.get("SNAP_NAME") or env.get("SNAP"):
        return "Snap"
    return None


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME`` when it is set to an absolute path (as the spec requires), else ``~/.local/share``."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    home = env.get("HOME") or os.path.expanduser("~")
    return Path(home) / ".local" / "share"


def data_dirs(environ: Mapping[str, str] | None = None) -> list[Path]:
    """``$XDG_DATA_DIRS`` (default ``/usr/local/share:/usr/share``): where packaged entries live."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_DIRS") or "/usr/local/share/:/usr/share/"
    return [Path(p) for p in value.split(":") if p and os.path.isabs(p)]


def linux_file(name: str) -> Path:
    """The packaged desktop entry or metainfo file ``name`` (installed copy first, then the checkout)."""
    for root in LINUX_FILE_ROOTS:
        candidate = root / name
        if candidate.is_file():
            return candidate
    raise DesktopIntegrationError(
        f"{name} is missing from this installation (looked in {', '.join(str(r) for r in LINUX_FILE_ROOTS)})"
    )


def icon_files() -> list[tuple[Path, str]]:
    """(source, destination relative to the data home) for every icon, each named by the app id."""
    icons = resource_path("icons")
    found: list[tuple[int, Path]] = []
    hicolor = icons / "hicolor"
    if hicolor.is_dir():
        for png in hicolor.iterdir():
            m = _SIZE_PNG.match(png.name)
            if m:
                found.append((int(m.group(1)), png))
    if not found:
        raise DesktopIntegrationError(f"no icon sizes found in {hicolor}")
    pairs = [(png, f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png") for n, png in sorted(found)]
    pairs.append((icons / f"{APP_SLUG}.svg", f"icons/hicolor/scalable/apps/{APP_ID}.svg"))
    pairs.append((icons / f"{APP_SLUG}-symbolic.svg", f"icons/hicolor/symbolic/apps/{SYMBOLIC_NAME}.svg"))
    for src, _ in pairs:
        if not src.is_file():
            raise DesktopIntegrationError(f"icon {src} is missing from this installation")
    return pairs


# --- the command the menu runs -------------------------------------------------------------------------------


def launch_command() -> list[str]:
    """How the menu should start *this* copy of the app.

    A PyInstaller build runs its own binary; a pip install runs the ``igfcoach`` script installed beside the
    interpreter (a venv's ``bin/``); anything else runs ``<this python> -m igfcoach``, which always starts the
    copy that is running now.
    """
    if getattr(sys, "frozen", False):
        return [os.path.abspath(sys.executable)]
    if not sys.executable:
        return [APP_SLUG]
    exe = Path(os.path.abspath(sys.executable))  # keep a venv's symlinked python: it is what makes it the venv
    script = exe.with_name(APP_SLUG)
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [str(exe), "-m", APP_SLUG]


_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def _escape_string(value: str) -> str:
    """Escape a value of type string for a desktop file (backslash, newline, tab, carriage return)."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def exec_quote(arg: str) -> str:
    """One argument of an ``Exec`` key, quoted per the Desktop Entry spec, before the string escaping."""
    arg = arg.replace("%", "%%")
    if arg and not (set(arg) & _RESERVED):
        return arg
    inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{inner}"'


def exec_value(command: Sequence[str]) -> str:
    """The text after ``Exec=`` in the file for ``command``."""
    return _escape_string(" ".join(exec_quote(a) for a in command))


def parse_exec(value: str) -> list[str]:
    """The argument list an ``Exec=`` value (as written in the file) runs: the inverse of ``exec_value``."""
    text = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)),
                  value)
    args: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == " ":
            i += 1
            continue
        current = []
        if text[i] == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                current.append(text[i])
                i += 1
            i += 1
        else:
            while i < n and text[i] != " ":
                current.append(text[i])
                i += 1
        args.append("".join(current).replace("%%", "%"))
    return args


def desktop_entry_text(command: Sequence[str]) -> str:
    """The packaged desktop entry with ``Exec`` and ``TryExec`` pointing at ``command``."""
    template = linux_file(DESKTOP_NAME).read_text(encoding="utf-8")
    out = [
        f"# Written by `{APP_SLUG} install-desktop` (Settings > General > Application menu).",
        f"# `{APP_SLUG} install-desktop --remove` deletes it again.",
    ]
    group = None
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            group = stripped
        elif group == "[Desktop Entry]" and stripped.startswith("Exec="):
            line = f"Exec={exec_value(command)}"
        elif group == "[Desktop Entry]" and stripped.startswith("TryExec="):
            line = f"TryExec={_escape_string(command[0])}"
        out.append(line)
    return "\n".join(out) + "\n"


# --- reports ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstallReport:
    """What ``install()`` or ``remove()`` did, for the command line and the Settings status line."""

    action: str  # "install" or "remove"
    data_home: Path
    command: tuple[str, ...] = ()
    written: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()
    refreshed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        if self.action == "install":
            return f"Added {APP_NAME} to the application menu ({len(self.written)} files written)."
        if self.removed:
            return f"Removed {APP_NAME} from the application menu ({len(self.removed)} files deleted)."
        return f"{APP_NAME} was not in the application menu; nothing to remove."

    def lines(self) -> list[str]:
        out = [self.summary()]
        if self.command:
            out.append(f"The menu entry starts: {' '.join(self.command)}")
        out += [f"  wrote   {p}" for p in self.written]
        out += [f"  deleted {p}" for p in self.removed]
        out += [f"  refreshed {c}" for c in self.refreshed]
        out += [f"  warning: {w}" for w in self.warnings]
        return out


@dataclass(frozen=True)
class MenuStatus:
    installed: bool
    desktop_file: Path
    command: tuple[str, ...] | None  # what the user's entry runs, if there is one
    current: bool  # the user's entry starts this copy of the app
    packaged: Path | None  # an entry from a system package (XDG_DATA_DIRS), if any
    managed_by: str | None  # "Flatpak" / "Snap" when the sandbox's package handles the menu
    supported: bool = True

    def describe(self) -> str:
        if not self.supported:
            return "Adding to the application menu works on Linux desktops only."
        if self.managed_by:
            return f"{APP_NAME} is installed as a {self.managed_by}, which puts it in the application menu."
        if self.installed and self.current:
            return "In the application menu."
        if self.installed:
            shown = " ".join(self.command or ()) or "an unknown command"
            return f"In the application menu, but the entry starts another copy ({shown}). Add it again to update it."
        if self.packaged is not None:
            return f"In the application menu from a system package ({self.packaged})."
        return "Not in the application menu."


# --- doing it --------------------------------------------------------------------------------------------------


def _write_atomic(dest: Path, data: bytes, written: list[Path]) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    written.append(dest)


def _run_quietly(args: list[str]) -> str | None:
    """Run a cache tool; None when it worked, else a short reason."""
    try:
        proc = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=CACHE_TOOL_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{Path(args[0]).name} did not run: {exc}"
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"{Path(args[0]).name} exited {proc.returncode}" + (f": {err[-1]}" if err else "")
    return None


def refresh_caches(home: Path) -> tuple[list[str], list[str]]:
    """Refresh the caches the user already has under ``home``; returns (what ran, warnings)."""
    ran: list[str] = []
    warnings: list[str] = []
    hicolor = home / "icons" / "hicolor"
    if hicolor.is_dir():
        with contextlib.suppress(OSError):
            os.utime(hicolor)  # icon loaders compare the theme folder's time with their cache
    jobs = [
        (home / "applications" / "mimeinfo.cache", "update-desktop-database", ["-q", str(home / "applications")]),
        (hicolor / "icon-theme.cache", "gtk-update-icon-cache", ["-q", "-f", "-t", str(hicolor)]),
    ]
    for cache, tool, args in jobs:
        exe = shutil.which(tool)
        if not cache.is_file() or exe is None:
            continue
        problem = _run_quietly([exe, *args])
        if problem:
            warnings.append(problem)
        else:
            ran.append(f"{cache} ({tool})")
    return ran, warnings


def _check_can_integrate(environ: Mapping[str, str] | None) -> None:
    if not supported():
        raise DesktopIntegrationError("adding to the application menu works on Linux desktops only")
    who = managed_by(environ)
    if who:
        raise DesktopIntegrationError(f"this copy runs as a {who}, which already puts it in the application menu")


def install(*, home: Path | None = None, command: Sequence[str] | None = None, refresh: bool = True,
            environ: Mapping[str, str] | None = None) -> InstallReport:
    """Write the desktop entry, metainfo and icons under ``home`` (default: the XDG data home).

    Writing again replaces the files (so a moved venv can be fixed by adding it again). Raises
    DesktopIntegrationError when a file is missing from this installation or cannot be written.
    """
    _check_can_integrate(environ)
    home = home or data_home(environ)
    cmd = list(command or launch_command())
    payload: list[tuple[Path, bytes]] = [
        (home / "applications" / DESKTOP_NAME, desktop_entry_text(cmd).encode("utf-8")),
        (home / "metainfo" / METAINFO_NAME, linux_file(METAINFO_NAME).read_bytes()),
    ]
    payload += [(home / rel, src.read_bytes()) for src, rel in icon_files()]
    written: list[Path] = []
    try:
        for dest, data in payload:
            _write_atomic(dest, data, written)
    except OSError as exc:
        failed = exc.filename or payload[min(len(written), len(payload) - 1)][0]
        raise DesktopIntegrationError(f"cannot write {failed}: {exc.strerror or exc}") from exc
    ran, warnings = refresh_caches(home) if refresh else ([], [])
    return InstallReport("install", home, tuple(cmd), written=tuple(written), refreshed=tuple(ran),
                         warnings=tuple(warnings))


def installed_files(home: Path) -> list[Path]:
    """Every file under ``home`` that ``install()`` writes (by name, whatever sizes an older version wrote)."""
    found = [p for p in (home / "applications" / DESKTOP_NAME, home / "metainfo" / METAINFO_NAME) if p.is_file()]
    hicolor = home / "icons" / "hicolor"
    if hicolor.is_dir():
        for size_dir in sorted(hicolor.iterdir()):
            apps = size_dir / "apps"
            for name in (f"{APP_ID}.png", f"{APP_ID}.svg", f"{SYMBOLIC_NAME}.svg", f"{SYMBOLIC_NAME}.png"):
                if (apps / name).is_file():
                    found.append(apps / name)
    return found


def _prune_empty_dirs(start: Path, stop: Path) -> None:
    """Remove ``start`` and its parents while they are empty, never ``stop`` or anything above it."""
    current = start
    while current != stop and stop in current.parents:
        try:
            current.rmdir()
        except OSError:  # not empty (or not ours to remove)
            return
        current = current.parent


def remove(*, home: Path | None = None, refresh: bool = True,
           environ: Mapping[str, str] | None = None) -> InstallReport:
    """Delete what ``install()`` wrote under ``home`` and the folders that leaves empty."""
    _check_can_integrate(environ)
    home = home or data_home(environ)
    removed: list[Path] = []
    for path in installed_files(home):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DesktopIntegrationError(f"cannot delete {path}: {exc.strerror or exc}") from exc
        removed.append(path)
    for parent in sorted({p.parent for p in removed}, key=lambda p: len(p.parts), reverse=True):
        _prune_empty_dirs(parent, home)
    ran, warnings = refresh_caches(home) if (refresh and removed) else ([], [])
    return InstallReport("remove", home, removed=tuple(removed), refreshed=tuple(ran), warnings=tuple(warnings))


def _read_exec(desktop_file: Path) -> list[str] | None:
    try:
        text = desktop_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    group = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            group = stripped
        elif group == "[Desktop Entry]" and stripped.startswith("Exec="):
            return parse_exec(stripped[len("Exec="):])
    return None


def status(*, home: Path | None = None, environ: Mapping[str, str] | None = None) -> MenuStatus:
    """Is the app in the user's menu, and does that entry start this copy?"""
    home = home or data_home(environ)
    desktop = home / "applications" / DESKTOP_NAME
    packaged = next((d / "applications" / DESKTOP_NAME for d in data_dirs(environ)
                     if (d / "applications" / DESKTOP_NAME).is_file()), None)
    if not supported():
        return MenuStatus(False, desktop, None, False, None, None, supported=False)
    cmd = _read_exec(desktop) if desktop.is_file() else None
    return MenuStatus(
        installed=desktop.is_file(),
        desktop_file=desktop,
        command=tuple(cmd) if cmd is not None else None,
        current=cmd == launch_command(),
        packaged=packaged,
        managed_by=managed_by(environ),
    )
