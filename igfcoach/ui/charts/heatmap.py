"""A habit's calendar heatmap: one row per year (newest on top), a column per week, a cell per day.

Painted with QPainter (only the visible part), so ten years cost nothing to scroll. Hovering a cell shows its
date and what happened; the colours come from the chart style, and a small key explains them.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from igfcoach.services.chart_data import DONE, MISSED, NOT_DUE, NOT_TRACKED, SKIPPED
from igfcoach.ui.charts.style import ChartStyle, style_for

STATUS_TEXT = {NOT_TRACKED: "not tracked yet", NOT_DUE: "not due", MISSED: "missed", DONE: "done",
               SKIPPED: "skipped"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}


class CalendarHeatmap(QWidget):
    """Set ``set_series(start, status, title)``; ``status`` holds one chart_data status code per day."""

    CELL = 10
    GAP = 2
    LEFT = 64  # year and weekday labels
    TOP_PAD = 16  # month labels of each year
    YEAR_GAP = 12
    KEY_H = 22

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.start = date(2000, 1, 1)  # replaced by set_series
        self.status = np.zeros(0, dtype=np.int8)
        self.title = ""
        self._years: list[int] = []
        self._style: ChartStyle | None = None
        self.setAccessibleName("Calendar of the habit's days")

    # ------------------------------------------------------------------------------------------- data

    def set_series(self, start: date, status: np.ndarray, title: str) -> None:
        self.start = start
        self.status = status
        self.title = title
        tracked = np.flatnonzero(status != NOT_TRACKED)
        first = start + timedelta(days=int(tracked[0])) if len(tracked) else start + timedelta(days=len(status) - 1)
        last = start + timedelta(days=len(status) - 1)
        self._years = list(range(last.year, first.year - 1, -1))
        counts = {code: int((status == code).sum()) for code in (DONE, MISSED, SKIPPED)}
        self.setAccessibleName(f"Calendar of {title}")
        self.setAccessibleDescription(
            f"{title}: done on {counts[DONE]} days, missed on {counts[MISSED]}, skipped on {counts[SKIPPED]}, "
            f"from {first:%d %b %Y} to {last:%d %b %Y}. One row per year, newest first.")
        self.updateGeometry()
        self.update()

    def restyle(self) -> None:
        self._style = style_for(self)
        self.update()

    # ------------------------------------------------------------------------------------------- geometry

    def _year_height(self) -> int:
        return self.TOP_PAD + 7 * (self.CELL + self.GAP)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        width = self.LEFT + 54 * (self.CELL + self.GAP) + 8
        height = len(self._years) * (self._year_height() + self.YEAR_GAP) + self.KEY_H
        return QSize(width, max(height, self.KEY_H + self._year_height()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def _year_top(self, row: int) -> int:
        return row * (self._year_height() + self.YEAR_GAP)

    def _cell_rect(self, row: int, year: int, day: date) -> QRect:
        jan1 = date(year, 1, 1)
        week = ((day - jan1).days + jan1.weekday()) // 7
        step = self.CELL + self.GAP
        x = self.LEFT + week * step
        y = self._year_top(row) + self.TOP_PAD + day.weekday() * step
        return QRect(x, y, self.CELL, self.CELL)

    def day_at(self, pos: QPoint) -> date | None:
        """The day under a point, or None."""
        step = self.CELL + self.GAP
        for row, year in enumerate(self._years):
            top = self._year_top(row) + self.TOP_PAD
            if not top <= pos.y() < top + 7 * step:
                continue
            weekday = (pos.y() - top) // step
            week = (pos.x() - self.LEFT) // step
            if pos.x() < self.LEFT or week < 0 or week > 53:
                return None
            jan1 = date(year, 1, 1)
            day = jan1 + timedelta(days=week * 7 + weekday - jan1.weekday())
            return day if day.year == year else None
        return None

    def status_on(self, day: date) -> int:
        i = (day - self.start).days
        return int(self.status[i]) if 0 <= i < len(self.status) else NOT_TRACKED

    # ------------------------------------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        style = self._style or style_for(self)
        self._style = style
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        clip = event.rect()
        small = p.font()
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.82))
        p.setFont(small)
        fg = QColor(style.foreground)
        muted = QColor(style.muted)
        colours = style.heat
        n = len(self.status)
        end = self.start + timedelta(days=n - 1)
        step = self.CELL + self.GAP
        for row, year in enumerate(self._years):
            top = self._year_top(row)
            block = QRect(0, top, self.width(), self._year_height())
            if not block.intersects(clip):
                continue
            p.setPen(fg)
            bold = p.font()
            bold.setBold(True)
            p.setFont(bold)
            p.drawText(QRect(0, top + self.TOP_PAD, 34, self.CELL + 4), Qt.AlignmentFlag.AlignLeft, str(year))
            p.setFont(small)
            p.setPen(muted)
            for wd, label in DAY_LABELS.items():
                p.drawText(QRect(34, top + self.TOP_PAD + wd * step - 2, 28, self.CELL + 4),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            for month in range(1, 13):
                first = date(year, month, 1)
                x = self._cell_rect(row, year, first).x()
                p.drawText(QRect(x, top, 40, self.TOP_PAD - 2), Qt.AlignmentFlag.AlignLeft, MONTHS[month - 1])
            day = date(year, 1, 1)
            last = date(year, 12, 31)
            while day <= last:
                code = self.status_on(day) if self.start <= day <= end else NOT_TRACKED
                if code != NOT_TRACKED:
                    p.fillRect(self._cell_rect(row, year, day), colours[code])
                day += timedelta(days=1)
        # The key
        key_top = len(self._years) * (self._year_height() + self.YEAR_GAP)
        x = self.LEFT
        p.setPen(muted)
        for code in (DONE, MISSED, SKIPPED, NOT_DUE):
            p.fillRect(QRect(x, key_top + 5, self.CELL, self.CELL), colours[code])
            p.drawText(QRect(x + self.CELL + 4, key_top, 80, self.KEY_H - 2),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, STATUS_TEXT[code])
            x += 90
        p.end()

    # ------------------------------------------------------------------------------------------- hover

    def tooltip_at(self, pos: QPoint) -> str:
        day = self.day_at(pos)
        if day is None:
            return ""
        code = self.status_on(day)
        return f"{day:%a %d %b %Y}: {STATUS_TEXT[code]}"

    def event(self, e: QEvent) -> bool:  # noqa: D102
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            text = self.tooltip_at(e.pos())
            if text:
                QToolTip.showText(e.globalPos(), text, self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)
