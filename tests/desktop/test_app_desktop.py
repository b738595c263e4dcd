"""The real app on a real desktop: window, tray, close-to-tray, Quit, single instance, data on disk."""

from __future__ import annotations

import stat
import sys
import time
from pathlib import Path

import pytest

import harness

APP = [sys.executable, "-m", "igfcoach"]
ENV = {"IGFCOACH_SKIP_ONBOARDING": "1"}


def launch(desktop: harness.Desktop, data_dir: Path, *args: str, name: str = "igfcoach") -> harness.DesktopProcess:
    return desktop.spawn([*APP, "--data-dir", str(data_dir), *args], name=name, env=ENV)


def close_window(desktop: harness.Desktop, wid: int) -> None:
    """The window's × button: the WM_DELETE_WINDOW message a window manager sends."""
    desktop.close_window(wid)


def visible_windows(desktop: harness.Desktop, pid: int) -> list[str]:
    try:
        return desktop.xdotool("search", "--onlyvisible", "--pid", str(pid)).split()
    except harness.DesktopError:
        return []


def wait_exit(proc: harness.DesktopProcess, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    while proc.returncode is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.returncode is not None, f"process did not exit\n{proc.describe()}"
    return proc.returncode


def test_window_and_tray_icon_appear_quickly_and_data_is_private(desktop, tmp_path):
    data = tmp_path / "data"
    launch(desktop, data, name="warm-up").stop()  # first run compiles bytecode and creates the database
    desktop.reset()
    started = time.monotonic()
    app = launch(desktop, data)
    wid = desktop.wait_for_window("IGF Coach", timeout=15)
    elapsed = time.monotonic() - started
    assert desktop.is_mapped(wid)
    assert desktop.window_pid(wid) == app.pid
    assert elapsed < 3.0, f"window took {elapsed:.2f} s"
    icon = desktop.wait_for_tray_icon(pid=app.pid, timeout=10)
    assert icon.mapped
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    db = data / "igfcoach.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    for extra in data.glob("igfcoach.sqlite3-*"):
        assert stat.S_IMODE(extra.stat().st_mode) == 0o600, extra
    app.stop()


def test_closing_keeps_it_in_the_tray_and_quit_from_the_tray_menu_exits_0(desktop, tmp_path):
    app = launch(desktop, tmp_path / "data")
    wid = desktop.wait_for_window("IGF Coach", timeout=15)
    icon = desktop.wait_for_tray_icon(pid=app.pid, timeout=10)
    close_window(desktop, wid)
    deadline = time.monotonic() + 5
    while desktop.is_mapped(wid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not desktop.is_mapped(wid)
    time.sleep(0.3)
    assert app.running, "closing the window must leave the app running in the tray"
    assert desktop.tray_icons() and any(i.pid == app.pid for i in desktop.tray_icons())
    # Right-click the tray icon and choose the last menu item, Quit, with the keyboard.
    before = visible_windows(desktop, app.pid)
    desktop.click_tray_icon(icon, button=3)
    deadline = time.monotonic() + 5
    while len(visible_windows(desktop, app.pid)) <= len(before) and time.monotonic() < deadline:
        time.sleep(0.05)  # wait for the menu to pop up
    desktop.xdotool("key", "Up")
    desktop.xdotool("key", "Return")
    assert wait_exit(app) == 0


def test_a_second_launch_brings_the_first_to_the_front(desktop, tmp_path):
    data = tmp_path / "data"
    first = launch(desktop, data)
    wid = desktop.wait_for_window("IGF Coach", timeout=15)
    desktop.wait_for_tray_icon(pid=first.pid, timeout=10)
    close_window(desktop, wid)
    deadline = time.monotonic() + 5
    while desktop.is_mapped(wid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not desktop.is_mapped(wid)
    second = launch(desktop, data, name="second")
    assert wait_exit(second, timeout=20) == 0
    deadline = time.monotonic() + 5
    while not desktop.is_mapped(wid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert desktop.is_mapped(wid), "the running window should be shown again"
    assert first.running
    assert len(desktop.window_ids("IGF Coach")) == 1
    first.stop()


def test_minimized_starts_in_the_tray_only(desktop, tmp_path):
    app = launch(desktop, tmp_path / "data", "--minimized")
    desktop.wait_for_tray_icon(pid=app.pid, timeout=15)
    time.sleep(0.5)
    assert not [w for w in desktop.window_ids("IGF Coach") if desktop.is_mapped(w)]
    app.stop()


def test_sigterm_quits_cleanly(desktop, tmp_path):
    import signal

    app = launch(desktop, tmp_path / "data")
    desktop.wait_for_window("IGF Coach", timeout=15)
    app.popen.send_signal(signal.SIGTERM)
    assert wait_exit(app) == 0
    assert "quit with code 0" in (tmp_path / "data" / "logs" / "igfcoach.log").read_text()


@pytest.fixture(scope="module")
def trayless():
    if harness.missing_tools():
        pytest.skip("desktop tools missing")
    with harness.Desktop(tray=False) as session:
        yield session


def test_without_a_tray_closing_quits_and_says_so_once(trayless, tmp_path):
    data = tmp_path / "data"
    app = launch(trayless, data)
    wid = trayless.wait_for_window("IGF Coach", timeout=15)
    trayless.screenshot(tmp_path / "no-tray.png")
    close_window(trayless, wid)
    assert wait_exit(app) == 0
    log = (data / "logs" / "igfcoach.log").read_text()
    assert log.count("told the user there is no system tray") == 1
    again = launch(trayless, data, name="again")
    wid = trayless.wait_for_window("IGF Coach", timeout=15)
    close_window(trayless, wid)
    assert wait_exit(again) == 0
    assert (data / "logs" / "igfcoach.log").read_text().count("told the user there is no system tray") == 1
