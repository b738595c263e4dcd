"""The Settings page: one tab per area. Each area's widget lives in igfcoach/ui/settings/."""

from __future__ import annotations

import importlib

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from igfcoach.services.context import AppContext

# (tab title, module, class). Each class takes (ctx, parent) and is a QWidget.
SECTIONS: list[tuple[str, str, str]] = [
    ("General", "igfcoach.ui.settings.general", "GeneralSettings"),
    ("Profile", "igfcoach.ui.settings.profile", "ProfileSettings"),
    ("Health && safety", "igfcoach.ui.settings.safety", "SafetySettings"),  # "&&" shows one "&"
    ("Reminders", "igfcoach.ui.settings.reminders", "ReminderSettings"),
    ("Data", "igfcoach.ui.settings.data", "DataSettings"),
]


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        title = QLabel("Settings")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings sections")
        self.tabs.setDocumentMode(True)
        for tab_title, module, cls in SECTIONS:
            widget = getattr(importlib.import_module(module), cls)(ctx, self)
            self.tabs.addTab(widget, tab_title)
        layout.addWidget(self.tabs, 1)

    def show_section(self, title: str) -> None:
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i) == title:
                self.tabs.setCurrentIndex(i)
                return
