"""The floor for start-up: a bare PySide6 QMainWindow with a label, timed exactly like the app.

Prints `startup_ms N` after the first paint of the label and quits (what `igfcoach --profile-startup` does).
"""

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def start_epoch() -> float:
    """The same clock the app's --profile-startup uses (IGFCOACH_PROFILE_T0, else /proc)."""
    from igfcoach.ui.startup_profile import process_start_epoch  # imported after the paint: not timed

    return process_start_epoch()


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
    if "--with-sqlalchemy" in sys.argv:
        import sqlalchemy.orm  # noqa: F401 - the stack's floor: a bare window that also loads the ORM
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
