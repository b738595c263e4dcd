"""The Today page: the day's checklist grouped by category, with day navigation, undo and a self-rolling day.

Every change is one service call (one transaction) followed by ``app.checkoffs_changed``; only the changed
row is refreshed. A full rebuild happens when the day, the habits, the settings or the safety policy change.

Keyboard: Up/Down move between items, Space (or Enter) ticks the focused item (for an amount it moves into
the number box), Ctrl+Left/Right go to the previous/next day, Ctrl+T back to today, Ctrl+Z undoes the last
change and Ctrl+E opens "Manage habits".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core import scores
from igfcoach.core.days import next_rollover
from igfcoach.core.habits import CATEGORIES, CATEGORY_TITLES, HabitSpec
from igfcoach.services import checklist, habits, settings
from igfcoach.services.checklist import MAX_VALUE, ChecklistItem, Snapshot
from igfcoach.services.context import AppContext
from igfcoach.services.habits import HabitError
from igfcoach.ui.plain import tooltip
from igfcoach.ui.undo_bar import UndoBar

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

SKIP_TIP = "Skip this day: ill or rest day. It doesn't break your streak."
#: The rollover timer never waits longer than this, so a suspend or a clock change is noticed soon after.
MAX_TIMER_WAIT_MS = 10 * 60 * 1000
UNDO_DEPTH = 50
EARLIEST = date(2000, 1, 1)
PROGRESS_WIDTH = 116  # amount box + unit over the goal, or "1/2 this week"
STATS_WIDTH = 112  # streak over the strength bar
#: Units whose amounts are whole numbers in practice; others get one decimal.
WHOLE_UNITS = {"g", "min", "mg", "kcal", "steps", "µg", "mcg", "iu"}


# --- text helpers ------------------------------------------------------------------------------------

def day_title(day: date, today: date | None = None) -> str:
    """'Wednesday 25 November' (the year is added when it is not the current one)."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    if today is not None and day.year != today.year:
        text += f" {day.year}"
    return text


def relative_day(day: date, today: date) -> str:
    days = (today - day).days
    if days == 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    return f"{days} days ago"


def streak_text(item: ChecklistItem) -> str:
    if item.streak <= 0:
        return "No streak yet"
    return f"{item.streak}-{scores.streak_unit(item.spec)} streak"


def amount(value: float) -> str:
    return f"{value:g}"


def not_due_reason(item: ChecklistItem, day: date) -> str:
    schedule = item.spec.schedule
    if schedule.kind == "weekdays" and not item.scheduled:
        return f"Not due on {WEEKDAYS[day.weekday()]}s (scheduled {schedule.label})"
    if schedule.kind == "per_week" and item.week is not None:
        return f"Not due: this week's {item.week[1]} are done"
    return "Not due on this day"


def adherence_counts(items: list[ChecklistItem]) -> tuple[int, int, int]:
    """(done, due, skipped): skipped items are neither done nor due, as in scores.daily_adherence."""
    due = [i for i in items if i.due and not i.skipped]
    return sum(1 for i in due if i.done), len(due), sum(1 for i in items if i.skipped)


def _one_paragraph(text: str | None) -> str:
    return " ".join((text or "").split())


def _restyle(widget: QWidget, name: str, value: object) -> None:
    """Set a dynamic property the style sheet selects on, re-polishing only when it changed."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _hub() -> QApplication | None:
    app = QApplication.instance()
    return app if app is not None and hasattr(app, "checkoffs_changed") else None


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


# --- widgets -----------------------------------------------------------------------------------------

class ValueBox(QDoubleSpinBox):
    """A number box that can also be empty ("–" = nothing logged), and ignores the wheel unless focused."""

    def __init__(self, spec: HabitSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        target = spec.target
        assert target is not None
        unit = target.unit
        whole = unit.lower() in WHOLE_UNITS and float(target.value).is_integer()
        self.setDecimals(0 if whole else 1)
        self.setSingleStep(1.0 if whole or target.value >= 20 else 0.5)
        self.setMinimum(-1.0)  # the empty state, shown as "–"
        self.setMaximum(MAX_VALUE.get(unit, 100_000.0))
        self.setSpecialValueText("–")
        self.setKeyboardTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.UpDownArrows)
        self._target = target.value
        self.set_amount(None)

    def amount(self) -> float | None:
        return None if self.value() < 0 else round(self.value(), self.decimals())

    def set_amount(self, value: float | None) -> None:
        self.setValue(-1.0 if value is None else value)

    # empty text means "nothing logged"; a minus sign is never valid
    def validate(self, text: str, pos: int):  # noqa: ANN201 (Qt signature)
        from PySide6.QtGui import QValidator

        stripped = text.strip()
        if stripped in ("", self.specialValueText()):
            return QValidator.State.Acceptable, text, pos
        if stripped.startswith("-"):
            return QValidator.State.Invalid, text, pos
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt name)
        if text.strip() in ("", self.specialValueText()):
            return self.minimum()
        return super().valueFromText(text)

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt name)
        if self.value() < 0:  # from empty, the first step up lands on the target
            if steps > 0:
                self.setValue(self._target)
            return
        if self.value() + steps * self.singleStep() < 0:
            self.setValue(0.0 if self.value() > 0 else -1.0)
            return
        super().stepBy(steps)

    def wheelEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt name)
        if not self.hasFocus():
            event.ignore()  # let the page scroll
            return
        super().wheelEvent(event)


class HabitRow(QFrame):
    """One checklist item. It only displays an item and asks for changes; the page makes them."""

    toggle_requested = Signal(str, bool)  # key, done
    value_entered = Signal(str, object)  # key, float | None
    note_entered = Signal(str, str)  # key, text ("" clears)
    skip_requested = Signal(str, bool)  # key, skipped
    move_requested = Signal(str, int)  # key, -1 up / +1 down

    def __init__(self, item: ChecklistItem, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        spec = item.spec
        self.key = spec.key
        self.item = item
        self.day = day
        title = spec.title
        self.setObjectName("habitRow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(title)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 10)
        outer.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(12)
        outer.addLayout(row)
        # details, caution, state and the note editor run full width under the top line, from the text column
        lower = QVBoxLayout()
        lower.setContentsMargins(22 + 12, 0, 0, 0)
        lower.setSpacing(4)
        outer.addLayout(lower)
        top = Qt.AlignmentFlag.AlignTop

        # the tick (check habits) or a done mark (amounts)
        self.check: QCheckBox | None = None
        self.mark: QLabel | None = None
        if spec.is_measured:
            self.mark = QLabel()
            self.mark.setObjectName("doneMark")
            self.mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.mark.setFixedWidth(22)
            row.addWidget(self.mark, 0, top)
        else:
            self.check = QCheckBox()
            self.check.setAccessibleName(title)
            self.check.setAccessibleDescription(f"Tick when {title} is done")
            self.check.setFixedWidth(22)
            self.check.clicked.connect(lambda checked: self.toggle_requested.emit(self.key, checked))
            row.addWidget(self.check, 0, top)

        # text: title and why
        text = QVBoxLayout()
        text.setSpacing(3)
        self.title = QLabel(title)
        self.title.setObjectName("habitTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        if self.check is not None:
            self.title.setCursor(Qt.CursorShape.PointingHandCursor)
            self.title.installEventFilter(self)
        text.addWidget(self.title)
        self.why = QLabel(_one_paragraph(spec.why))
        self.why.setObjectName("habitWhy")
        self.why.setProperty("class", "muted")
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setWordWrap(True)
        text.addWidget(self.why)
        self.details = QLabel(_one_paragraph(spec.details))
        self.details.setObjectName("habitDetails")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.hide()
        lower.addWidget(self.details)
        self.caution = QLabel(f"Caution: {_one_paragraph(spec.caution)}" if spec.caution else "")
        self.caution.setObjectName("habitCaution")
        self.caution.setTextFormat(Qt.TextFormat.PlainText)
        self.caution.setWordWrap(True)
        self.caution.hide()
        lower.addWidget(self.caution)
        self.state_label = QLabel()
        self.state_label.setObjectName("habitState")
        self.state_label.setProperty("class", "muted")
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.setWordWrap(True)
        lower.addWidget(self.state_label)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setAccessibleName(f"Note for {title}")
        self.note_edit.setPlaceholderText("A note for this day; Enter saves, Esc cancels")
        self.note_edit.setMaxLength(500)
        self.note_edit.returnPressed.connect(self._note_done)
        self.note_edit.editingFinished.connect(self._note_edited)
        self.note_edit.installEventFilter(self)
        self.note_edit.hide()
        lower.addWidget(self.note_edit)
        for label in (self.title, self.why, self.details, self.caution, self.state_label):
            label.setMinimumWidth(1)  # a word longer than the row is clipped; it never widens the page
        row.addLayout(text, 1)

        # amount entry (measured) and/or the week's progress (N per week); absent otherwise
        self.value_box: ValueBox | None = None
        self.target_label: QLabel | None = None
        self.week_label: QLabel | None = None
        if spec.is_measured or spec.schedule.kind == "per_week":
            progress = QWidget()
            progress.setObjectName("progressCell")
            progress.setFixedWidth(PROGRESS_WIDTH)
            cell = QVBoxLayout(progress)
            cell.setContentsMargins(0, 0, 0, 0)
            cell.setSpacing(3)
            if spec.is_measured and spec.target is not None:
                self.value_box = ValueBox(spec)
                self.value_box.setFixedWidth(72)
                self.value_box.setAccessibleName(f"{title}: amount in {spec.target.unit}")
                self.value_box.setAccessibleDescription(
                    f"Target {spec.target.label}. Leave empty for nothing logged.")
                self.value_box.setToolTip(tooltip(f"Type the amount and press Enter (target {spec.target.label})"))
                self.value_box.editingFinished.connect(self._value_edited)
                self.value_box.installEventFilter(self)
                entry = QHBoxLayout()
                entry.setSpacing(6)
                entry.addWidget(self.value_box)
                unit = QLabel(spec.target.unit)
                unit.setObjectName("unitLabel")
                unit.setTextFormat(Qt.TextFormat.PlainText)
                entry.addWidget(unit)
                entry.addStretch(1)
                cell.addLayout(entry)
                self.target_label = QLabel(f"goal {spec.target.label}")
                self.target_label.setObjectName("targetLabel")
                self.target_label.setTextFormat(Qt.TextFormat.PlainText)
                self.target_label.setProperty("class", "muted")
                cell.addWidget(self.target_label)
            if spec.schedule.kind == "per_week":
                self.week_label = QLabel()
                self.week_label.setObjectName("weekLabel")
                cell.addWidget(self.week_label)
            row.addWidget(progress, 0, top)

        # streak over strength
        stats = QWidget()
        stats.setObjectName("statsCell")
        stats.setFixedWidth(STATS_WIDTH)
        stats_box = QVBoxLayout(stats)
        stats_box.setContentsMargins(0, 1, 0, 0)
        stats_box.setSpacing(5)
        self.streak_label = QLabel()
        self.streak_label.setObjectName("streakLabel")
        stats_box.addWidget(self.streak_label)
        bar_row = QHBoxLayout()
        bar_row.setSpacing(6)
        self.strength_bar = QProgressBar()
        self.strength_bar.setObjectName("strengthBar")
        self.strength_bar.setRange(0, 100)
        self.strength_bar.setTextVisible(False)
        self.strength_bar.setFixedHeight(6)
        self.strength_bar.setAccessibleName(f"Strength of {title}")
        bar_row.addWidget(self.strength_bar, 1)
        self.strength_label = QLabel()
        self.strength_label.setObjectName("strengthLabel")
        self.strength_label.setProperty("class", "muted")
        self.strength_label.setMinimumWidth(34)
        self.strength_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar_row.addWidget(self.strength_label)
        stats_box.addLayout(bar_row)
        row.addWidget(stats, 0, top)

        # More, Note, Skip
        actions = QWidget()
        actions.setObjectName("actionsCell")
        action_box = QHBoxLayout(actions)
        action_box.setContentsMargins(0, 0, 0, 0)
        action_box.setSpacing(8)
        self.more_button = QToolButton()
        self.more_button.setText("More")
        self.more_button.setObjectName("moreButton")
        self.more_button.setCheckable(True)
        self.more_button.setAccessibleName(f"More about {title}")
        self.more_button.setToolTip("Why this matters, in more detail")
        self.more_button.toggled.connect(self._toggle_details)
        self.more_button.setEnabled(bool(_one_paragraph(spec.details) or spec.caution))
        action_box.addWidget(self.more_button)
        self.note_button = QToolButton()
        self.note_button.setText("Note")
        self.note_button.setObjectName("noteButton")
        self.note_button.setAccessibleName(f"Note for {title}")
        self.note_button.setToolTip("Add a note for this day")
        self.note_button.clicked.connect(self._open_note)
        action_box.addWidget(self.note_button)
        self.skip_box = QCheckBox("Skip")
        self.skip_box.setObjectName("skipBox")
        self.skip_box.setAccessibleName(f"Skip {title} on this day")
        self.skip_box.setAccessibleDescription(SKIP_TIP)
        self.skip_box.setToolTip(SKIP_TIP)
        self.skip_box.clicked.connect(lambda checked: self.skip_requested.emit(self.key, checked))
        action_box.addWidget(self.skip_box)
        row.addWidget(actions, 0, top)

        for w in (self.check, self.more_button, self.note_button, self.skip_box):
            if w is not None:
                w.installEventFilter(self)
        self.set_item(item, day)

    # --- state ---------------------------------------------------------------------------------------

    def set_item(self, item: ChecklistItem, day: date | None = None) -> None:
        self.item = item
        if day is not None:
            self.day = day
        spec = item.spec
        if self.check is not None:
            self.check.setChecked(item.done)
        if self.mark is not None:
            self.mark.setText("✓" if item.done else "")
            self.mark.setToolTip("Target met" if item.done else "")
        if self.value_box is not None:
            self.value_box.set_amount(item.value)
        if self.week_label is not None and item.week is not None:
            self.week_label.setText(f"{item.week[0]}/{item.week[1]} this week")
        self.streak_label.setText(streak_text(item))
        percent = round(item.strength * 100)
        self.strength_bar.setValue(percent)
        self.strength_label.setText(f"{percent} %")
        self.strength_bar.setToolTip(f"Habit strength {percent} % (see “How is this computed?”)")
        self.skip_box.setChecked(item.skipped)
        self.note_button.setText("Edit note" if item.note else "Note")
        self.note_edit.setText(item.note or "")

        parts = []
        if item.skipped:
            parts.append("Skipped: neither done nor missed, your streak is safe")
        elif not item.due and not item.done:
            parts.append(not_due_reason(item, self.day))
        if item.note:
            parts.append(f"Note: {item.note}")
        self.state_label.setText("  ·  ".join(parts))
        self.state_label.setVisible(bool(parts))

        dim = item.skipped or (not item.due and not item.done)
        _restyle(self, "dim", dim)
        for label in (self.title, self.week_label, self.streak_label):
            if label is not None:
                _restyle(label, "dim", dim or (label is self.streak_label and item.streak <= 0))
        _restyle(self.title, "done", item.done)
        if spec.is_measured and spec.target is not None:
            logged = f"{amount(item.value)} {spec.target.unit} logged" if item.value is not None else "nothing logged"
            state = f"{logged}, target {spec.target.label}"
        else:
            state = "done" if item.done else "not done"
        if item.skipped:
            state = "skipped"
        extra = f", {item.week[0]} of {item.week[1]} this week" if item.week else ""
        self.setAccessibleDescription(
            f"{state}{extra}. {streak_text(item)}, strength {percent} %. {'' if item.due or item.done else 'Not due. '}"
            f"{_one_paragraph(spec.why)}"
        )

    def set_current(self, current: bool) -> None:
        _restyle(self, "current", current)

    # --- user actions --------------------------------------------------------------------------------

    def activate(self) -> None:
        """Space/Enter on the row: tick or untick, or go into the amount box."""
        if self.check is not None:
            self.toggle_requested.emit(self.key, not self.item.done)
        elif self.value_box is not None:
            self.value_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.value_box.selectAll()

    def _toggle_details(self, shown: bool) -> None:
        self.more_button.setText("Less" if shown else "More")
        self.more_button.setAccessibleName(f"{'Less' if shown else 'More'} about {self.item.spec.title}")
        self.details.setVisible(shown and bool(self.details.text()))
        self.caution.setVisible(shown and bool(self.caution.text()))

    def _value_edited(self) -> None:
        assert self.value_box is not None
        value = self.value_box.amount()
        if value != self.item.value:
            self.value_entered.emit(self.key, value)

    def _open_note(self) -> None:
        self.note_edit.setText(self.item.note or "")
        self.note_edit.show()
        self.note_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.note_edit.selectAll()

    def _note_edited(self) -> None:
        text = self.note_edit.text().strip()
        if text != (self.item.note or ""):
            self.note_entered.emit(self.key, text)

    def _note_done(self) -> None:
        self._note_edited()
        self.note_edit.hide()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _cancel_note(self) -> None:
        self.note_edit.setText(self.item.note or "")
        self.note_edit.hide()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- keyboard and focus --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        key = event.key()
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.activate()
            event.accept()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not event.modifiers():
            self.move_requested.emit(self.key, -1 if key == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt name)
        self.set_current(True)
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt name)
        self._current_from_focus()
        super().focusOutEvent(event)

    def _current_from_focus(self) -> None:
        focus = QApplication.focusWidget()
        self.set_current(focus is not None and (focus is self or self.isAncestorOf(focus)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        etype = event.type()
        if watched is self.title:
            if (etype == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton
                    and self.check is not None):
                self.toggle_requested.emit(self.key, not self.item.done)
                return True
            return False
        if etype in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            QTimer.singleShot(0, self, self._current_from_focus)
            return False
        if etype != QEvent.Type.KeyPress or event.modifiers() not in (Qt.KeyboardModifier.NoModifier,
                                                                      Qt.KeyboardModifier.KeypadModifier):
            return False
        key = event.key()
        if watched is self.value_box:
            if key == Qt.Key.Key_Escape:
                self.value_box.set_amount(self.item.value)
                self.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            return False  # Up/Down step the amount
        if watched is self.note_edit:
            if key == Qt.Key.Key_Escape:
                self._cancel_note()
                return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(self.key, -1 if key == Qt.Key.Key_Up else 1)
            return True
        return False


class ScoreHelpDialog(QDialog):
    """'How is this computed?': the strength formula, adherence and streaks in plain words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreHelp")
        self.setWindowTitle("How is this computed?")
        self.setAccessibleName("How is this computed?")
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 14)
        layout.setSpacing(6)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        box = QVBoxLayout(body)
        box.setContentsMargins(0, 0, 8, 0)
        box.setSpacing(6)
        self.sections: list[str] = []
        for heading, text in (("Habit strength", scores.FORMULA_TEXT), ("Daily adherence", scores.ADHERENCE_TEXT),
                              ("Streaks", scores.STREAK_TEXT)):
            title = QLabel(heading)
            title.setObjectName("helpHeading")
            box.addWidget(title)
            self.sections.append(text)
            for paragraph in text.split("\n"):  # an indented line is a formula, set apart on its own lines
                formula = paragraph.startswith(" ")
                shown = paragraph.strip()
                if formula:
                    shown = " ".join(shown.split()).replace(", with ", "\nwith ")
                label = QLabel(shown)
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setWordWrap(True)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                label.setObjectName("helpFormula" if formula else "helpText")
                box.addWidget(label)
        box.addStretch(1)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        layout.addWidget(buttons)

    def text(self) -> str:
        return "\n".join(self.sections)


# --- the page ----------------------------------------------------------------------------------------

class TodayPage(QWidget):
    """The day's checklist. `day` is the day shown; it follows "today" across a rollover while shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = ctx.today()
        self.day = self.today
        self.items: dict[str, ChecklistItem] = {}
        self.rows: dict[str, HabitRow] = {}
        self.hidden: list[HabitSpec] = []
        self.next_rollover_at: datetime | None = None
        self.manage_dialog: QDialog | None = None
        self.help_dialog: ScoreHelpDialog | None = None
        self._undo: list[Snapshot] = []
        self._own_change = False
        self._group_counts: dict[str, QLabel] = {}
        self.setAccessibleName("Today's checklist")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 10)
        outer.setSpacing(10)
        outer.addLayout(self._build_header())

        self.safety_notice = QLabel()
        self.safety_notice.setObjectName("safetyNotice")
        self.safety_notice.setAccessibleName("Hidden by the safety rules")
        self.safety_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.safety_notice.setWordWrap(True)
        self.safety_notice.hide()
        outer.addWidget(self.safety_notice)

        self.scroll = QScrollArea()
        self.scroll.setObjectName("checklistScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)  # only when very narrow
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.scroll, 1)

        # below the list, so showing it never moves the item under the pointer
        self.undo_bar = UndoBar(self)
        self.undo_bar.undo_requested.connect(self.undo)
        outer.addWidget(self.undo_bar)

        self._shortcuts = []
        for keys, slot in (("Ctrl+Left", self.previous_day), ("Ctrl+Right", self.next_day),
                           ("Ctrl+T", self.go_today), (QKeySequence.StandardKey.Undo, self.undo),
                           ("Ctrl+E", self.open_manage)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
            self._shortcuts.append(sc)

        self.rollover_timer = QTimer(self)
        self.rollover_timer.setSingleShot(True)
        self.rollover_timer.timeout.connect(self.check_rollover)

        hub = _hub()
        if hub is not None:
            hub.checkoffs_changed.connect(self._external_checkoffs)
            hub.habits_changed.connect(self.reload)
            hub.settings_changed.connect(self.check_rollover)
            hub.day_changed.connect(self.check_rollover)
            if hasattr(hub, "labs_changed"):
                hub.labs_changed.connect(self.reload)

        self._sync_tone()
        self.reload()
        self._arm_rollover()

    # --- building ------------------------------------------------------------------------------------

    def _sync_tone(self) -> bool:
        """Cards are drawn in whichever of Base/AlternateBase is lighter than the window (style sheet rule).

        Light palettes have a white Base on a grey window; dark ones a Base darker than the window, where a
        Base-coloured card would also swallow the check boxes' outlines.
        """
        pal = self.palette()
        dark = pal.color(QPalette.ColorRole.Base).lightness() < pal.color(QPalette.ColorRole.Window).lightness()
        changed = self.property("darkCards") != dark
        self.setProperty("darkCards", dark)
        return changed

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._sync_tone():
            QTimer.singleShot(0, self, self._repolish_cards)

    def _repolish_cards(self) -> None:
        for row in self.rows.values():
            row.style().unpolish(row)
            row.style().polish(row)

    def _build_header(self) -> QVBoxLayout:
        header = QVBoxLayout()
        header.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(8)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.relative_label = QLabel()
        self.relative_label.setObjectName("todayRelative")
        titles.addWidget(self.relative_label)
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.title_label.setAccessibleName("Day shown")
        titles.addWidget(self.title_label)
        top.addLayout(titles)
        top.addStretch(1)

        self.prev_button = QPushButton("‹ Previous")
        self.prev_button.setAccessibleName("Previous day")
        self.prev_button.setToolTip("Previous day (Ctrl+Left)")
        self.prev_button.clicked.connect(self.previous_day)
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("dayPicker")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setAccessibleName("Pick a day")
        self.date_edit.setToolTip("Pick a past day to fill in what you forgot")
        self.date_edit.setMinimumDate(_qdate(EARLIEST))
        self.date_edit.setMaximumDate(_qdate(self.today))
        self.date_edit.dateChanged.connect(lambda qd: self.go_to(qd.toPython()))
        self.next_button = QPushButton("Next ›")
        self.next_button.setAccessibleName("Next day")
        self.next_button.setToolTip("Next day (Ctrl+Right)")
        self.next_button.clicked.connect(self.next_day)
        self.today_button = QPushButton("Today")
        self.today_button.setAccessibleName("Back to today")
        self.today_button.setToolTip("Back to today (Ctrl+T)")
        self.today_button.clicked.connect(self.go_today)
        for w in (self.prev_button, self.date_edit, self.next_button, self.today_button):
            top.addWidget(w, 0, Qt.AlignmentFlag.AlignBottom)
        header.addLayout(top)

        sub = QHBoxLayout()
        sub.setSpacing(12)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("todaySummary")
        self.summary_label.setAccessibleName("Done today")
        sub.addWidget(self.summary_label)
        self.adherence_bar = QProgressBar()
        self.adherence_bar.setObjectName("adherenceBar")
        self.adherence_bar.setTextVisible(False)
        self.adherence_bar.setFixedSize(140, 6)
        self.adherence_bar.setAccessibleName("Share of due items done")
        sub.addWidget(self.adherence_bar, 0, Qt.AlignmentFlag.AlignVCenter)
        sub.addStretch(1)
        self.help_button = QPushButton("How is this computed?")
        self.help_button.setObjectName("todayLink")
        self.help_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.help_button.setAccessibleName("How is this computed?")
        self.help_button.clicked.connect(self.open_help)
        sub.addWidget(self.help_button)
        self.manage_button = QPushButton("Edit habits…")
        self.manage_button.setAccessibleName("Edit habits")
        self.manage_button.setToolTip("Add, edit, reorder, pause or archive habits (Ctrl+E)")
        self.manage_button.clicked.connect(self.open_manage)
        sub.addWidget(self.manage_button)
        header.addLayout(sub)
        return header

    def commit_pending(self) -> None:
        """Save an amount or note still being typed, for the day it was typed on, before the list changes."""
        focus = QApplication.focusWidget()
        if focus is not None and isinstance(focus, (QLineEdit, QAbstractSpinBox)) and any(
                row.isAncestorOf(focus) for row in self.rows.values()):
            focus.clearFocus()  # emits editingFinished while `self.day` is still that row's day

    def reload(self) -> None:
        """Rebuild the whole list for `self.day` (day change, habits or policy changed)."""
        focused = self.focused_key()
        self.commit_pending()
        scroll_pos = self.scroll.verticalScrollBar().value()
        items = checklist.day_checklist(self.ctx, self.day)
        self.hidden = checklist.hidden_by_safety(self.ctx)
        self.items = {i.spec.key: i for i in items}
        self.rows = {}
        self._group_counts = {}

        content = QWidget()
        content.setObjectName("checklistContent")
        box = QVBoxLayout(content)
        box.setContentsMargins(0, 0, 6, 12)
        box.setSpacing(6)
        by_category: dict[str, list[ChecklistItem]] = {}
        for item in items:
            by_category.setdefault(item.spec.category, []).append(item)
        order = list(CATEGORIES) + sorted(set(by_category) - set(CATEGORIES))
        for category in order:
            group = by_category.get(category)
            if not group:
                continue
            head = QHBoxLayout()
            head.setContentsMargins(4, 0, 4, 0)
            title = QLabel(CATEGORY_TITLES.get(category, category.title()))
            title.setObjectName("groupTitle")
            title.setAccessibleName(f"{CATEGORY_TITLES.get(category, category)} habits")
            head.addWidget(title)
            head.addStretch(1)
            count = QLabel()
            count.setObjectName("groupCount")
            count.setProperty("class", "muted")
            head.addWidget(count, 0, Qt.AlignmentFlag.AlignBottom)
            self._group_counts[category] = count
            box.addLayout(head)
            for item in group:
                row = HabitRow(item, self.day)
                row.toggle_requested.connect(self._on_toggle)
                row.value_entered.connect(self._on_value)
                row.note_entered.connect(self._on_note)
                row.skip_requested.connect(self._on_skip)
                row.move_requested.connect(self.move_focus)
                self.rows[item.spec.key] = row
                box.addWidget(row)
        if not items:
            box.addWidget(self._empty_state())
        box.addStretch(1)

        old = self.scroll.takeWidget()
        self.scroll.setWidget(content)
        if old is not None:
            old.hide()
            old.deleteLater()
        self.scroll.verticalScrollBar().setValue(scroll_pos)
        self._update_header()
        self._update_safety_notice()
        if focused in self.rows:
            self.rows[focused].setFocus(Qt.FocusReason.OtherFocusReason)

    def _empty_state(self) -> QWidget:
        box = QFrame()
        box.setObjectName("emptyState")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 24, 4, 4)
        layout.setSpacing(10)
        text = QLabel("Your checklist is empty. Start with the suggested habits from the guide, or add your own.")
        text.setWordWrap(True)
        text.setProperty("class", "muted")
        layout.addWidget(text)
        buttons = QHBoxLayout()
        suggested = QPushButton("Add the suggested habits")
        suggested.setAccessibleName("Add the suggested habits")
        suggested.clicked.connect(self._seed)
        own = QPushButton("Edit habits…")
        own.setAccessibleName("Edit habits")
        own.clicked.connect(self.open_manage)
        buttons.addWidget(suggested)
        buttons.addWidget(own)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return box

    def _seed(self) -> None:
        habits.ensure_seeded(self.ctx)
        hub = _hub()
        if hub is not None:
            hub.habits_changed.emit()  # reloads this page too
        else:
            self.reload()

    def _update_header(self) -> None:
        self.title_label.setText(day_title(self.day, self.today))
        self.relative_label.setText(relative_day(self.day, self.today))
        self.date_edit.blockSignals(True)
        self.date_edit.setMaximumDate(_qdate(self.today))
        self.date_edit.setDate(_qdate(self.day))
        self.date_edit.blockSignals(False)
        self.prev_button.setEnabled(self.day > EARLIEST)
        self.next_button.setEnabled(self.day < self.today)
        self.today_button.setEnabled(self.day != self.today)
        self._update_summary()

    def _update_summary(self) -> None:
        items = list(self.items.values())
        done, due, skipped = adherence_counts(items)
        if due:
            text = f"{done} of {due} done"
        elif items:
            text = "Nothing due"
        else:
            text = "No habits yet"
        if skipped:
            text += f"  ·  {skipped} skipped"
        self.summary_label.setText(text)
        self.adherence_bar.setVisible(bool(due))
        self.adherence_bar.setValue(round(100 * done / due) if due else 0)
        for category, label in self._group_counts.items():
            group = [i for i in items if i.spec.category == category]
            g_done, g_due, _ = adherence_counts(group)
            label.setText(f"{g_done} of {g_due} done" if g_due else "nothing due")

    def _update_safety_notice(self) -> None:
        if not self.hidden:
            self.safety_notice.hide()
            return
        names = ", ".join(spec.title for spec in self.hidden)
        self.safety_notice.setText(
            f"Hidden by the safety rules: {names}. These practices stimulate the GH/IGF-1 axis, and your safety "
            "answers or latest result rule them out for now. The Labs page explains why."
        )
        self.safety_notice.show()

    # --- navigation ----------------------------------------------------------------------------------

    def go_to(self, day: date) -> None:
        day = min(max(day, EARLIEST), self.today)  # the future is not reachable
        if day == self.day:
            self._update_header()
            return
        self.commit_pending()
        self.day = day
        self.reload()

    def previous_day(self) -> None:
        self.go_to(self.day - timedelta(days=1))

    def next_day(self) -> None:
        self.go_to(self.day + timedelta(days=1))

    def go_today(self) -> None:
        self.go_to(self.today)

    def row(self, key: str) -> HabitRow:
        return self.rows[key]

    def ordered_keys(self) -> list[str]:
        return list(self.rows)

    def focused_key(self) -> str | None:
        focus = QApplication.focusWidget()
        for key, row in self.rows.items():
            if focus is row or (focus is not None and row.isAncestorOf(focus)):
                return key
        return None

    def move_focus(self, key: str, delta: int) -> None:
        keys = self.ordered_keys()
        if key not in keys:
            return
        index = min(max(keys.index(key) + delta, 0), len(keys) - 1)
        target = self.rows[keys[index]]
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll.ensureWidgetVisible(target, 0, 24)

    # --- changes -------------------------------------------------------------------------------------

    def _live(self, key: str) -> bool:
        """Whether a row's request comes from the list on screen (not a row being replaced)."""
        row = self.sender()
        return row is None or (self.rows.get(key) is row and row.day == self.day)

    def _on_toggle(self, key: str, done: bool) -> None:
        if self._live(key):
            self.change(key, done=done)

    def _on_value(self, key: str, value: float | None) -> None:
        if self._live(key):
            self.change(key, value=value)

    def _on_note(self, key: str, text: str) -> None:
        if self._live(key):
            self.change(key, note=text or None)

    def _on_skip(self, key: str, skipped: bool) -> None:
        if self._live(key):
            self.change(key, skipped=skipped)

    def change(self, key: str, **changes: object) -> ChecklistItem | None:
        """Record one change for the shown day (one transaction), refresh its row, offer undo if it lost something."""
        before = self.items.get(key)
        try:
            snap = checklist.record(self.ctx, key, self.day, source="today", **changes)  # type: ignore[arg-type]
        except HabitError as exc:
            self.undo_bar.show_message(f"Not saved. {exc}")
            self.refresh_row(key)
            return None
        self._undo.append(snap)
        del self._undo[:-UNDO_DEPTH]
        item = self.refresh_row(key)
        title = item.spec.title
        if item.skipped and not (before is not None and before.skipped):
            self.undo_bar.show_undo(f"Skipped “{title}” for {day_title(self.day, self.today)}. Your streak is safe.")
        elif before is not None and before.done and not item.done:
            self.undo_bar.show_undo(f"Unticked “{title}”.")
        self._announce()
        return item

    def refresh_row(self, key: str) -> ChecklistItem:
        item = checklist.item(self.ctx, key, self.day)
        self.items[key] = item
        row = self.rows.get(key)
        if row is not None:
            row.set_item(item, self.day)
        self._update_summary()
        return item

    def undo(self) -> None:
        """Undo the last change made on this page (Ctrl+Z): the record goes back exactly as it was."""
        if not self._undo:
            self.undo_bar.show_message("Nothing to undo.")
            return
        snap = self._undo.pop()
        try:
            checklist.restore(self.ctx, snap)
        except HabitError as exc:
            self.undo_bar.show_message(f"Could not undo. {exc}")
            return
        spec_title = self.items[snap.key].spec.title if snap.key in self.items else snap.key
        if snap.day == self.day and snap.key in self.rows:
            self.refresh_row(snap.key)
        where = "" if snap.day == self.day else f" on {day_title(snap.day, self.today)}"
        self.undo_bar.show_message(f"Restored “{spec_title}”{where}.")
        self._announce()

    def _announce(self) -> None:
        hub = _hub()
        if hub is None:
            return
        self._own_change = True
        try:
            hub.checkoffs_changed.emit()
        finally:
            self._own_change = False

    def _external_checkoffs(self) -> None:
        if not self._own_change:
            self.reload()

    # --- the day rolls over by itself ----------------------------------------------------------------

    def _arm_rollover(self) -> None:
        now = self.ctx.clock.now()
        self.next_rollover_at = next_rollover(now, settings.day_start(self.ctx))
        # real time, not wall time: subtracting two datetimes of one zone ignores a DST change between them
        wait_ms = (self.next_rollover_at.timestamp() - now.timestamp()) * 1000 + 500
        self.rollover_timer.start(int(min(max(wait_ms, 0), MAX_TIMER_WAIT_MS)))

    def check_rollover(self) -> None:
        """Timer slot (also on settings_changed/day_changed): follow a new logical day, then re-arm."""
        today = self.ctx.today()
        if today != self.today:
            was_on_today = self.day == self.today
            self.commit_pending()
            self.today = today
            if was_on_today or self.day > today:
                self.day = today
            self.reload()
            hub = _hub()
            if hub is not None:  # the other pages (sleep log, charts) follow the new day too
                hub.day_changed.emit()
        self._arm_rollover()

    # --- dialogs -------------------------------------------------------------------------------------

    def open_help(self) -> ScoreHelpDialog:
        if self.help_dialog is None:
            self.help_dialog = ScoreHelpDialog(self)
        self.help_dialog.open()
        return self.help_dialog

    def open_manage(self) -> QDialog:
        from igfcoach.ui.dialogs.manage_habits import ManageHabitsDialog

        if self.manage_dialog is None:
            self.manage_dialog = ManageHabitsDialog(self.ctx, self)
        else:
            self.manage_dialog.reload()
        self.manage_dialog.open()
        return self.manage_dialog
