"""The floor for start-up: a bare PySide6 QMainWindow with a label, timed exactly like the app.

Prints `startup_ms N` after the first paint of the label and quits (what `igfcoach --profile-startup` does).
"""

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def start_epoch() -> float:
    return float(os.environ.get("IGFCOACH_PROFILE_T0") or time.time())


class FirstPaint(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.done = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self) -> None:
        print(f"startup_ms {(time.time() - start_epoch()) * 1000:.1f}", flush=True)
        if "--stay" not in sys.argv:
            self.app.quit()


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    label = QLabel("Hello")
    window.setCentralWidget(label)
    window.resize(1000, 680)
    watcher = FirstPaint(app)
    label.installEventFilter(watcher)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
