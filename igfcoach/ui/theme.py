"""Light and dark appearance that follows the system unless the user picks one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from igfcoach.resources_path import resource_path

ACCENT = QColor("#1f9d8f")


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#1f2326"), QColor("#16191b"), QColor("#e6e8ea")
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#23282b"))
    p.setColor(QPalette.ColorRole.ToolTipBase, window)
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor("#2a2f33"))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.Highlight, ACCENT)
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Link, QColor("#5fd3c4"))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a9297"))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6c7479"))
    return p


def _light_palette() -> QPalette:
    p = QApplication.style().standardPalette()
    p.setColor(QPalette.ColorRole.Highlight, ACCENT)
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    return p


def system_is_dark(app: QApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, choice: str = "system") -> bool:
    """Apply "light", "dark" or "system"; returns True when the dark palette is in use."""
    if app.property("styleLoaded") is not True:
        app.setStyle("Fusion")
        app.setStyleSheet(resource_path("style/app.qss").read_text(encoding="utf-8"))
        app.setProperty("styleLoaded", True)
    dark = system_is_dark(app) if choice == "system" else choice == "dark"
    app.setPalette(_dark_palette() if dark else _light_palette())
    if app.property("darkTheme") is not None and app.property("darkTheme") != dark:
        # Widgets already styled by the style sheet keep their old colours until it is re-applied.
        app.setStyleSheet(app.styleSheet())
    app.setProperty("darkTheme", dark)
    return dark


def follow_system(app: QApplication, current_choice) -> None:
    """Re-apply when the desktop switches between light and dark (if the user chose "system")."""
    app.styleHints().colorSchemeChanged.connect(
        lambda _scheme: current_choice() == "system" and apply_theme(app, "system")
    )
