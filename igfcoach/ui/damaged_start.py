"""When the database cannot be opened: say exactly what is wrong and offer what makes sense.

The damaged file is never overwritten or deleted; a restore moves it aside first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from igfcoach.appinfo import APP_NAME
from igfcoach.store import health
from igfcoach.store.health import StoreError

RESTORABLE = {health.CORRUPT, health.NOT_A_DATABASE}
RETRYABLE = {health.LOCKED, health.FULL, health.READ_ONLY}


@dataclass(frozen=True)
class Choice:
    action: str  # "restore", "retry", "other_dir" or "quit"
    path: Path | None = None


class DamagedStartDialog(QDialog):
    def __init__(self, error: StoreError, backups: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} cannot open your data")
        self.setObjectName("damagedStartDialog")
        self.choice = Choice("quit")
        self._backups = backups
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        message = QLabel(str(error))
        message.setObjectName("damagedMessage")
        message.setTextFormat(Qt.TextFormat.PlainText)
        message.setWordWrap(True)
        message.setMinimumWidth(460)
        layout.addWidget(message)
        note = QLabel("Nothing has been changed or deleted. The file stays where it is until you choose.")
        note.setWordWrap(True)
        note.setProperty("class", "muted")
        layout.addWidget(note)

        row = QHBoxLayout()
        self.restore_button = QPushButton("Restore latest backup")
        self.restore_button.setAccessibleName("Restore the latest backup")
        if backups:
            self.restore_button.setToolTip(f"Restore {backups[0].name}; the damaged file is kept beside it.")
        self.restore_button.setVisible(error.kind in RESTORABLE)
        self.restore_button.setEnabled(bool(backups))
        self.restore_button.clicked.connect(lambda: self._done(Choice("restore", backups[0] if backups else None)))
        self.retry_button = QPushButton("Try again")
        self.retry_button.setVisible(error.kind in RETRYABLE)
        self.retry_button.clicked.connect(lambda: self._done(Choice("retry")))
        self.other_button = QPushButton("Open another data folder…")
        self.other_button.clicked.connect(self._pick_folder)
        self.quit_button = QPushButton("Quit")
        self.quit_button.clicked.connect(lambda: self._done(Choice("quit")))
        for b in (self.restore_button, self.retry_button, self.other_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.quit_button)
        layout.addLayout(row)
        if error.kind in RESTORABLE and not backups:
            none = QLabel("There is no backup to restore yet.")
            none.setProperty("class", "muted")
            layout.addWidget(none)

    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a data folder for IGF Coach")
        if folder:
            self._done(Choice("other_dir", Path(folder)))

    def _done(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()


def ask(error: StoreError, backups: list[Path]) -> Choice:
    dialog = DamagedStartDialog(error, backups)
    dialog.exec()
    return dialog.choice
