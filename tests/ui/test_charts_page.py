"""The Charts page offscreen: range switching, hovering a result, export, tabs, theme, and lazy imports."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtTest import QTest

from igfcoach.services import demo_data, labs
from igfcoach.services.labs import LabInput

DAY = 86400.0


@pytest.fixture
def page(qtbot, ctx):
    demo_data.generate(ctx, 1.0, seed=3)
    from igfcoach.ui.pages.charts import ChartsPage

    widget = ChartsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 680)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _width_days(page) -> float:
    lo, hi = page.chart.x_range()
    return (hi - lo) / DAY


def test_range_buttons_change_the_visible_x_range(qtbot, page):
    assert page.range_buttons["90d"].isChecked()  # the default
    assert _width_days(page) == pytest.approx(90)
    end = page.chart.x_range()[1]
    qtbot.mouseClick(page.range_buttons["30d"], Qt.MouseButton.LeftButton)
    assert _width_days(page) == pytest.approx(30)
    assert page.chart.x_range()[1] == pytest.approx(end)  # always ends with today
    assert page.range_buttons["30d"].isChecked() and not page.range_buttons["90d"].isChecked()
    qtbot.mouseClick(page.range_buttons["1y"], Qt.MouseButton.LeftButton)
    assert _width_days(page) == pytest.approx(365)
    qtbot.mouseClick(page.range_buttons["all"], Qt.MouseButton.LeftButton)
    assert _width_days(page) >= page.data.days  # everything, with a little margin
    assert page.chart.x_range()[0] <= page.data.x[0]


def test_dragging_the_chart_moves_the_range_and_clears_the_buttons(qtbot, page):
    page.set_range("30d")
    before = page.chart.x_range()
    page.chart.vb.translateBy(x=-10 * DAY)
    after = page.chart.x_range()
    assert after[0] == pytest.approx(before[0] - 10 * DAY)
    assert not any(b.isChecked() for b in page.range_buttons.values())
    page.set_range("90d")
    assert page.range_buttons["90d"].isChecked()


def test_time_charts_below_follow_the_range(qtbot, page):
    page.tab_widget("habits")
    strength = page.strength
    qtbot.waitUntil(lambda: strength.isVisible())

    def width() -> float:
        lo, hi = strength.vb.viewRange()[0]
        return (hi - lo) / DAY

    page.set_range("30d")
    short = width()
    page.set_range("1y")
    # Linked to the main chart (and aligned with it on screen, so a narrower plot shows a little less).
    assert width() / short == pytest.approx(365 / 30, rel=0.1)
    main_lo, main_hi = page.chart.x_range()
    lo, hi = strength.vb.viewRange()[0]
    assert main_lo - 30 * DAY <= lo and hi <= main_hi + 30 * DAY


def test_hovering_a_lab_point_shows_date_value_unit_and_classification(qtbot, page):
    page.set_range("all")
    qtbot.wait(10)
    chart = page.chart
    index = len(page.data.labs) - 1
    lab = page.data.labs[index]
    view_pos = chart.mapFromScene(chart.lab_scene_pos(index))
    QTest.mouseMove(chart.viewport(), view_pos + QPoint(12, 12))  # somewhere else first
    offsets = iter(range(1000))

    def hovering() -> bool:  # pyqtgraph throttles hover handling: keep nudging the mouse over the point
        QTest.mouseMove(chart.viewport(), view_pos + QPoint(next(offsets) % 2, 0))
        return bool(chart.hover_text)

    qtbot.waitUntil(hovering, timeout=3000)
    text = chart.hover_text
    assert lab.day.strftime("%d %b %Y") in text
    assert f"IGF-1 {round(lab.value_ng):.0f} ng/mL" in text
    assert lab.target.label in text  # e.g. "Within your target band (120–160 ng/mL)"
    assert any(word in text for word in ("Below", "Within", "Above"))
    # What Qt shows: escaped rich text, so that the lab's name (the person's own text) shows verbatim.
    shown = QTextDocument()
    shown.setHtml(chart.igf_vb.toolTip().split("\n\n")[0])
    assert shown.toPlainText() == text.split("\n\n")[0]


def test_hover_text_follows_the_preferred_unit(qtbot, ctx, page):
    from igfcoach.services import settings

    settings.put(ctx, lab_unit="nmol/L")
    page.reload()
    lab = page.data.labs[0]
    assert "nmol/L" in page.chart.tip_text(0)
    assert lab.tooltip("nmol/L").splitlines()[1].endswith("nmol/L")
    assert page.chart.igf_axis.labelText == "IGF-1 (nmol/L)"


def test_export_writes_a_valid_png_and_svg(tmp_path, page):
    png = page.export_to(tmp_path / "chart.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 300 and image.height() > 150
    svg = page.export_to(tmp_path / "chart.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) + \
        len(list(root.iter("{http://www.w3.org/2000/svg}polyline"))) > 5
    text = svg.read_text(encoding="utf-8")
    assert "IGF-1" in text and "Adherence" in text
    from igfcoach.ui.charts.export import ExportError

    with pytest.raises(ExportError, match="must end in .png or .svg"):
        page.export_to(tmp_path / "chart.jpg")


def test_ctrl_s_asks_for_a_file_and_exports(qtbot, tmp_path, monkeypatch, page):
    target = tmp_path / "picked"
    from igfcoach.ui.pages import charts

    monkeypatch.setattr(charts.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "SVG image (*.svg)")))
    page.chart.setFocus()
    qtbot.keyClick(page.chart, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (tmp_path / "picked.svg").exists()


def test_before_each_test_table_scatter_and_caption(qtbot, page):
    page.tabs.setCurrentIndex(4)
    page.tab_widget("tests")
    n = len(page.data.labs)
    assert page.tests_table.rowCount() == n
    newest = page.data.labs[-1]
    assert page.tests_table.item(0, 0).text() == newest.day.strftime("%d %b %Y")
    assert page.tests_table.horizontalHeaderItem(3).text() == "All"
    caption = page.caption.text()
    assert "association, not cause" in caption
    corr = page.data.correlation(8)
    assert f"n = {corr.n}" in caption
    page.weeks_spin.setValue(2)
    assert page.data.correlation(2).n >= corr.n  # shorter windows need less history
    assert "2 weeks before the test" in page.tests_table.horizontalHeaderItem(3).toolTip()


def test_habits_tab_shows_calendar_strength_and_streaks(page):
    page.tab_widget("habits")
    assert page.habit_combo.count() == len(page.data.habits)
    page.habit_combo.setCurrentIndex(page.habit_combo.findData("zinc"))
    assert page.heatmap.title == "Zinc"
    assert page.best_label.text().startswith(("Best streaks:", "No streak yet"))
    assert page.streak_label.text().startswith("Current streak:")
    today = page.data.end
    rect = page.heatmap._cell_rect(0, today.year, today)
    assert page.heatmap.day_at(rect.center()) == today
    assert page.heatmap.tooltip_at(rect.center()).startswith(today.strftime("%a %d %b %Y"))


def test_other_tabs_build_when_opened(page):
    for key in ("sleep", "protein", "training"):
        widget = page.tab_widget(key)
        assert widget.accessibleName()
    assert page.sleep_chart.nightly.getData()[0] is not None


def test_charts_follow_the_palette(qtbot, qapp, page):
    from PySide6.QtGui import QPalette

    from igfcoach.ui import theme

    old = qapp.palette()
    try:
        theme.apply_theme(qapp, "dark")
        qtbot.waitUntil(lambda: page.chart.background_colour().lightness() < 80, timeout=2000)
        theme.apply_theme(qapp, "light")
        qtbot.waitUntil(lambda: page.chart.background_colour().lightness() > 200, timeout=2000)
    finally:
        qapp.setPalette(old)
        qapp.setProperty("darkTheme", old.color(QPalette.ColorRole.Window).lightness() < 128)


def test_a_lab_name_with_markup_shows_verbatim_in_the_tooltip(qtbot, ctx, page):
    labs.add_result(ctx, LabInput(drawn_on=ctx.today(), value="130", lab_name="<b>Lab</b> & <i>co</i>"))
    page.reload()
    index = len(page.data.labs) - 1
    assert "Lab: <b>Lab</b> & <i>co</i>" in page.chart.tip_text(index)
    shown = QTextDocument()
    shown.setHtml(page.chart._tip(0, 0, index))
    assert "Lab: <b>Lab</b> & <i>co</i>" in shown.toPlainText()


def test_a_new_result_appears_after_labs_changed(qtbot, qapp, ctx, page):
    before = len(page.data.labs)
    labs.add_result(ctx, LabInput(drawn_on=ctx.today() - timedelta(days=1), value="140"))
    with qtbot.waitSignal(page.reloaded, timeout=2000):
        qapp.labs_changed.emit()
    assert len(page.data.labs) == before + 1


def test_empty_data_dir_shows_a_note(qtbot, ctx):
    from igfcoach.ui.pages.charts import ChartsPage

    widget = ChartsPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.empty_note.isVisible()
    widget.set_range("all")
    widget.tab_widget("tests")
    assert "n = 0" in widget.caption.text()


def test_start_up_does_not_import_pyqtgraph_or_numpy():
    code = (
        "import sys\n"
        "import igfcoach.ui.main_window, igfcoach.cli.main\n"
        "igfcoach.cli.main.build_parser()\n"
        "print(sorted(m for m in ('pyqtgraph', 'numpy', 'igfcoach.services.chart_data') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
