"""Tiny PySide6 app used by test_harness.py to prove the desktop harness.

It shows a QMainWindow titled "Harness Probe", a QSystemTrayIcon with a
generated icon, and sends one notification through QtDBus
(org.freedesktop.Notifications.Notify) with the actions
["done", "Done", "snooze", "Snooze 10 min"].  Everything it observes is printed
to stdout, one event per line:

    ready pid=<pid> tray=<shown> tray_available=<bool>
    notified <id>                 Notify returned this id
    notify-error <message>        Notify failed
    action <id> <key>             ActionInvoked signal received
    closed <id> <reason>          NotificationClosed signal received
    tray-activated <reason>       the tray icon was clicked

Options: --no-tray, --no-notify, --summary TEXT, --body TEXT,
--close-on-action (call CloseNotification after an action, like a real app).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import sys

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtDBus import QDBusArgument, QDBusConnection, QDBusMessage
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSystemTrayIcon

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"


def _qtdbus_lib() -> ctypes.CDLL:
    import PySide6

    bundled = os.path.join(os.path.dirname(PySide6.__file__), "Qt", "lib", "libQt6DBus.so.6")
    return ctypes.CDLL(bundled if os.path.exists(bundled) else (ctypes.util.find_library("Qt6DBus") or "libQt6DBus.so.6"))


def dbus_uint32(value: int) -> QDBusArgument:
    """A QDBusArgument holding a D-Bus 'u'.

    PySide6 (checked with 6.12) cannot marshal uint32 on its own: a Python int
    becomes 'i' or 'x', and ``QDBusArgument << int`` picks the ushort overload
    ('q').  Notify's replaces_id (and CloseNotification's id) must be 'u' or
    the server rejects the call, so call the C++ ``operator<<(uint)`` directly.
    """
    fn = _qtdbus_lib()._ZN13QDBusArgumentlsEj  # QDBusArgument::operator<<(unsigned int)
    fn.restype = ctypes.c_void_p
    fn.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    arg = QDBusArgument()
    fn(shiboken6.getCppPointer(arg)[0], value)
    return arg


def say(*parts: object) -> None:
    print(*parts, flush=True)


class Probe(QObject):
    def __init__(self, args: argparse.Namespace):
        super().__init__()
        self.args = args
        self.bus = QDBusConnection.sessionBus()
        self.ids: set[int] = set()
        for signal in ("ActionInvoked", "NotificationClosed"):
            if not self.bus.connect(SERVICE, PATH, IFACE, signal, self, "1on_signal(QDBusMessage)"):
                say("connect-error", signal, self.bus.lastError().message())

    @Slot(QDBusMessage)
    def on_signal(self, msg: QDBusMessage) -> None:
        args = msg.arguments()
        if msg.member() == "ActionInvoked":
            nid, key = int(args[0]), str(args[1])
            say("action", nid, key)
            if self.args.close_on_action and nid in self.ids:
                self.call("CloseNotification", [dbus_uint32(nid)])
        elif msg.member() == "NotificationClosed":
            say("closed", int(args[0]), int(args[1]))

    def call(self, method: str, arguments: list) -> QDBusMessage:
        msg = QDBusMessage.createMethodCall(SERVICE, PATH, IFACE, method)
        msg.setArguments(arguments)
        return self.bus.call(msg)

    def notify(self) -> None:
        reply = self.call(
            "Notify",
            [
                "Harness Probe",  # app_name
                dbus_uint32(0),  # replaces_id
                "",  # app_icon
                self.args.summary,
                self.args.body,
                ["done", "Done", "snooze", "Snooze 10 min"],
                {},  # hints
                -1,  # expire_timeout: server default
            ],
        )
        if reply.type() == QDBusMessage.MessageType.ReplyMessage:
            nid = int(reply.arguments()[0])
            self.ids.add(nid)
            say("notified", nid)
        else:
            say("notify-error", reply.errorName(), reply.errorMessage())


def make_icon() -> QIcon:
    pm = QPixmap(22, 22)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#2a9d8f"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(1, 1, 20, 20)
    p.end()
    return QIcon(pm)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-tray", action="store_true")
    parser.add_argument("--no-notify", action="store_true")
    parser.add_argument("--close-on-action", action="store_true")
    parser.add_argument("--summary", default="Harness probe reminder")
    parser.add_argument("--body", default="Time for a 10 minute walk")
    args = parser.parse_args()

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    window = QMainWindow()
    window.setWindowTitle("Harness Probe")
    window.setCentralWidget(QLabel("desktop harness probe"))
    window.resize(320, 160)
    window.show()

    tray = None
    if not args.no_tray:
        tray = QSystemTrayIcon(make_icon())
        tray.setToolTip("Harness Probe")
        tray.activated.connect(lambda reason: say("tray-activated", reason.name))
        tray.show()

    probe = Probe(args)

    def started() -> None:
        if not args.no_notify:
            probe.notify()
        say(f"ready pid={os.getpid()} tray={tray is not None and tray.isVisible()} tray_available={QSystemTrayIcon.isSystemTrayAvailable()}")

    QTimer.singleShot(0, started)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
