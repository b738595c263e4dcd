"""The smaller charts below the main one: habit strength, sleep, protein, training, and adherence vs result.

Every time chart has a date axis and pans and zooms on x only; the page links their x range to the main chart.
Their axes have the main chart's widths, so the same date sits at the same place on screen in every chart.
Legends are a line of text above each chart, so they never cover the data.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from igfcoach.core import analysis, igf1
from igfcoach.services.chart_data import DAY_S, ChartData, HabitSeries
from igfcoach.ui.charts.style import (
    AXIS_WIDTH,
    ChartStyle,
    style_for,
    style_plot,
    style_view,
)

# (colour role in ChartStyle, mark, text)
LegendEntry = tuple[str, str, str]
_MARKS = {"line": "\u2501\u2501", "box": "\u25a0", "dash": "\u2505\u2505", "thin": "\u2500\u2500"}


class LegendRow(QLabel):
    """A one-line key: a coloured mark and a label per entry (fixed texts only, never the person's)."""

    def __init__(self, entries: list[LegendEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries = entries
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setContentsMargins(AXIS_WIDTH, 0, 0, 0)
        self.setAccessibleName("Key: " + "; ".join(text for _role, _mark, text in entries))
        self.restyle()

    def restyle(self) -> None:
        style = style_for(self)
        parts = []
        for role, mark, text in self.entries:
            colour = getattr(style, role)
            parts.append(f"<span style='color:{colour.name()}'>{_MARKS[mark]}</span>&nbsp;{html.escape(text)}")
        self.setText("&nbsp;&nbsp;&nbsp; ".join(parts))

    def plain(self) -> str:
        return "; ".join(text for _role, _mark, text in self.entries)


def _curve() -> pg.PlotDataItem:
    item = pg.PlotDataItem(connect="finite")
    item.setClipToView(True)
    item.setDownsampling(auto=True, method="peak")
    return item


def setup_time_plot(plot: pg.PlotItem, left_label: str) -> None:
    """x-only mouse, no menu, the main chart's axis widths (right axis present but empty)."""
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=True, y=False)
    plot.getViewBox().disableAutoRange()
    plot.setLabel("left", left_label)
    left = plot.getAxis("left")
    left.enableAutoSIPrefix(False)
    left.setWidth(AXIS_WIDTH)
    plot.showAxis("right")
    right = plot.getAxis("right")
    right.setStyle(showValues=False)
    right.setWidth(AXIS_WIDTH)


def _time_view() -> pg.PlotWidget:
    return pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0)})


class _Chart(QWidget):
    """A legend row above a pyqtgraph widget."""

    def __init__(self, accessible_name: str, entries: list[LegendEntry], view: pg.GraphicsView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.legend = LegendRow(entries)
        self.view = view
        view.setAccessibleName(accessible_name)
        layout.addWidget(self.legend)
        layout.addWidget(view, 1)

    def plots(self) -> list[pg.PlotItem]:
        return [self.view.getPlotItem()] if isinstance(self.view, pg.PlotWidget) else []

    def restyle(self) -> None:
        style = style_for(self)
        self.legend.restyle()
        style_view(self.view, style)
        for plot in self.plots():
            style_plot(plot, style)
        self.apply_style(style)

    def apply_style(self, style: ChartStyle) -> None:  # overridden
        pass


class StrengthChart(_Chart):
    """One habit's strength (0–100 %) over time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Habit strength over time", [("accent", "line", "Strength of the habit (0–100 %)")],
                         _time_view(), parent)
        self.plot_item = self.view.getPlotItem()
        setup_time_plot(self.plot_item, "Strength (%)")
        self.vb = self.plot_item.getViewBox()
        self.curve = _curve()
        self.plot_item.addItem(self.curve)
        self.plot_item.getAxis("left").setTicks([[(v, f"{v}") for v in (0, 50, 100)]])
        self.vb.setYRange(0, 105, padding=0)
        self.restyle()

    def set_habit(self, data: ChartData, habit: HabitSeries) -> None:
        self.curve.setData(data.x + DAY_S / 2, habit.strength * 100)
        now = habit.strength[-1]
        self.view.setAccessibleDescription(
            f"Strength of {habit.title} over time" + (f"; today {now * 100:.0f} %." if now == now else "."))

    def apply_style(self, style: ChartStyle) -> None:
        self.curve.setPen(pg.mkPen(style.accent, width=2))
        self.curve.setFillLevel(0)
        self.curve.setFillBrush(pg.mkBrush(style.accent.red(), style.accent.green(), style.accent.blue(), 40))


class SleepChart(_Chart):
    """Sleep hours (each night faint, the 7-night average, the 7–9 h band) and bedtime regularity."""

    def __init__(self, parent: QWidget | None = None) -> None:
        view = pg.GraphicsLayoutWidget()
        super().__init__("Sleep chart", [
            ("daily", "thin", "Each night"), ("short", "line", "7-night average"), ("band_solid", "box", "7–9 h"),
            ("secondary", "line", "Bedtime spread: SD of bedtimes over 28 nights"),
        ], view, parent)
        view.ci.layout.setContentsMargins(0, 0, 0, 0)  # the main chart has none: keep the dates aligned
        self.hours_plot = view.addPlot(row=0, col=0, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        self.sd_plot = view.addPlot(row=1, col=0, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        view.ci.layout.setRowStretchFactor(0, 3)
        view.ci.layout.setRowStretchFactor(1, 2)
        setup_time_plot(self.hours_plot, "Sleep (h)")
        setup_time_plot(self.sd_plot, "Spread (min)")
        self.sd_plot.setXLink(self.hours_plot)
        self.band = pg.LinearRegionItem(values=(7, 9), orientation="horizontal", movable=False)
        for line in self.band.lines:
            line.setPen(pg.mkPen(None))
            line.setHoverPen(pg.mkPen(None))
        self.band.setZValue(-10)
        self.hours_plot.addItem(self.band)
        self.nightly = _curve()
        self.avg = _curve()
        self.sd = _curve()
        self.hours_plot.addItem(self.nightly)
        self.hours_plot.addItem(self.avg)
        self.sd_plot.addItem(self.sd)
        self.vb = self.hours_plot.getViewBox()
        self.restyle()

    def plots(self) -> list[pg.PlotItem]:
        return [self.hours_plot, self.sd_plot]

    def set_data(self, data: ChartData) -> None:
        sleep = data.sleep
        if sleep is None:
            return
        x = data.x + DAY_S / 2
        self.nightly.setData(x, sleep.hours)
        self.avg.setData(x, sleep.hours_avg7)
        self.sd.setData(x, sleep.bedtime_sd)
        top = max(10.0, float(np.nanmax(sleep.hours)) + 0.5) if np.isfinite(sleep.hours).any() else 10.0
        self.hours_plot.setYRange(4.0, top, padding=0)
        sd_top = float(np.nanmax(sleep.bedtime_sd)) if np.isfinite(sleep.bedtime_sd).any() else 60.0
        self.sd_plot.setYRange(0, max(30.0, sd_top * 1.15), padding=0)
        mean_h = analysis.mean(v for v in sleep.hours[-28:].tolist() if v == v)
        self.view.setAccessibleDescription(
            "Sleep per night with a 7-night average and the 7–9 hour band; below, how much bedtimes varied."
            + (f" Last 4 weeks: {mean_h:.1f} h a night on average." if mean_h is not None else ""))

    def apply_style(self, style: ChartStyle) -> None:
        self.band.setBrush(pg.mkBrush(style.band))
        self.band.setHoverBrush(pg.mkBrush(style.band))
        self.nightly.setPen(pg.mkPen(style.daily, width=1))
        self.avg.setPen(pg.mkPen(style.short, width=2))
        self.sd.setPen(pg.mkPen(style.secondary, width=1.8))


class ProteinChart(_Chart):
    """Protein per day against the target."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Protein against target chart", [
            ("daily", "thin", "Each day"), ("short", "line", "7-day average"), ("within", "dash", "Target"),
        ], _time_view(), parent)
        self.plot_item = self.view.getPlotItem()
        setup_time_plot(self.plot_item, "Protein (g)")
        self.vb = self.plot_item.getViewBox()
        self.daily = _curve()
        self.avg = _curve()
        self.target = pg.InfiniteLine(angle=0, movable=False)
        for item in (self.target, self.daily, self.avg):
            self.plot_item.addItem(item)
        self.restyle()

    def set_data(self, data: ChartData) -> None:
        protein = data.protein
        if protein is None:
            return
        x = data.x + DAY_S / 2
        self.daily.setData(x, protein.grams)
        self.avg.setData(x, protein.avg7)
        self.target.setValue(protein.target_g)
        top = np.nanmax(protein.grams) if np.isfinite(protein.grams).any() else protein.target_g
        self.vb.setYRange(0, max(float(top), protein.target_g) * 1.1, padding=0)
        recent = [v for v in protein.avg7[-1:].tolist() if v == v]
        self.view.setAccessibleDescription(
            f"Protein per day against a target of {protein.target_g:g} g."
            + (f" 7-day average now {recent[0]:.0f} g." if recent else ""))

    def apply_style(self, style: ChartStyle) -> None:
        self.daily.setPen(pg.mkPen(style.daily, width=1))
        self.avg.setPen(pg.mkPen(style.short, width=2))
        self.target.setPen(pg.mkPen(style.within, width=1.5, style=Qt.PenStyle.DashLine))


class TrainingChart(_Chart):
    """Sessions per week (resistance and HIIT, stacked) and the weekly load lifted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        view = pg.GraphicsLayoutWidget()
        super().__init__("Training volume chart", [
            ("accent", "box", "Resistance sessions"), ("secondary", "box", "HIIT sessions (per week)"),
            ("long", "line", "Load lifted per week: sets × reps × weight"),
        ], view, parent)
        view.ci.layout.setContentsMargins(0, 0, 0, 0)  # the main chart has none: keep the dates aligned
        self.sessions_plot = view.addPlot(row=0, col=0, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        self.load_plot = view.addPlot(row=1, col=0, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        setup_time_plot(self.sessions_plot, "Sessions")
        setup_time_plot(self.load_plot, "Load (t)")
        self.load_plot.setXLink(self.sessions_plot)
        self.resistance = pg.BarGraphItem(x=[0], height=[0], width=1)
        self.hiit = pg.BarGraphItem(x=[0], height=[0], width=1)
        self.sessions_plot.addItem(self.resistance)
        self.sessions_plot.addItem(self.hiit)
        self.tonnage = _curve()
        self.load_plot.addItem(self.tonnage)
        self.vb = self.sessions_plot.getViewBox()
        self.restyle()

    def plots(self) -> list[pg.PlotItem]:
        return [self.sessions_plot, self.load_plot]

    def set_data(self, data: ChartData) -> None:
        t = data.training
        x = t.week_x + 3.5 * DAY_S  # bars centred on their week
        width = 5.5 * DAY_S
        self.resistance.setOpts(x=x, height=t.resistance, width=width)
        self.hiit.setOpts(x=x, y0=t.resistance, height=t.hiit, width=width)
        total = t.resistance + t.hiit
        top = float(total.max()) if len(total) else 0.0
        self.sessions_plot.setYRange(0, max(5.0, top) * 1.1, padding=0)
        if t.tonnage is not None and len(t.tonnage):
            self.tonnage.setData(x, t.tonnage / 1000.0)
            self.load_plot.setYRange(0, max(1.0, float(t.tonnage.max()) / 1000.0) * 1.1, padding=0)
            self.load_plot.setVisible(True)
        else:
            self.load_plot.setVisible(False)
        recent = total[-5:-1]  # the last four whole weeks
        self.view.setAccessibleDescription(
            "Training sessions per week, resistance and HIIT stacked, and the load lifted per week."
            + (f" Last 4 weeks: {recent.mean():.1f} sessions a week." if len(recent) else ""))

    def apply_style(self, style: ChartStyle) -> None:
        self.resistance.setOpts(brush=pg.mkBrush(style.accent), pen=pg.mkPen(None))
        self.hiit.setOpts(brush=pg.mkBrush(style.secondary), pen=pg.mkPen(None))
        self.tonnage.setPen(pg.mkPen(style.long, width=2))


class AdherenceResultScatter(pg.PlotWidget):
    """Window adherence (x, %) against the result (y), one point per usable test."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Adherence before each test against the result")
        self.plot_item = self.getPlotItem()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.hideButtons()
        self.plot_item.setMouseEnabled(x=False, y=False)
        self.plot_item.setLabel("bottom", "Adherence before test (%)")
        self.plot_item.getAxis("left").enableAutoSIPrefix(False)
        self.plot_item.getAxis("bottom").enableAutoSIPrefix(False)
        self.points = pg.ScatterPlotItem(size=9, pxMode=True, hoverable=True, tip=self._tip)
        self.plot_item.addItem(self.points)
        self._tips: list[str] = []
        self.restyle()

    def set_windows(self, data: ChartData, windows: list[analysis.TestWindow], corr: analysis.Correlation,
                    weeks: int) -> None:
        unit = data.unit
        self.plot_item.setLabel("left", f"IGF-1 ({unit.value})")
        usable = [w for w in windows if w.usable and w.overall.ratio is not None]
        xs = [w.overall.ratio * 100 for w in usable]  # type: ignore[operator]
        ys = [igf1.from_ng_ml(w.value_ng, unit) for w in usable]
        self._tips = [f"{w.day:%d %b %Y}: {igf1.format_value(w.value_ng, unit)}, "
                      f"{x:.0f} % of due items done in the {weeks} weeks before" for w, x in zip(usable, xs, strict=True)]
        self.points.setData(x=xs, y=ys, data=list(range(len(usable))))
        r_text = f"r = {corr.r:.2f}" if corr.r is not None else "r: not enough tests"
        self.plot_item.setTitle(f"{r_text}, n = {corr.n}")
        if xs:
            self.plot_item.setXRange(max(0.0, min(xs) - 5), min(100.0, max(xs) + 5), padding=0)
            lo, hi = min(ys), max(ys)
            pad = max(0.15 * (hi - lo), 5.0 if unit is igf1.Unit.NG_ML else 0.7)
            self.plot_item.setYRange(lo - pad, hi + pad, padding=0)
        self.setAccessibleDescription(f"{len(xs)} tests; {r_text}, n = {corr.n}.")
        self.restyle()

    def _tip(self, x: float, y: float, data: object) -> str:  # noqa: ARG002
        return self._tips[data] if isinstance(data, int) and 0 <= data < len(self._tips) else ""

    def restyle(self) -> None:
        style = style_for(self)
        style_view(self, style)
        style_plot(self.plot_item, style)
        self.points.setBrush(pg.mkBrush(style.accent))
        self.points.setPen(pg.mkPen(style.background, width=1))
