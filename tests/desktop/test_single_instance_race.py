"""Single instance under a race, after a crash, and "bring to front" -- the real app on the harness desktop.

* Two launches for the same data dir at the same moment (five rounds, each on a fresh data dir, so they also race
  to create the database): one exits 0, one keeps running; one tray icon; the lock file names the survivor; the
  log says "starting IGF Coach" once and "reminders started" once (one scheduler); and the loser's "activate"
  message reached the survivor, which shows its window.
* A SIGKILLed app leaves its lock file and socket behind; the next launch starts anyway and shows its window.
* A second launch brings the running window back when it was taken off the screen (unmapped behind Qt's back, as
  a window manager does for another workspace), makes it the focused window, and exits 0.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest

import harness

APP = [sys.executable, "-m", "igfcoach"]
ENV = {"IGFCOACH_SKIP_ONBOARDING": "1"}
REPO = Path(__file__).resolve().parents[2]


def launch(desktop: harness.Desktop, data: Path, *args: str, name: str) -> harness.DesktopProcess:
    return desktop.spawn([*APP, "--data-dir", str(data), *args], name=name, env=ENV, cwd=REPO)


def wait_until(what: str, check, timeout: float = 15.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def log_text(data: Path) -> str:
    log = data / "logs" / "igfcoach.log"
    return log.read_text(errors="replace") if log.exists() else ""


def instance_key(data: Path) -> str:
    from igfcoach.paths import resolve_paths

    return resolve_paths(str(data)).instance_key


def lock_owner(data: Path) -> int | None:
    """The pid QLockFile wrote into the lock file (first line), or None without a lock file."""
    lock = data / f"{instance_key(data)}.lock"
    try:
        first = lock.read_text(errors="replace").splitlines()[0]
    except (OSError, IndexError):
        return None
    return int(first) if first.strip().isdigit() else None


def focused_window(desktop: harness.Desktop) -> int | None:
    try:
        return int(desktop.xdotool("getwindowfocus", "-f").strip())
    except (harness.DesktopError, ValueError):  # focus is PointerRoot or None
        return None


def describe(*procs: harness.DesktopProcess, data: Path | None = None) -> str:
    parts = [p.describe() for p in procs]
    if data is not None:
        parts.append("--- log:\n" + "\n".join(log_text(data).splitlines()[-30:]))
    return "\n".join(parts)


@pytest.mark.parametrize("round_", range(5))
def test_two_launches_at_the_same_moment_leave_one_app_and_one_scheduler(desktop, tmp_path, round_):
    data = tmp_path / "data"  # fresh each round: they also race to create the data dir and the database
    a = launch(desktop, data, "--minimized", name=f"race-a{round_}")
    b = launch(desktop, data, "--minimized", name=f"race-b{round_}")
    procs = [a, b]
    try:
        loser = wait_until("one of the two to exit", lambda: next((p for p in procs if not p.running()), None),
                           timeout=20)
        winner = b if loser is a else a
        assert loser.returncode == 0, describe(*procs, data=data)
        wait_until("the survivor to start its reminders", lambda: "reminders started" in log_text(data), 20)
        time.sleep(0.5)  # a late second start would show up in the log by now
        assert winner.running(), describe(*procs, data=data)
        text = log_text(data)
        assert text.count("starting IGF Coach") == 1, describe(*procs, data=data)
        assert text.count("reminders started") == 1, "two schedulers:\n" + describe(*procs, data=data)
        assert text.count("another copy is running") == 1, describe(*procs, data=data)
        assert "does not answer" not in text and "could not listen" not in text, describe(*procs, data=data)
        assert lock_owner(data) == winner.pid
        icon = desktop.wait_for_tray_icon(pid=winner.pid, timeout=10)
        assert icon.mapped
        assert [i.pid for i in desktop.tray_icons() if i.pid in (a.pid, b.pid)] == [winner.pid]
        # the loser asked the survivor to show itself (both were --minimized): its window comes up
        wid = desktop.wait_for_window("IGF Coach", timeout=10)
        assert desktop.window_pid(wid) == winner.pid
        assert len(desktop.window_ids("IGF Coach")) == 1
        winner.popen.send_signal(signal.SIGTERM)
        wait_until("the survivor to quit on SIGTERM", lambda: not winner.running(), 10)
        assert winner.returncode == 0, describe(winner, data=data)
        assert lock_owner(data) is None, "a clean quit removes the lock"
    finally:
        for p in procs:
            if p.running():
                p.stop()


def test_a_stale_lock_and_socket_from_a_killed_app_do_not_block_the_next_start(desktop, tmp_path):
    data = tmp_path / "data"
    first = launch(desktop, data, name="killed")
    desktop.wait_for_window("IGF Coach", timeout=20)
    wait_until("reminders to start", lambda: "reminders started" in log_text(data), 20)
    assert lock_owner(data) == first.pid
    os.kill(first.pid, signal.SIGKILL)
    wait_until("the killed app to be gone", lambda: not first.running(), 10)
    desktop.wait_for_no_window("IGF Coach", timeout=10)
    # what a crash leaves behind
    key = instance_key(data)
    assert (data / f"{key}.lock").exists() and lock_owner(data) == first.pid
    socket_file = Path(tempfile.gettempdir()) / key
    assert socket_file.exists(), f"expected the dead app's socket file {socket_file}"

    second = launch(desktop, data, name="after-crash")
    try:
        wid = desktop.wait_for_window("IGF Coach", timeout=20)
        assert desktop.window_pid(wid) == second.pid and desktop.is_mapped(wid)
        wait_until("the new app to own the lock", lambda: lock_owner(data) == second.pid, 10)
        assert second.running(), second.describe()
        assert log_text(data).count("starting IGF Coach") == 2
        # and it answers a third launch (its socket replaced the stale one): take its window off the screen,
        # launch again, and the window comes back
        desktop.xdotool("windowunmap", "--sync", str(wid))
        third = launch(desktop, data, name="third")
        wait_until("the third launch to exit", lambda: not third.running(), 20)
        assert third.returncode == 0, third.describe()
        wait_until("the window to come back", lambda: desktop.is_mapped(wid), 10)
        assert second.running()
        text = log_text(data)
        assert "could not listen" not in text and "does not answer" not in text, text[-2000:]
    finally:
        second.stop()


def test_a_second_launch_maps_and_focuses_a_window_taken_off_the_screen(desktop, tmp_path):
    data = tmp_path / "data"
    first = launch(desktop, data, name="first")
    try:
        wid = desktop.wait_for_window("IGF Coach", timeout=20)
        desktop.wait_for_tray_icon(pid=first.pid, timeout=10)
        desktop.xdotool("windowminimize", str(wid))  # needs a window manager; the harness has none ...
        desktop.xdotool("windowunmap", "--sync", str(wid))  # ... so take it off the screen directly
        assert not desktop.is_mapped(wid)
        assert focused_window(desktop) != wid
        second = launch(desktop, data, name="second")
        wait_until("the second launch to exit", lambda: not second.running(), 20)
        assert second.returncode == 0, second.describe()
        wait_until("the first window to be mapped again", lambda: desktop.is_mapped(wid), 10)
        wait_until("the first window to have the focus", lambda: focused_window(desktop) == wid, 5)
        assert first.running()
        assert desktop.window_ids("IGF Coach") == [wid]
        assert log_text(data).count("starting IGF Coach") == 1
    finally:
        first.stop()
