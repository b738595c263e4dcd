"""Rendering the main chart to a file without showing a window (``igfcoach chart adherence --out``).

The caller sets ``QT_QPA_PLATFORM=offscreen`` before Qt starts when there is no display (see
:func:`prefer_offscreen`); the widget is laid out off screen, drawn at the requested size and exported.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from igfcoach.services.chart_data import ChartData


def prefer_offscreen() -> None:
    """Use Qt's offscreen platform when there is no display to talk to (call before the QApplication exists)."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def ensure_app(theme: str = "light"):  # noqa: ANN201 (a QApplication)
    """The running QApplication, or a new one styled like the app (``theme`` "light" or "dark")."""
    prefer_offscreen()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "igfcoach"])
        from igfcoach.ui.theme import apply_theme

        apply_theme(app, theme)
    return app


def render_adherence(data: ChartData, out: str | Path, *, range_key: str = "1y", width: int = 1200,
                     height: int = 500, theme: str = "light") -> Path:
    """Draw the adherence and IGF-1 chart for ``range_key`` at ``width`` × ``height`` into ``out`` (PNG or SVG)."""
    app = ensure_app(theme)
    from PySide6.QtCore import Qt

    from igfcoach.ui.charts.adherence import AdherenceChart
    from igfcoach.ui.charts.export import export_item

    chart = AdherenceChart()
    try:
        chart.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        chart.resize(width, height)
        chart.set_data(data)
        chart.show()
        app.processEvents()
        chart.set_range_key(range_key)
        app.processEvents()
        return export_item(chart.plot_item, out, background=chart.background_colour())
    finally:
        chart.close()
        chart.deleteLater()
        app.processEvents()
