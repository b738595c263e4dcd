"""The Charts page: adherence against IGF-1 results, and what lies behind it.

Top: range buttons (30 days, 90 days, 1 year, All; drag and wheel zoom the x axis too) and Export (Ctrl+S, PNG
or SVG). The main chart shows daily adherence with 7- and 28-day averages and the IGF-1 results on a second axis.
Below, in tabs built when first opened: each habit's calendar, strength and best streaks; sleep; protein;
training; and "Before each test" (adherence in the weeks before each draw, the change from the previous result,
and a scatter with r and n and an honest caption).

This module imports pyqtgraph and numpy: the main window imports it only when the page is first opened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core import analysis, igf1  # noqa: E402
from igfcoach.core.habits import CATEGORY_TITLES  # noqa: E402
from igfcoach.services import chart_data  # noqa: E402
from igfcoach.services.chart_data import ChartData  # noqa: E402
from igfcoach.services.context import AppContext  # noqa: E402
from igfcoach.ui.charts.adherence import RANGE_LABELS, AdherenceChart  # noqa: E402
from igfcoach.ui.charts.export import FORMATS, ExportError, export_item  # noqa: E402
from igfcoach.ui.charts.heatmap import CalendarHeatmap  # noqa: E402
from igfcoach.ui.charts.series import (  # noqa: E402
    AdherenceResultScatter,
    ProteinChart,
    SleepChart,
    StrengthChart,
    TrainingChart,
)
from igfcoach.ui.plain import plain_label  # noqa: E402

RANGE_TIPS = {"30d": "Show the last 30 days", "90d": "Show the last 90 days", "1y": "Show the last year",
              "all": "Show everything"}
TABS = ("habits", "sleep", "protein", "training", "tests")
TAB_TITLES = {"habits": "Habits", "sleep": "Sleep", "protein": "Protein", "training": "Training",
              "tests": "Before each test"}




def _pct(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio * 100:.0f}%"


SHORT_TITLES = {"nutrition": "Food", "micronutrients": "Micro", "supplements": "Suppl."}


class ChartsPage(QWidget):
    """The Charts page. ``reloaded`` fires after the data was (re)loaded and drawn."""

    reloaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: ChartData | None = None
        self.range_key = "90d"
        self._dirty = False
        self._setting_range = False
        self._restyle_pending = False
        self._tab_widgets: dict[str, QWidget] = {}
        self._time_plots: list[object] = []
        self.timings: dict[str, float] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 16)
        outer.setSpacing(10)
        head = QHBoxLayout()
        title = QLabel("Charts")
        title.setObjectName("pageTitle")
        head.addWidget(title)
        head.addStretch(1)
        self.summary = plain_label(muted=True)
        self.summary.setObjectName("chartsSummary")
        self.summary.setWordWrap(False)
        head.addWidget(self.summary, 0, Qt.AlignmentFlag.AlignBottom)
        outer.addLayout(head)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.range_group = QButtonGroup(self)
        self.range_group.setExclusive(True)
        self.range_buttons: dict[str, QPushButton] = {}
        for key, label in RANGE_LABELS.items():
            button = QPushButton(label)
            button.setCheckable(True)
            button.setObjectName(f"range_{key}")
            button.setAccessibleName(RANGE_TIPS[key])
            button.setToolTip(RANGE_TIPS[key] + " (drag the chart to move, scroll to zoom)")
            button.clicked.connect(lambda _checked=False, k=key: self.set_range(k))
            self.range_group.addButton(button)
            self.range_buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("exportButton")
        self.export_button.setAccessibleName("Export the main chart as PNG or SVG")
        self.export_button.setToolTip("Save the main chart as a PNG or SVG image (Ctrl+S)")
        self.export_button.clicked.connect(self.export_dialog)
        bar.addWidget(self.export_button)
        outer.addLayout(bar)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.chart = AdherenceChart()
        self.chart.setMinimumHeight(200)
        self.chart.setToolTip("")
        self.splitter.addWidget(self.chart)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("chartTabs")
        self.tabs.setAccessibleName("More charts")
        self.tabs.setDocumentMode(True)
        for key in TABS:
            holder = QWidget()
            holder.setObjectName(f"tab_{key}")
            QVBoxLayout(holder).setContentsMargins(0, 6, 0, 0)
            self.tabs.addTab(holder, TAB_TITLES[key])
        self.tabs.currentChanged.connect(self._ensure_tab)
        self.tabs.setMinimumHeight(220)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        outer.addWidget(self.splitter, 1)

        self.empty_note = plain_label(
            "Nothing to chart yet: tick your habits on the Today page and add your IGF-1 results on the Labs page.",
            muted=True)
        self.empty_note.setVisible(False)
        outer.addWidget(self.empty_note)

        self._shortcut = QShortcut(QKeySequence.StandardKey.Save, self, activated=self.export_dialog)
        self._shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.chart.vb.sigXRangeChanged.connect(self._on_user_range)

        app = QApplication.instance()
        for name in ("checkoffs_changed", "habits_changed", "labs_changed", "settings_changed", "day_changed"):
            signal = getattr(app, name, None)
            if signal is not None:
                signal.connect(self._data_changed)

        self.reload()

    # ------------------------------------------------------------------------------------------- data

    def reload(self) -> None:
        """Read the data again and redraw everything built so far."""
        t0 = time.perf_counter()
        self.data = data = chart_data.load(self.ctx)
        t1 = time.perf_counter()
        self.chart.set_data(data)
        has_anything = bool(data.habits or data.labs)
        self.empty_note.setVisible(not has_anything)
        for key, widget in list(self._tab_widgets.items()):
            self._fill_tab(key, widget)
        self.set_range(self.range_key)
        if self._tab_widgets:
            self._ensure_tab(self.tabs.currentIndex())
        else:  # the first time: let the main chart paint first, then build the open tab
            QTimer.singleShot(0, lambda: self._ensure_tab(self.tabs.currentIndex()))
        self._update_summary()
        self._dirty = False
        self.timings = {"load_ms": (t1 - t0) * 1000, "draw_ms": (time.perf_counter() - t1) * 1000, **data.timings}
        self.reloaded.emit()

    def _data_changed(self, *_args: object) -> None:
        self._dirty = True
        if self.isVisible():
            QTimer.singleShot(0, self._reload_if_dirty)

    def _reload_if_dirty(self) -> None:
        if self._dirty:
            self.reload()

    def showEvent(self, event) -> None:  # noqa: N802, ANN001
        super().showEvent(event)
        if self._dirty:
            QTimer.singleShot(0, self._reload_if_dirty)

    def _update_summary(self) -> None:
        data = self.data
        if data is None:
            return
        parts = []
        recent = [v for v in data.rolling_long[-1:].tolist() if v == v]
        if recent:
            parts.append(f"28-day adherence {recent[0] * 100:.0f} %")
        if data.labs:
            last = data.labs[-1]
            parts.append(f"IGF-1 {igf1.format_value(last.value_ng, data.unit)} on {last.day:%d %b %Y}")
        text = " · ".join(parts)
        self.summary.setText(text)
        self.chart.setAccessibleDescription(
            "Daily adherence in percent with 7- and 28-day averages; IGF-1 results as points on the right axis "
            f"in {data.unit.value}, the target band shaded. " + (text + "." if text else ""))

    # ------------------------------------------------------------------------------------------- range

    def set_range(self, key: str) -> None:
        """Show the last 30 days, 90 days, year, or everything ("30d", "90d", "1y", "all")."""
        if key not in RANGE_LABELS:
            raise ValueError(f"range: {key!r} is not one of {', '.join(RANGE_LABELS)}")
        self.range_key = key
        self._setting_range = True
        try:
            self.chart.set_range_key(key)
        finally:
            self._setting_range = False
        self.range_group.setExclusive(True)
        self.range_buttons[key].setChecked(True)

    def _on_user_range(self, *_args: object) -> None:
        if self._setting_range:
            return
        # Dragged or zoomed by hand: no button describes the view any more.
        self.range_group.setExclusive(False)
        for button in self.range_buttons.values():
            button.setChecked(False)
        self.range_group.setExclusive(True)

    # ------------------------------------------------------------------------------------------- tabs

    def tab_widget(self, key: str) -> QWidget:
        """The content of tab ``key``, built now if needed."""
        self._ensure_tab(TABS.index(key))
        return self._tab_widgets[key]

    def _ensure_tab(self, index: int) -> None:
        if index < 0 or self.data is None:
            return
        key = TABS[index]
        if key in self._tab_widgets:
            return
        builder: Callable[[], QWidget] = getattr(self, f"_build_{key}")
        widget = builder()
        holder = self.tabs.widget(index)
        holder.layout().addWidget(widget)
        self._tab_widgets[key] = widget
        self._fill_tab(key, widget)

    def _link_x(self, vb) -> None:  # noqa: ANN001 (a pyqtgraph ViewBox)
        vb.setXLink(self.chart.vb)
        self._time_plots.append(vb)

    def _build_habits(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName("Habits: calendar, strength and streaks")
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(8)
        row = QHBoxLayout()
        label = QLabel("Habit:")
        self.habit_combo = QComboBox()
        self.habit_combo.setAccessibleName("Habit to show")
        self.habit_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.habit_combo.setMinimumContentsLength(24)  # a very long title must not widen the window
        label.setBuddy(self.habit_combo)
        row.addWidget(label)
        row.addWidget(self.habit_combo, 1)
        self.streak_label = plain_label()
        self.streak_label.setObjectName("streakLabel")
        row.addWidget(self.streak_label, 2)
        layout.addLayout(row)
        self.heatmap = CalendarHeatmap()
        layout.addWidget(self.heatmap)
        self.best_label = plain_label(muted=True)
        self.best_label.setObjectName("bestStreaks")
        layout.addWidget(self.best_label)
        self.strength = StrengthChart()
        self.strength.setMinimumHeight(170)
        self.strength.setMaximumHeight(220)
        self._link_x(self.strength.vb)
        layout.addWidget(self.strength)
        formula = plain_label(
            "Strength is a running average that remembers recent days more than old ones; skipped days leave it "
            "unchanged.", muted=True)
        layout.addWidget(formula)
        layout.addStretch(1)
        scroll.setWidget(inner)
        self.habit_combo.currentIndexChanged.connect(self._show_habit)
        return scroll

    def _build_sleep(self) -> QWidget:
        self.sleep_chart = SleepChart()
        self._link_x(self.sleep_chart.vb)
        return self.sleep_chart

    def _build_protein(self) -> QWidget:
        self.protein_chart = ProteinChart()
        self._link_x(self.protein_chart.vb)
        return self.protein_chart

    def _build_training(self) -> QWidget:
        self.training_chart = TrainingChart()
        self._link_x(self.training_chart.vb)
        return self.training_chart

    def _build_tests(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.tests_table = QTableWidget()
        self.tests_table.setObjectName("testsTable")
        self.tests_table.setAccessibleName("Adherence before each test")
        self.tests_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tests_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tests_table.verticalHeader().setVisible(False)
        self.tests_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.tests_table.setAlternatingRowColors(True)
        self.tests_table.setWordWrap(False)
        split.addWidget(self.tests_table)
        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.setSpacing(4)
        row = QHBoxLayout()
        label = QLabel("Weeks before each test:")
        self.weeks_spin = QSpinBox()
        self.weeks_spin.setRange(1, 26)
        self.weeks_spin.setValue(analysis.DEFAULT_WINDOW_WEEKS)
        self.weeks_spin.setAccessibleName("Weeks before each test")
        self.weeks_spin.setToolTip("How many weeks before each blood draw count as its window")
        label.setBuddy(self.weeks_spin)
        row.addWidget(label)
        row.addWidget(self.weeks_spin)
        row.addStretch(1)
        rlay.addLayout(row)
        self.scatter = AdherenceResultScatter()
        self.scatter.setMinimumWidth(220)
        rlay.addWidget(self.scatter, 1)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([700, 300])
        layout.addWidget(split, 1)
        self.caption = plain_label()
        self.caption.setObjectName("correlationCaption")
        self.caption.setAccessibleName("What the correlation means")
        layout.addWidget(self.caption)
        self.weeks_spin.valueChanged.connect(lambda _v: self._fill_tests())
        return box

    def _fill_tab(self, key: str, widget: QWidget) -> None:
        data = self.data
        if data is None:
            return
        if key == "habits":
            current = self.habit_combo.currentData()
            self.habit_combo.blockSignals(True)
            self.habit_combo.clear()
            for h in data.habits:
                title = h.title if h.spec.category not in CATEGORY_TITLES else (
                    f"{h.title} ({CATEGORY_TITLES[h.spec.category]})")
                self.habit_combo.addItem(title, h.key)
            index = max(0, self.habit_combo.findData(current)) if current else 0
            self.habit_combo.setCurrentIndex(index)
            self.habit_combo.blockSignals(False)
            self._show_habit()
        elif key == "sleep":
            self.sleep_chart.set_data(data)
        elif key == "protein":
            self.protein_chart.set_data(data)
        elif key == "training":
            self.training_chart.set_data(data)
        elif key == "tests":
            self._fill_tests()

    def _show_habit(self, *_args: object) -> None:
        data = self.data
        key = self.habit_combo.currentData()
        if data is None or key is None:
            self.streak_label.setText("")
            self.best_label.setText("")
            return
        habit = data.habit(key)
        self.heatmap.set_series(data.start, habit.status, habit.title)
        self.strength.set_habit(data, habit)
        best, current = habit.streaks()
        unit = "week" if best and best[0].unit == "week" else (
            "week" if habit.spec.schedule.kind == "per_week" else "day")
        plural = "s" if current != 1 else ""
        today_strength = habit.strength[-1]
        strength = f"strength {today_strength * 100:.0f} %" if today_strength == today_strength else ""
        self.streak_label.setText(f"Current streak: {current} {unit}{plural}" + (f" · {strength}" if strength else ""))
        if best:
            items = [f"{s.length} {s.unit}{'s' if s.length != 1 else ''} ({s.start:%d %b %Y} – {s.end:%d %b %Y})"
                     for s in best[:3]]
            self.best_label.setText("Best streaks: " + "; ".join(items))
        else:
            self.best_label.setText("No streak yet.")

    def _fill_tests(self) -> None:
        data = self.data
        if data is None:
            return
        weeks = self.weeks_spin.value()
        windows = data.windows(weeks)
        cats = data.categories
        headers = ["Date", f"IGF-1 ({data.unit.value})", "Change", "All",
                   *(SHORT_TITLES.get(c, CATEGORY_TITLES.get(c, c)) for c in cats)]
        table = self.tests_table
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(windows))
        unit = data.unit
        for row, w in enumerate(reversed(windows)):  # newest first
            cells = [
                (f"{w.day:%d %b %Y}", None),
                (igf1.format_value(w.value_ng, unit, with_unit=False), None),
                ("–" if w.change_ng is None else _signed(igf1.from_ng_ml(w.change_ng, unit), unit), None),
                (_pct(w.overall.ratio) + ("" if w.usable else " *"), _window_tip(w.overall, weeks, w.usable)),
            ]
            for c in cats:
                wa = w.by_category.get(c)
                cells.append((_pct(wa.ratio if wa else None), _window_tip(wa, weeks, True) if wa else None))
            for col, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if tip:
                    item.setToolTip(tip)
                table.setItem(row, col, item)
        for col, title in enumerate(headers[3:], start=3):
            full = "All habits" if col == 3 else CATEGORY_TITLES.get(cats[col - 4], title)
            table.horizontalHeaderItem(col).setToolTip(
                f"{full}: share of the items due in the {weeks} weeks before the test that were done")
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        corr = data.correlation(weeks)
        self.scatter.set_windows(data, windows, corr, weeks)
        note = ""
        if any(not w.usable for w in windows):
            note = " * Too little history before the test (under half of its window): left out of r."
        self.caption.setText(analysis.correlation_caption(corr, weeks) + note)
        self.caption.setToolTip(analysis.ANALYSIS_TEXT)

    # ------------------------------------------------------------------------------------------- export

    def export_dialog(self) -> None:
        """Ask where to save the main chart (PNG or SVG by the chosen name)."""
        filters = ";;".join(f"{name} (*{ext})" for ext, name in FORMATS.items())
        path, chosen = QFileDialog.getSaveFileName(self, "Export chart", str(Path.home() / "igf-coach-chart.png"),
                                                   filters)
        if not path:
            return
        if Path(path).suffix.lower() not in FORMATS:
            path += ".svg" if "SVG" in chosen else ".png"
        try:
            self.export_to(path)
        except ExportError as exc:
            QMessageBox.warning(self, "Export chart", str(exc))

    def export_to(self, path: str | Path) -> Path:
        """Save the main chart to ``path`` (PNG or SVG by extension)."""
        return export_item(self.chart.plot_item, path, background=self.chart.background_colour())

    # ------------------------------------------------------------------------------------------- theme

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and not self._restyle_pending:
            self._restyle_pending = True
            QTimer.singleShot(0, self.restyle)

    def restyle(self) -> None:
        """Re-read the palette into every chart built so far."""
        self._restyle_pending = False
        self.chart.restyle()
        for key, widget in self._tab_widgets.items():
            if key == "habits":
                self.heatmap.restyle()
                self.strength.restyle()
            elif key == "tests":
                self.scatter.restyle()
            else:
                widget.restyle()  # type: ignore[attr-defined]


def _signed(value: float, unit: igf1.Unit) -> str:
    dp = 0 if unit is igf1.Unit.NG_ML else 1
    return f"{value:+.{dp}f}"


def _window_tip(w: analysis.WindowAdherence | None, weeks: int, usable: bool) -> str | None:
    if w is None:
        return None
    text = (f"{w.done} of {w.due} due items done in the {weeks} weeks before the test; "
            f"{w.covered} of {w.days} days had something due.")
    if not usable:
        text += " Too little history: left out of the correlation."
    return text
