"""The tray icon and its menu: Open, Today's checklist, Pause reminders, Quit."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from igfcoach.appinfo import APP_NAME
from igfcoach.ui.icons import app_icon


class CoachTray(QObject):
    open_requested = Signal()
    today_requested = Signal()
    pause_requested = Signal(str)  # "1h", "tomorrow" or "resume"
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip(APP_NAME)
        self.menu = QMenu()
        self.menu.setObjectName("trayMenu")
        self.menu.addAction("Open IGF Coach", self.open_requested.emit)
        self.menu.addAction("Today's checklist", self.today_requested.emit)
        pause = self.menu.addMenu("Pause reminders")
        self.pause_menu = pause
        pause.addAction("For 1 hour", lambda: self.pause_requested.emit("1h"))
        pause.addAction("Until tomorrow", lambda: self.pause_requested.emit("tomorrow"))
        pause.addSeparator()
        self.resume_action: QAction = pause.addAction("Resume reminders", lambda: self.pause_requested.emit("resume"))
        self.menu.addSeparator()
        self.menu.addAction("Quit", self.quit_requested.emit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def message(self, title: str, body: str, msecs: int = 8000) -> None:
        self.icon.showMessage(title, body, app_icon(), msecs)

    def set_status(self, text: str) -> None:
        self.icon.setToolTip(f"{APP_NAME}\n{text}" if text else APP_NAME)
