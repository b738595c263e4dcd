"""User text is shown as plain text everywhere, and very long text does not break the window.

Every text field the services accept gets markup (bold, an image, an entity, a link to a local file) and some get
a 5,000-character word: habit title, why, details, caution and unit, check-off notes, lab name, assay and notes,
reminder titles and bodies, exercise names, HIIT plan names and notes, resistance notes, sleep notes. Then every
page and the dialogs that show them are opened (rows selected, "More" expanded, undo notices and a reminder banner
shown), and every widget of every visible window is walked:

* a QLabel showing user text must render it as plain text (PlainText format, or AutoText that Qt would not take
  for rich text) -- or, if it is rich text, the user's markup must come out visible (escaped);
* tooltips (widgets and item-view cells) with user text: Qt renders a tooltip as rich text when it looks like
  markup, so the rendered tooltip must show the markup verbatim;
* item-view cells (tables, trees, lists, combo boxes) and text items in chart scenes show the raw text;
* no window is wider than 1280 px (labels wrap or elide), and ``grab()`` renders each without a crash.

Each piece of user text carries a tag (``ZQX<n>``) so the test also proves the texts really were on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGraphicsTextItem,
    QComboBox,
    QGraphicsView,
    QHeaderView,
    QItemDelegate,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStyledItemDelegate,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QWidget,
)

from igfcoach.core.habits import HabitSpec, Schedule, Target
from igfcoach.services import checklist, habits, labs
from igfcoach.ui.main_window import MainWindow

MARKUP = "<b>bold</b><img src=x>&amp; <a href='file:///etc/passwd'>x</a>"
MAX_WIDTH = 1280
TODAY = date(2026, 11, 25)  # the clock fixture's day


def text(n: int, long: int = 0) -> str:
    """User text number ``n``: a tag, the markup, and optionally one word of ``long`` characters."""
    return f"ZQX{n}{MARKUP}" + (" " + "W" * long if long else "")


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # tags seen on screen
    checked: int = 0

    def tags(self, shown: str) -> set[str]:
        import re

        return set(re.findall(r"ZQX\d+", shown))


def might_be_rich(raw: str) -> bool:
    """Qt's own guess (Qt::mightBeRichText), which QLabel's AutoText and every tooltip use."""
    return QtGuiNamespace.mightBeRichText(raw)


def is_rich(fmt: Qt.TextFormat, raw: str) -> bool:
    if fmt == Qt.TextFormat.PlainText:
        return False
    if fmt in (Qt.TextFormat.RichText, Qt.TextFormat.MarkdownText):
        return True
    return might_be_rich(raw)  # AutoText: what QLabel and tooltips decide


def rendered(raw: str, rich: bool) -> str:
    if not rich:
        return raw
    doc = QTextDocument()
    doc.setHtml(raw)
    return doc.toPlainText()


def looks_like_user_text(raw: str) -> bool:
    return "ZQX" in raw or "<img src=x>" in raw or "&lt;img src=x&gt;" in raw


def check_text(found: Findings, where: str, raw: str, rich: bool) -> None:
    shown = rendered(raw, rich)
    if not (looks_like_user_text(raw) or "ZQX" in shown):
        return
    found.checked += 1
    found.seen |= found.tags(shown)
    if MARKUP not in shown:
        found.problems.append(f"{where}: user markup not shown verbatim ({'rich' if rich else 'plain'} text); "
                              f"shows {shown[:120]!r}")


def path_of(widget: QWidget) -> str:
    parts = []
    w: QWidget | None = widget
    while w is not None:
        parts.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(parts))


def columns(model: QAbstractItemModel, parent: QModelIndex = QModelIndex()) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model keeps columnCount private: one column
        return 1


def walk_model(found: Findings, where: str, model: QAbstractItemModel, parent: QModelIndex = QModelIndex(),
               depth: int = 0) -> None:
    if depth > 4:
        return
    for row in range(min(model.rowCount(parent), 500)):
        for col in range(columns(model, parent)):
            index = model.index(row, col, parent)
            display = model.data(index, Qt.ItemDataRole.DisplayRole)
            if isinstance(display, str):
                check_text(found, f"{where}[{row},{col}]", display, rich=False)  # delegates draw plain text
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and tip:
                check_text(found, f"{where}[{row},{col}] tooltip", tip, rich=might_be_rich(tip))
            if col == 0 and model.rowCount(index) > 0:
                walk_model(found, where, model, index, depth + 1)


def walk(found: Findings, root: QWidget) -> None:
    for w in [root, *root.findChildren(QWidget)]:
        where = path_of(w)
        if isinstance(w, QLabel):
            check_text(found, where, w.text(), is_rich(w.textFormat(), w.text()))
        tip = w.toolTip()
        if tip:
            check_text(found, f"{where} tooltip", tip, might_be_rich(tip))
        if isinstance(w, QTextEdit):  # QTextEdit/QTextBrowser render HTML when given HTML
            check_text(found, where, w.toPlainText(), rich=False)
        if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) and w.model() is not None:
            delegate = w.itemDelegate()
            in_combo = isinstance(w.parent(), QWidget) and isinstance(w.parent().parent(), QComboBox)
            if type(delegate) not in (QStyledItemDelegate, QItemDelegate) and not in_combo:
                # a custom delegate might paint HTML: the display check above would not see that
                model = w.model()
                if any(looks_like_user_text(str(model.data(model.index(r, c))))
                       for r in range(min(model.rowCount(), 200)) for c in range(columns(model))):
                    found.problems.append(f"{where}: custom delegate {type(delegate).__name__} draws user text; "
                                          "extend this test to check how it paints")
            walk_model(found, where, w.model())
        if isinstance(w, QComboBox):  # a combo box sized to its longest item grows with the user's text
            policy = w.sizeAdjustPolicy()
            if policy in (QComboBox.SizeAdjustPolicy.AdjustToContents,
                          QComboBox.SizeAdjustPolicy.AdjustToContentsOnFirstShow):
                widest = max((w.fontMetrics().horizontalAdvance(w.itemText(i)) for i in range(w.count())), default=0)
                if widest > MAX_WIDTH:
                    found.problems.append(f"{where}: sized to its contents ({policy.name}), and an item is "
                                          f"{widest} px wide; use AdjustToMinimumContentsLengthWithIcon")
        if isinstance(w, QGraphicsView) and w.scene() is not None:  # charts (pyqtgraph legends are HTML)
            for item in w.scene().items():
                if isinstance(item, QGraphicsTextItem):
                    check_text(found, f"{where} chart text", item.toPlainText(), rich=False)


def min_width(w: QWidget) -> int:
    """The width a layout must give ``w`` at least (an explicit minimum width beats the size hint)."""
    if w.minimumWidth() > 0:
        return w.minimumWidth()
    if w.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored:
        return 0
    return w.minimumSizeHint().width()


def too_wide(root: QWidget) -> list[str]:
    """The innermost widgets that ask for more than MAX_WIDTH (the ones that do not wrap or elide)."""
    wide = [w for w in root.findChildren(QWidget) if not w.isHidden() and min_width(w) > MAX_WIDTH]
    inner = [w for w in wide if not any(o is not w and w.isAncestorOf(o) for o in wide)]
    return [f"{path_of(w)} ({min_width(w)} px)" for w in inner]


def visible_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]


def check_windows(found: Findings, qtbot) -> None:
    QApplication.processEvents()
    for window in visible_windows():
        walk(found, window)
        width = window.width()
        if width > MAX_WIDTH or window.minimumSizeHint().width() > MAX_WIDTH:
            found.problems.append(f"{path_of(window)} is {width} px wide (minimum {window.minimumSizeHint().width()})"
                                  f"; long user text must wrap or elide; too wide: {too_wide(window)}")
        # inside a scroll area the window stays narrow, but a page 50,000 px wide is no better
        for area in window.findChildren(QScrollArea):
            content = area.widget()
            if area.widgetResizable() and content is not None and not area.isHidden() \
                    and content.minimumSizeHint().width() > MAX_WIDTH:
                found.problems.append(f"{path_of(content)} needs {content.minimumSizeHint().width()} px (scrolls "
                                      f"sideways); too wide: {too_wide(content)}")
        image = window.grab()
        assert not image.isNull(), path_of(window)


# ------------------------------------------------------------------------------------------------ data


@pytest.fixture
def world(ctx, clock):
    """Markup and long words in every user text field the services accept."""
    habits.seed_from_catalog(ctx, weight_kg=80)
    keys = {}
    keys["check"] = habits.add_habit(ctx, HabitSpec(
        key="new", category="sleep", title=text(1), why=text(2, long=5000), details=text(3, long=5000),
        kind="check", target=None, schedule=Schedule.daily(), caution=text(4, long=300)))
    keys["measured"] = habits.add_habit(ctx, HabitSpec(
        key="new", category="nutrition", title=text(5), why="", details="", kind="measured",
        target=Target(10, unit=text(6)), schedule=Schedule.daily()))
    keys["long"] = habits.add_habit(ctx, HabitSpec(
        key="new", category="training", title=text(7, long=5000), why=text(8), details="", kind="check",
        target=None, schedule=Schedule.per_week(3)))
    keys["supplement"] = habits.add_habit(ctx, HabitSpec(
        key="new", category="supplements", title=text(9), why=text(10), details="", kind="check", target=None,
        schedule=Schedule.daily()))
    checklist.record(ctx, keys["check"], done=True, note=text(11, long=5000))
    checklist.record(ctx, keys["measured"], value=4, note=text(12))
    checklist.record(ctx, keys["long"], TODAY - timedelta(days=1), done=True, note=text(13))
    labs.add_result(ctx, labs.LabInput(drawn_on=date(2026, 11, 20), value="140", lab_low="100", lab_high="300",
                                       lab_name=text(14), assay=text(15), notes=text(16, long=4800)))

    from igfcoach.services import reminders

    reminders.ensure_default_rules(ctx)
    for n, rule in enumerate(reminders.list_rules(ctx)):
        reminders.update_rule(ctx, rule.id, title=text(20 + n), body=text(40 + n, long=800), enabled=True)

    try:
        from igfcoach.core.intervals import IntervalPlan
        from igfcoach.services import sleep, training
    except ImportError:  # the practice pages arrive with their services
        return keys
    exercise = training.add_exercise(ctx, text(60))
    plan = IntervalPlan(60, 30, 90, 4, 60)
    training.save_plan(ctx, text(61), plan)
    training.log_hiit(ctx, training.HiitEntry(day=TODAY, plan=plan, notes=text(62, long=1800),
                                              plan_name=text(63)))
    training.log_resistance(ctx, training.ResistanceEntry(
        day=TODAY, sets=(training.SetEntry(exercise=exercise, reps=8, load=40.0),), notes=text(64, long=1800)))
    sleep.log_sleep(ctx, sleep.SleepInput(day=TODAY, bedtime=time(23, 0), wake_time=time(7, 0),
                                          notes=text(65, long=1800)))
    return keys


def select_first_rows(root: QWidget) -> None:
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or not view.isVisible() or model.rowCount() == 0:
            continue
        if view.selectionModel() is not None and view.selectionModel().hasSelection():
            continue  # something is shown already
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.flags() & Qt.ItemFlag.ItemIsSelectable:
                view.setCurrentIndex(index)
                break


# ------------------------------------------------------------------------------------------------ the test


def test_user_text_is_plain_everywhere(qtbot, qapp, ctx, world):
    found = Findings()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1000, 680)
    window.show()
    qtbot.waitExposed(window)

    for key in window.page_keys():
        window.show_page(key)
        page = window.page(key)
        QApplication.processEvents()
        select_first_rows(page)
        if key == "today":
            for button in page.findChildren(QToolButton, "moreButton"):
                if button.isEnabled() and not button.isChecked():
                    button.click()
        QApplication.processEvents()
        check_windows(found, qtbot)
        for tabs in page.findChildren(QTabWidget):  # every tab of every page (settings, charts, practice)
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                QApplication.processEvents()
                select_first_rows(tabs.widget(i))
                check_windows(found, qtbot)

    # notices that quote user text: undo after a skip, a reminder in the banner
    today = window.page("today")
    window.show_page("today")
    today.change(world["check"], skipped=True)
    assert today.undo_bar.isVisible() and "ZQX1" in today.undo_bar.text()
    from igfcoach.reminders.delivery import InAppBanner, Notice
    from igfcoach.services import reminders

    rule = reminders.list_rules(ctx)[0]
    InAppBanner(window.banner).send(Notice(*reminders.notice_text(ctx, rule), actions=(("done", "Done"),)))
    check_windows(found, qtbot)

    # dialogs: manage habits (tooltips of the list), the habit editor, the lab result editor, practice editors
    manage = today.open_manage()
    qtbot.waitExposed(manage)
    assert manage.select(world["check"])
    check_windows(found, qtbot)
    manage.archive_or_restore()  # "Archived “…”" in its undo bar
    check_windows(found, qtbot)
    manage.undo()
    assert manage.select(world["long"])
    editor = manage.edit()
    qtbot.waitExposed(editor)
    check_windows(found, qtbot)
    editor.reject()
    manage.reject()

    from igfcoach.ui.dialogs.lab_result import LabResultDialog

    lab_dialog = LabResultDialog(ctx, window.page("labs"), labs.list_results(ctx)[0])
    qtbot.addWidget(lab_dialog)
    lab_dialog.show()
    qtbot.waitExposed(lab_dialog)
    assert "ZQX16" in lab_dialog.notes_edit.toPlainText()
    check_windows(found, qtbot)
    lab_dialog.reject()

    for key in ("training", "sleep"):
        if key not in window.page_keys():
            continue
        window.show_page(key)
        page = window.page(key)
        for panel in page.findChildren(QWidget):
            if callable(getattr(type(panel), "edit_selected", None)) and panel is not page:
                select_first_rows(panel)
                panel.edit_selected()
                QApplication.processEvents()
                check_windows(found, qtbot)
                for dialog in [w for w in visible_windows() if w is not window]:
                    dialog.close()

    assert found.checked > 20, "hardly any user text was found on screen: the walk is broken"
    expected = {"ZQX1", "ZQX2", "ZQX5", "ZQX6", "ZQX7", "ZQX9", "ZQX11", "ZQX14", "ZQX15", "ZQX16"}
    missing = expected - found.seen
    assert not missing, f"these user texts never appeared on screen, so nothing was checked for them: {missing}"
    assert not found.problems, "user text rendered as rich text or too wide:\n  " + "\n  ".join(
        sorted(set(found.problems)))
