"""The main chart: daily adherence with 7- and 28-day averages, and IGF-1 results on a second axis.

- Left axis: adherence in % (the daily values thin and faint, the rolling averages on top).
- Right axis: IGF-1 in the preferred unit, the target band shaded, each result as a point coloured and shaped
  by where it lies against the band (▼ below, ● within, ▲ above) with its lab's own range as a thin bar with
  short ticks at the limits. Hovering a point shows its date, value, unit and classification.
- Only the x axis pans and zooms (drag, wheel); the curves clip to the view and downsample, so panning ten
  years stays smooth.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from igfcoach.core import igf1
from igfcoach.services.chart_data import DAY_S, ChartData
from igfcoach.ui.charts.style import (
    AXIS_WIDTH,
    POSITION_SYMBOL,
    ChartStyle,
    style_for,
    style_legend,
    style_plot,
    style_view,
)

RANGES: dict[str, int | None] = {"30d": 30, "90d": 90, "1y": 365, "all": None}
RANGE_LABELS = {"30d": "30 days", "90d": "90 days", "1y": "1 year", "all": "All"}
ADHERENCE_TOP = 118.0  # headroom above 100 % for the legend


def x_window(data: ChartData, key: str) -> tuple[float, float]:
    """The x range (seconds) a range button shows: the last N days up to the end of today, or everything."""
    end = data.x_of(data.end) + DAY_S
    days = RANGES[key]
    if days is None:
        start = data.x_of(data.start)
        if end - start < 30 * DAY_S:
            start = end - 30 * DAY_S
        return start - DAY_S / 2, end + DAY_S / 2
    return end - days * DAY_S, end


class AdherenceChart(pg.PlotWidget):
    """The main chart. ``hovered`` carries the tooltip text of the lab point under the mouse ("" when none)."""

    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        self._date_axis = pg.DateAxisItem(orientation="bottom", utcOffset=0)
        super().__init__(parent, axisItems={"bottom": self._date_axis})
        self.setAccessibleName("Adherence and IGF-1 chart")
        self.data: ChartData | None = None
        self.hover_text = ""
        self._style: ChartStyle | None = None
        pi = self.getPlotItem()
        self.plot_item = pi
        pi.setMenuEnabled(False)
        pi.hideButtons()
        pi.setMouseEnabled(x=True, y=False)
        pi.setLabel("left", "Adherence", units="%")
        pi.getAxis("left").setTicks([[(v, f"{v}") for v in (0, 25, 50, 75, 100)]])
        pi.getAxis("left").enableAutoSIPrefix(False)
        pi.getAxis("left").setWidth(AXIS_WIDTH)
        self.vb = pi.getViewBox()
        self.vb.setYRange(0, ADHERENCE_TOP, padding=0)
        self.vb.disableAutoRange()

        self.daily = pg.PlotDataItem(connect="finite", name="Daily")
        self.avg_short = pg.PlotDataItem(connect="finite", name="7-day average")
        self.avg_long = pg.PlotDataItem(connect="finite", name="28-day average")
        for curve in (self.daily, self.avg_short, self.avg_long):
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
            pi.addItem(curve)

        # The IGF-1 axis: a second view box on top of the first (a child of the plot, so exports include it),
        # kept to the same geometry, x linked.
        self.igf_vb = pg.ViewBox(enableMenu=False)
        self.igf_vb.setMouseEnabled(x=True, y=False)
        self.igf_vb.setParentItem(pi)
        self.igf_vb.setZValue(self.vb.zValue() + 1)
        self.vb.sigResized.connect(self._sync_geometry)
        pi.showAxis("right")
        self.igf_axis = pi.getAxis("right")
        self.igf_axis.linkToView(self.igf_vb)
        self.igf_axis.enableAutoSIPrefix(False)
        self.igf_axis.setWidth(AXIS_WIDTH)
        self.igf_vb.setXLink(self.vb)
        self.igf_vb.disableAutoRange()
        self.band = pg.LinearRegionItem(orientation="horizontal", movable=False)
        for line in self.band.lines:
            line.setPen(pg.mkPen(None))
            line.setHoverPen(pg.mkPen(None))
        self.band.setZValue(-10)
        self.igf_vb.addItem(self.band)
        self.ranges = pg.PlotCurveItem(connect="pairs")
        self.range_ticks = pg.ScatterPlotItem(symbol="_", size=9, pxMode=True)
        self.points = pg.ScatterPlotItem(size=10, pxMode=True, hoverable=True, tip=self._tip)
        self.points.sigHovered.connect(self._on_hover)
        for item in (self.ranges, self.range_ticks, self.points):
            self.igf_vb.addItem(item)

        self.legend = pg.LegendItem(offset=(6, 2), colCount=5, horSpacing=6)
        self.legend.setParentItem(self.vb)
        self._band_sample = pg.BarGraphItem(x=[0], height=[1], width=1)
        self._points_sample = pg.ScatterPlotItem(symbol="o", size=9)
        self.legend.addItem(self.daily, "Daily")
        self.legend.addItem(self.avg_short, "7-day")
        self.legend.addItem(self.avg_long, "28-day")
        self.legend.addItem(self._points_sample, "IGF-1")
        self.legend.addItem(self._band_sample, "Target band")
        for sample, _label in self.legend.items:
            sample.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the legend only explains

        self.restyle()

    # ------------------------------------------------------------------------------------------- data

    def set_data(self, data: ChartData) -> None:
        self.data = data
        x = data.x + DAY_S / 2  # each day's value at the middle of its day
        self.daily.setData(x, data.adherence * 100)
        self.avg_short.setData(x, data.rolling_short * 100)
        self.avg_long.setData(x, data.rolling_long * 100)
        self._set_labs()
        lo, hi = x_window(data, "all")
        lo = min(lo, x_window(data, "1y")[0])
        self.vb.setLimits(xMin=lo - 7 * DAY_S, xMax=hi + 7 * DAY_S, minXRange=7 * DAY_S)
        self.igf_vb.setLimits(xMin=lo - 7 * DAY_S, xMax=hi + 7 * DAY_S, minXRange=7 * DAY_S)
        self.restyle()

    def _set_labs(self) -> None:
        data = self.data
        assert data is not None
        unit = data.unit
        self.igf_axis.setLabel(f"IGF-1 ({unit.value})")
        conv = igf1.NMOL_L_PER_NG_ML if unit is igf1.Unit.NMOL_L else 1.0
        band_lo, band_hi = data.band.low_ng * conv, data.band.high_ng * conv
        self.band.setRegion((band_lo, band_hi))
        labs = data.labs
        xs = np.array([data.x_of(p.day) + DAY_S / 2 for p in labs], dtype=np.float64)
        ys = np.array([p.value_ng * conv for p in labs], dtype=np.float64)
        ranged = [(x, p) for x, p in zip(xs.tolist(), labs, strict=True)
                  if p.lab_low_ng is not None and p.lab_high_ng is not None]
        rx = np.repeat([x for x, _ in ranged], 2).astype(np.float64)
        ry = np.array([v * conv for _, p in ranged for v in (p.lab_low_ng, p.lab_high_ng)], dtype=np.float64)
        self.ranges.setData(rx, ry)
        self.range_ticks.setData(rx, ry)
        self._lab_xs, self._lab_ys = xs, ys
        values = [*ys.tolist(), band_lo, band_hi]
        lo, hi = min(values), max(values)
        pad = max(0.25 * (hi - lo), 10 * conv)
        self.igf_vb.setYRange(max(0.0, lo - pad), hi + pad, padding=0)
        self._paint_points()

    def _paint_points(self) -> None:
        data, style = self.data, self._style
        if data is None or style is None:
            return
        outline = pg.mkPen(style.background, width=1.5)
        spots = [
            {"pos": (x, y), "data": i, "symbol": POSITION_SYMBOL[p.target.position],
             "brush": pg.mkBrush(style.position_colour(p.target.position)), "pen": outline, "size": 11}
            for i, (x, y, p) in enumerate(zip(self._lab_xs.tolist(), self._lab_ys.tolist(), data.labs, strict=True))
        ]
        self.points.setData(spots)

    def tip_text(self, index: object) -> str:
        """The plain text shown when hovering lab point ``index``: date, value and unit, classification, lab."""
        if self.data is None or not isinstance(index, int) or not 0 <= index < len(self.data.labs):
            return ""
        return self.data.labs[index].tooltip(self.data.unit)

    def _tip(self, x: float, y: float, data: object) -> str:  # noqa: ARG002 (pyqtgraph's signature)
        # Qt shows a tooltip that looks like markup as rich text, and the lab's name is the person's own text:
        # hand Qt escaped rich text, so whatever they typed shows verbatim.
        text = self.tip_text(data)
        return f"<qt>{html.escape(text).replace(chr(10), '<br>')}</qt>" if text else ""

    def _on_hover(self, _item: object, points: object, _ev: object) -> None:
        pts = list(points) if points is not None else []
        text = "\n\n".join(self.tip_text(p.data()) for p in pts[:3])
        if text != self.hover_text:
            self.hover_text = text
            self.hovered.emit(text)

    def lab_scene_pos(self, index: int) -> QPointF:
        """Where lab point ``index`` is in scene coordinates (tests hover it)."""
        return self.igf_vb.mapViewToScene(QPointF(float(self._lab_xs[index]), float(self._lab_ys[index])))

    def _sync_geometry(self, *_args: object) -> None:
        self.igf_vb.setGeometry(self.vb.geometry())

    # ------------------------------------------------------------------------------------------- range

    def set_range_key(self, key: str) -> None:
        if self.data is None:
            return
        lo, hi = x_window(self.data, key)
        self.vb.setXRange(lo, hi, padding=0)

    def x_range(self) -> tuple[float, float]:
        lo, hi = self.vb.viewRange()[0]
        return float(lo), float(hi)

    # ------------------------------------------------------------------------------------------- look

    def restyle(self) -> None:
        style = style_for(self)
        self._style = style
        style_view(self, style)
        style_plot(self.plot_item, style)
        self.igf_axis.setGrid(False)  # the adherence grid is enough; two grids would not line up
        self.daily.setPen(pg.mkPen(style.daily, width=1))
        self.avg_short.setPen(pg.mkPen(style.short, width=1.6))
        self.avg_long.setPen(pg.mkPen(style.long, width=2.6))
        self.band.setBrush(pg.mkBrush(style.band))
        self.band.setHoverBrush(pg.mkBrush(style.band))
        self._band_sample.setOpts(brush=pg.mkBrush(style.band), pen=pg.mkPen(None))
        self.ranges.setPen(pg.mkPen(style.lab_range, width=1.2))
        self.range_ticks.setPen(pg.mkPen(style.lab_range, width=1.4))
        self.range_ticks.setBrush(pg.mkBrush(style.lab_range))
        self._points_sample.setData([0], [0], symbol="o", size=9, brush=pg.mkBrush(style.within),
                                    pen=pg.mkPen(style.background))
        style_legend(self.legend, style)
        self._paint_points()

    def background_colour(self) -> QColor:
        return self._style.background if self._style is not None else QColor("white")
