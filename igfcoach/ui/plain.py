"""User text in widgets is shown exactly as typed: never interpreted as rich text.

QLabel takes care of that with ``setTextFormat(Qt.TextFormat.PlainText)``. Tooltips have no such switch: Qt
renders any tooltip that looks like HTML as HTML, so a tooltip holding user text goes through ``tooltip()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui


def tooltip(text: str | None) -> str:
    """``text`` as a tooltip that shows it verbatim (escaped rich text; line breaks kept, long lines wrap)."""
    if not text:
        return ""
    return QtGui.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
