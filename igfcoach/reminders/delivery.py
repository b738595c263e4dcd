"""Where a reminder is sent: desktop notifications over D-Bus, a tray message, or a banner in the window.

One small interface, ``Backend``: ``available()``, ``send(notice)``, ``close(notice_id)`` and the signal
``action(notice_id, action)`` with action "done", "snooze" or "open" (the user clicked the message itself).
``Deliverer`` tries the back-ends in order and uses the first that is available and accepts the notice.

* ``DBusNotifications``: ``org.freedesktop.Notifications.Notify`` on the session bus through QtDBus, with the
  actions Done and Snooze; ``ActionInvoked`` and ``NotificationClosed`` are handled. No server (or no bus)
  means "not available", quietly: no Qt warnings.
* ``TrayMessage``: ``QSystemTrayIcon.showMessage`` on the tray icon it is given (clicking it opens the app).
* ``InAppBanner``: the main window's ``Banner`` with Done and Snooze buttons.

This module imports only QtCore and QtDBus (see docs/architecture.md); the tray icon and the banner are
handed in by the UI as plain objects.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import html
import itertools
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, Slot, SLOT
from PySide6.QtDBus import QDBus, QDBusArgument, QDBusConnection, QDBusMessage

from igfcoach.appinfo import APP_ID, APP_NAME

__all__ = [
    "ACTION_DONE",
    "ACTION_OPEN",
    "ACTION_SNOOZE",
    "Backend",
    "DBusNotifications",
    "Deliverer",
    "Delivery",
    "InAppBanner",
    "Notice",
    "TrayMessage",
    "dbus_uint32",
]

log = logging.getLogger(__name__)

ACTION_DONE = "done"
ACTION_SNOOZE = "snooze"
ACTION_OPEN = "open"

NOTIFICATIONS_SERVICE = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
NOTIFICATIONS_IFACE = "org.freedesktop.Notifications"

_ids = itertools.count(1)


@dataclass(frozen=True)
class Notice:
    """One message to show. ``id`` is ours (not a server's); ``group`` lets a newer notice replace an older
    one of the same reminder. ``actions`` are (key, label) pairs, e.g. ("done", "Done")."""

    title: str
    body: str = ""
    actions: tuple[tuple[str, str], ...] = ()
    group: str | None = None
    id: str = field(default_factory=lambda: f"notice-{next(_ids)}")


class Backend(QObject):
    """A way to show a notice. Subclasses set ``name`` and ``delivered_text``."""

    #: (notice id, action): "done", "snooze", or "open" when the message itself was clicked.
    action = Signal(str, str)

    name = "backend"
    delivered_text = ""

    def available(self) -> bool:
        raise NotImplementedError

    def send(self, notice: Notice) -> bool:
        raise NotImplementedError

    def close(self, notice_id: str) -> None:
        """Take a shown notice away (after its action ran, or when it became stale)."""

    def detail(self) -> str:
        """Extra words for Settings, e.g. the notification server's name."""
        return ""


# --------------------------------------------------------------------------------------------------------------
# D-Bus


def _qtdbus_library() -> ctypes.CDLL | None:
    import PySide6

    bundled = os.path.join(os.path.dirname(PySide6.__file__), "Qt", "lib", "libQt6DBus.so.6")
    candidates = [bundled] if os.path.exists(bundled) else []
    found = ctypes.util.find_library("Qt6DBus")
    candidates += [c for c in (found, "libQt6DBus.so.6") if c]
    for candidate in candidates:
        try:
            return ctypes.CDLL(candidate)
        except OSError:
            continue
    return None


_UINT_WRITER: Any = None


def dbus_uint32(value: int) -> QDBusArgument:
    """A QDBusArgument holding a D-Bus ``u`` (uint32).

    PySide6 (6.12) has no way to marshal a uint32: a Python int becomes ``i`` (or ``x``), and
    ``QDBusArgument << int`` picks the ushort overload (``q``). Notify's ``replaces_id`` and
    CloseNotification's id must be ``u`` or the server rejects the call, so this calls the C++
    ``QDBusArgument::operator<<(uint)`` of the QtDBus library PySide6 already loaded.
    Raises OSError when that symbol cannot be found (then D-Bus delivery reports itself unavailable).
    """
    global _UINT_WRITER
    if not 0 <= value <= 0xFFFFFFFF:
        raise ValueError(f"{value} does not fit in a uint32")
    if _UINT_WRITER is None:
        lib = _qtdbus_library()
        if lib is None:
            raise OSError("the QtDBus library could not be loaded")
        fn = lib._ZN13QDBusArgumentlsEj  # QDBusArgument::operator<<(unsigned int); AttributeError if absent
        fn.restype = ctypes.c_void_p
        fn.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        _UINT_WRITER = fn
    import shiboken6

    arg = QDBusArgument()
    _UINT_WRITER(shiboken6.getCppPointer(arg)[0], value)
    return arg


def _uint32_works() -> bool:
    try:
        return dbus_uint32(0).currentSignature() == "u"
    except (OSError, AttributeError, ImportError):
        log.info("cannot marshal a D-Bus uint32 here; desktop notifications are not used", exc_info=True)
        return False


class DBusNotifications(Backend):
    """Desktop notifications through ``org.freedesktop.Notifications`` on the session bus (QtDBus)."""

    name = "dbus"
    delivered_text = "Delivered through the desktop's notification service"

    def __init__(
        self,
        bus: QDBusConnection | None = None,
        *,
        app_name: str = APP_NAME,
        app_icon: str = "",
        desktop_entry: str = APP_ID,
        timeout_msec: int = 3000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bus = bus
        self._app_name = app_name
        self._app_icon = app_icon
        self._desktop_entry = desktop_entry
        self._timeout = timeout_msec
        self._subscribed = False
        self._by_server_id: dict[int, Notice] = {}
        self._server_id_of: dict[str, int] = {}  # notice id -> server id
        self._group_server_id: dict[str, int] = {}  # group -> server id still open
        self.server_info: tuple[str, ...] = ()
        self.capabilities: list[str] = []
        self.last_error = ""

    # -- bus ---------------------------------------------------------------------------------------------------

    def bus(self) -> QDBusConnection | None:
        """The session bus, or None when there is none (checked without letting Qt warn)."""
        if self._bus is None:
            address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
            runtime = os.environ.get("XDG_RUNTIME_DIR", "")
            if not address and not (runtime and os.path.exists(os.path.join(runtime, "bus"))):
                self.last_error = "no session bus"
                return None
            self._bus = QDBusConnection.sessionBus()
        if not self._bus.isConnected():
            self.last_error = self._bus.lastError().message() or "not connected to the session bus"
            return None
        return self._bus

    def _call(self, method: str, *args: Any) -> QDBusMessage:
        bus = self._bus
        assert bus is not None
        msg = QDBusMessage.createMethodCall(NOTIFICATIONS_SERVICE, NOTIFICATIONS_PATH, NOTIFICATIONS_IFACE, method)
        msg.setArguments(list(args))
        msg.setAutoStartService(True)
        return bus.call(msg, QDBus.CallMode.Block, self._timeout)

    def _server_present(self, bus: QDBusConnection) -> bool:
        ask = QDBusMessage.createMethodCall("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                            "NameHasOwner")
        ask.setArguments([NOTIFICATIONS_SERVICE])
        reply = bus.call(ask, QDBus.CallMode.Block, self._timeout)
        if reply.type() == QDBusMessage.MessageType.ReplyMessage and reply.arguments() and reply.arguments()[0]:
            return True
        ask = QDBusMessage.createMethodCall("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                            "ListActivatableNames")
        reply = bus.call(ask, QDBus.CallMode.Block, self._timeout)
        if reply.type() == QDBusMessage.MessageType.ReplyMessage and reply.arguments():
            return NOTIFICATIONS_SERVICE in (reply.arguments()[0] or [])
        return False

    def available(self) -> bool:
        bus = self.bus()
        if bus is None:
            return False
        if not self._server_present(bus):
            self.last_error = "no notification server on the session bus"
            return False
        if not _uint32_works():
            self.last_error = "cannot build a D-Bus uint32 with this PySide6"
            return False
        if not self.server_info:
            reply = self._call("GetServerInformation")
            if reply.type() == QDBusMessage.MessageType.ReplyMessage:
                self.server_info = tuple(str(a) for a in reply.arguments())
            reply = self._call("GetCapabilities")
            if reply.type() == QDBusMessage.MessageType.ReplyMessage and reply.arguments():
                self.capabilities = [str(c) for c in reply.arguments()[0]]
        self._subscribe(bus)
        return True

    def _subscribe(self, bus: QDBusConnection) -> None:
        if self._subscribed:
            return
        ok = True
        for member in ("ActionInvoked", "NotificationClosed"):
            ok = bus.connect(NOTIFICATIONS_SERVICE, NOTIFICATIONS_PATH, NOTIFICATIONS_IFACE, member, self,
                             SLOT("_on_signal(QDBusMessage)")) and ok
        self._subscribed = ok
        if not ok:
            log.warning("could not subscribe to notification signals: %s", bus.lastError().message())

    def detail(self) -> str:
        return f"{self.server_info[0]} {self.server_info[2]}".strip() if len(self.server_info) >= 3 else ""

    # -- sending -----------------------------------------------------------------------------------------------

    def send(self, notice: Notice) -> bool:
        if self.bus() is None:
            return False
        replaces = self._group_server_id.get(notice.group, 0) if notice.group else 0
        actions: list[str] = []
        for key, label in notice.actions:
            actions += [key, label]
        if ACTION_OPEN not in [k for k, _ in notice.actions] and "actions" in self.capabilities:
            actions += ["default", "Open"]  # clicking the notification itself opens the app
        hints: dict[str, Any] = {"desktop-entry": self._desktop_entry}
        if self._app_icon:
            hints["image-path"] = self._app_icon
        try:
            rid = dbus_uint32(replaces)
        except (OSError, AttributeError) as exc:
            self.last_error = f"cannot build a D-Bus uint32: {exc}"
            return False
        # A server with "body-markup" reads the body as markup; it holds user text, so it is escaped (the summary
        # is plain text by the spec).
        body = html.escape(notice.body, quote=False) if "body-markup" in self.capabilities else notice.body
        reply = self._call(
            "Notify", self._app_name, rid, self._app_icon, notice.title, body,
            actions if actions else ["default", "Open"], hints, -1,
        )
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            self.last_error = reply.errorMessage() or "no reply from the notification server"
            log.warning("Notify failed: %s", self.last_error)
            return False
        server_id = int(reply.arguments()[0])
        self._forget_server_id(server_id)
        self._by_server_id[server_id] = notice
        self._server_id_of[notice.id] = server_id
        if notice.group:
            self._group_server_id[notice.group] = server_id
        log.info("notification %s shown as #%s via %s", notice.id, server_id, self.detail() or "D-Bus")
        return True

    def close(self, notice_id: str) -> None:
        server_id = self._server_id_of.get(notice_id)
        if server_id is None or self._bus is None:
            return
        try:
            arg = dbus_uint32(server_id)
        except (OSError, AttributeError):
            return
        msg = QDBusMessage.createMethodCall(NOTIFICATIONS_SERVICE, NOTIFICATIONS_PATH, NOTIFICATIONS_IFACE,
                                            "CloseNotification")
        msg.setArguments([arg])
        self._bus.send(msg)  # no reply needed; NotificationClosed tidies up

    def open_notices(self) -> list[Notice]:
        return list(self._by_server_id.values())

    def _forget_server_id(self, server_id: int) -> None:
        old = self._by_server_id.pop(server_id, None)
        if old is not None:
            self._server_id_of.pop(old.id, None)
            if old.group and self._group_server_id.get(old.group) == server_id:
                self._group_server_id.pop(old.group, None)

    @Slot(QDBusMessage)
    def _on_signal(self, msg: QDBusMessage) -> None:
        args = msg.arguments()
        if len(args) < 2:
            return
        server_id = int(args[0])
        notice = self._by_server_id.get(server_id)
        if notice is None:
            return  # another app's notification
        if msg.member() == "ActionInvoked":
            key = str(args[1])
            key = ACTION_OPEN if key == "default" else key
            log.info("action %r on notification #%s (%s)", key, server_id, notice.id)
            self.action.emit(notice.id, key)
            self.close(notice.id)
        elif msg.member() == "NotificationClosed":
            self._forget_server_id(server_id)


# --------------------------------------------------------------------------------------------------------------
# Tray and banner


class TrayLike(Protocol):
    """What TrayMessage needs of a QSystemTrayIcon."""

    messageClicked: Any

    def showMessage(self, title: str, msg: str, icon: Any = ..., msecs: int = ...) -> None: ...  # noqa: N802

    def isVisible(self) -> bool: ...  # noqa: N802


class TrayMessage(Backend):
    """A balloon from the tray icon (no buttons: clicking it opens the app, where the banner offers them)."""

    name = "tray"
    delivered_text = "Delivered as a message from the tray icon"

    def __init__(
        self,
        tray: TrayLike | None,
        *,
        tray_available: Callable[[], bool] = lambda: True,
        icon: Any = None,
        msecs: int = 15000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tray = tray
        self._tray_available = tray_available
        self._icon = icon
        self._msecs = msecs
        self.last_notice: Notice | None = None
        if tray is not None:
            tray.messageClicked.connect(self._clicked)

    def available(self) -> bool:
        return self._tray is not None and bool(self._tray_available()) and bool(self._tray.isVisible())

    def send(self, notice: Notice) -> bool:
        if not self.available():
            return False
        assert self._tray is not None
        if self._icon is not None:
            self._tray.showMessage(notice.title, notice.body, self._icon, self._msecs)
        else:
            self._tray.showMessage(notice.title, notice.body)
        self.last_notice = notice
        return True

    @Slot()
    def _clicked(self) -> None:
        if self.last_notice is not None:
            self.action.emit(self.last_notice.id, ACTION_OPEN)


class BannerLike(Protocol):
    """What InAppBanner needs of ``igfcoach.ui.banner.Banner``."""

    action_clicked: Any

    def show_message(self, text: str, actions: list[tuple[str, str]] | None = None) -> None: ...

    def hide(self) -> None: ...


class InAppBanner(Backend):
    """The window's banner with Done / Snooze buttons; ``attention`` (optional) flashes the window."""

    name = "banner"
    delivered_text = "Shown as a banner inside the IGF Coach window"

    def __init__(
        self,
        banner: BannerLike | None,
        *,
        attention: Callable[[], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._banner = banner
        self._attention = attention
        self.current: Notice | None = None
        if banner is not None:
            banner.action_clicked.connect(self._clicked)

    def available(self) -> bool:
        return self._banner is not None

    def send(self, notice: Notice) -> bool:
        if self._banner is None:
            return False
        text = f"{notice.title}: {notice.body}" if notice.body else notice.title
        self._banner.show_message(text, list(notice.actions))
        self.current = notice
        if self._attention is not None:
            self._attention()
        return True

    def close(self, notice_id: str) -> None:
        if self._banner is not None and self.current is not None and self.current.id == notice_id:
            self._banner.hide()
            self.current = None

    @Slot(str)
    def _clicked(self, key: str) -> None:
        if self.current is not None:
            notice, self.current = self.current, None
            self.action.emit(notice.id, key)


# --------------------------------------------------------------------------------------------------------------
# The chain


@dataclass(frozen=True)
class Delivery:
    """Which path a notice took (``backend`` None: none worked) and a sentence for the user."""

    backend: str | None
    text: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.backend is not None


NOTHING_WORKS = (
    "No way to deliver reminders was found: no notification service, no system tray and no window to show "
    "them in."
)


class Deliverer(QObject):
    """Tries the back-ends in order; re-emits their actions as ``action(notice_id, action)``."""

    action = Signal(str, str)
    delivered = Signal(str, str)  # notice id, back-end name

    def __init__(self, backends: list[Backend], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backends = list(backends)
        self._sent_with: dict[str, Backend] = {}
        for backend in self.backends:
            backend.action.connect(self.action)
        self.last: Delivery | None = None

    def backend(self, name: str) -> Backend | None:
        return next((b for b in self.backends if b.name == name), None)

    def send(self, notice: Notice) -> Delivery:
        """Show ``notice`` through the first back-end that is available and accepts it."""
        for backend in self.backends:
            try:
                if backend.available() and backend.send(notice):
                    self._sent_with[notice.id] = backend
                    self.last = Delivery(backend.name, backend.delivered_text, backend.detail())
                    self.delivered.emit(notice.id, backend.name)
                    return self.last
            except Exception:  # a broken back-end must not stop the next one
                log.exception("delivery through %s failed", backend.name)
        log.info("no back-end could show %r", notice.title)
        self.last = Delivery(None, NOTHING_WORKS)
        return self.last

    def close(self, notice_id: str) -> None:
        backend = self._sent_with.pop(notice_id, None)
        if backend is not None:
            backend.close(notice_id)

    def describe(self) -> Delivery:
        """Which path would be used now, without sending anything (for Settings)."""
        for backend in self.backends:
            try:
                if backend.available():
                    return Delivery(backend.name, backend.delivered_text, backend.detail())
            except Exception:
                log.exception("checking %s failed", backend.name)
        return Delivery(None, NOTHING_WORKS)
