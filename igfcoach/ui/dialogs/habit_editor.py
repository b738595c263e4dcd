"""The habit editor: title, category, why, kind (tick or amount with a target) and schedule.

Nothing is saved while a field is wrong: the dialog builds a HabitSpec (which validates itself) and shows the
first problem inline, naming the field, and puts the cursor there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core.habits import (
    CATEGORIES,
    CATEGORY_TITLES,
    WEEKDAY_ABBR,
    HabitSpec,
    Schedule,
    Target,
)
from igfcoach.services import habits
from igfcoach.services.context import AppContext
from igfcoach.services.habits import HabitError

TITLE_MAX = 60
WHY_MAX = 200
UNITS = ("h", "min", "g", "glasses", "steps")
DIRECTION_LABELS = (("at_least", "at least"), ("at_most", "at most"))


class FieldError(ValueError):
    """A wrong field: `field` is the widget's name, the message starts with the field's label."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _restyle(widget: QWidget, name: str, value: object) -> None:
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _sentence(text: str) -> str:
    text = str(text).strip()
    return text[:1].upper() + text[1:] if text else text


class HabitEditor(QDialog):
    """Add a habit (key None) or edit one. Emits `saved(key)` and closes with Accepted after saving."""

    saved = Signal(str)

    def __init__(self, ctx: AppContext, key: str | None = None, parent: QWidget | None = None,
                 category: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.key = key
        self.original: HabitSpec | None = None
        if key is not None:
            self.original = next((s for s, _ in habits.list_habits(ctx, include_archived=True) if s.key == key), None)
            if self.original is None:
                raise habits.UnknownHabit(key, [s.key for s, _ in habits.list_habits(ctx)])
        self.setObjectName("habitEditor")
        self.setWindowTitle("Edit habit" if key else "Add a habit")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(520)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 14)
        layout.setSpacing(12)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(form)

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title")
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_edit.setPlaceholderText("e.g. Evening walk")
        form.addRow("&Title:", self.title_edit)

        self.category_box = QComboBox()
        self.category_box.setObjectName("category")
        self.category_box.setAccessibleName("Category")
        for c in CATEGORIES:
            self.category_box.addItem(CATEGORY_TITLES[c], c)
        form.addRow("&Category:", self.category_box)

        self.why_edit = QLineEdit()
        self.why_edit.setObjectName("why")
        self.why_edit.setAccessibleName("Why it matters")
        self.why_edit.setMaxLength(WHY_MAX)
        self.why_edit.setPlaceholderText("One line: why this habit matters to you")
        form.addRow("&Why:", self.why_edit)

        self.details_edit = QPlainTextEdit()
        self.details_edit.setObjectName("details")
        self.details_edit.setAccessibleName("More about it (optional)")
        self.details_edit.setPlaceholderText("Optional: a few sentences shown under “More”")
        self.details_edit.setTabChangesFocus(True)
        self.details_edit.setFixedHeight(68)
        form.addRow("&More:", self.details_edit)

        # kind: a tick, or an amount with a target
        kind_box = QVBoxLayout()
        kind_box.setSpacing(6)
        self.check_radio = QRadioButton("Tick when done")
        self.check_radio.setAccessibleName("Kind: tick when done")
        self.measured_radio = QRadioButton("An amount with a target")
        self.measured_radio.setAccessibleName("Kind: an amount with a target")
        self._kinds = QButtonGroup(self)
        self._kinds.addButton(self.check_radio)
        self._kinds.addButton(self.measured_radio)
        radios = QHBoxLayout()
        radios.setSpacing(18)
        radios.addWidget(self.check_radio)
        radios.addWidget(self.measured_radio)
        radios.addStretch(1)
        kind_box.addLayout(radios)
        target_row = QHBoxLayout()
        target_row.setSpacing(8)
        self.direction_box = QComboBox()
        self.direction_box.setObjectName("direction")
        self.direction_box.setAccessibleName("Target direction")
        for value, label in DIRECTION_LABELS:
            self.direction_box.addItem(label, value)
        self.target_spin = QDoubleSpinBox()
        self.target_spin.setObjectName("target")
        self.target_spin.setAccessibleName("Target amount")
        self.target_spin.setRange(0, 100_000)
        self.target_spin.setDecimals(1)
        self.target_spin.setValue(1)
        self.unit_box = QComboBox()
        self.unit_box.setObjectName("unit")
        self.unit_box.setAccessibleName("Unit")
        self.unit_box.setEditable(True)
        self.unit_box.addItems(UNITS)
        self.unit_box.lineEdit().setPlaceholderText("unit")
        self.unit_box.lineEdit().setMaxLength(16)
        self.unit_box.setMinimumWidth(90)
        for w in (QLabel("Target:"), self.direction_box, self.target_spin, self.unit_box):
            target_row.addWidget(w)
        target_row.addStretch(1)
        self.target_widgets = QWidget()
        self.target_widgets.setLayout(target_row)
        target_row.setContentsMargins(24, 0, 0, 0)
        kind_box.addWidget(self.target_widgets)
        form.addRow("Kind:", kind_box)

        # schedule
        schedule_box = QVBoxLayout()
        schedule_box.setSpacing(6)
        self.daily_radio = QRadioButton("Every day")
        self.daily_radio.setAccessibleName("Schedule: every day")
        self.weekdays_radio = QRadioButton("On these days:")
        self.weekdays_radio.setAccessibleName("Schedule: on chosen weekdays")
        self.per_week_radio = QRadioButton("A number of times a week:")
        self.per_week_radio.setAccessibleName("Schedule: a number of times a week")
        self._schedules = QButtonGroup(self)
        for r in (self.daily_radio, self.weekdays_radio, self.per_week_radio):
            self._schedules.addButton(r)
        schedule_box.addWidget(self.daily_radio)
        schedule_box.addWidget(self.weekdays_radio)
        days_row = QHBoxLayout()
        days_row.setSpacing(10)
        days_row.setContentsMargins(24, 0, 0, 0)
        self.day_checks: list[QCheckBox] = []
        for i, abbr in enumerate(WEEKDAY_ABBR):
            box = QCheckBox(abbr)
            box.setObjectName(f"weekday{i}")
            box.setAccessibleName(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                   "Sunday"][i])
            self.day_checks.append(box)
            days_row.addWidget(box)
        days_row.addStretch(1)
        schedule_box.addLayout(days_row)
        per_week_row = QHBoxLayout()
        per_week_row.setSpacing(8)
        per_week_row.addWidget(self.per_week_radio)
        self.times_spin = QSpinBox()
        self.times_spin.setObjectName("times")
        self.times_spin.setAccessibleName("Times a week")
        self.times_spin.setRange(1, 7)
        self.times_spin.setValue(3)
        self.times_spin.setSuffix("× a week")
        per_week_row.addWidget(self.times_spin)
        per_week_row.addStretch(1)
        schedule_box.addLayout(per_week_row)
        form.addRow("Schedule:", schedule_box)

        # inline error
        self.error_frame = QFrame()
        self.error_frame.setObjectName("formError")
        error_row = QHBoxLayout(self.error_frame)
        error_row.setContentsMargins(10, 8, 10, 8)
        error_row.setSpacing(10)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        error_row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        self.error_label = QLabel()
        self.error_label.setObjectName("formErrorText")
        self.error_label.setAccessibleName("Problem")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        error_row.addWidget(self.error_label, 1)
        self.error_frame.hide()
        layout.addWidget(self.error_frame)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Add habit" if key is None else "Save")
        self.save_button.setAccessibleName(self.save_button.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for signal in (self.check_radio.toggled, self.measured_radio.toggled, self.daily_radio.toggled,
                       self.weekdays_radio.toggled, self.per_week_radio.toggled):
            signal.connect(self._sync_enabled)
        for box in self.day_checks:  # ticking a day picks the weekdays schedule
            box.clicked.connect(lambda checked: checked and self.weekdays_radio.setChecked(True))

        self._load(self.original, category)
        self._sync_enabled()
        self.title_edit.setFocus()

    # --- form <-> spec -------------------------------------------------------------------------------

    def _load(self, spec: HabitSpec | None, category: str | None) -> None:
        if spec is None:
            self.category_box.setCurrentIndex(max(0, list(CATEGORIES).index(category)) if category in CATEGORIES
                                              else 0)
            self.check_radio.setChecked(True)
            self.daily_radio.setChecked(True)
            return
        self.title_edit.setText(spec.title)
        index = self.category_box.findData(spec.category)
        self.category_box.setCurrentIndex(max(index, 0))
        self.why_edit.setText(spec.why)
        self.why_edit.setCursorPosition(0)
        self.details_edit.setPlainText(" ".join(spec.details.split()))
        if spec.target is not None:
            self.measured_radio.setChecked(True)
            self.direction_box.setCurrentIndex(max(self.direction_box.findData(spec.target.direction), 0))
            self.target_spin.setValue(spec.target.value)
            self.unit_box.setEditText(spec.target.unit)
        else:
            self.check_radio.setChecked(True)
        sched = spec.schedule
        if sched.kind == "weekdays":
            self.weekdays_radio.setChecked(True)
            for i, box in enumerate(self.day_checks):
                box.setChecked(i in sched.weekdays)
        elif sched.kind == "per_week":
            self.per_week_radio.setChecked(True)
            self.times_spin.setValue(sched.times_per_week)
        else:
            self.daily_radio.setChecked(True)

    def _sync_enabled(self) -> None:
        self.target_widgets.setEnabled(self.measured_radio.isChecked())
        # the day boxes stay enabled: ticking one switches the schedule to weekdays
        self.times_spin.setEnabled(self.per_week_radio.isChecked())

    def field_widget(self, field: str) -> QWidget:
        return {
            "title": self.title_edit, "category": self.category_box, "why": self.why_edit,
            "details": self.details_edit, "kind": self.check_radio, "target": self.target_spin,
            "unit": self.unit_box, "direction": self.direction_box, "weekdays": self.day_checks[0],
            "times": self.times_spin, "schedule": self.daily_radio,
        }.get(field, self.title_edit)

    def build_spec(self) -> HabitSpec:
        """The spec the form describes; raises FieldError naming the first wrong field."""
        title = " ".join(self.title_edit.text().split())
        if not title:
            raise FieldError("title", "Title: give the habit a short name.")
        why = " ".join(self.why_edit.text().split())
        details = self.details_edit.toPlainText().strip()

        target = None
        if self.measured_radio.isChecked():
            unit = self.unit_box.currentText().strip()
            if not unit:
                raise FieldError("unit", "Unit: say what the amount is counted in, such as h, min or g.")
            direction = self.direction_box.currentData()
            value = round(self.target_spin.value(), 1)
            if direction == "at_least" and value <= 0:
                raise FieldError("target", "Target: an “at least” target must be more than 0.")
            per_kg = None
            old = self.original.target if self.original is not None else None
            if old is not None and old.per_kg is not None and old.value == value and old.unit == unit:
                per_kg = old.per_kg  # unchanged weight-based target (protein) keeps following the body weight
            try:
                target = Target(value=value, unit=unit, direction=direction, per_kg=per_kg)
            except ValueError as exc:
                raise FieldError("target", f"Target: {exc}.") from exc

        try:
            if self.weekdays_radio.isChecked():
                days = [i for i, box in enumerate(self.day_checks) if box.isChecked()]
                if not days:
                    raise FieldError("weekdays", "Weekdays: tick at least one day, or choose another schedule.")
                schedule = Schedule.on_weekdays(days)
            elif self.per_week_radio.isChecked():
                schedule = Schedule.per_week(self.times_spin.value())
            else:
                schedule = Schedule.daily()
        except FieldError:
            raise
        except ValueError as exc:
            raise FieldError("schedule", f"Schedule: {exc}.") from exc

        base = self.original
        try:
            spec = HabitSpec(
                key=base.key if base is not None else "new",
                category=self.category_box.currentData(),
                title=title,
                why=why,
                details=details,
                kind="measured" if target is not None else "check",
                target=target,
                schedule=schedule,
                flags=base.flags if base is not None else frozenset(),
                order=base.order if base is not None else 0,
                caution=base.caution if base is not None else None,
                params=base.params if base is not None else (),
            )
        except ValueError as exc:
            field = str(exc).split(" ", 1)[0].strip("'\"")
            field = field if field in ("category", "kind", "target", "schedule") else "title"
            raise FieldError(field, f"{field.capitalize()}: {exc}.") from exc
        return spec

    # --- saving --------------------------------------------------------------------------------------

    def show_error(self, message: str, field: str | None = None) -> None:
        self.error_label.setText(_sentence(message))
        self.error_frame.show()
        for w in self._invalid_widgets():
            _restyle(w, "invalid", False)
        if field is not None:
            widget = self.field_widget(field)
            _restyle(widget, "invalid", True)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _invalid_widgets(self) -> list[QWidget]:
        return [w for w in (self.title_edit, self.category_box, self.why_edit, self.details_edit, self.target_spin,
                            self.unit_box, self.direction_box, self.times_spin, self.daily_radio,
                            self.check_radio, *self.day_checks) if w.property("invalid")]

    def error_text(self) -> str:
        return self.error_label.text() if not self.error_frame.isHidden() else ""

    def save(self) -> str | None:
        """Validate, then add or update in one service call. Returns the key, or None when a field is wrong."""
        try:
            spec = self.build_spec()
        except FieldError as exc:
            self.show_error(str(exc), exc.field)
            return None
        try:
            if self.key is None:
                key = habits.add_habit(self.ctx, spec)
            else:
                habits.update_habit(self.ctx, self.key, spec)
                key = self.key
        except HabitError as exc:
            self.show_error(str(exc))
            return None
        self.error_frame.hide()
        app = QApplication.instance()
        if app is not None and hasattr(app, "habits_changed"):
            app.habits_changed.emit()
        self.saved.emit(key)
        self.accept()
        return key
