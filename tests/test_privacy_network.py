"""The app opens no network connection.

(a) In-process: ``socket.socket`` (AF_INET/AF_INET6), ``create_connection``, ``getaddrinfo`` and the other name
    lookups are replaced by guards that raise *and* record every attempt (so a swallowed exception still fails the
    test); on top of that the process's open file descriptors are checked for internet sockets after every step
    (that also sees sockets Qt opens in C++). Then the services and the GUI run through a full day on the fake
    clock: the main window with every page and settings tab opened, habits ticked with values and notes, a lab
    result added, Charts shown, the reminder engine ticking and catching up every hour, the Today page rolling over
    at midnight, an automatic backup -- and the command line's subcommands in-process.
(b) Out-of-process: the real command line and the real GUI (on the desktop harness's Xvfb, session bus, dunst and
    trayer) run under ``strace -f -e trace=socket,connect``; no AF_INET/AF_INET6 socket may be created (AF_UNIX --
    X11, D-Bus, the single-instance socket -- is fine). Without strace the tests skip, except under CI where they
    fail: install it with ``bash .ci/desktop-deps``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from igfcoach.core.clock import FakeClock

REPO = Path(__file__).resolve().parents[1]
DESKTOP_DIR = Path(__file__).resolve().parent / "desktop"
BERLIN = ZoneInfo("Europe/Berlin")
INET = (socket.AF_INET, socket.AF_INET6)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# ------------------------------------------------------------------------------------------------ (a) in-process


class NetworkAttempt(AssertionError):
    """The app tried to open a network connection or look up a host name."""


def inet_sockets_open() -> list[str]:
    """Internet sockets among this process's open file descriptors, bound or not (the kernel's SO_DOMAIN)."""
    import _socket

    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if not os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                continue
            dup = os.dup(int(fd))
        except OSError:
            continue
        try:
            probe = _socket.socket(fileno=dup)  # takes over `dup`; the family comes from getsockopt(SO_DOMAIN)
        except OSError:
            os.close(dup)
            continue
        try:
            if probe.family in INET:
                found.append(f"fd {fd}: {socket.AddressFamily(probe.family).name} {socket.SocketKind(probe.type).name}")
        finally:
            probe.close()
    return found


@pytest.fixture
def no_network(monkeypatch):
    """Guards on every way Python code reaches the network; yields a checker to call after each step."""
    attempts: list[str] = []
    real_socket = socket.socket

    def refuse(what: str):
        attempts.append(what)
        raise NetworkAttempt(f"network access attempted: {what}")

    class GuardedSocket(real_socket):  # type: ignore[misc, valid-type]
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):  # noqa: A002 (socket's names)
            if fileno is None and (socket.AF_INET if family == -1 else family) in INET:
                refuse(f"socket.socket(family={family!r}, type={type!r})")
            super().__init__(family, type, proto, fileno)

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                 "gethostbyaddr", "getnameinfo", "getfqdn"):
        monkeypatch.setattr(socket, name, lambda *a, _n=name, **k: refuse(f"socket.{_n}{a!r}"))

    def check(step: str) -> None:
        assert not attempts, f"after {step}: {attempts}"
        open_inet = inet_sockets_open()
        assert not open_inet, f"after {step}: internet sockets are open: {open_inet}"

    check.attempts = attempts  # type: ignore[attr-defined]
    yield check
    assert not attempts, attempts


def test_the_guard_catches_what_it_must(no_network):
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("example.org", 80))
    with pytest.raises(NetworkAttempt):
        socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    with pytest.raises(NetworkAttempt):
        socket.getaddrinfo("localhost", 80)
    a, b = socket.socketpair()  # AF_UNIX is fine
    a.close()
    b.close()
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.close()
    assert len(no_network.attempts) == 3
    no_network.attempts.clear()
    # and the fd check sees an internet socket opened behind Python's back (as C++ code would), unbound too
    import _socket

    raw = _socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        assert inet_sockets_open(), "the fd check must see an open, unbound UDP socket"
        with pytest.raises(AssertionError, match="internet sockets are open"):
            no_network("the self-test")
    finally:
        raw.close()
    assert not inet_sockets_open()


def test_a_full_day_of_services_and_gui_opens_no_network(no_network, tmp_path, qtbot, qapp, monkeypatch, capsys):
    from PySide6.QtWidgets import QApplication, QTabWidget

    from igfcoach.reminders.delivery import Deliverer, InAppBanner
    from igfcoach.reminders.engine import ReminderEngine
    from igfcoach.services import checklist, habits, labs
    from igfcoach.services import reminders as svc
    from igfcoach.services.context import open_context
    from igfcoach.ui.controller import AppController
    from igfcoach.ui.main_window import MainWindow

    clock = FakeClock(datetime(2026, 11, 25, 6, 30), tz=BERLIN)
    ctx = open_context(str(tmp_path / "data"), clock=clock)
    engine = None
    try:
        habits.seed_from_catalog(ctx, weight_kg=80)
        svc.ensure_default_rules(ctx)
        for rule in svc.list_rules(ctx):
            if not rule.enabled:
                svc.set_enabled(ctx, rule.id, True)
        no_network("opening the data and seeding")

        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        controller = AppController(qapp, ctx, window, None)
        for key in window.page_keys():  # every page, built and shown
            window.show_page(key)
            QApplication.processEvents()
            assert window.current_page_key() == key
        for tabs in window.page("settings").findChildren(QTabWidget):
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                QApplication.processEvents()
        no_network("opening every page and settings tab")

        # the reminders, delivered in the window's banner (no desktop notifications from a unit test)
        delivered = []
        banner_backend = InAppBanner(window.banner)
        real_send = banner_backend.send
        banner_backend.send = lambda notice: (delivered.append(notice.title), real_send(notice))[1]
        engine = ReminderEngine(ctx, Deliverer([banner_backend]), hub=qapp, listen_logind=False,
                                run_scheduler=False)
        engine.start()

        today = window.page("today")
        window.show_page("today")
        lab_added = False
        last = clock.now()
        for hour in range(26):  # 06:30 on the 25th to 08:30 on the 26th
            clock.advance(timedelta(hours=1))
            now = clock.now()
            engine.tick()
            engine.catch_up_since(last, now)
            last = now
            today.check_rollover()
            if hour % 4 == 1:  # tick a few items with the app's own controls
                for key in today.ordered_keys()[hour % 5::5]:
                    item = today.items[key]
                    if item.done or not item.due:
                        continue
                    if item.spec.target is not None:
                        today.change(key, value=item.spec.target.value)
                    else:
                        today.change(key, done=True, note=f"note at {now:%H:%M}")
            if now.hour == 12 and not lab_added:
                labs.add_result(ctx, labs.LabInput(drawn_on=date(2026, 11, 20), value="140", lab_low="100",
                                                   lab_high="300", lab_name="Lab", notes="fasting"))
                qapp.labs_changed.emit()
                window.show_page("labs")
                window.show_page("charts")
                QApplication.processEvents()
                window.show_page("today")
                lab_added = True
            if window.banner.isVisible():
                window.banner.action_clicked.emit("done")
            QApplication.processEvents()
            no_network(f"hour {hour} ({now:%a %H:%M})")
        assert today.today == date(2026, 11, 26) and today.day == date(2026, 11, 26)  # it rolled over
        assert delivered, "no reminder was sent all day: the engine did not run"
        assert lab_added and labs.count_results(ctx) == 1
        assert any(i.done for i in checklist.day_checklist(ctx, date(2026, 11, 25)))
        controller.auto_backup()
        no_network("the automatic backup")
        engine.stop()
        engine = None
        controller.shutdown()
    finally:
        if engine is not None:
            engine.stop()
        ctx.close()

    # the command line, in-process, on the same data
    from igfcoach.cli.main import build_parser, main
    from igfcoach.services import context as context_module

    real_open = context_module.open_context
    monkeypatch.setattr(context_module, "open_context", lambda d=None, clock_=None: real_open(d, clock=clock))
    data = str(tmp_path / "data")
    commands = cli_commands(tmp_path / "cli-out", build_parser())
    for args in commands:
        assert main(["--data-dir", data, *args]) == 0, args
        no_network(f"igfcoach {' '.join(args)}")
    capsys.readouterr()


def subcommands(parser) -> set[str]:
    return set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def cli_commands(out: Path, parser=None) -> list[list[str]]:
    """The headless subcommands worth running, as far as this version has them."""
    if parser is None:
        from igfcoach.cli.main import build_parser

        parser = build_parser()
    have = subcommands(parser)
    commands = [["today"], ["check", "bedroom_cool_dark", "--note", "a note"], ["today", "--json"],
                ["lab", "add", "--value", "150", "--date", "2026-01-10", "--notes", "n"], ["lab", "list"]]
    if "reminders" in have:
        commands.append(["reminders"])
    if "export" in have:
        out.mkdir(parents=True, exist_ok=True)
        commands += [["export", "--format", "json", "--out", str(out / "all.json")],
                     ["export", "--format", "fhir", "--out", str(out / "fhir.json")]]
    if "backup" in have:
        commands.append(["backup"])
    return commands


# ------------------------------------------------------------------------------------------------ (b) strace


def require_strace() -> str:
    exe = shutil.which("strace")
    if exe is None:
        message = "strace is not installed (apt: strace; `bash .ci/desktop-deps` installs it)"
        if in_ci():
            pytest.fail(f"the network test must run in CI: {message}", pytrace=False)
        pytest.skip(message)
    probe = subprocess.run([exe, "-f", "-qq", "-e", "trace=socket", "-o", "/dev/null", "true"],
                           capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        message = f"strace cannot trace here (ptrace not permitted?): {probe.stderr.strip()}"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return exe


STRACE_ARGS = ["-f", "-qq", "-e", "trace=socket,connect", "-s", "200"]
FAMILY = re.compile(r"\b(?:socket\(|sa_family=)(AF_[A-Z0-9]+)")


def families(trace: Path) -> dict[str, list[str]]:
    """Address families of every socket() and connect() in an strace log -> the lines that used them."""
    found: dict[str, list[str]] = {}
    for line in trace.read_text(errors="replace").splitlines():
        for family in FAMILY.findall(line):
            found.setdefault(family, []).append(line)
    return found


def internet_lines(trace: Path) -> list[str]:
    seen = families(trace)
    return seen.get("AF_INET", []) + seen.get("AF_INET6", [])


def test_the_trace_parser_sees_internet_sockets(tmp_path):
    exe = require_strace()
    trace = tmp_path / "control.trace"
    code = ("import socket; socket.socket(socket.AF_INET6, socket.SOCK_STREAM).close(); "
            "u = socket.socket(socket.AF_UNIX); u.close()")
    subprocess.run([exe, *STRACE_ARGS, "-o", str(trace), sys.executable, "-c", code], check=True, timeout=60)
    seen = families(trace)
    assert seen.get("AF_INET6") and seen.get("AF_UNIX"), trace.read_text()
    assert internet_lines(trace)


def test_the_command_line_opens_no_internet_socket(tmp_path):
    exe = require_strace()
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    ran = []
    for i, args in enumerate(cli_commands(tmp_path / "out")):
        trace = tmp_path / f"cli-{i}.trace"
        result = subprocess.run([exe, *STRACE_ARGS, "-o", str(trace), sys.executable, "-m", "igfcoach",
                                 "--data-dir", str(data), *args],
                                cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (args, result.stderr)
        assert trace.exists()
        bad = internet_lines(trace)
        assert not bad, f"`igfcoach {' '.join(args)}` created internet sockets:\n" + "\n".join(bad)
        ran.append(args[0])
    assert {"today", "check", "lab"} <= set(ran)


@pytest.fixture(scope="module")
def desktop():
    """The desktop harness (tests/desktop): Xvfb, a private session bus, dunst, trayer; same skip/fail rules."""
    if str(DESKTOP_DIR) not in sys.path:
        sys.path.insert(0, str(DESKTOP_DIR))
    import harness

    missing = harness.missing_tools()
    if missing:
        message = f"desktop test tools missing: {', '.join(missing)} -- install with `bash .ci/desktop-deps`"
        if in_ci():
            pytest.fail(f"desktop tests must run in CI; {message}", pytrace=False)
        pytest.skip(message)
    with harness.Desktop() as session:
        yield session


def parent_pid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rfind(")") + 2:].split()[1])


@pytest.mark.desktop
def test_the_gui_opens_no_internet_socket(desktop, tmp_path):
    exe = require_strace()
    trace = tmp_path / "gui.trace"
    data = tmp_path / "data"
    app = desktop.spawn([exe, *STRACE_ARGS, "-o", str(trace), sys.executable, "-m", "igfcoach",
                         "--data-dir", str(data)],
                        name="strace-igfcoach", env={"IGFCOACH_SKIP_ONBOARDING": "1"}, cwd=REPO)
    try:
        wid = desktop.wait_for_window("IGF Coach", timeout=30)  # slower under strace
        child = desktop.window_pid(wid)
        assert child is not None and parent_pid(child) == app.pid, "the window is not the traced app's"
        desktop.wait_for_tray_icon(pid=child, timeout=15)
        time.sleep(5)  # let it run: reminders engine, the backup timer, D-Bus, the tray
        assert app.running, app.describe()
        os.kill(child, signal.SIGTERM)  # quit the way a logout does; strace exits with the app's status
        deadline = time.monotonic() + 15
        while app.running and time.monotonic() < deadline:
            time.sleep(0.05)
        assert app.returncode == 0, app.describe()
    finally:
        if app.running:
            app.stop()
    seen = families(trace)
    assert seen.get("AF_UNIX"), "the trace shows no socket at all: strace did not see the app"
    bad = seen.get("AF_INET", []) + seen.get("AF_INET6", [])
    assert not bad, "the GUI created internet sockets:\n" + "\n".join(bad[:20])
    log = data / "logs" / "igfcoach.log"
    assert "reminders started" in log.read_text(), "the app did not get as far as starting its reminders"
