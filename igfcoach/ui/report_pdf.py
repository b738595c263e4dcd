"""Rendering the clinician report (gathered by igfcoach/services/report.py) as a PDF with Qt.

QTextDocument lays out the text and tables, QPdfWriter writes A4 pages with footers, and the chart is drawn
with QPainter into an image (Qt is already a dependency: no new one). User text (lab names, notes) is
HTML-escaped, so it shows as plain text. The command line renders off-screen (a QGuiApplication is created
on the offscreen platform when none exists).

Drawing makes few Qt calls on purpose: PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of
a method that returns nothing (3.12+ is immune: None is immortal there; 6.11.x does not do it), and the process
aborts ("none_dealloc") once None's count reaches zero. A line of 3,650 daily points drawn with
QPainterPath.lineTo did exactly that; one drawPolyline per line does not.

TODO(lead): the Charts page's adherence chart (igfcoach/ui/charts/adherence.py) is a pyqtgraph widget, and
pyqtgraph/numpy are an optional extra, so the report draws its own simpler chart (same definitions, from
igfcoach.core.analysis). When a headless renderer for ``igfcoach chart adherence --out`` exists without the
optional extra, :func:`_chart_image` can call it instead.
"""

from __future__ import annotations

import html
import os
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from igfcoach.appinfo import APP_NAME
from igfcoach.core import igf1
from igfcoach.core.igf1 import Unit
from igfcoach.core.safety import DISCLAIMER
from igfcoach.services.fileio import CancelFn, ProgressFn, Steps, write_private
from igfcoach.services.report import ROLLING, ReportData, gather, yes_no

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext


def ensure_gui() -> None:
    """Qt's painting needs a QGuiApplication; the command line gets an off-screen one."""
    global _app_ref
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app_ref = QGuiApplication(["igfcoach-report"])


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _fmt(value_ng: float, unit: Unit) -> str:
    return igf1.format_value(value_ng, unit)


def build_html(data: ReportData, *, text_width: float = 640.0) -> str:
    """The report as HTML for QTextDocument; ``text_width`` is the width of the text in 96-dpi pixels."""
    unit = data.unit
    pad = "3"
    a = data.answers
    parts: list[str] = []
    add = parts.append
    add("<html><body>")
    add(f"<h1>{_e(APP_NAME)}: report for your clinician</h1>")
    add(f"<p class='muted'>Made {_e(data.generated.strftime('%d %b %Y, %H:%M'))}. Period for adherence: "
        f"{_e(data.start.strftime('%d %b %Y'))} to {_e(data.end.strftime('%d %b %Y'))}. "
        f"Values in {_e(unit.value)} (1 nmol/L = {igf1.NG_ML_PER_NMOL_L:g} ng/mL).</p>")

    add(f"<h2>Profile</h2><table class='kv' cellspacing='0' cellpadding='{pad}'>")
    rows = [
        ("Age", f"{a.age} years" if a.age is not None else "not given"),
        ("Sex", a.sex or "not given"),
        ("Body weight", f"{data.weight_kg:g} kg" if data.weight_kg else "not given"),
        ("Target band (the person's goal)", igf1.format_range(data.band.low_ng, data.band.high_ng, unit)),
    ]
    if data.builtin.interval is not None:
        rows.append(("Built-in reference interval",
                     igf1.format_range(data.builtin.interval.low, data.builtin.interval.high, unit)))
    for k, v in rows:
        add(f"<tr><td class='k'>{_e(k)}</td><td>{_e(v)}</td></tr>")
    add("</table>")

    add("<h2>IGF-1 results</h2>")
    if not data.results:
        add("<p>No IGF-1 results recorded.</p>")
    else:
        add(f"<table class='grid' cellspacing='0' cellpadding='{pad}' width='100%'>")
        add("<tr><th>Date</th><th>IGF-1</th><th>As entered</th><th>Lab range</th><th>vs lab range</th>"
            "<th>vs built-in</th><th>vs target</th><th>Lab</th></tr>")
        for r in data.results:
            when = r.day.isoformat() + (f" {r.time}" if r.time else "")
            add(f"<tr><td class='nowrap'>{_e(when)}</td><td class='nowrap'><b>{_e(_fmt(r.value_ng, unit))}</b></td>"
                f"<td class='nowrap'>{_e(r.entered)}</td>"
                f"<td class='nowrap'>{_e(r.lab_range)}</td><td>{_e(r.vs_lab)}</td><td>{_e(r.vs_builtin)}</td>"
                f"<td>{_e(r.vs_target)}</td><td>{_e(r.lab_name)}</td></tr>")
            if r.details:
                add(f"<tr><td></td><td colspan='7' class='muted'>{_e(r.details)}</td></tr>")
        add("</table>")
    if data.builtin.interval is not None:
        add(f"<p class='muted'>{_e(data.builtin.interval.source)}"
            + (f" {_e(data.builtin.interval.note)}" if data.builtin.interval.note else "") + "</p>")
    else:
        add(f"<p class='muted'>No built-in reference interval: {_e(data.builtin.reason or '')}</p>")
    add(f"<p><b>Coaching now:</b> {_e(data.coaching)}</p>")
    if data.clinician_reason:
        add(f"<p><b>Why a clinician should look at it:</b> {_e(data.clinician_reason)}</p>")

    add("<h2 style='page-break-before: always'>Adherence and IGF-1</h2>")
    add(f"<p><img src='igfcoach://adherence-chart' width='{int(text_width)}'></p>")
    add(f"<p class='muted'>The line is the share of due habits done, averaged over the previous {ROLLING} days "
        "(skipped days and days with nothing due left out). The dots are IGF-1 results in the period; the band is "
        "the target band. Shown together they show an association in one person's history, not a cause: the "
        "season, illness, the lab and its assay change results too.</p>")

    add("<h2>Adherence per area</h2>")
    add(f"<table class='grid' cellspacing='0' cellpadding='{pad}'>")
    add("<tr><th>Area</th><th>Done</th><th>Due</th><th>Adherence</th></tr>")
    for c in [*data.categories, data.overall]:
        style = " style='font-weight:600'" if c is data.overall else ""
        add(f"<tr{style}><td>{_e(c.title)}</td><td align='right'>{c.done}</td><td align='right'>{c.due}</td>"
            f"<td align='right'>{_e(c.percent)}</td></tr>")
    add("</table>")
    add(f"<p class='muted'>{_e(data.start.strftime('%d %b %Y'))} to {_e(data.end.strftime('%d %b %Y'))}: "
        "habits done on the days they were due, over the days they were due.</p>")

    add("<h2>Safety screen</h2>")
    answered = (f"Answered {data.answered_at.strftime('%d %b %Y')}." if data.answered_at
                else "The safety screen has not been answered.")
    add(f"<p class='muted'>{_e(answered)}</p>")
    add(f"<table class='kv' cellspacing='0' cellpadding='{pad}'>")
    for k, v in (("Active cancer diagnosis", yes_no(a.active_cancer)),
                 ("Pituitary or other endocrine disorder", yes_no(a.endocrine_disorder)),
                 ("Pregnant", yes_no(a.pregnant)),
                 ("Under 18", yes_no(a.under_18))):
        add(f"<tr><td class='k'>{_e(k)}</td><td>{_e(v)}</td></tr>")
    add("</table>")
    if data.contraindications:
        add("<p><b>Because of these answers, practices that stimulate the GH/IGF-1 axis are switched off:</b></p><ul>")
        for c in data.contraindications:
            add(f"<li>{_e(c)}</li>")
        add("</ul>")
    add(f"<h2>Disclaimer</h2><p>{_e(DISCLAIMER)}</p>")
    add("</body></html>")
    return "".join(parts)


def _css(px: float) -> str:
    """The style sheet; ``px`` is the size of a 96-dpi pixel on the page."""
    return f"""
body {{ color: #1d1d1f; }}
h1 {{ font-size: 16pt; font-weight: 600; color: #0b3d62; margin-top: 0px; margin-bottom: {3 * px:.0f}px; }}
h2 {{ font-size: 12pt; font-weight: 600; color: #0b3d62; margin-top: {16 * px:.0f}px;
      margin-bottom: {5 * px:.0f}px; }}
p {{ margin-top: {3 * px:.0f}px; margin-bottom: {3 * px:.0f}px; }}
.muted {{ color: #555555; font-size: 8pt; }}
.nowrap {{ white-space: nowrap; }}
table.grid {{ border-collapse: collapse; border: {px:.0f}px solid #c8ccd2; font-size: 8.5pt; }}
table.grid th {{ background-color: #e8eef4; font-weight: 600; text-align: left; border: {px:.0f}px solid #c8ccd2; }}
table.grid td {{ border: {px:.0f}px solid #c8ccd2; }}
td.k {{ color: #444444; padding-right: {18 * px:.0f}px; }}
"""


def _chart_image(data: ReportData, width: int = 1800, height: int = 760):  # -> QImage
    """Adherence (28-day line, left axis, %) and IGF-1 results (dots, right axis) over the period."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPolygonF

    img = QImage(width, height, QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont()
        font.setPixelSize(31)
        p.setFont(font)
        left, right, top, bottom = 120, 110, 80, 64
        plot = QRectF(left, top, width - left - right, height - top - bottom)
        days = max(1, (data.end - data.start).days)

        def x_of(d: date) -> float:
            return plot.left() + plot.width() * (d - data.start).days / days

        unit = data.unit
        values = [v for _, v in data.points] + [data.band.low_ng, data.band.high_ng]
        hi_ng = max(values) * 1.15
        lo_ng = 0.0

        def y_pct(v: float) -> float:
            return plot.bottom() - plot.height() * v

        def y_ng(v: float) -> float:
            return plot.bottom() - plot.height() * (v - lo_ng) / (hi_ng - lo_ng)

        grid = QPen(QColor("#e3e6ea"), 2)
        text = QColor("#333333")
        # target band
        band_rect = QRectF(plot.left(), y_ng(data.band.high_ng), plot.width(),
                           y_ng(data.band.low_ng) - y_ng(data.band.high_ng))
        p.fillRect(band_rect, QColor(46, 160, 67, 38))
        # horizontal grid and left axis (adherence %)
        for i in range(0, 101, 25):
            y = y_pct(i / 100)
            p.setPen(grid)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(text)
            p.drawText(QRectF(0, y - 20, left - 16, 40), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{i} %")
        # right axis (IGF-1)
        step = _nice_step(hi_ng - lo_ng)
        v = 0.0
        while v <= hi_ng:
            y = y_ng(v)
            p.setPen(QPen(QColor("#c0c4ca"), 2))
            p.drawLine(QPointF(plot.right(), y), QPointF(plot.right() + 10, y))
            p.setPen(QColor("#8a4b00"))
            p.drawText(QRectF(plot.right() + 14, y - 20, right - 14, 40),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       igf1.format_value(v, unit, with_unit=False))
            v += step
        # x axis: months (or weeks for short periods)
        p.setPen(QPen(QColor("#9aa0a6"), 2))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.setPen(text)
        for d, label in _x_ticks(data.start, data.end):
            x = x_of(d)
            p.setPen(QPen(QColor("#9aa0a6"), 2))
            p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 10))
            p.setPen(text)
            p.drawText(QRectF(x - 100, plot.bottom() + 14, 200, 40), Qt.AlignmentFlag.AlignHCenter, label)
        # adherence line: one polyline per run of days with a value. (Few calls on purpose: every call of a
        # Qt method returning nothing costs None a reference under PySide6 6.12 on Python 3.11: module docstring.)
        pen = QPen(QColor("#1f6fb2"), 5)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        runs: list[list[QPointF]] = [[]]
        for d, r in data.rolling:
            if r is None:
                if runs[-1]:
                    runs.append([])
                continue
            runs[-1].append(QPointF(x_of(d), y_pct(r)))
        for run in runs:
            if len(run) > 1:
                p.drawPolyline(QPolygonF(run))
            elif run:
                p.drawPoint(run[0])
        # results
        for d, value in data.points:
            centre = QPointF(x_of(d), y_ng(value))
            p.setPen(QPen(QColor("white"), 4))
            p.setBrush(QColor("#e07b00"))
            p.drawEllipse(centre, 15, 15)
            p.setPen(QColor("#8a4b00"))
            p.drawText(QRectF(centre.x() - 100, centre.y() - 60, 200, 40), Qt.AlignmentFlag.AlignHCenter,
                       igf1.format_value(value, unit, with_unit=False))
        if not any(r is not None for _, r in data.rolling):
            p.setPen(text)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No habits were due in this period")
        # legend
        lx = left
        ly = 28
        p.setPen(QPen(QColor("#1f6fb2"), 5))
        p.drawLine(QPointF(lx, ly), QPointF(lx + 50, ly))
        p.setPen(text)
        p.drawText(QPointF(lx + 62, ly + 9), f"Adherence, {ROLLING}-day average (left)")
        lx += 640
        p.setPen(QPen(QColor("white"), 3))
        p.setBrush(QColor("#e07b00"))
        p.drawEllipse(QPointF(lx + 14, ly), 13, 13)
        p.setPen(text)
        p.drawText(QPointF(lx + 40, ly + 9), f"IGF-1, {unit.value} (right)")
        lx += 420
        p.fillRect(QRectF(lx, ly - 13, 50, 26), QColor(46, 160, 67, 60))
        p.drawText(QPointF(lx + 62, ly + 9), "Target band")
    finally:
        p.end()
    return img


def _nice_step(span: float) -> float:
    raw = span / 5
    for s in (10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if raw <= s:
            return float(s)
    return float(round(raw, -3) or 1000)


def _x_ticks(start: date, end: date) -> list[tuple[date, str]]:
    days = (end - start).days
    if days <= 62:
        out = []
        d = start + timedelta(days=(7 - start.weekday()) % 7)
        while d <= end:
            out.append((d, d.strftime("%d %b")))
            d += timedelta(days=7)
        return out
    months = []
    y, m = start.year, start.month
    d = date(y, m, 1)
    if d < start:
        m += 1
        if m > 12:
            y, m = y + 1, 1
    every = max(1, (days // 30) // 12 + 1)
    i = 0
    while True:
        d = date(y, m, 1)
        if d > end:
            break
        if i % every == 0:
            months.append((d, d.strftime("%b %Y") if m == 1 or not months else d.strftime("%b")))
        i += 1
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return months


def render_pdf(data: ReportData, out: Path) -> Path:
    """Lay the report out on A4 pages, with a footer on each, and write it to ``out`` (0600).

    The document is laid out directly on the PDF writer (300 dpi), so point sizes are exact whatever the
    screen's DPI; Qt's layout scales lengths given in pixels (96 dpi) to the writer itself.
    """
    ensure_gui()
    from PySide6.QtCore import (
        QBuffer,
        QByteArray,
        QIODevice,
        QMarginsF,
        QPointF,
        QRectF,
        QSizeF,
        Qt,
        QUrl,
    )
    from PySide6.QtGui import (
        QColor,
        QFont,
        QPageLayout,
        QPageSize,
        QPainter,
        QPdfWriter,
        QPen,
        QTextDocument,
    )

    buffer = QByteArray()
    device = QBuffer(buffer)
    device.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(device)
    writer.setTitle(f"{APP_NAME}: report for your clinician")
    writer.setCreator(APP_NAME)
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(16, 14, 16, 12), QPageLayout.Unit.Millimeter))
    scale = writer.resolution() / 96
    paint = writer.pageLayout().paintRectPixels(writer.resolution())
    footer_h = 10 * writer.resolution() / 25.4  # 10 mm
    body = QSizeF(paint.width(), paint.height() - footer_h)

    font = QFont()
    font.setFamilies(["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"])
    font.setPointSizeF(9.5)
    if hasattr(font, "setFeature"):  # Qt 6.7+: no "fi"/"ff" ligatures, so text copied from the PDF stays plain
        for tag in ("liga", "clig"):
            font.setFeature(QFont.Tag(tag), 0)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(_css(1.0))
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("igfcoach://adherence-chart"),
                    _chart_image(data))
    doc.setPageSize(body)
    doc.setHtml(build_html(data, text_width=body.width() / scale))
    pages = doc.pageCount()

    small = QFont(font)
    small.setPointSizeF(7.5)
    footer_left = f"{APP_NAME} \u00b7 report for your clinician \u00b7 made {data.generated:%d %b %Y}"
    painter = QPainter(writer)
    try:
        for i in range(pages):
            if i:
                writer.newPage()
            painter.save()
            painter.translate(0, -i * body.height())
            doc.drawContents(painter, QRectF(0, i * body.height(), body.width(), body.height()))
            painter.restore()
            y = body.height() + footer_h * 0.35
            painter.setPen(QPen(QColor("#c8ccd2"), scale))
            painter.drawLine(QPointF(0, y), QPointF(body.width(), y))
            painter.setPen(QColor("#555555"))
            painter.setFont(small)
            text_rect = QRectF(0, y + 6 * scale, body.width(), footer_h * 0.6)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, footer_left)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                             f"Page {i + 1} of {pages}")
    finally:
        painter.end()
    device.close()
    return write_private(Path(out), bytes(buffer.data()))


def make_report(ctx: AppContext, out: Path, start: date | None = None, end: date | None = None,
                progress: ProgressFn | None = None, cancelled: CancelFn | None = None) -> Path:
    """Gather and render the report to ``out``; ReportError names the field when the period is wrong."""
    steps = Steps(2, progress, cancelled, "the report")
    data = gather(ctx, start, end)
    steps.tick()
    path = render_pdf(data, out)
    steps.tick()
    return path
