"""Chart colours from the application palette (light or dark), and applying them to pyqtgraph items.

The page re-applies the style when the palette changes (the theme setting, or the desktop switching between
light and dark), so every chart follows the rest of the app.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from igfcoach.core.igf1 import Position


def _c(hex_: str, alpha: int = 255) -> QColor:
    c = QColor(hex_)
    c.setAlpha(alpha)
    return c


@dataclass(frozen=True)
class ChartStyle:
    dark: bool
    background: QColor
    foreground: QColor
    muted: QColor
    grid_alpha: float
    daily: QColor
    short: QColor  # 7-day average
    long: QColor  # 28-day average
    band: QColor  # target band fill
    band_solid: QColor  # the band's colour for a legend mark
    lab_range: QColor
    below: QColor
    within: QColor
    above: QColor
    accent: QColor
    secondary: QColor  # a second series (e.g. HIIT next to resistance)
    heat: tuple[QColor, ...]  # not tracked, not due, missed, done, skipped
    font: QFont

    def position_colour(self, position: Position) -> QColor:
        return {Position.BELOW: self.below, Position.WITHIN: self.within, Position.ABOVE: self.above}[position]


AXIS_WIDTH = 58  # px of the left and right axes in every time chart, so the dates line up on screen

POSITION_SYMBOL = {Position.BELOW: "t", Position.WITHIN: "o", Position.ABOVE: "t1"}  # ▼ ● ▲


def is_dark_palette(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def style_for(widget: QWidget | None = None) -> ChartStyle:
    """The chart style for the application's palette (the theme), in the widget's font.

    The application palette is read rather than the widget's: with the app's style sheet, scroll areas such as
    a QGraphicsView keep the palette they were polished with when the theme changes.
    """
    palette = QApplication.palette()
    dark = is_dark_palette(palette)
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.WindowText)
    font = QFont(widget.font() if widget is not None else QApplication.font())
    if dark:
        return ChartStyle(
            dark=True, background=base, foreground=text, muted=_c("#8a9297"), grid_alpha=0.18,
            daily=_c("#8a9297", 120), short=_c("#4fc2b3"), long=_c("#b7f2e9"), band=_c("#7fdca4", 38), band_solid=_c("#4f8f69"),
            lab_range=_c("#9aa3a9", 120), below=_c("#f3c46b"), within=_c("#7fdca4"), above=_c("#ff8a80"),
            accent=_c("#5fd3c4"), secondary=_c("#c9a5f7"),
            heat=(_c("#000000", 0), _c("#23282b"), _c("#434b51"), _c("#3fb7a6"), _c("#6b5f33")),
            font=font,
        )
    return ChartStyle(
        dark=False, background=base, foreground=text, muted=_c("#6c7479"), grid_alpha=0.14,
        daily=_c("#8c969c", 85), short=_c("#1f9d8f"), long=_c("#0a4f48"), band=_c("#2e9d5b", 34), band_solid=_c("#a9d8bb"),
        lab_range=_c("#5d666b", 110), below=_c("#b77900"), within=_c("#1b7a47"), above=_c("#b3261e"),
        accent=_c("#1f9d8f"), secondary=_c("#7b4fc4"),
        heat=(_c("#000000", 0), _c("#f0f2f4"), _c("#c9d0d5"), _c("#1f9d8f"), _c("#ecd9a0")),
        font=font,
    )


def style_plot(plot: pg.PlotItem, style: ChartStyle) -> None:
    """Axes, grid and title of one plot in the style's colours."""
    pen = pg.mkPen(style.muted, width=1)
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        if axis is None:
            continue
        axis.setPen(pen)
        axis.setTextPen(pg.mkPen(style.foreground))
        tick_font = QFont(style.font)
        tick_font.setPointSizeF(max(7.5, style.font.pointSizeF() * 0.88))
        axis.setStyle(tickFont=tick_font)
        if axis.label is not None and axis.labelText:
            axis.setLabel(axis.labelText, units=axis.labelUnits, color=style.foreground.name())
    plot.showGrid(x=False, y=True, alpha=style.grid_alpha)
    if plot.titleLabel is not None and plot.titleLabel.text:
        plot.setTitle(plot.titleLabel.text, color=style.foreground.name(), size=f"{style.font.pointSizeF():.0f}pt")
    legend = plot.legend
    if legend is not None:
        style_legend(legend, style)


def style_legend(legend: pg.LegendItem, style: ChartStyle) -> None:
    legend.setLabelTextColor(style.foreground)
    bg = QColor(style.background)
    bg.setAlpha(215)
    legend.setBrush(pg.mkBrush(bg))
    legend.setPen(pg.mkPen(None))
    for _sample, label in legend.items:
        label.setText(label.text, color=style.foreground.name())


def style_view(widget: pg.GraphicsView, style: ChartStyle) -> None:
    widget.setBackground(style.background)
