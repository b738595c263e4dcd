"""Widgets the Training and Sleep & Stress pages share: the big countdown, m:ss duration boxes, the mute
toggle, history tables, form errors and the breathing pacer circle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from PySide6.QtCore import QDate, QPointF, QRectF, QSize, Qt, QTime, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core import intervals
from igfcoach.core.intervals import Phase
from igfcoach.resources_path import resource_path
from igfcoach.services import settings
from igfcoach.services.autotick import Logged
from igfcoach.services.context import AppContext
from igfcoach.ui.notice_card import is_dark
from igfcoach.ui.plain import plain_label, tooltip  # noqa: F401 - plain_label is used by the pages through here
from igfcoach.ui.sounds import MUTE_SETTING

#: Phase colours (light palette, dark palette): strong for work, calm for rest, neutral otherwise.
PHASE_COLOURS = {
    intervals.WORK: ("#c0392b", "#ff8a7a"),
    intervals.REST: ("#1f7a6f", "#5fd3c4"),
    intervals.WARMUP: ("#8a5a00", "#f3c46b"),
    intervals.COOLDOWN: ("#2f5f9e", "#8ab4f8"),
}


#: Style for the practice pages, set on each page (palette colours, so light and dark both read well).
PRACTICE_STYLE = """
QFrame#countdownPanel {
    background: palette(alternate-base);
    border: 1px solid palette(midlight);
    border-radius: 10px;
}
QProgressBar#countdownBar {
    border: none;
    border-radius: 3px;
    background: palette(button);
}
QProgressBar#countdownBar::chunk {
    background: palette(highlight);
    border-radius: 3px;
}
QToolButton#choiceButton {
    padding: 4px 8px;
    border: 1px solid palette(mid);
    border-radius: 5px;
    background: palette(button);
    color: palette(button-text);
}
QToolButton#choiceButton:checked {
    background: palette(highlight);
    color: palette(highlighted-text);
    border-color: palette(highlight);
    font-weight: 600;
}
QToolButton#choiceButton:focus {
    border: 2px solid palette(highlight);
}
QToolButton#muteButton {
    padding: 4px 10px;
    border: 1px solid palette(mid);
    border-radius: 5px;
    background: palette(button);
    color: palette(button-text);
}
QToolButton#muteButton:checked {
    background: palette(alternate-base);
}
QFrame#mealPrompt {
    background: palette(alternate-base);
    border-left: 3px solid palette(highlight);
    border-radius: 4px;
}
QLabel#sleepSummary {
    font-size: 11pt;
    font-weight: 600;
}
QCheckBox::indicator, QTableView::indicator {
    width: 15px;
    height: 15px;
    border: 1px solid palette(mid);
    border-radius: 3px;
    background: palette(base);
}
QCheckBox::indicator:hover {
    border: 1px solid palette(highlight);
}
QCheckBox::indicator:checked, QTableView::indicator:checked {
    background: palette(highlight);
    border: 1px solid palette(highlight);
    image: url("@CHECK@");
}
QCheckBox::indicator:disabled {
    background: palette(window);
}
"""


def practice_style() -> str:
    """PRACTICE_STYLE with the bundled check mark (style sheets need a file path)."""
    check = resource_path("style/check-mark.svg").as_posix().replace('"', '\\"')
    return PRACTICE_STYLE.replace("@CHECK@", check)


def hub() -> QApplication | None:
    """The CoachApp signal hub (None in a plain QApplication)."""
    app = QApplication.instance()
    return app if app is not None and hasattr(app, "checkoffs_changed") else None


def section_title(text: str) -> QLabel:
    label = plain_label(text, name="practiceSection", wrap=False)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.1)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    return label


def phase_colour(widget: QWidget, kind: str) -> QColor:
    pair = PHASE_COLOURS.get(kind)
    if pair is None:
        return widget.palette().color(QPalette.ColorRole.WindowText)
    return QColor(pair[1 if is_dark(widget) else 0])


class DurationSpin(QSpinBox):
    """Seconds, shown and typed as m:ss ("1:30"); plain seconds ("90") are accepted too."""

    def __init__(self, minimum: int, maximum: int, step: int, value: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(minimum, maximum)
        self.setSingleStep(step)
        self.setValue(value)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(84)

    def textFromValue(self, value: int) -> str:  # noqa: N802 (Qt name)
        return f"{value // 60}:{value % 60:02d}"

    def valueFromText(self, text: str) -> int:  # noqa: N802 (Qt name)
        text = text.strip()
        if ":" in text:
            m, _, s = text.partition(":")
            return int(m or 0) * 60 + int(s or 0)
        return int(text or 0)

    def validate(self, text: str, pos: int):  # noqa: D102 - Qt override
        from PySide6.QtGui import QValidator

        stripped = text.strip()
        ok = stripped.replace(":", "", 1).isdigit() or stripped in ("", ":")
        if not ok:
            return QValidator.State.Invalid, text, pos
        try:
            value = self.valueFromText(stripped)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        if self.minimum() <= value <= self.maximum() and (":" not in stripped or len(stripped.split(":")[1]) == 2):
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos


class MuteButton(QToolButton):
    """Sound on/off for the timers' cues; the setting is shared by every page that has one."""

    toggled_muted = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setCheckable(True)
        self.setObjectName("muteButton")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.reload()
        self.toggled.connect(self._toggled)
        h = hub()
        if h is not None:
            h.settings_changed.connect(self.reload)

    def reload(self) -> None:
        muted = bool(settings.get(self.ctx, MUTE_SETTING))
        self.blockSignals(True)
        self.setChecked(muted)
        self.blockSignals(False)
        self._label(muted)
        self.toggled_muted.emit(muted)

    def _label(self, muted: bool) -> None:
        self.setText("Sound off" if muted else "Sound on")
        self.setAccessibleName("Timer sounds: off" if muted else "Timer sounds: on")
        self.setToolTip("Turn the timer sounds on" if muted else "Mute the timer sounds")

    def _toggled(self, muted: bool) -> None:
        settings.put(self.ctx, **{MUTE_SETTING: bool(muted)})
        self._label(muted)
        self.toggled_muted.emit(muted)
        h = hub()
        if h is not None:
            h.settings_changed.emit()


class CountdownDisplay(QFrame):
    """The large countdown: phase, round and time left, with a bar for the whole session."""

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False, name: str = "countdown") -> None:
        super().__init__(parent)
        self.setObjectName("countdownPanel")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.compact = compact
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10 if compact else 16, 16, 10 if compact else 16)
        layout.setSpacing(2)
        self.phase_label = plain_label("", name="countdownPhase", wrap=False)
        self.phase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase_label.setAccessibleName(f"{name} phase")
        self.time_label = QLabel("0:00")
        self.time_label.setObjectName("countdownTime")
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.time_label.setAccessibleName(f"{name} time left")
        font = QFont(self.time_label.font())
        font.setPointSizeF(30 if compact else 54)
        font.setWeight(QFont.Weight.DemiBold)
        font.setFeature(QFont.Tag("tnum"), 1)  # digits of equal width: the number doesn't wobble
        self.time_label.setFont(font)
        pfont = QFont(self.phase_label.font())
        pfont.setPointSizeF(13 if compact else 16)
        pfont.setWeight(QFont.Weight.DemiBold)
        self.phase_label.setFont(pfont)
        self.round_label = plain_label("", muted=True, name="countdownRound", wrap=False)
        self.round_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.round_label.setAccessibleName(f"{name} round")
        self.bar = QProgressBar()
        self.bar.setObjectName("countdownBar")
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(6)
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName(f"{name} progress")
        layout.addWidget(self.phase_label)
        layout.addWidget(self.time_label)
        layout.addWidget(self.round_label)
        layout.addSpacing(4)
        layout.addWidget(self.bar)
        self._kind = ""
        self.show_idle("Ready", "")

    def show_idle(self, title: str, detail: str, seconds: float | None = None) -> None:
        self._kind = ""
        self.phase_label.setText(title)
        self.time_label.setText(intervals.format_clock(seconds) if seconds is not None else "–:––")
        self.round_label.setText(detail)
        self.bar.setValue(0)
        self._recolour()

    def show_phase(self, p: Phase, *, overall: bool = True) -> None:
        self._kind = "" if p.finished else p.kind
        self.phase_label.setText(p.title)
        self.time_label.setText(intervals.format_clock(p.remaining_s))
        if p.finished:
            self.round_label.setText(f"{p.rounds} rounds" if p.rounds else "")
        elif p.round and p.rounds and p.kind in (intervals.WORK, intervals.REST):
            self.round_label.setText(f"Round {p.round} of {p.rounds} · {intervals.format_clock(p.total_remaining_s)} "
                                     "to go")
        else:
            self.round_label.setText(f"{intervals.format_clock(p.total_remaining_s)} to go" if overall else "")
        share = (p.elapsed_s / p.total_s) if overall and p.total_s else p.fraction
        self.bar.setValue(int(round(1000 * min(1.0, max(0.0, share)))))
        self._recolour()

    def text(self) -> str:
        return " ".join(t for t in (self.phase_label.text(), self.time_label.text(), self.round_label.text()) if t)

    def _recolour(self) -> None:
        colour = phase_colour(self, self._kind) if self._kind else None
        css = f"color: {colour.name()};" if colour is not None else ""
        self.phase_label.setStyleSheet(css)
        self.time_label.setStyleSheet(css)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._recolour()


class HistoryTable(QTableWidget):
    """A read-only table that says what will appear in it while it is empty."""

    def __init__(self, rows: int, columns: int, placeholder: str = "") -> None:
        super().__init__(rows, columns)
        self.placeholder = placeholder

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().paintEvent(event)
        if self.rowCount() == 0 and self.placeholder:
            p = QPainter(self.viewport())
            p.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            rect = self.viewport().rect().adjusted(16, 16, -16, -16)
            p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.placeholder)
            p.end()


def history_table(columns: Sequence[str], name: str, placeholder: str = "") -> HistoryTable:
    table = HistoryTable(0, len(columns), placeholder)
    table.setObjectName(name)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for i in range(len(columns) - 1):
        header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    table.setMinimumHeight(120)
    return table


def fill_row(table: QTableWidget, row: int, cells: Sequence[str], data: object = None,
             tips: Sequence[str | None] = ()) -> None:
    for col, text in enumerate(cells):
        item = QTableWidgetItem(text)
        if col == 0:
            item.setData(Qt.ItemDataRole.UserRole, data)
        if col < len(tips) and tips[col]:
            item.setToolTip(tooltip(tips[col]))  # user text (notes, exercise names): shown as typed
        table.setItem(row, col, item)


def selected_data(table: QTableWidget) -> object:
    rows = table.selectionModel().selectedRows() if table.selectionModel() else []
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return item.data(Qt.ItemDataRole.UserRole) if item else None


class FormError(QFrame):
    """One line naming what is wrong with the form (the service's field-named message)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formError")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = plain_label("", name="formErrorText")
        self.label.setAccessibleName("Problem")
        layout.addWidget(self.label)
        self.hide()

    def show_error(self, text: str) -> None:
        self.label.setText(text[:1].upper() + text[1:] if text else text)
        self.show()

    def clear(self) -> None:
        self.label.clear()
        self.hide()

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""


class PacerWidget(QWidget):
    """The breathing pacer: a circle that grows while breathing in, holds, and shrinks while breathing out.

    ``set_level`` takes 0..1 (from ``core.intervals.breath_level``, already eased); drawing is antialiased and
    the circle's size is a float, so it moves smoothly at any tick rate.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("breathingPacer")
        self.setAccessibleName("Breathing pacer")
        self.setMinimumSize(QSize(220, 220))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.level = 0.0
        self.title = "Ready"
        self.detail = ""
        self.active = False

    def set_state(self, level: float, title: str, detail: str = "", *, active: bool = True) -> None:
        self.level = min(1.0, max(0.0, float(level)))
        self.title, self.detail, self.active = title, detail, active
        self.setAccessibleDescription(f"{title} {detail}".strip())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(300, 300)

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt name)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        accent = QColor(pal.color(QPalette.ColorRole.Highlight))
        text = pal.color(QPalette.ColorRole.WindowText)
        side = min(self.width(), self.height()) - 16
        centre = QPointF(self.width() / 2, self.height() / 2)
        r_max = side / 2
        r_min = r_max * 0.46  # room for the words even at the end of a breath out
        # guide ring: where a full breath reaches
        ring = QColor(text)
        ring.setAlphaF(0.22)
        p.setPen(QPen(ring, 2, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(centre, r_max, r_max)
        # the breath
        r = r_min + (r_max - r_min) * self.level
        fill = QColor(accent)
        fill.setAlphaF(0.30 if self.active else 0.14)
        edge = QColor(accent)
        edge.setAlphaF(0.95 if self.active else 0.45)
        p.setPen(QPen(edge, 3))
        p.setBrush(fill)
        p.drawEllipse(centre, r, r)
        # words in the middle
        p.setPen(text)
        font = QFont(self.font())
        font.setPointSizeF(max(11.0, min(16.0, side / 18)))
        font.setWeight(QFont.Weight.DemiBold)
        p.setFont(font)
        box = QRectF(centre.x() - r_max, centre.y() - r_max * 0.30, 2 * r_max, r_max * 0.32)
        p.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self.title)
        if self.detail:
            font.setWeight(QFont.Weight.Normal)
            font.setPointSizeF(max(9.0, min(12.5, side / 26)))
            p.setFont(font)
            box2 = QRectF(centre.x() - r_max, centre.y() + r_max * 0.04, 2 * r_max, r_max * 0.3)
            p.drawText(box2, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self.detail)
        p.end()


def plural(n: float, word: str) -> str:
    return f"{n:g} {word}" + ("" if n == 1 else "s")


# --- helpers shared by the practice pages ------------------------------------------------------------


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def pytime(q: QTime) -> time:
    return time(q.hour(), q.minute())


def changes_text(result: Logged) -> str:
    """What a logged session did to the checklist, in one sentence per kind of change."""
    ticked = [c.describe() for c in result.changes if c.done]
    recorded = [c.describe() for c in result.changes if not c.done and c.value is not None]
    unticked = [c.title for c in result.changes if not c.done and c.value is None]
    parts = []
    if ticked:
        parts.append("Ticked " + ", ".join(f"“{t}”" for t in ticked) + ".")
    if recorded:
        parts.append("Recorded " + ", ".join(f"“{t}”" for t in recorded) + ".")
    if unticked:
        parts.append("Unticked " + ", ".join(f"“{t}”" for t in unticked) + ".")
    return " ".join(parts)


def shortcut(widget: QWidget, keys, slot) -> QShortcut:
    """A shortcut active while focus is anywhere inside `widget`."""
    sc = QShortcut(QKeySequence(keys), widget)
    sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    sc.activated.connect(slot)
    return sc


class PracticePage(QWidget):
    """What the Training and Sleep & Stress pages share: their panels' messages, undo and the tray status.

    A subclass sets `self.undo_bar` (an UndoBar) and calls `connect_panels`; each panel has the signals
    `logged(Logged)`, `message(str)` and `undoable(str, callable)`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._undo = None

    def connect_panels(self, panels) -> None:
        for panel in panels:
            panel.logged.connect(self._logged)
            panel.message.connect(self.undo_bar.show_message)
            panel.undoable.connect(self._offer_undo)

    def _status(self, text: str) -> None:
        h = hub()
        if h is not None and hasattr(h, "status_text"):
            h.status_text.emit(text)

    def _logged(self, result: Logged) -> None:
        h = hub()
        if h is not None and result.changes:
            h.checkoffs_changed.emit()

    def _offer_undo(self, text: str, undo) -> None:
        self._undo = undo
        self.undo_bar.show_undo(text)

    def undo(self) -> None:
        from igfcoach.core.intervals import PracticeInputError
        from igfcoach.services.habits import HabitError

        if self._undo is None:
            self.undo_bar.show_message("Nothing to undo.")
            return
        undo, self._undo = self._undo, None
        try:
            undo()
        except (PracticeInputError, HabitError) as exc:
            self.undo_bar.show_message(f"Could not undo. {exc}")
            return
        h = hub()
        if h is not None:
            h.checkoffs_changed.emit()
        self.undo_bar.show_message("Undone.")


def add_history(panel: QWidget, layout: QVBoxLayout, *, columns: Sequence[str], name: str, placeholder: str,
                edit_label: str, edit_accessible: str, delete_accessible: str) -> None:
    """A "History" heading with Edit and Delete beside it and the history table below, added to `layout`.

    Sets `panel.table`, `panel.edit_button` and `panel.delete_button`, and wires them to the panel's
    `edit_selected`, `delete_selected` and `_selection_changed` (a double click edits).
    """
    head = QHBoxLayout()
    head.addWidget(section_title("History"))
    head.addStretch(1)
    panel.edit_button = QPushButton(edit_label)
    panel.edit_button.setAccessibleName(edit_accessible)
    panel.edit_button.clicked.connect(panel.edit_selected)
    panel.delete_button = QPushButton("Delete")
    panel.delete_button.setAccessibleName(delete_accessible)
    panel.delete_button.clicked.connect(panel.delete_selected)
    head.addWidget(panel.edit_button)
    head.addWidget(panel.delete_button)
    layout.addLayout(head)
    panel.table = history_table(columns, name, placeholder)
    panel.table.doubleClicked.connect(lambda _i: panel.edit_selected())
    panel.table.itemSelectionChanged.connect(panel._selection_changed)
    layout.addWidget(panel.table, 1)


def announce_delete(panel: QWidget, entry_id: int, day: date, changes, message: str, restore) -> None:
    """After a panel deleted an entry: tell the page what the delete unticked, and offer Undo, which calls
    `restore` and refreshes the panel. The panel has the signals `logged` and `undoable` and `refresh()`."""
    result = Logged(entry_id, day, changes)
    panel.logged.emit(result)

    def undo() -> None:
        restore()
        panel.refresh()

    tail = f" {changes_text(result)}" if changes else ""
    panel.undoable.emit(f"{message}{tail}", undo)
