"""A dismissable strip at the top of the window for notices and in-app reminders."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class Banner(QFrame):
    """Shows one message with optional action buttons; user text is always plain text."""

    action_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAccessibleName("Notice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 8, 8)
        self._text = QLabel()
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        self._text.setObjectName("bannerText")
        self._text.setMinimumWidth(1)  # a very long word is clipped; it never widens the window
        layout.addWidget(self._text, 1)
        self._buttons: list[QPushButton] = []
        self._buttons_at = layout.count()
        close = QPushButton("Dismiss")
        close.setAccessibleName("Dismiss notice")
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, actions: list[tuple[str, str]] | None = None) -> None:
        for b in self._buttons:
            b.deleteLater()
        self._buttons = []
        self._text.setText(text)
        layout = self.layout()
        for i, (key, label) in enumerate(actions or []):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, k=key: (self.action_clicked.emit(k), self.hide()))
            layout.insertWidget(self._buttons_at + i, button)  # type: ignore[attr-defined]
            self._buttons.append(button)
        self.show()

    def text(self) -> str:
        return self._text.text()
