"""General settings: appearance, the start of the day and the application menu."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QTimeEdit,
    QWidget,
)

from igfcoach.services import settings
from igfcoach.services.context import AppContext
from igfcoach.ui.settings.desktop_menu import MenuEntryRow
from igfcoach.ui.theme import apply_theme

THEMES = [("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")]


class GeneralSettings(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        form = QFormLayout(self)
        form.setContentsMargins(8, 16, 8, 8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.theme = QComboBox()
        self.theme.setAccessibleName("Appearance")
        for key, label in THEMES:
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex([k for k, _ in THEMES].index(settings.get(ctx, "theme") or "system"))
        self.theme.currentIndexChanged.connect(self._theme_changed)
        form.addRow("Appearance:", self.theme)

        self.day_start = QTimeEdit()
        self.day_start.setAccessibleName("Start of the day")
        self.day_start.setDisplayFormat("HH:mm")
        start = settings.day_start(ctx)
        self.day_start.setTime(QTime(start.hour, start.minute))
        self.day_start.editingFinished.connect(self._day_start_changed)
        form.addRow("A new day starts at:", self.day_start)
        hint = QLabel("Night owl? Set 03:00 and ticks made after midnight still count for the evening before.")
        hint.setWordWrap(True)
        hint.setProperty("class", "muted")
        form.addRow("", hint)

        self.menu_entry = MenuEntryRow(self)
        form.addRow("Application menu:", self.menu_entry)

    def _theme_changed(self) -> None:
        choice = self.theme.currentData()
        settings.put(self.ctx, theme=choice)
        apply_theme(QApplication.instance(), choice)  # type: ignore[arg-type]

    def _day_start_changed(self) -> None:
        t = self.day_start.time()
        settings.put(self.ctx, day_start=time(t.hour(), t.minute()).strftime("%H:%M"))
        app = QApplication.instance()
        if hasattr(app, "settings_changed"):
            app.settings_changed.emit()
