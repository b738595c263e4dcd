"""Delivery back-ends: real QtDBus against a real notification server (dunst on a private bus), quiet failure
without a server or without a bus, and the fallback order D-Bus -> tray -> in-app banner."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtDBus import QDBusConnection

from igfcoach.reminders.delivery import (
    ACTION_DONE,
    ACTION_OPEN,
    ACTION_SNOOZE,
    DBusNotifications,
    Deliverer,
    InAppBanner,
    Notice,
    TrayMessage,
    dbus_uint32,
)

ACTIONS = ((ACTION_DONE, "Done"), (ACTION_SNOOZE, "Snooze 10 min"))

BARE_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


_connections = 0


def _connect(address: str) -> tuple[QDBusConnection, str]:
    global _connections
    _connections += 1
    name = f"igfcoach-test-{_connections}"
    bus = QDBusConnection.connectToBus(address, name)
    assert bus.isConnected(), bus.lastError().message()
    return bus, name


@pytest.fixture
def dunst_bus(dunst_session, qapp):
    dunst_session.reset()
    bus, name = _connect(dunst_session.bus_address)
    yield bus
    QDBusConnection.disconnectFromBus(name)


@pytest.fixture
def bare_bus(tmp_path, qapp):
    """A private session bus with no notification server (and nothing activatable)."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon missing")
    config = tmp_path / "bus.conf"
    config.write_text(BARE_BUS_CONFIG.format(socket=tmp_path / "bus"))
    r, w = os.pipe()
    proc = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--nosyslog", f"--print-address={w}"],
        pass_fds=(w,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(w)
    try:
        with os.fdopen(r) as fh:
            address = fh.readline().strip()
        bus, name = _connect(address)
        yield bus
        QDBusConnection.disconnectFromBus(name)
    finally:
        proc.terminate()
        proc.wait(timeout=5)


# -- the uint32 that PySide6 cannot marshal on its own ---------------------------------------------------------


def test_uint32_argument_has_the_u_signature():
    assert dbus_uint32(0).currentSignature() == "u"
    assert dbus_uint32(4294967295).currentSignature() == "u"
    with pytest.raises(ValueError):
        dbus_uint32(-1)


# -- real server ------------------------------------------------------------------------------------------------


@pytest.mark.desktop  # needs Xvfb, dbus-daemon and dunst (tests/desktop/harness.py)
def test_notification_reaches_dunst_with_actions_and_app_name(dunst_session, dunst_bus, qtbot):
    backend = DBusNotifications(dunst_bus, app_icon="/nonexistent/icon.png")
    assert backend.available()
    assert backend.detail().startswith("dunst")
    notice = Notice("Bedtime", "Lights out for 8 hours of sleep.", ACTIONS, group="rule-2")
    assert backend.send(notice)
    note = dunst_session.wait_for_notification("Bedtime", timeout=5)
    assert note["body"] == "Lights out for 8 hours of sleep."
    assert note["appname"] == "IGF Coach"
    assert note["action_list"][:2] == [("done", "Done"), ("snooze", "Snooze 10 min")]
    assert note["hints"].get("desktop-entry") == "io.github.igfcoach.IGFCoach"
    assert note["replaces_id"] == 0
    assert not dunst_session.notify_errors()  # the signature was (susssasa{sv}i)


@pytest.mark.desktop  # needs Xvfb, dbus-daemon and dunst (tests/desktop/harness.py)
@pytest.mark.parametrize(("label", "key"), [("Done", ACTION_DONE), ("Snooze 10 min", ACTION_SNOOZE)])
def test_action_invoked_is_reported_and_the_notification_closed(dunst_session, dunst_bus, qtbot, label, key):
    backend = DBusNotifications(dunst_bus)
    assert backend.available()
    notice = Notice("Time to wind down", "Screens off now.", ACTIONS, group="rule-1")
    assert backend.send(notice)
    note = dunst_session.wait_for_notification("Time to wind down", timeout=5)
    with qtbot.waitSignal(backend.action, timeout=5000) as got:
        signal = dunst_session.invoke_action(note["id"], label)
    assert got.args == [notice.id, key]
    assert signal["destination"] == dunst_bus.baseService()
    # the app closes it (CloseNotification with a uint32 id); NotificationClosed tidies the map
    qtbot.waitUntil(lambda: backend.open_notices() == [], timeout=5000)
    history = {h["id"]: h for h in dunst_session.history()}
    assert history[note["id"]]["summary"] == "Time to wind down"


@pytest.mark.desktop  # needs Xvfb, dbus-daemon and dunst (tests/desktop/harness.py)
def test_a_newer_notice_of_the_same_reminder_replaces_the_old_one(dunst_session, dunst_bus):
    backend = DBusNotifications(dunst_bus)
    assert backend.available()
    assert backend.send(Notice("Bedtime", "first", ACTIONS, group="rule-2"))
    first = dunst_session.wait_for_notification("Bedtime", body="first", timeout=5)
    assert backend.send(Notice("Bedtime", "second", ACTIONS, group="rule-2"))
    second = dunst_session.wait_for_notification("Bedtime", body="second", timeout=5)
    assert second["id"] == first["id"] and second["replaces_id"] == first["id"]
    assert len(dunst_session.displayed()) == 1


@pytest.mark.desktop  # needs Xvfb, dbus-daemon and dunst (tests/desktop/harness.py)
def test_another_apps_action_is_ignored(dunst_session, dunst_bus, qtbot):
    ours = DBusNotifications(dunst_bus)
    other_bus, other_name = _connect(dunst_session.bus_address)
    try:
        theirs = DBusNotifications(other_bus, app_name="Other App")
        assert ours.available() and theirs.available()
        seen = []
        ours.action.connect(lambda *a: seen.append(a))
        assert theirs.send(Notice("Somebody else's", "", ACTIONS))
        note = dunst_session.wait_for_notification("Somebody else's", timeout=5)
        with qtbot.waitSignal(theirs.action, timeout=5000):
            dunst_session.invoke_action(note["id"], "Done")
        qtbot.wait(50)
        assert seen == []
    finally:
        QDBusConnection.disconnectFromBus(other_name)


# -- no server, no bus: not available, and quiet ---------------------------------------------------------------


def test_no_notification_server_means_unavailable_without_warnings(bare_bus, qtbot):
    backend = DBusNotifications(bare_bus)
    assert not backend.available()
    assert "no notification server" in backend.last_error
    assert Deliverer([backend]).describe().backend is None
    # (qt_log_level_fail=WARNING: any Qt warning above fails this test)


def test_no_session_bus_at_all(monkeypatch, tmp_path, qapp):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no "bus" socket there
    backend = DBusNotifications()
    assert not backend.available()
    assert backend.last_error == "no session bus"
    assert Deliverer([backend]).describe().backend is None


# -- the fallback chain ------------------------------------------------------------------------------------------


class FakeTray(QObject):
    """A QSystemTrayIcon stand-in (the offscreen platform has no tray)."""

    messageClicked = Signal()  # noqa: N815 (Qt's name)

    def __init__(self) -> None:
        super().__init__()
        self.visible = True
        self.messages: list[tuple[str, str]] = []

    def isVisible(self) -> bool:  # noqa: N802
        return self.visible

    def showMessage(self, title, body, *args) -> None:  # noqa: N802
        self.messages.append((title, body))


def test_fallback_dbus_then_tray_then_banner(bare_bus, qtbot):
    from igfcoach.ui.banner import Banner

    tray = FakeTray()
    tray_ok = [True]
    banner = Banner()
    qtbot.addWidget(banner)
    dbus = DBusNotifications(bare_bus)
    deliverer = Deliverer([dbus, TrayMessage(tray, tray_available=lambda: tray_ok[0]), InAppBanner(banner)])
    actions = []
    deliverer.action.connect(lambda nid, act: actions.append((nid, act)))

    # no notification server -> the tray
    assert deliverer.describe().backend == "tray"
    first = Notice("Bedtime", "Lights out.", ACTIONS)
    result = deliverer.send(first)
    assert (result.backend, result.text) == ("tray", "Delivered as a message from the tray icon")
    assert tray.messages == [("Bedtime", "Lights out.")]
    tray.messageClicked.emit()
    assert actions == [(first.id, ACTION_OPEN)]

    # no tray either -> the banner, with working buttons
    tray_ok[0] = False
    assert deliverer.describe().backend == "banner"
    second = Notice("Time to wind down", "Screens off now.", ACTIONS)
    result = deliverer.send(second)
    assert result.backend == "banner" and result.ok
    assert not banner.isHidden()
    assert banner.text() == "Time to wind down: Screens off now."
    from PySide6.QtWidgets import QPushButton

    buttons = {b.text(): b for b in banner.findChildren(QPushButton)}
    assert {"Done", "Snooze 10 min", "Dismiss"} <= set(buttons)
    buttons["Snooze 10 min"].click()
    assert actions[-1] == (second.id, ACTION_SNOOZE)
    assert banner.isHidden()

    # nothing at all
    chain = Deliverer([DBusNotifications(bare_bus), TrayMessage(None)])
    nothing = chain.send(Notice("x"))
    assert not nothing.ok and "No way to deliver" in nothing.text


def test_a_failing_backend_falls_through_to_the_next(qtbot):
    class Broken(DBusNotifications):
        def available(self) -> bool:
            return True

        def send(self, notice):
            raise RuntimeError("boom")

    from igfcoach.ui.banner import Banner

    banner = Banner()
    qtbot.addWidget(banner)
    deliverer = Deliverer([Broken(), InAppBanner(banner)])
    assert deliverer.send(Notice("Protein check")).backend == "banner"


@pytest.mark.desktop  # needs Xvfb, dbus-daemon and dunst (tests/desktop/harness.py)
def test_delivery_timing_is_fast(dunst_session, dunst_bus):
    backend = DBusNotifications(dunst_bus)
    t0 = time.monotonic()
    assert backend.available() and backend.send(Notice("Speed", "", ACTIONS))
    assert time.monotonic() - t0 < 1.0
