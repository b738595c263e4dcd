"""A small inline strip that offers "Undo" for a few seconds after a change that loses something."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

UNDO_TIMEOUT_MS = 10_000


class UndoBar(QFrame):
    """Shows one line of text, with an Undo button when there is something to undo; hides itself."""

    undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None, timeout_ms: int = UNDO_TIMEOUT_MS) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.setAccessibleName("Undo notice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.setSpacing(8)
        self.label = QLabel()
        self.label.setObjectName("undoText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo the last change")
        self.undo_button.setToolTip("Undo the last change (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo_requested)
        layout.addWidget(self.undo_button)
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleName("Dismiss the undo notice")
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.close_button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(timeout_ms)
        self.timer.timeout.connect(self.dismiss)
        self.hide()

    def show_undo(self, text: str) -> None:
        """Offer Undo for `text` (e.g. 'Unticked “Zinc”.') until the timeout."""
        self._show(text, undo=True)

    def show_message(self, text: str) -> None:
        """A short notice without an Undo button (e.g. an error, or 'Restored')."""
        self._show(text, undo=False)

    def _show(self, text: str, *, undo: bool) -> None:
        self.label.setText(text)
        self.undo_button.setVisible(undo)
        self.setProperty("offersUndo", undo)
        self.show()
        self.timer.start()

    def offers_undo(self) -> bool:
        return not self.isHidden() and bool(self.property("offersUndo"))

    def text(self) -> str:
        return self.label.text()

    def dismiss(self) -> None:
        self.timer.stop()
        self.hide()
