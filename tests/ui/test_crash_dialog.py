"""An unexpected exception is logged and shown in a dialog that names the log file; the app does not vanish."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from igfcoach.logsetup import setup_logging
from igfcoach.paths import resolve_paths
from igfcoach.ui.errors import install_excepthook


def test_unexpected_error_shows_the_log_path_and_is_logged(qapp, tmp_path, monkeypatch):
    paths = resolve_paths(tmp_path / "data")
    log_file = setup_logging(paths)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook(log_file)
    shown: list[str] = []

    def close_dialog() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "crashDialog" and w.isVisible())
        shown.append(box.text())
        box.done(QMessageBox.StandardButton.Ok)

    QTimer.singleShot(0, close_dialog)
    try:
        raise ValueError("something odd")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert shown and str(log_file) in shown[0] and "ValueError: something odd" in shown[0]
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_igfcoach", False)]:
        handler.flush()
        root.removeHandler(handler)
        handler.close()
    assert "ValueError: something odd" in log_file.read_text()
