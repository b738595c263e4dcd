"""A titled card for coaching text and warnings, readable in the light and the dark palette.

Tones: "info" follows the palette (alternate base with an accent edge); "danger" (talk to a clinician) and
"caution" (specialist-directed only) use fixed light tints with dark text, so they read the same on either
palette. All text is plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QVBoxLayout, QWidget

TONES: dict[str, tuple[str, str, str, str]] = {
    # tone: (background, border, title colour, text colour)
    "danger": ("#fde2e1", "#d9534f", "#7a1410", "#4a0b08"),
    "caution": ("#fff4d6", "#d9a520", "#5c4400", "#3d2e00"),
}

ACCENT = "#1f9d8f"


def is_dark(widget: QWidget | None = None) -> bool:
    """Whether the palette in use is dark (the window colour is dark)."""
    palette = widget.palette() if widget is not None else QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class NoticeCard(QFrame):
    """A card with a bold title and a wrapped body; ``set_content`` updates both."""

    def __init__(self, tone: str = "info", title: str = "", body: str = "", parent: QWidget | None = None,
                 *, name: str | None = None) -> None:
        super().__init__(parent)
        self.tone = tone
        self.setObjectName(name or f"card_{tone}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(4)
        self.title_label = QLabel()
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)
        self.title_label.setObjectName("cardTitle")
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.08)
        self.title_label.setFont(font)
        self.body_label = QLabel()
        self.body_label.setTextFormat(Qt.TextFormat.PlainText)
        self.body_label.setWordWrap(True)
        self.body_label.setObjectName("cardBody")
        self.body_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title_label)
        layout.addWidget(self.body_label)
        self._apply_style()
        self.set_content(title, body)

    def _apply_style(self) -> None:
        name = self.objectName()
        if self.tone in TONES:
            bg, border, title, text = TONES[self.tone]
            self.setStyleSheet(
                f"QFrame#{name} {{ background: {bg}; border: 1px solid {border}; border-left: 5px solid {border};"
                f" border-radius: 8px; }}"
                f" QFrame#{name} QLabel {{ background: transparent; border: none; color: {text}; }}"
                f" QFrame#{name} QLabel#cardTitle {{ color: {title}; }}"
            )
        else:
            self.setStyleSheet(
                f"QFrame#{name} {{ background: palette(alternate-base); border: 1px solid palette(mid);"
                f" border-left: 5px solid {ACCENT}; border-radius: 8px; }}"
                f" QFrame#{name} QLabel {{ background: transparent; border: none; }}"
            )

    def set_content(self, title: str, body: str) -> None:
        self.title_label.setText(title)
        self.title_label.setVisible(bool(title))
        self.body_label.setText(body)
        self.body_label.setVisible(bool(body))
        self.setAccessibleName(title or body[:60])
        self.setAccessibleDescription(body)

    def text(self) -> str:
        """Title and body as one string (for tests and screen readers)."""
        return "\n".join(t for t in (self.title_label.text(), self.body_label.text()) if t)


def error_label(accessible_name: str) -> QLabel:
    """An inline error line under a field: plain text, wrapped, hidden until it has a message."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setObjectName("fieldError")
    label.setAccessibleName(accessible_name)
    label.setStyleSheet("QLabel#fieldError { color: palette(bright-text); }")
    label.hide()
    return label


def set_error(label: QLabel, message: str | None) -> None:
    """Show ``message`` in an error label (hide it when empty), in a red readable on either palette."""
    colour = "#ff8a80" if is_dark(label) else "#b3261e"
    label.setStyleSheet(f"QLabel#fieldError {{ color: {colour}; }}")
    label.setText(message or "")
    label.setVisible(bool(message))
