"""Unexpected exceptions are logged and shown in a dialog with the log path, never silently lost."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

log = logging.getLogger("igfcoach.crash")


def install_excepthook(log_file: Path) -> None:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        box = QMessageBox(QMessageBox.Icon.Critical, "IGF Coach: something went wrong",
                          f"An unexpected error happened: {exc_type.__name__}: {exc}\n\n"
                          "Your saved data is safe. The details were written to the log:\n"
                          f"{log_file}")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
        box.setObjectName("crashDialog")
        box.exec()

    sys.excepthook = hook
