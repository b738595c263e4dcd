"""The main window: a section list on the left, the chosen page on the right, a notice banner on top."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from igfcoach.appinfo import APP_NAME
from igfcoach.services.context import AppContext
from igfcoach.ui.banner import Banner
from igfcoach.ui.icons import app_icon


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    factory: Callable[[AppContext], QWidget]


def _settings_page(ctx: AppContext) -> QWidget:
    from igfcoach.ui.pages.settings import SettingsPage

    return SettingsPage(ctx)


def _labs_page(ctx: AppContext) -> QWidget:
    from igfcoach.ui.pages.labs import LabsPage

    return LabsPage(ctx)


def _today_page(ctx: AppContext) -> QWidget:
    from igfcoach.ui.pages.today import TodayPage

    return TodayPage(ctx)


def _charts_page(ctx: AppContext) -> QWidget:
    from igfcoach.ui.pages.charts import (
        ChartsPage,  # imports pyqtgraph and numpy: only on first opening
    )

    return ChartsPage(ctx)


def _training_page(ctx: AppContext) -> QWidget:
    from igfcoach.ui.pages.training import TrainingPage

    return TrainingPage(ctx)


def _sleep_page(ctx: AppContext) -> QWidget:
    from igfcoach.ui.pages.sleep_stress import SleepStressPage

    return SleepStressPage(ctx)


def default_pages() -> list[PageSpec]:
    return [
        PageSpec("today", "Today", _today_page),
        PageSpec("training", "Training", _training_page),
        PageSpec("sleep", "Sleep & Stress", _sleep_page),
        PageSpec("labs", "Labs", _labs_page),
        PageSpec("charts", "Charts", _charts_page),
        PageSpec("settings", "Settings", _settings_page),
    ]


class MainWindow(QMainWindow):
    """Pages are built the first time they are shown, so start-up pays only for the first one."""

    close_requested = Signal()  # the user closed the window; the launcher decides hide or quit

    def __init__(self, ctx: AppContext, pages: list[PageSpec] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setObjectName("mainWindow")
        self.resize(1000, 680)
        self.setMinimumSize(QSize(720, 480))
        self._specs = pages or default_pages()
        self._built: dict[str, QWidget] = {}
        self._shortcuts: list[QShortcut] = []

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = Banner()
        outer.addWidget(self.banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        outer.addLayout(row, 1)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName("Sections")
        self.nav.setFixedWidth(180)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        for i, spec in enumerate(self._specs):
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(f"{spec.title} (Ctrl+{i + 1})")
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # stand-in until first shown
            self._shortcuts.append(
                QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, activated=lambda i=i: self.nav.setCurrentRow(i))
            )
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_row)
        self._shortcuts.append(QShortcut(QKeySequence.StandardKey.Close, self, activated=self.close))
        self.nav.setCurrentRow(0)

    def page_keys(self) -> list[str]:
        return [s.key for s in self._specs]

    def page(self, key: str) -> QWidget:
        """The page widget for `key`, built now if it was not yet."""
        index = self.page_keys().index(key)
        if key not in self._built:
            widget = self._specs[index].factory(self.ctx)
            widget.setObjectName(f"page_{key}")
            old = self.stack.widget(index)
            self.stack.insertWidget(index, widget)
            self.stack.removeWidget(old)
            old.deleteLater()
            self._built[key] = widget
        return self._built[key]

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(self.page_keys().index(key))

    def current_page_key(self) -> str:
        return self._specs[self.stack.currentIndex()].key

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self.page(self._specs[row].key)
        self.stack.setCurrentIndex(row)

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        elif self.isVisible() and self.windowHandle() is not None and not self.windowHandle().isExposed():
            self.hide()  # unmapped behind Qt's back (no window manager, another workspace): show() alone is a no-op
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        event.ignore()
        self.close_requested.emit()
