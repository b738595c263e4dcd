"""A real desktop session for end-to-end tests: Xvfb, a private session bus,
dunst (notification server) and trayer (XEmbed system tray).

Nothing here is mocked.  ``Desktop`` starts the real programs, waits until each
one is actually ready (no fixed sleeps), hands out ``env`` for launching the
app under test, and offers helpers to look at what a user would see:

    with Desktop() as desk:
        app = desk.spawn([sys.executable, "-m", "igfcoach"], name="app")
        desk.wait_for_window("IGF Coach")
        icon = desk.wait_for_tray_icon(pid=app.pid)
        note = desk.wait_for_notification("Time to walk")
        desk.invoke_action(note["id"], "Done")   # dunst emits ActionInvoked

The module is plain Python (no pytest import) so it can also be used from a
shell to poke at a session by hand::

    python tests/desktop/harness.py          # prints env, waits for Ctrl-C

How the observations work
-------------------------
* Windows: ``xdotool search --onlyvisible --name`` and ``xwininfo``.
* Tray icons: trayer owns the ``_NET_SYSTEM_TRAY_S0`` selection with a hidden
  window, but embeds icons into its *panel* window (WM_CLASS "panel",
  "trayer").  The panel's direct children are trayer's own windows: a 1x1
  user-time window plus one GtkSocket per icon.  An embedded icon is the child
  of such a socket; it is created by the app (another X client) and carries
  the ``_XEMBED_INFO`` property and the app's ``_NET_WM_PID``.  That property
  is what ``tray_icons()`` requires, so trayer's own windows never count.
* Notifications: a ``busctl monitor`` process watches the private bus, so the
  harness sees every ``Notify`` call, the id dunst returned, every
  ``NotificationClosed`` and ``ActionInvoked`` signal, and failed calls (for
  example a wrong D-Bus signature).  ``dunstctl history`` adds dunst's own
  record of closed notifications.  dunst 1.9 cannot list the notifications it
  is currently showing, hence the monitor.
* Actions: dunst's context menu (``dunstctl context``) pipes lines such as
  ``#Done (Time to walk) [7,done]`` into the configured "dmenu" program.  The
  harness configures a small script (``pick-action.sh``) as that program; it
  prints the line the harness asked for, and dunst then emits
  ``ActionInvoked(7, "done")`` to the app, exactly as for a user's choice.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

__all__ = [
    "Desktop",
    "DesktopError",
    "DesktopProcess",
    "DesktopTimeout",
    "TrayIcon",
    "REQUIRED_TOOLS",
    "missing_tools",
]

NOTIFICATIONS_NAME = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
NOTIFICATIONS_IFACE = "org.freedesktop.Notifications"

#: executable -> Debian package providing it (used for "how to install" hints)
REQUIRED_TOOLS: dict[str, str] = {
    "Xvfb": "xvfb",
    "dbus-daemon": "dbus-daemon",
    "dunst": "dunst",
    "dunstctl": "dunst",
    "busctl": "systemd",  # dunstctl history and the bus monitor use it
    "trayer": "trayer",
    "xdotool": "xdotool",
    "xwininfo": "x11-utils",
    "xprop": "x11-utils",
    "import": "imagemagick",
}

# Environment variables that would point a child at the developer's real
# session (or make Qt pick another platform) and are therefore removed.
_SCRUBBED_ENV = (
    "WAYLAND_DISPLAY",
    "WAYLAND_SOCKET",
    "XAUTHORITY",
    "SESSION_MANAGER",
    "DBUS_SESSION_BUS_PID",
    "DBUS_SESSION_BUS_WINDOWID",
    "DESKTOP_SESSION",
    "XDG_CURRENT_DESKTOP",
    "XDG_SESSION_DESKTOP",
    "XDG_SESSION_TYPE",
    "XDG_SESSION_ID",
    "GNOME_DESKTOP_SESSION_ID",
    "KDE_FULL_SESSION",
    "QT_QPA_PLATFORM",
    "QT_QPA_PLATFORMTHEME",
    "QT_STYLE_OVERRIDE",
    "QT_SCALE_FACTOR",
    "QT_SCREEN_SCALE_FACTORS",
    "QT_AUTO_SCREEN_SCALE_FACTOR",
    "QT_ENABLE_HIGHDPI_SCALING",
)


class DesktopError(RuntimeError):
    """The desktop session could not do what was asked."""


class DesktopTimeout(DesktopError, TimeoutError):
    """A wait_for_* helper ran out of time; the message carries diagnostics."""


def missing_tools() -> list[str]:
    """Executables the harness needs that are not on PATH (empty when all present).

    Each entry reads ``"<executable> (apt: <package>)"``.
    """
    missing = [f"{exe} (apt: {pkg})" for exe, pkg in REQUIRED_TOOLS.items() if shutil.which(exe) is None]
    if _libx11() is None:
        missing.append("libX11.so.6 (apt: libx11-6)")
    return missing


# --------------------------------------------------------------------------
# small utilities


def _poll(
    what: str,
    check: Callable[[], Any],
    timeout: float,
    *,
    interval: float = 0.02,
    describe: Callable[[], str] | None = None,
) -> Any:
    """Call ``check`` until it returns something truthy; return that value.

    Polls quickly at first (interval doubles up to 0.1 s) and raises
    ``DesktopTimeout`` after ``timeout`` seconds, with ``describe()`` appended.
    """
    deadline = time.monotonic() + timeout
    delay = min(interval, 0.1)
    while True:
        result = check()
        if result:
            return result
        now = time.monotonic()
        if now >= deadline:
            extra = describe() if describe else ""
            raise DesktopTimeout(f"timed out after {timeout:.1f}s waiting for {what}" + (f"\n{extra}" if extra else ""))
        time.sleep(min(delay, deadline - now))
        delay = min(delay * 2, 0.1)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _ere_escape(text: str) -> str:
    """Escape ``text`` for a POSIX extended regex (what xdotool uses)."""
    return re.sub(r"([.\[\]()*+?{}|^$\\])", r"\\\1", text)


def _group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group ``pgid`` (Linux /proc)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ..." -- comm may contain spaces/parens
        rest = stat[stat.rfind(")") + 2 :].split()
        if len(rest) >= 3 and rest[0] != "Z" and int(rest[2]) == pgid:
            members.append(int(entry))
    return members


_X11: Any = None


class _XClientMessageEvent(ctypes.Structure):
    """Xlib's XClientMessageEvent, padded to the size of an XEvent (24 longs)."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
        ("pad", ctypes.c_long * 12),
    ]


def _libx11() -> Any:
    """libX11 via ctypes (only XGetSelectionOwner is needed), or None."""
    global _X11
    if _X11 is None:
        name = ctypes.util.find_library("X11") or "libX11.so.6"
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            _X11 = False
            return None
        lib.XOpenDisplay.restype = ctypes.c_void_p
        lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        lib.XInternAtom.restype = ctypes.c_ulong
        lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.XGetSelectionOwner.restype = ctypes.c_ulong
        lib.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        lib.XSendEvent.restype = ctypes.c_int
        lib.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
        lib.XFlush.argtypes = [ctypes.c_void_p]
        _X11 = lib
    return _X11 or None


# --------------------------------------------------------------------------
# data types


@dataclass(frozen=True)
class TrayIcon:
    """An icon embedded in trayer via XEmbed."""

    wid: int  #: the app's icon window (child of one of trayer's sockets)
    socket: int  #: trayer's GtkSocket window holding it
    pid: int | None  #: _NET_WM_PID of the icon window (the app's pid)
    wm_class: tuple[str, ...]  #: WM_CLASS of the icon window
    xembed_flags: int  #: flags word of _XEMBED_INFO (1 = XEMBED_MAPPED)
    x: int  #: absolute position on the screen
    y: int
    width: int
    height: int
    mapped: bool  #: xwininfo reports "IsViewable"

    @property
    def center(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2


@dataclass
class _Child:
    name: str
    popen: subprocess.Popen
    log: Path
    files: list = field(default_factory=list)


class DesktopProcess:
    """A process started with ``Desktop.spawn``: own process group, logs on disk."""

    def __init__(self, desktop: "Desktop", name: str, argv: Sequence[str], popen: subprocess.Popen, out: Path, err: Path, files: list):
        self.desktop = desktop
        self.name = name
        self.argv = list(argv)
        self.popen = popen
        self.stdout_path = out
        self.stderr_path = err
        self._files = files

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def running(self) -> bool:
        return self.popen.poll() is None

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stdout_lines(self) -> list[str]:
        return self.stdout().splitlines()

    def wait_for_output(self, pattern: str, timeout: float = 10.0, *, stream: str = "stdout", regex: bool = False) -> str:
        """Wait until a line of stdout (or stderr) contains ``pattern``; return it.

        With ``regex=True`` the pattern is a Python regex searched in each line.
        Fails early (with the process's stderr) if the process exits first.
        """
        read = self.stdout if stream == "stdout" else self.stderr
        matcher = re.compile(pattern).search if regex else (lambda line: pattern in line)

        def check() -> str | None:
            exited = self.popen.poll() is not None
            for line in read().splitlines():
                if matcher(line):
                    return line
            if exited:
                raise DesktopError(f"{self.name} exited with {self.popen.returncode} before printing {pattern!r}\n{self.describe()}")
            return None

        return _poll(f"{self.name} to print {pattern!r}", check, timeout, describe=self.describe)

    def stop(self, timeout: float = 5.0) -> int:
        """SIGTERM the process group, SIGKILL after ``timeout``; returns the exit code."""
        code = self.desktop._stop_popen(self.name, self.popen, timeout)
        for f in self._files:
            f.close()
        self._files = []
        with contextlib.suppress(ValueError):
            self.desktop._spawned.remove(self)
        return code

    def describe(self, lines: int = 30) -> str:
        state = "running" if self.popen.poll() is None else f"exited {self.popen.returncode}"
        return (
            f"--- {self.name} (pid {self.pid}, {state}): {shlex.join(self.argv)}\n"
            f"--- stdout tail:\n{_tail(self.stdout_path, lines)}\n"
            f"--- stderr tail:\n{_tail(self.stderr_path, lines)}"
        )

    def __enter__(self) -> "DesktopProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<DesktopProcess {self.name} pid={self.pid} rc={self.popen.poll()}>"


# --------------------------------------------------------------------------
# the session


_PICK_ACTION_SH = r"""#!/bin/sh
# "dmenu" for dunst inside the IGF Coach desktop test harness.
# dunst writes its context-menu entries to our stdin, one per line, e.g.
#     #Done (Time to walk) [7,done]
# The harness writes the wanted entry to want-action (3 lines: id, key, label)
# before running `dunstctl context`.  We print the matching line (printing
# nothing cancels the menu) and log what we saw for failure messages.
here=$(dirname "$0")
want="$here/want-action"
WANT_ID=$(sed -n 1p "$want" 2>/dev/null)
WANT_KEY=$(sed -n 2p "$want" 2>/dev/null)
WANT_LABEL=$(sed -n 3p "$want" 2>/dev/null)
rm -f "$want"
export WANT_ID WANT_KEY WANT_LABEL
choice=$(tee "$here/menu-last.txt" | awk '
    {
        line = $0; id = ENVIRON["WANT_ID"]; key = ENVIRON["WANT_KEY"]; label = ENVIRON["WANT_LABEL"]
        hit = 0
        if (id != "" && key != "") {
            sfx = "[" id "," key "]"
            if (length(line) >= length(sfx) && substr(line, length(line) - length(sfx) + 1) == sfx) hit = 1
        } else if (label != "" && index(line, "#" label " (") == 1) {
            if (id == "" || index(line, "[" id ",") > 0) hit = 1
        }
        if (hit && !done) { print line; done = 1 }
    }')
printf '%s\tid=%s key=%s label=%s\tpicked=%s\n' "$(date +%T.%N)" "$WANT_ID" "$WANT_KEY" "$WANT_LABEL" "$choice" >> "$here/picks.log"
[ -n "$choice" ] && printf '%s\n' "$choice"
exit 0
"""

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<!-- Private session bus for desktop tests.  Deliberately no <servicedir>:
     nothing is auto-activated (the system's dunst/a11y services would
     otherwise start on first use, outside the harness's control). -->
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

_DUNSTRC = """# dunst configuration written by tests/desktop/harness.py
[global]
    monitor = 0
    follow = none
    width = 360
    height = 300
    origin = top-right
    offset = 10x40
    notification_limit = 0
    indicate_hidden = yes
    font = DejaVu Sans 9
    markup = full
    format = "<b>%s</b>\\n%b"
    show_age_threshold = -1
    idle_threshold = 0
    stack_duplicates = false
    show_indicators = no
    icon_position = off
    sticky_history = yes
    history_length = 1000
    dmenu = {dmenu}
    browser = /bin/true
    always_run_script = true
    title = Dunst
    class = Dunst
    ignore_dbusclose = false
    mouse_left_click = close_current
    mouse_middle_click = do_action, close_current
    mouse_right_click = close_all

[urgency_low]
    timeout = {timeout}
    default_icon = ""

[urgency_normal]
    timeout = {timeout}
    default_icon = ""

[urgency_critical]
    timeout = 0
    default_icon = ""
"""


class Desktop:
    """A throw-away desktop session.  Use as a context manager or call
    ``start()`` / ``close()``.

    ``notification_timeout`` is dunst's default expiry in seconds for low and
    normal urgency notifications that do not set their own (0 = stay until
    closed, which keeps tests deterministic).
    """

    def __init__(
        self,
        *,
        screen: str = "1280x800x24",
        notification_timeout: int = 0,
        start_timeout: float = 20.0,
        keep_dir: bool | None = None,
        tray: bool = True,
    ):
        self.screen = screen
        self.tray = tray  # False: a desktop with no system tray (GNOME without the extension)
        self.notification_timeout = notification_timeout
        self.start_timeout = start_timeout
        self.keep_dir = bool(os.environ.get("IGF_DESKTOP_KEEP")) if keep_dir is None else keep_dir
        self.tmpdir: Path | None = None
        self.display: str | None = None
        self.bus_address: str | None = None
        self.env: dict[str, str] = {}
        self.timings: dict[str, float] = {}
        self._children: list[_Child] = []
        self._spawned: list[DesktopProcess] = []
        self._stopped: list[tuple[str, int, list[int]]] = []
        self._monitor_thread: threading.Thread | None = None
        self._events: list[dict] = []  # every monitored bus message
        self._cond = threading.Condition()
        self._notes: dict[int, dict] = {}  # notification id -> record
        self._pending_notify: dict[tuple[str, int], dict] = {}  # (sender, cookie) -> Notify call
        self._notify_errors: list[dict] = []
        self._actions: list[dict] = []  # ActionInvoked signals seen
        self._names: dict[str, str] = {}  # well-known bus name -> unique owner
        self._cutoff = 0
        self._action_lock = threading.Lock()

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> "Desktop":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> "Desktop":
        if self.tmpdir is not None:
            raise DesktopError("Desktop already started")
        missing = missing_tools()
        if missing:
            raise DesktopError("missing tools: " + ", ".join(missing) + "; run .ci/desktop-deps")
        t0 = time.monotonic()
        self.tmpdir = Path(tempfile.mkdtemp(prefix="igf-desktop-"))
        try:
            self._start(t0)
        except BaseException as exc:
            diag = self.diagnostics()
            with contextlib.suppress(Exception):
                self.close()
            if isinstance(exc, DesktopError):
                raise type(exc)(f"desktop session failed to start: {exc}\n{diag}") from None
            raise
        self.timings["total"] = time.monotonic() - t0
        return self

    def _start(self, t0: float) -> None:
        tmp = self.tmpdir
        assert tmp is not None
        self.log_dir = tmp / "logs"
        self.runtime_dir = tmp / "runtime"
        self.home = tmp / "home"
        self.dunst_dir = tmp / "dunst"
        for d in (self.log_dir, self.runtime_dir, self.home, self.dunst_dir):
            d.mkdir(mode=0o700)
        os.chmod(self.runtime_dir, 0o700)

        # 1. Xvfb: -displayfd makes it pick a free display and write the number
        #    once it accepts connections.
        t = time.monotonic()
        rfd, wfd = os.pipe()
        try:
            self._launch(
                "xvfb",
                ["Xvfb", "-displayfd", str(wfd), "-screen", "0", self.screen, "-nolisten", "tcp", "-noreset", "-dpi", "96"],
                pass_fds=(wfd,),
                env=os.environ.copy(),
            )
            os.close(wfd)
            wfd = -1
            number = self._read_line_from_fd(rfd, "xvfb", self.start_timeout)
        finally:
            os.close(rfd)
            if wfd >= 0:
                os.close(wfd)
        self.display = f":{int(number)}"
        self.timings["xvfb"] = time.monotonic() - t

        # 2. private session bus
        t = time.monotonic()
        config = tmp / "session-bus.conf"
        config.write_text(_BUS_CONFIG.format(socket=self.runtime_dir / "bus"))
        rfd, wfd = os.pipe()
        try:
            self._launch(
                "dbus",
                ["dbus-daemon", f"--config-file={config}", "--nofork", "--nosyslog", f"--print-address={wfd}"],
                pass_fds=(wfd,),
                env=os.environ.copy(),
            )
            os.close(wfd)
            wfd = -1
            self.bus_address = self._read_line_from_fd(rfd, "dbus", self.start_timeout)
        finally:
            os.close(rfd)
            if wfd >= 0:
                os.close(wfd)
        self.env = self._make_env()
        self.timings["dbus"] = time.monotonic() - t

        # 3. bus monitor (before anything else talks on the bus)
        t = time.monotonic()
        self._start_monitor()
        self.timings["monitor"] = time.monotonic() - t

        # 4. dunst and trayer in parallel, then wait for both
        t = time.monotonic()
        script = self.dunst_dir / "pick-action.sh"
        script.write_text(_PICK_ACTION_SH)
        script.chmod(0o755)
        self.dunstrc = self.dunst_dir / "dunstrc"
        self.dunstrc.write_text(_DUNSTRC.format(dmenu=shlex.quote(str(script)), timeout=int(self.notification_timeout)))
        self._launch("dunst", ["dunst", "-config", str(self.dunstrc)])
        if self.tray:
            self._launch("trayer", ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24", "--SetDockType", "true", "--monitor", "primary"])
        deadline = time.monotonic() + self.start_timeout
        self._poll_started("dunst", lambda: self._names.get(NOTIFICATIONS_NAME), deadline)
        self.timings["dunst"] = time.monotonic() - t
        if self.tray:
            self._poll_started("trayer", lambda: self.tray_manager() and self._panel_windows(), deadline)
            self.timings["trayer"] = time.monotonic() - t

    def _poll_started(self, name: str, check: Callable[[], Any], deadline: float) -> None:
        child = self._child(name)

        def ready() -> Any:
            if child.popen.poll() is not None:
                raise DesktopError(f"{name} exited with {child.popen.returncode}\n{_tail(child.log)}")
            return check()

        _poll(f"{name} to become ready", ready, max(0.1, deadline - time.monotonic()), describe=lambda: _tail(child.log))

    def _read_line_from_fd(self, fd: int, name: str, timeout: float) -> str:
        child = self._child(name)
        data = b""
        deadline = time.monotonic() + timeout
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                raise DesktopTimeout(f"{name} did not report readiness within {timeout}s\n{_tail(child.log)}")
            ready, _, _ = select.select([fd], [], [], min(left, 0.2))
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                data += chunk
            elif child.popen.poll() is not None:
                break
        if not data.strip():
            raise DesktopError(f"{name} exited ({child.popen.poll()}) without reporting readiness\n{_tail(child.log)}")
        return data.decode().strip().splitlines()[0]

    def _make_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
        assert self.tmpdir is not None and self.display and self.bus_address
        env.update(
            DISPLAY=self.display,
            DBUS_SESSION_BUS_ADDRESS=self.bus_address,
            XDG_RUNTIME_DIR=str(self.runtime_dir),
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            XDG_DATA_HOME=str(self.home / ".local" / "share"),
            XDG_CACHE_HOME=str(self.home / ".cache"),
            XDG_STATE_HOME=str(self.home / ".local" / "state"),
            QT_QPA_PLATFORM="xcb",
            NO_AT_BRIDGE="1",
            PYTHONUNBUFFERED="1",
        )
        ctype = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or ""
        if "UTF-8" not in ctype.upper().replace("UTF8", "UTF-8"):
            # Qt warns (and switches to C.UTF-8) on non-UTF-8 locales
            env.pop("LC_ALL", None)
            env.pop("LC_CTYPE", None)
            env["LANG"] = "C.UTF-8"
        return env

    def _launch(self, name: str, argv: Sequence[str], *, pass_fds: Sequence[int] = (), env: dict | None = None) -> _Child:
        assert self.tmpdir is not None
        log = self.log_dir / f"{name}.log"
        fh = open(log, "ab")
        popen = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env if env is not None else self.env,
            cwd=self.tmpdir,
            pass_fds=tuple(pass_fds),
            start_new_session=True,
        )
        child = _Child(name, popen, log, [fh])
        self._children.append(child)
        return child

    def _child(self, name: str) -> _Child:
        for child in self._children:
            if child.name == name:
                return child
        raise KeyError(name)

    def close(self) -> None:
        """Stop everything (spawned apps first, then trayer, dunst, monitor,
        bus, Xvfb), verify no process of any group survived, delete the
        temporary directory unless ``keep_dir``."""
        for proc in reversed(list(self._spawned)):
            proc.stop()
        for child in reversed(self._children):
            self._stop_popen(child.name, child.popen, 3.0)
            for f in child.files:
                f.close()
        if self._monitor_thread is not None:
            self._monitor_thread.join(timeout=5)
            self._monitor_thread = None
        self._children = []
        leftovers = [(name, pgid, left) for name, pgid, left in self._stopped if left]
        if self.tmpdir is not None and not self.keep_dir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
        if leftovers:
            raise DesktopError(f"processes survived shutdown: {leftovers}")

    def _stop_popen(self, name: str, popen: subprocess.Popen, timeout: float) -> int:
        pgid = popen.pid  # start_new_session: the pid is the group id
        if popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGTERM)
        try:
            popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            popen.wait(timeout=5)
        # children of the leader (e.g. dunst's dmenu script) share the group
        left = _group_members(pgid)
        if left:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            with contextlib.suppress(DesktopTimeout):
                _poll(f"group {pgid} to exit", lambda: not _group_members(pgid), 2.0)
            left = _group_members(pgid)
        self._stopped.append((name, pgid, left))
        return popen.returncode

    @property
    def pids(self) -> dict[str, int]:
        """Pids of the session's own processes (xvfb, dbus, monitor, dunst, trayer)."""
        return {c.name: c.popen.pid for c in self._children}

    # ------------------------------------------------------------ processes

    def spawn(
        self,
        argv: Sequence[str],
        *,
        name: str | None = None,
        env: dict[str, str] | None = None,
        cwd: str | os.PathLike | None = None,
    ) -> DesktopProcess:
        """Start a program (typically the app) inside the session.

        It runs in its own process group with ``self.env`` (plus ``env``) in
        ``cwd`` (default: the current directory); stdout/stderr go to
        ``logs/<name>.out`` / ``.err``; it is stopped by ``stop_spawned()``,
        ``reset()`` or ``close()`` if the test does not stop it first.
        """
        assert self.tmpdir is not None, "Desktop not started"
        name = name or Path(argv[0]).name
        base = name
        n = 1
        while (self.log_dir / f"{name}.out").exists():
            n += 1
            name = f"{base}-{n}"
        out = self.log_dir / f"{name}.out"
        err = self.log_dir / f"{name}.err"
        fo, fe = open(out, "wb"), open(err, "wb")
        popen = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=fo,
            stderr=fe,
            env={**self.env, **(env or {})},
            cwd=cwd,
            start_new_session=True,
        )
        proc = DesktopProcess(self, name, argv, popen, out, err, [fo, fe])
        self._spawned.append(proc)
        return proc

    def stop_spawned(self) -> None:
        """Stop every process started with ``spawn`` and wait until the X
        server has dropped their tray icons."""
        pids = {proc.pid for proc in self._spawned}
        for proc in reversed(list(self._spawned)):
            proc.stop()
        if pids:
            self.wait_for_no_tray_icon(timeout=5.0, pids=pids)

    def reset(self) -> None:
        """Make the shared session look fresh for the next test: stop spawned
        processes, close notifications still on screen, and hide older
        notifications from ``notifications()`` / ``wait_for_notification``."""
        self.stop_spawned()
        if self.displayed():
            self.dunstctl("close-all")
        with self._cond:
            self._cutoff = max(self._notes, default=self._cutoff)
        _poll("dunst to show no notifications", lambda: self.dunst_counts()["displayed"] == 0, 5.0)

    # ------------------------------------------------------------ X windows

    def _run(self, argv: Sequence[str], *, check: bool = True, timeout: float = 10.0) -> subprocess.CompletedProcess:
        r = subprocess.run(list(argv), env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise DesktopError(f"{shlex.join(argv)} failed ({r.returncode}): {r.stderr.strip() or r.stdout.strip()}")
        return r

    def xdotool(self, *args: str) -> str:
        """Run xdotool in the session; returns its stdout."""
        return self._run(["xdotool", *args]).stdout

    def window_ids(self, name: str, *, regex: bool = False, only_visible: bool = True) -> list[int]:
        """Windows whose title contains ``name`` (case-insensitive, as xdotool
        matches; ``regex=True`` passes a POSIX extended regex through)."""
        pattern = name if regex else _ere_escape(name)
        argv = ["xdotool", "search"] + (["--onlyvisible"] if only_visible else []) + ["--name", pattern]
        r = self._run(argv, check=False)
        if r.returncode not in (0, 1):
            raise DesktopError(f"xdotool search failed: {r.stderr.strip()}")
        return [int(x) for x in r.stdout.split()]

    def wait_for_window(self, name: str, timeout: float = 10.0, *, regex: bool = False) -> int:
        """Wait for a visible window whose title matches; return its id."""
        ids = _poll(f"a visible window named {name!r}", lambda: self.window_ids(name, regex=regex), timeout, describe=self.diagnostics)
        return ids[0]

    def wait_for_no_window(self, name: str, timeout: float = 10.0, *, regex: bool = False) -> None:
        """Wait until no visible window's title matches ``name``."""
        _poll(f"no visible window named {name!r}", lambda: not self.window_ids(name, regex=regex), timeout, describe=self.diagnostics)

    def is_mapped(self, wid: int) -> bool:
        """True when xwininfo reports the window as IsViewable."""
        return self.window_info(wid).get("Map State") == "IsViewable"

    def window_info(self, wid: int) -> dict[str, str]:
        """``xwininfo -id`` as a dict ("Absolute upper-left X", "Width",
        "Map State", ...); empty if the window is gone."""
        r = self._run(["xwininfo", "-id", str(wid)], check=False)
        if r.returncode != 0:
            return {}
        info = {}
        for line in r.stdout.splitlines():
            key, sep, value = line.strip().partition(":")
            if sep and value.strip():
                info[key.strip()] = value.strip()
        return info

    def window_pid(self, wid: int) -> int | None:
        """_NET_WM_PID of a window (Qt sets it), or None."""
        props = self.window_props(wid, "_NET_WM_PID")
        value = props.get("_NET_WM_PID")
        return int(value) if value and value.isdigit() else None

    def window_props(self, wid: int, *names: str) -> dict[str, str]:
        """Raw ``xprop`` values (text after "=" or ":") of a window's properties."""
        r = self._run(["xprop", "-id", str(wid), *names], check=False)
        props: dict[str, str] = {}
        for line in r.stdout.splitlines():
            m = re.match(r"^([A-Za-z0-9_]+)(?:\([^)]*\))?\s*(?:=|:)\s*(.*)$", line)
            if m and "not found" not in m.group(2) and "no such atom" not in m.group(2):
                props[m.group(1)] = m.group(2).strip()
        return props

    def window_tree(self) -> list[dict]:
        """``xwininfo -root -tree`` flattened: dicts with wid, parent, depth,
        name (None if unnamed), wm_class (tuple), width, height, x, y (absolute)."""
        r = self._run(["xwininfo", "-root", "-tree"])
        rows: list[dict] = []
        stack: list[tuple[int, int]] = []  # (indent, wid)
        line_re = re.compile(r"^(\s+)(0x[0-9a-f]+) (.*?)\s+(\d+)x(\d+)\+(-?\d+)\+(-?\d+)\s+\+(-?\d+)\+(-?\d+)\s*$")
        for line in r.stdout.splitlines():
            m = line_re.match(line)
            if not m:
                continue
            indent = len(m.group(1))
            wid = int(m.group(2), 16)
            label = m.group(3)
            name = None
            wm_class: tuple[str, ...] = ()
            lm = re.match(r'^(\(has no name\)|".*"): \((.*)\)$', label)
            if lm:
                if lm.group(1) != "(has no name)":
                    name = lm.group(1)[1:-1]
                wm_class = tuple(re.findall(r'"((?:[^"\\]|\\.)*)"', lm.group(2)))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1] if stack else None
            rows.append(
                dict(
                    wid=wid,
                    parent=parent,
                    depth=len(stack),
                    name=name,
                    wm_class=wm_class,
                    width=int(m.group(4)),
                    height=int(m.group(5)),
                    x=int(m.group(8)),
                    y=int(m.group(9)),
                )
            )
            stack.append((indent, wid))
        return rows

    def screenshot(self, path: str | os.PathLike) -> Path:
        """Save the whole screen (``import -window root``); returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._run(["import", "-window", "root", str(path)], timeout=30)
        return path

    def click(self, x: int, y: int, button: int = 1) -> None:
        # No --sync: xdotool waits forever for a motion event when the pointer is already there.
        self.xdotool("mousemove", str(x), str(y), "sleep", "0.05", "click", str(button))

    def close_window(self, wid: int) -> None:
        """Ask a window to close as a window manager's × button does: a WM_DELETE_WINDOW client message."""
        lib = _libx11()
        if lib is None or not self.display:
            raise DesktopError("libX11 is not available to send WM_DELETE_WINDOW")
        dpy = lib.XOpenDisplay(self.display.encode())
        if not dpy:
            raise DesktopError(f"cannot open display {self.display}")
        try:
            event = _XClientMessageEvent()
            event.type = 33  # ClientMessage
            event.window = wid
            event.message_type = lib.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
            event.format = 32
            event.data[0] = lib.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
            event.data[1] = 0  # CurrentTime
            if not lib.XSendEvent(dpy, wid, 0, 0, ctypes.byref(event)):
                raise DesktopError(f"XSendEvent to window {wid:#x} failed")
            lib.XFlush(dpy)
        finally:
            lib.XCloseDisplay(dpy)

    # ------------------------------------------------------------ tray

    def tray_manager(self) -> int | None:
        """Window owning the _NET_SYSTEM_TRAY_S0 selection (trayer's hidden
        manager window), or None when no XEmbed tray is running."""
        lib = _libx11()
        if lib is None or not self.display:
            return None
        dpy = lib.XOpenDisplay(self.display.encode())
        if not dpy:
            return None
        try:
            atom = lib.XInternAtom(dpy, b"_NET_SYSTEM_TRAY_S0", 0)
            owner = lib.XGetSelectionOwner(dpy, atom)
        finally:
            lib.XCloseDisplay(dpy)
        return int(owner) or None

    def _panel_windows(self, tree: list[dict] | None = None) -> list[dict]:
        tree = tree if tree is not None else self.window_tree()
        return [w for w in tree if w["wm_class"] == ("panel", "trayer")]

    def tray_icons(self) -> list[TrayIcon]:
        """Icons currently embedded in trayer (see the module docstring)."""
        tree = self.window_tree()
        panels = {w["wid"] for w in self._panel_windows(tree)}
        sockets = {w["wid"] for w in tree if w["parent"] in panels}
        icons = []
        for w in tree:
            if w["parent"] not in sockets:
                continue
            props = self.window_props(w["wid"], "_XEMBED_INFO", "_NET_WM_PID", "WM_CLASS")
            if "_XEMBED_INFO" not in props:
                continue
            flags = [int(v, 0) for v in re.findall(r"0x[0-9a-fA-F]+|\d+", props["_XEMBED_INFO"])]
            pid = props.get("_NET_WM_PID", "")
            info = self.window_info(w["wid"])
            icons.append(
                TrayIcon(
                    wid=w["wid"],
                    socket=w["parent"],
                    pid=int(pid) if pid.isdigit() else None,
                    wm_class=tuple(re.findall(r'"((?:[^"\\]|\\.)*)"', props.get("WM_CLASS", ""))),
                    xembed_flags=flags[1] if len(flags) > 1 else 0,
                    x=w["x"],
                    y=w["y"],
                    width=w["width"],
                    height=w["height"],
                    mapped=info.get("Map State") == "IsViewable",
                )
            )
        return icons

    def wait_for_tray_icon(self, timeout: float = 10.0, *, pid: int | None = None) -> TrayIcon:
        """Wait for a mapped tray icon (of process ``pid`` if given); return it."""

        def find() -> TrayIcon | None:
            for icon in self.tray_icons():
                if icon.mapped and icon.width > 0 and (pid is None or icon.pid == pid):
                    return icon
            return None

        what = "a tray icon" + (f" of pid {pid}" if pid else "")
        return _poll(what, find, timeout, describe=self.diagnostics)

    def wait_for_no_tray_icon(self, timeout: float = 10.0, *, pid: int | None = None, pids: Iterable[int] = ()) -> None:
        """Wait until no tray icon (of ``pid`` / ``pids`` if given) is embedded."""
        wanted = set(pids) | ({pid} if pid is not None else set())
        _poll(
            "tray icon to disappear",
            lambda: not [i for i in self.tray_icons() if not wanted or i.pid in wanted],
            timeout,
            describe=self.diagnostics,
        )

    def click_tray_icon(self, icon: TrayIcon, button: int = 1) -> None:
        """Click the icon like a user (1 = left/activate, 3 = context menu)."""
        self.click(*icon.center, button=button)

    # ------------------------------------------------------------ D-Bus monitor

    def _start_monitor(self) -> None:
        err_path = self.log_dir / "bus-monitor.err"
        err = open(err_path, "ab")
        raw = open(self.log_dir / "bus-monitor.jsonl", "ab")
        popen = subprocess.Popen(
            ["busctl", "--user", "monitor", "--json=short"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            env=self.env,
            cwd=self.tmpdir,
            start_new_session=True,
        )
        self._children.append(_Child("monitor", popen, err_path, [err]))  # raw: owned by the thread
        self._monitor_thread = threading.Thread(target=self._monitor_loop, args=(popen, raw), name="bus-monitor", daemon=True)
        self._monitor_thread.start()
        # busctl prints this once its BecomeMonitor call has succeeded
        self._poll_started("monitor", lambda: "Monitoring bus message stream" in _tail(err_path), time.monotonic() + self.start_timeout)

    def _monitor_loop(self, popen: subprocess.Popen, raw: Any) -> None:
        assert popen.stdout is not None
        try:
            for line in popen.stdout:
                raw.write(line)
                raw.flush()
                try:
                    msg = json.loads(line)
                except ValueError:
                    continue
                with self._cond:
                    try:
                        self._handle(msg)
                    except Exception as exc:  # keep monitoring; show it in diagnostics
                        self._notify_errors.append(dict(error="harness could not parse bus message", message=repr(exc), call=msg))
                    self._events.append(msg)
                    self._cond.notify_all()
        finally:
            popen.stdout.close()
            raw.close()

    def _handle(self, msg: dict) -> None:
        kind = msg.get("type")
        member = msg.get("member")
        data = (msg.get("payload") or {}).get("data") or []
        if kind == "signal" and member == "NameOwnerChanged" and msg.get("interface") == "org.freedesktop.DBus":
            name, _old, new = data
            if new:
                self._names[name] = new
            else:
                self._names.pop(name, None)
        elif kind == "method_call" and msg.get("interface") == NOTIFICATIONS_IFACE:
            if member == "Notify":
                self._pending_notify[(msg["sender"], msg["cookie"])] = msg
            elif member == "CloseNotification" and data:
                note = self._notes.get(int(data[0]))
                if note is not None:
                    note["close_requested"] = True
        elif kind == "method_return":
            call = self._pending_notify.pop((msg.get("destination"), msg.get("reply_cookie")), None)
            if call is not None and data:
                self._record_notification(call, int(data[0]), msg)
        elif kind in ("error", "method_error"):
            call = self._pending_notify.pop((msg.get("destination"), msg.get("reply_cookie")), None)
            if call is not None:
                self._notify_errors.append(
                    dict(sender=call.get("sender"), signature=call["payload"]["type"], error=msg.get("error_name"), message=" ".join(map(str, data)), call=call["payload"]["data"])
                )
        elif kind == "signal" and msg.get("interface") == NOTIFICATIONS_IFACE:
            if member == "NotificationClosed":
                note = self._notes.get(int(data[0]))
                if note is not None:
                    note["state"] = "closed"
                    note["close_reason"] = int(data[1])
            elif member == "ActionInvoked":
                record = dict(id=int(data[0]), key=data[1], destination=msg.get("destination"), sender=msg.get("sender"))
                self._actions.append(record)
                note = self._notes.get(record["id"])
                if note is not None:
                    note["invoked"].append(record["key"])

    def _record_notification(self, call: dict, nid: int, reply: dict) -> None:
        app, replaces, icon, summary, body, actions, hints, expire = call["payload"]["data"]
        pairs = list(zip(actions[0::2], actions[1::2]))
        hints = {k: (v.get("data") if isinstance(v, dict) else v) for k, v in (hints or {}).items()}
        note = self._notes.get(nid)
        updates = note["updates"] + 1 if note is not None and replaces == nid else 0
        self._notes[nid] = dict(
            id=nid,
            appname=app,
            summary=summary,
            body=body,
            icon=icon,
            actions=dict(pairs),
            action_list=pairs,
            hints=hints,
            urgency=hints.get("urgency", 1),
            expire_timeout=expire,
            replaces_id=replaces,
            sender=call.get("sender"),
            server=reply.get("sender"),
            state="open",
            close_reason=None,
            close_requested=False,
            invoked=note["invoked"] if note is not None and updates else [],
            updates=updates,
            received=time.time(),
        )

    # ------------------------------------------------------------ notifications

    def dunstctl(self, *args: str) -> str:
        """Run dunstctl against this session's dunst; returns stdout."""
        return self._run(["dunstctl", *args]).stdout

    def history(self) -> list[dict]:
        """``dunstctl history`` flattened to plain dicts (id, appname, summary,
        body, message, category, icon_path, timestamp, timeout, progress,
        default_action_name) -- dunst's record of *closed* notifications,
        newest first.  dunst keeps no actions or urgency here."""
        raw = json.loads(self.dunstctl("history"))
        rows = raw["data"][0] if raw.get("data") else []
        return [{k: (v.get("data") if isinstance(v, dict) else v) for k, v in row.items()} for row in rows]

    def dunst_counts(self) -> dict[str, int]:
        """dunst's own counters: {"displayed": n, "history": n, "waiting": n}."""
        return {kind: int(self.dunstctl("count", kind).strip()) for kind in ("displayed", "history", "waiting")}

    def notifications(self, *, include_earlier: bool = False) -> list[dict]:
        """Every notification dunst accepted, oldest first, as dicts with
        ``id, appname, summary, body, icon, actions ({key: label}),
        action_list ([(key, label)]), hints, urgency, expire_timeout,
        replaces_id, sender, state ("open"/"closed"), close_reason
        (1 expired, 2 dismissed, 3 closed by CloseNotification, 4 undefined),
        close_requested, invoked ([action keys]), updates, in_history``.

        Notifications from before the last ``reset()`` are left out unless
        ``include_earlier``.
        """
        with self._cond:
            notes = [dict(n, invoked=list(n["invoked"])) for nid, n in sorted(self._notes.items()) if include_earlier or nid > self._cutoff]
        if any(n["state"] == "closed" for n in notes):
            in_history = {h["id"] for h in self.history()}
        else:
            in_history = set()
        for n in notes:
            n["in_history"] = n["id"] in in_history
        return notes

    def displayed(self) -> list[dict]:
        """Notifications that are open (sent, not yet closed)."""
        return [n for n in self.notifications(include_earlier=True) if n["state"] == "open"]

    def notify_errors(self) -> list[dict]:
        """Notify calls the server rejected (e.g. wrong D-Bus signature)."""
        with self._cond:
            return list(self._notify_errors)

    def actions_invoked(self) -> list[dict]:
        """Every ActionInvoked signal seen: dicts with id, key, destination, sender."""
        with self._cond:
            return list(self._actions)

    def wait_for_notification(
        self,
        summary: str,
        timeout: float = 10.0,
        *,
        body: str | None = None,
        appname: str | None = None,
        state: str | None = None,
    ) -> dict:
        """Wait for a notification whose summary contains ``summary`` (and body
        contains ``body``, appname equals ``appname``, state equals ``state``
        when given); returns the newest match (see ``notifications()``)."""

        def find() -> dict | None:
            for n in reversed(self.notifications()):
                if summary in n["summary"] and (body is None or body in n["body"]) and (appname is None or n["appname"] == appname) and (state is None or n["state"] == state):
                    return n
            return None

        return _poll(f"a notification with summary containing {summary!r}", find, timeout, describe=self.diagnostics)

    def wait_for_bus_event(self, predicate: Callable[[dict], bool], timeout: float = 10.0, *, since: int = 0) -> dict:
        """Wait for a monitored bus message (busctl JSON dict) matching
        ``predicate``, looking at events with index >= ``since``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            i = since
            while True:
                while i < len(self._events):
                    if predicate(self._events[i]):
                        return self._events[i]
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
        raise DesktopTimeout(f"timed out after {timeout:.1f}s waiting for a bus event\n{self.diagnostics()}")

    def bus_connections(self, pid: int | None = None) -> list[dict]:
        """Connections on the private bus (``busctl list --unique``): dicts with
        name (unique name), pid, process, ...; only those of ``pid`` if given."""
        rows = json.loads(self._run(["busctl", "--user", "list", "--unique", "--json=short"]).stdout)
        return [r for r in rows if pid is None or r.get("pid") == pid]

    def bus_names(self) -> dict[str, str]:
        """Well-known names currently owned on the private bus -> unique name."""
        with self._cond:
            return {k: v for k, v in self._names.items() if not k.startswith(":")}

    def invoke_action(self, notification_id: int | None, action_label: str, timeout: float = 5.0) -> dict:
        """Choose the action labelled ``action_label`` of a displayed
        notification through dunst's context menu, the way a user would.

        ``notification_id`` None means: the newest open notification having
        such an action.  An action *key* is accepted too if no label matches.
        Waits until dunst really emitted ``ActionInvoked`` and returns that
        signal as a dict (id, key, destination, sender).
        """
        with self._action_lock:
            open_notes = [n for n in self.displayed()]
            if notification_id is None:
                candidates = [n for n in reversed(open_notes) if action_label in n["actions"].values() or action_label in n["actions"]]
                if not candidates:
                    raise DesktopError(f"no open notification has an action {action_label!r}; open: {self._describe_notes(open_notes)}")
                note = candidates[0]
            else:
                matches = [n for n in open_notes if n["id"] == notification_id]
                if not matches:
                    raise DesktopError(f"notification {notification_id} is not displayed; open: {self._describe_notes(open_notes)}")
                note = matches[0]
            keys = [k for k, label in note["action_list"] if label == action_label] or [k for k, _ in note["action_list"] if k == action_label]
            if not keys:
                raise DesktopError(f"notification {note['id']} ({note['summary']!r}) has no action {action_label!r}; actions: {note['actions']}")
            key = keys[0]
            label = note["actions"][key]
            with self._cond:
                seen = len(self._events)
            want = self.dunst_dir / "want-action"
            tmp = want.with_suffix(".tmp")
            tmp.write_text(f"{note['id']}\n{key}\n{label}\n")
            tmp.replace(want)
            try:
                self.dunstctl("context")
                event = self.wait_for_bus_event(
                    lambda e: e.get("type") == "signal" and e.get("member") == "ActionInvoked" and e["payload"]["data"] == [note["id"], key],
                    timeout,
                    since=seen,
                )
            except DesktopTimeout:
                raise DesktopTimeout(
                    f"dunst did not emit ActionInvoked({note['id']}, {key!r}) within {timeout}s\n"
                    f"--- menu dunst offered:\n{_tail(self.dunst_dir / 'menu-last.txt')}\n"
                    f"--- picks:\n{_tail(self.dunst_dir / 'picks.log', 5)}\n{self.diagnostics()}"
                ) from None
            finally:
                want.unlink(missing_ok=True)
            return dict(id=note["id"], key=key, destination=event.get("destination"), sender=event.get("sender"))

    @staticmethod
    def _describe_notes(notes: Iterable[dict]) -> str:
        return "; ".join(f"#{n['id']} {n['summary']!r} actions={n['actions']}" for n in notes) or "none"

    # ------------------------------------------------------------ diagnostics

    def diagnostics(self, lines: int = 25) -> str:
        """Human-readable state for failure messages: processes, logs, windows,
        tray, notifications."""
        out = [f"=== desktop {self.display} bus={self.bus_address} dir={self.tmpdir}"]
        for child in self._children:
            rc = child.popen.poll()
            out.append(f"--- {child.name} pid {child.popen.pid} {'running' if rc is None else f'exited {rc}'}; log tail:")
            out.append(_tail(child.log, lines))
        for proc in self._spawned:
            out.append(proc.describe(lines))
        if self.display and any(c.name == "xvfb" and c.popen.poll() is None for c in self._children):
            with contextlib.suppress(Exception):
                named = [f"{w['wid']:#x} {w['name']!r} {w['wm_class']} {w['width']}x{w['height']}+{w['x']}+{w['y']}" for w in self.window_tree() if w["name"] or w["wm_class"]]
                out.append("--- named windows:\n" + "\n".join(named))
            with contextlib.suppress(Exception):
                out.append(f"--- tray manager: {self.tray_manager()}; icons: {self.tray_icons()}")
        with self._cond:
            notes = list(self._notes.values())
            errors = list(self._notify_errors)
            actions = list(self._actions)
        out.append("--- notifications: " + ("\n  ".join(f"#{n['id']} [{n['state']}] {n['appname']!r} {n['summary']!r} / {n['body']!r} actions={n['actions']}" for n in notes) or "none"))
        if errors:
            out.append(f"--- REJECTED Notify calls: {errors}")
        if actions:
            out.append(f"--- ActionInvoked: {actions}")
        return "\n".join(out)


def _main() -> None:  # manual use: python tests/desktop/harness.py
    with Desktop(keep_dir=True) as desk:
        print(f"# desktop up in {desk.timings['total']:.2f}s; logs in {desk.log_dir}")
        for k in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "HOME", "QT_QPA_PLATFORM"):
            print(f"export {k}={shlex.quote(desk.env[k])}")
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    _main()
