"""Proof that the desktop harness observes real things (and can fail).

Uses probe_app.py, a tiny PySide6 app with a window, a tray icon and one
notification with actions, as a stand-in for the real app.
"""

from __future__ import annotations

import os
import stat
import struct
import sys
from pathlib import Path

import pytest

import harness

PROBE = Path(__file__).with_name("probe_app.py")


def start_probe(desktop: harness.Desktop, *args: str) -> harness.DesktopProcess:
    probe = desktop.spawn([sys.executable, str(PROBE), *args], name="probe")
    probe.wait_for_output("ready", timeout=20)
    return probe


def test_session_environment(desktop):
    env = desktop.env
    assert env["DISPLAY"] == desktop.display and env["DISPLAY"].startswith(":")
    assert env["DBUS_SESSION_BUS_ADDRESS"] == desktop.bus_address
    assert env["QT_QPA_PLATFORM"] == "xcb"
    runtime = Path(env["XDG_RUNTIME_DIR"])
    assert stat.S_IMODE(runtime.stat().st_mode) == 0o700
    assert "WAYLAND_DISPLAY" not in env
    # the real servers are up on the private bus / display
    assert harness.NOTIFICATIONS_NAME in desktop.bus_names()
    assert "dunst" in desktop.dunstctl("debug")
    assert desktop.tray_manager() is not None
    assert desktop.timings["total"] < 15, desktop.timings


def test_window_is_mapped(desktop):
    probe = start_probe(desktop, "--no-notify")
    wid = desktop.wait_for_window("Harness Probe")
    assert desktop.is_mapped(wid)
    assert desktop.window_pid(wid) == probe.pid
    assert desktop.window_ids("no such window title") == []
    probe.stop()
    desktop.wait_for_no_window("Harness Probe", timeout=5)
    assert not desktop.is_mapped(wid)


def test_tray_icon_is_embedded_via_xembed(desktop):
    probe = start_probe(desktop, "--no-notify")
    icon = desktop.wait_for_tray_icon(pid=probe.pid)
    assert icon.mapped and icon.width > 0 and icon.height > 0
    assert icon.xembed_flags & 1  # XEMBED_MAPPED
    assert icon.wm_class[0] == "probe_app.py"
    # the icon sits on screen inside trayer's panel (top right)
    assert icon.y < 24 and icon.x > 1280 // 2
    # Qt looked for a StatusNotifierWatcher, found none on the private bus,
    # and fell back to XEmbed
    (conn,) = desktop.bus_connections(pid=probe.pid)
    desktop.wait_for_bus_event(
        lambda e: e.get("sender") == conn["name"] and e.get("member") == "NameHasOwner" and e["payload"]["data"] == ["org.kde.StatusNotifierWatcher"],
        timeout=2,
    )
    assert not [n for n in desktop.bus_names() if "StatusNotifier" in n]
    # a click reaches the app
    desktop.click_tray_icon(icon)
    probe.wait_for_output("tray-activated Trigger", timeout=5)
    probe.stop()
    desktop.wait_for_no_tray_icon(pid=probe.pid, timeout=5)


def test_no_tray_icon_when_app_has_none(desktop):
    with_icon = start_probe(desktop, "--no-notify")
    desktop.wait_for_tray_icon(pid=with_icon.pid)
    probe = start_probe(desktop, "--no-notify", "--no-tray")
    desktop.wait_for_window("Harness Probe")
    assert "tray=False" in probe.wait_for_output("ready")
    with pytest.raises(harness.DesktopTimeout):
        desktop.wait_for_tray_icon(pid=probe.pid, timeout=1.0)
    assert [i.pid for i in desktop.tray_icons()] == [with_icon.pid]


def test_notification_is_recorded(desktop):
    probe = start_probe(desktop)
    note = desktop.wait_for_notification("Harness probe reminder")
    assert note["body"] == "Time for a 10 minute walk"
    assert note["appname"] == "Harness Probe"
    assert note["actions"] == {"done": "Done", "snooze": "Snooze 10 min"}
    assert note["state"] == "open"
    assert f"notified {note['id']}" in probe.stdout_lines()
    assert desktop.dunst_counts()["displayed"] == 1
    assert [n["id"] for n in desktop.displayed()] == [note["id"]]
    assert not desktop.notify_errors()
    assert probe.stderr() == ""  # no Qt warnings: locale, XDG_RUNTIME_DIR, a11y, tray all fine


@pytest.mark.parametrize(("label", "key"), [("Done", "done"), ("Snooze 10 min", "snooze")])
def test_invoke_action_emits_action_invoked(desktop, label, key):
    probe = start_probe(desktop, "--close-on-action")
    note = desktop.wait_for_notification("Harness probe reminder")
    signal = desktop.invoke_action(note["id"], label)
    assert signal["id"] == note["id"] and signal["key"] == key
    assert signal["destination"] == note["sender"]  # dunst unicasts it to the app
    probe.wait_for_output(f"action {note['id']} {key}", timeout=5)
    # the probe reacts like a real app: it closes the notification...
    probe.wait_for_output(f"closed {note['id']} 3", timeout=5)
    # ...and dunst moves it to its history with title and body
    history = {h["id"]: h for h in desktop.history()}
    assert history[note["id"]]["summary"] == "Harness probe reminder"
    assert history[note["id"]]["body"] == "Time for a 10 minute walk"
    (closed,) = [n for n in desktop.notifications() if n["id"] == note["id"]]
    assert closed["state"] == "closed" and closed["in_history"] and closed["invoked"] == [key]


def test_invoke_action_without_id_picks_newest(desktop):
    probe = start_probe(desktop)
    note = desktop.wait_for_notification("Harness probe reminder")
    assert desktop.invoke_action(None, "Done")["id"] == note["id"]
    probe.wait_for_output(f"action {note['id']} done", timeout=5)
    with pytest.raises(harness.DesktopError, match="no action"):
        desktop.invoke_action(note["id"], "Postpone")
    probe.stop()


def test_screenshot(desktop, tmp_path):
    start_probe(desktop)
    desktop.wait_for_notification("Harness probe reminder")
    path = desktop.screenshot(tmp_path / "screen.png")
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1280, 800)


def test_missing_tools_reports_absent_executables(desktop_session, monkeypatch):
    assert harness.missing_tools() == []
    monkeypatch.setenv("PATH", "/nonexistent")
    missing = harness.missing_tools()
    assert "trayer (apt: trayer)" in missing and "Xvfb (apt: xvfb)" in missing


def test_close_leaves_nothing_behind(desktop_session):
    # a second, independent session next to the shared one
    with harness.Desktop() as session:
        probe = session.spawn([sys.executable, str(PROBE)], name="probe")
        probe.wait_for_output("notified", timeout=20)
        pids = [*session.pids.values(), probe.pid]
        tmpdir, display = session.tmpdir, session.display
    for pid in pids:
        assert not harness._group_members(pid), f"process group {pid} survived"
    assert not tmpdir.exists()
    assert not Path(f"/tmp/.X{display[1:]}-lock").exists()
    assert not os.path.exists(f"/tmp/.X11-unix/X{display[1:]}")
