"""The smaller charts below the main one: habit strength, sleep, protein, training, and adherence vs result.

Every time chart has a date axis and pans and zooms on x only; the page links their x range to the main chart,
so the range buttons move them all.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from igfcoach.core import analysis, igf1
from igfcoach.services.chart_data import DAY_S, ChartData, HabitSeries
from igfcoach.ui.charts.style import ChartStyle, style_for, style_legend, style_plot, style_view


def _curve(**kwargs: object) -> pg.PlotDataItem:
    item = pg.PlotDataItem(connect="finite", **kwargs)
    item.setClipToView(True)
    item.setDownsampling(auto=True, method="peak")
    return item


class TimePlot(pg.PlotWidget):
    """A plot with a date axis, no context menu, x-only mouse, and a legend along its top."""

    def __init__(self, accessible_name: str, left_label: str, parent: QWidget | None = None, *,
                 legend_columns: int = 4) -> None:
        super().__init__(parent, axisItems={"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0)})
        self.setAccessibleName(accessible_name)
        self.plot_item = self.getPlotItem()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.hideButtons()
        self.plot_item.setMouseEnabled(x=True, y=False)
        self.plot_item.setLabel("left", left_label)
        self.plot_item.getAxis("left").enableAutoSIPrefix(False)
        self.vb = self.plot_item.getViewBox()
        self.vb.disableAutoRange()
        self.legend = pg.LegendItem(offset=(6, 2), colCount=legend_columns, horSpacing=6)
        self.legend.setParentItem(self.vb)
        self._style: ChartStyle | None = None

    def add_legend(self, item: pg.GraphicsObject, name: str) -> None:
        self.legend.addItem(item, name)
        sample, _label = self.legend.items[-1]
        sample.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def restyle(self) -> None:
        self._style = style_for(self)
        style_view(self, self._style)
        style_plot(self.plot_item, self._style)
        style_legend(self.legend, self._style)
        self.apply_style(self._style)

    def apply_style(self, style: ChartStyle) -> None:  # overridden
        pass


class StrengthChart(TimePlot):
    """One habit's strength (0–100 %) over time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Habit strength over time", "Strength (%)", parent)
        self.curve = _curve(name="Strength")
        self.plot_item.addItem(self.curve)
        self.plot_item.getAxis("left").setTicks([[(v, f"{v}") for v in (0, 25, 50, 75, 100)]])
        self.vb.setYRange(0, 105, padding=0)
        self.restyle()

    def set_habit(self, data: ChartData, habit: HabitSeries) -> None:
        self.curve.setData(data.x + DAY_S / 2, habit.strength * 100)
        self.setAccessibleDescription(
            f"Strength of {habit.title} over time; today {np.nan_to_num(habit.strength[-1]) * 100:.0f} %.")

    def apply_style(self, style: ChartStyle) -> None:
        self.curve.setPen(pg.mkPen(style.accent, width=2))
        fill = pg.mkBrush(style.accent.red(), style.accent.green(), style.accent.blue(), 40)
        self.curve.setFillLevel(0)
        self.curve.setFillBrush(fill)


class SleepChart(pg.GraphicsLayoutWidget):
    """Sleep hours (each night faint, the 7-night average, the 7–9 h band) and bedtime regularity."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Sleep chart")
        self.hours_plot = self.addPlot(row=0, col=0, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        self.sd_plot = self.addPlot(row=1, col=0, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        self.ci.layout.setRowStretchFactor(0, 3)
        self.ci.layout.setRowStretchFactor(1, 2)
        for p in (self.hours_plot, self.sd_plot):
            p.setMenuEnabled(False)
            p.hideButtons()
            p.setMouseEnabled(x=True, y=False)
            p.getViewBox().disableAutoRange()
            p.getAxis("left").enableAutoSIPrefix(False)
            p.getAxis("left").setWidth(52)
        self.sd_plot.setXLink(self.hours_plot)
        self.hours_plot.setLabel("left", "Sleep (h)")
        self.sd_plot.setLabel("left", "Spread (min)")
        self.band = pg.LinearRegionItem(values=(7, 9), orientation="horizontal", movable=False)
        for line in self.band.lines:
            line.setPen(pg.mkPen(None))
            line.setHoverPen(pg.mkPen(None))
        self.band.setZValue(-10)
        self.hours_plot.addItem(self.band)
        self.nightly = _curve(name="Each night")
        self.avg = _curve(name="7-night average")
        self.sd = _curve(name="Bedtime spread (SD over 28 nights)")
        self.hours_plot.addItem(self.nightly)
        self.hours_plot.addItem(self.avg)
        self.sd_plot.addItem(self.sd)
        self.legend = pg.LegendItem(offset=(6, 2), colCount=3, horSpacing=6)
        self.legend.setParentItem(self.hours_plot.getViewBox())
        self._band_sample = pg.BarGraphItem(x=[0], height=[1], width=1)
        self.legend.addItem(self.nightly, "Each night")
        self.legend.addItem(self.avg, "7-night average")
        self.legend.addItem(self._band_sample, "7–9 h")
        self.sd_legend = pg.LegendItem(offset=(6, 2), colCount=1)
        self.sd_legend.setParentItem(self.sd_plot.getViewBox())
        self.sd_legend.addItem(self.sd, "Bedtime spread: SD of bedtimes over the last 28 nights")
        for legend in (self.legend, self.sd_legend):
            for sample, _label in legend.items:
                sample.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.vb = self.hours_plot.getViewBox()
        self.restyle()

    def set_data(self, data: ChartData) -> None:
        sleep = data.sleep
        if sleep is None:
            return
        x = data.x + DAY_S / 2
        self.nightly.setData(x, sleep.hours)
        self.avg.setData(x, sleep.hours_avg7)
        self.sd.setData(x, sleep.bedtime_sd)
        top = max(10.5, float(np.nanmax(sleep.hours)) + 1.2) if np.isfinite(sleep.hours).any() else 11.0
        self.hours_plot.setYRange(3.5, top, padding=0)
        sd_top = float(np.nanmax(sleep.bedtime_sd)) if np.isfinite(sleep.bedtime_sd).any() else 60.0
        self.sd_plot.setYRange(0, max(30.0, sd_top) * 1.5, padding=0)
        mean_h = analysis.mean(v for v in sleep.hours[-28:].tolist() if v == v)
        self.setAccessibleDescription(
            "Sleep per night with a 7-night average and the 7–9 hour band; below, how much bedtimes varied."
            + (f" Last 4 weeks: {mean_h:.1f} h a night on average." if mean_h is not None else ""))

    def restyle(self) -> None:
        style = style_for(self)
        self.setBackground(style.background)
        for p in (self.hours_plot, self.sd_plot):
            style_plot(p, style)
        style_legend(self.legend, style)
        style_legend(self.sd_legend, style)
        self.band.setBrush(pg.mkBrush(style.band))
        self.band.setHoverBrush(pg.mkBrush(style.band))
        self._band_sample.setOpts(brush=pg.mkBrush(style.band), pen=pg.mkPen(None))
        self.nightly.setPen(pg.mkPen(style.daily, width=1))
        self.avg.setPen(pg.mkPen(style.short, width=2))
        self.sd.setPen(pg.mkPen(style.secondary, width=1.8))


class ProteinChart(TimePlot):
    """Protein per day against the target."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Protein against target chart", "Protein (g)", parent)
        self.daily = _curve(name="Each day")
        self.avg = _curve(name="7-day average")
        self.target = pg.InfiniteLine(angle=0, movable=False)
        self.plot_item.addItem(self.target)
        self.plot_item.addItem(self.daily)
        self.plot_item.addItem(self.avg)
        self._target_sample = pg.PlotDataItem()
        self.add_legend(self.daily, "Each day")
        self.add_legend(self.avg, "7-day average")
        self.add_legend(self._target_sample, "Target")
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
        self.vb.setYRange(0, max(float(top), protein.target_g) * 1.25, padding=0)
        recent = [v for v in protein.avg7[-1:].tolist() if v == v]
        self.setAccessibleDescription(
            f"Protein per day against a target of {protein.target_g:g} g."
            + (f" 7-day average now {recent[0]:.0f} g." if recent else ""))

    def apply_style(self, style: ChartStyle) -> None:
        self.daily.setPen(pg.mkPen(style.daily, width=1))
        self.avg.setPen(pg.mkPen(style.short, width=2))
        pen = pg.mkPen(style.within, width=1.5, style=Qt.PenStyle.DashLine)
        self.target.setPen(pen)
        self._target_sample.setPen(pen)


class TrainingChart(pg.GraphicsLayoutWidget):
    """Sessions per week (resistance and HIIT, stacked) and the weekly load lifted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Training volume chart")
        self.sessions_plot = self.addPlot(row=0, col=0, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        self.load_plot = self.addPlot(row=1, col=0, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        for p in (self.sessions_plot, self.load_plot):
            p.setMenuEnabled(False)
            p.hideButtons()
            p.setMouseEnabled(x=True, y=False)
            p.getViewBox().disableAutoRange()
            p.getAxis("left").enableAutoSIPrefix(False)
            p.getAxis("left").setWidth(52)
        self.load_plot.setXLink(self.sessions_plot)
        self.sessions_plot.setLabel("left", "Sessions")
        self.load_plot.setLabel("left", "Load (t)")
        self.resistance = pg.BarGraphItem(x=[0], height=[0], width=1)
        self.hiit = pg.BarGraphItem(x=[0], height=[0], width=1)
        self.sessions_plot.addItem(self.resistance)
        self.sessions_plot.addItem(self.hiit)
        self.tonnage = _curve(name="Load lifted per week")
        self.load_plot.addItem(self.tonnage)
        self.legend = pg.LegendItem(offset=(6, 2), colCount=2, horSpacing=6)
        self.legend.setParentItem(self.sessions_plot.getViewBox())
        self.legend.addItem(self.resistance, "Resistance sessions per week")
        self.legend.addItem(self.hiit, "HIIT sessions per week")
        self.load_legend = pg.LegendItem(offset=(6, 2))
        self.load_legend.setParentItem(self.load_plot.getViewBox())
        self.load_legend.addItem(self.tonnage, "Load lifted per week (sets × reps × weight)")
        for legend in (self.legend, self.load_legend):
            for sample, _label in legend.items:
                sample.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.vb = self.sessions_plot.getViewBox()
        self.restyle()

    def set_data(self, data: ChartData) -> None:
        t = data.training
        x = t.week_x + 3.5 * DAY_S  # bars centred on their week
        width = 5.5 * DAY_S
        self.resistance.setOpts(x=x, height=t.resistance, width=width)
        self.hiit.setOpts(x=x, y0=t.resistance, height=t.hiit, width=width)
        total = t.resistance + t.hiit
        top = float(total.max()) if len(total) else 0.0
        self.sessions_plot.setYRange(0, max(6.0, top) * 1.6, padding=0)  # headroom for the legend
        if t.tonnage is not None and len(t.tonnage):
            self.tonnage.setData(x, t.tonnage / 1000.0)
            self.load_plot.setYRange(0, max(1.0, float(t.tonnage.max()) / 1000.0) * 1.5, padding=0)
            self.load_plot.setVisible(True)
        else:
            self.load_plot.setVisible(False)
        recent = total[-4:]
        self.setAccessibleDescription(
            "Training sessions per week, resistance and HIIT stacked, and the load lifted per week."
            + (f" Last 4 weeks: {recent.mean():.1f} sessions a week." if len(recent) else ""))

    def restyle(self) -> None:
        style = style_for(self)
        self.setBackground(style.background)
        for p in (self.sessions_plot, self.load_plot):
            style_plot(p, style)
        style_legend(self.legend, style)
        style_legend(self.load_legend, style)
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
        usable = [w for w in windows if w.usable]
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
        self.restyle()

    def _tip(self, x: float, y: float, data: object) -> str:  # noqa: ARG002
        return self._tips[data] if isinstance(data, int) and 0 <= data < len(self._tips) else ""

    def restyle(self) -> None:
        style = style_for(self)
        style_view(self, style)
        style_plot(self.plot_item, style)
        self.points.setBrush(pg.mkBrush(style.accent))
        self.points.setPen(pg.mkPen(style.background, width=1))
