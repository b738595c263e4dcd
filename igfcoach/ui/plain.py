"""User text in widgets is shown exactly as typed: never interpreted as rich text.

QLabel takes care of that with ``setTextFormat(Qt.TextFormat.PlainText)``. Tooltips have no such switch: Qt
renders any tooltip that looks like HTML as HTML, so a tooltip holding user text goes through ``tooltip()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget


def tooltip(text: str | None) -> str:
    """``text`` as a tooltip that shows it verbatim (escaped rich text; line breaks kept, long lines wrap)."""
    if not text:
        return ""
    return QtGui.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def plain_label(text: str = "", *, muted: bool = False, name: str | None = None, wrap: bool = True,
                selectable: bool = False) -> QLabel:
    """A label that shows `text` verbatim (never as rich text); `muted` uses the secondary text colour."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if muted:
        label.setProperty("class", "muted")
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def scrolling_column(owner: QWidget, margins: tuple[int, int, int, int], spacing: int) -> QVBoxLayout:
    """Fill `owner` with a frameless scroll area and return the column layout inside it."""
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroll)
    body = QWidget()
    scroll.setWidget(body)
    layout = QVBoxLayout(body)
    layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    return layout
