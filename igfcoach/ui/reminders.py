"""Wiring the reminder engine into the running app: back-ends in order, the engine on the app's signal hub."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from igfcoach.reminders.delivery import (
    DBusNotifications,
    Deliverer,
    InAppBanner,
    TrayMessage,
)
from igfcoach.reminders.engine import ReminderEngine
from igfcoach.ui.icons import app_icon

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext
    from igfcoach.ui.banner import Banner
    from igfcoach.ui.tray import CoachTray

log = logging.getLogger(__name__)

ENGINE_OBJECT_NAME = "reminderEngine"


def notification_icon_path() -> str:
    """A PNG of the app icon for notification servers (an absolute path works without an installed theme)."""
    try:
        from igfcoach.resources_path import resource_path

        return str(resource_path("icons/hicolor/128x128.png"))
    except (FileNotFoundError, ValueError):
        return ""


def build_deliverer(
    parent: QWidget | QApplication,
    *,
    tray: CoachTray | None,
    banner: Banner | None,
    window: QWidget | None = None,
) -> Deliverer:
    """D-Bus notifications, then the tray's message, then the window's banner."""
    backends = [DBusNotifications(app_icon=notification_icon_path(), parent=parent)]
    if tray is not None:
        backends.append(
            TrayMessage(
                tray.icon,
                tray_available=lambda: QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages(),
                icon=app_icon(),
                parent=parent,
            )
        )
    attention = (lambda: QApplication.alert(window)) if window is not None else None
    if banner is not None:
        backends.append(InAppBanner(banner, attention=attention, parent=parent))
    return Deliverer(backends, parent=parent)


def start_reminders(app: QApplication, ctx: AppContext, window, tray: CoachTray | None) -> ReminderEngine | None:
    """Build the back-ends and the engine (parented to the app, so Settings can find it) and start it."""
    try:
        deliverer = build_deliverer(app, tray=tray, banner=window.banner, window=window)
        engine = ReminderEngine(ctx, deliverer, hub=app, parent=app)
        engine.setObjectName(ENGINE_OBJECT_NAME)
        engine.open_requested.connect(window.bring_to_front)
        engine.start()
    except Exception:  # reminders failing must not keep the app from opening
        log.exception("reminders could not start")
        return None
    return engine


def running_engine() -> ReminderEngine | None:
    """The app's engine, when one is running (Settings uses it for the test notification)."""
    app = QApplication.instance()
    if app is None:
        return None
    return next((e for e in app.findChildren(ReminderEngine) if e.started), None)
