"""Add or edit one IGF-1 result. Errors show inline under the field they name; nothing is saved on error."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core.igf1 import Issue
from igfcoach.services import labs, settings
from igfcoach.services.context import AppContext
from igfcoach.services.labs import BIOTIN_NOTE, LabInput, LabInputError, LabResultData
from igfcoach.ui.notice_card import error_label, set_error

UNITS = ("ng/mL", "nmol/L")
FASTING_CHOICES: list[tuple[str, bool | None]] = [("Not recorded", None), ("Yes, fasting", True),
                                                  ("No, not fasting", False)]
# Issue fields -> the error label they show under.
_ERROR_SLOTS = {
    "date": "date", "time": "time", "value": "value", "unit": "value", "lab range": "lab range",
    "lab name": "lab", "assay": "lab", "notes": "notes", "fasting": "other", "biotin": "other",
}


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setProperty("class", "muted")
    return label


def _num(x: object) -> str:
    return "" if x is None else (f"{x:g}" if isinstance(x, float | int) else str(x))


class LabResultDialog(QDialog):
    """``saved_result`` is the stored result once the dialog is accepted."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, existing: LabResultData | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.existing = existing
        self.saved_result: LabResultData | None = None
        self.setObjectName("labResultDialog")
        self.setWindowTitle("Edit IGF-1 result" if existing else "Add an IGF-1 result")
        self.setMinimumWidth(580)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 18, 20, 14)
        outer.setSpacing(12)
        intro = _muted("Copy the numbers from your lab report. Only the date and the value are needed.")
        outer.addWidget(intro)

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(form)
        self.errors: dict[str, QLabel] = {}

        self.form = form
        self._error_rows: dict[str, int] = {}

        def error_row(slot: str, name: str) -> None:
            self.errors[slot] = error_label(f"{name} error")
            form.addRow(None, self.errors[slot])
            self._error_rows[slot] = form.rowCount() - 1
            form.setRowVisible(self._error_rows[slot], False)

        today = ctx.today()
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setAccessibleName("Date of the blood draw")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMinimumDate(QDate(1900, 1, 1))
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        form.addRow("&Date of the draw:", self.date_edit)
        error_row("date", "Date")

        time_row = QHBoxLayout()
        self.time_check = QCheckBox("Known")
        self.time_check.setObjectName("timeCheck")
        self.time_check.setAccessibleName("Time of the draw is known")
        self.time_edit = QTimeEdit(QTime(8, 0))
        self.time_edit.setObjectName("timeEdit")
        self.time_edit.setAccessibleName("Time of the draw")
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setEnabled(False)
        self.time_check.toggled.connect(self.time_edit.setEnabled)
        time_row.addWidget(self.time_check)
        time_row.addWidget(self.time_edit)
        time_row.addStretch(1)
        form.addRow("Time of the draw:", time_row)
        error_row("time", "Time")

        value_row = QHBoxLayout()
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("valueEdit")
        self.value_edit.setAccessibleName("IGF-1 value")
        self.value_edit.setPlaceholderText("e.g. 142 or 18.5")
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unitCombo")
        self.unit_combo.setAccessibleName("Unit")
        self.unit_combo.addItems(UNITS)
        value_row.addWidget(self.value_edit, 1)
        value_row.addWidget(self.unit_combo)
        value_label = QLabel("IGF-1 &value:")
        value_label.setBuddy(self.value_edit)
        form.addRow(value_label, value_row)
        error_row("value", "Value")

        range_row = QHBoxLayout()
        self.lab_low_edit = QLineEdit()
        self.lab_low_edit.setObjectName("labLowEdit")
        self.lab_low_edit.setAccessibleName("Lab range low limit")
        self.lab_low_edit.setPlaceholderText("low")
        self.lab_high_edit = QLineEdit()
        self.lab_high_edit.setObjectName("labHighEdit")
        self.lab_high_edit.setAccessibleName("Lab range high limit")
        self.lab_high_edit.setPlaceholderText("high")
        self.range_unit = QLabel()
        self.range_unit.setMinimumWidth(48)
        dash = QLabel("\u2013")
        for edit in (self.lab_low_edit, self.lab_high_edit):
            edit.setMaximumWidth(110)
        range_row.addWidget(self.lab_low_edit)
        range_row.addWidget(dash)
        range_row.addWidget(self.lab_high_edit)
        range_row.addWidget(self.range_unit)
        range_row.addStretch(1)
        form.addRow("Lab's reference range:", range_row)
        form.addRow("", _muted("Optional, in the same unit as the value. IGF-1 ranges differ between assays, "
                               "so the lab's own range is the best comparison."))
        error_row("lab range", "Lab range")
        self.unit_combo.currentTextChanged.connect(self.range_unit.setText)
        self.range_unit.setText(self.unit_combo.currentText())

        self.lab_name_edit = QLineEdit()
        self.lab_name_edit.setObjectName("labNameEdit")
        self.lab_name_edit.setAccessibleName("Lab name")
        self.lab_name_edit.setPlaceholderText("optional")
        form.addRow("&Lab:", self.lab_name_edit)
        self.assay_edit = QLineEdit()
        self.assay_edit.setObjectName("assayEdit")
        self.assay_edit.setAccessibleName("Assay or method")
        self.assay_edit.setPlaceholderText("optional, e.g. the method printed on the report")
        form.addRow("&Assay or method:", self.assay_edit)
        error_row("lab", "Lab or assay")

        self.fasting_combo = QComboBox()
        self.fasting_combo.setObjectName("fastingCombo")
        self.fasting_combo.setAccessibleName("Fasting")
        for text, _ in FASTING_CHOICES:
            self.fasting_combo.addItem(text)
        form.addRow("&Fasting:", self.fasting_combo)

        self.biotin_check = QCheckBox("High-dose biotin in the 72 hours before the draw")
        self.biotin_check.setObjectName("biotinCheck")
        self.biotin_check.setAccessibleName("High-dose biotin in the 72 hours before the draw")
        form.addRow("Biotin:", self.biotin_check)
        form.addRow("", _muted(BIOTIN_NOTE))

        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(72)
        form.addRow("&Notes:", self.notes_edit)
        error_row("notes", "Notes")
        self.errors["other"] = error_label("Other errors")
        outer.addWidget(self.errors["other"])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        if existing is not None:
            self._fill(existing)
        else:
            preferred = settings.get(ctx, "lab_unit") or "ng/mL"
            if preferred in UNITS:
                self.unit_combo.setCurrentText(preferred)
        self.value_edit.setFocus()

    # ------------------------------------------------------------------------------------------- layout

    def fit_to_contents(self) -> None:
        """Grow to the height the wrapped texts need at the current width (Qt does not do it for dialogs)."""
        layout = self.layout()
        layout.activate()
        width = max(self.width(), self.minimumWidth())
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        self.setMinimumHeight(height)
        if self.height() < height:
            self.resize(width, height)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt name)
        super().showEvent(event)
        self.fit_to_contents()

    # ------------------------------------------------------------------------------------------- data

    def _fill(self, r: LabResultData) -> None:
        data = r.to_input()
        d = r.drawn_on
        self.date_edit.setDate(QDate(d.year, d.month, d.day))
        if r.drawn_at_time:
            h, m = (int(x) for x in r.drawn_at_time.split(":"))
            self.time_check.setChecked(True)
            self.time_edit.setTime(QTime(h, m))
        self.value_edit.setText(_num(data.value))
        self.unit_combo.setCurrentText(str(data.unit))
        self.lab_low_edit.setText(_num(data.lab_low))
        self.lab_high_edit.setText(_num(data.lab_high))
        self.lab_name_edit.setText(r.lab_name or "")
        self.assay_edit.setText(r.assay or "")
        self.fasting_combo.setCurrentIndex([v for _, v in FASTING_CHOICES].index(r.fasting))
        self.biotin_check.setChecked(bool(r.biotin_72h))
        self.notes_edit.setPlainText(r.notes or "")

    def entered(self) -> LabInput:
        """What the form holds, as typed (the service validates it)."""
        qd = self.date_edit.date()
        t = self.time_edit.time()
        return LabInput(
            drawn_on=date(qd.year(), qd.month(), qd.day()),
            value=self.value_edit.text(),
            unit=self.unit_combo.currentText(),
            lab_low=self.lab_low_edit.text() or None,
            lab_high=self.lab_high_edit.text() or None,
            lab_name=self.lab_name_edit.text() or None,
            assay=self.assay_edit.text() or None,
            fasting=FASTING_CHOICES[self.fasting_combo.currentIndex()][1],
            drawn_at_time=time(t.hour(), t.minute()) if self.time_check.isChecked() else None,
            biotin_72h=self.biotin_check.isChecked(),
            notes=self.notes_edit.toPlainText(),
        )

    # ------------------------------------------------------------------------------------------- saving

    def confirm_implausible(self, message: str) -> bool:
        """Ask before saving an implausible value (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Check this value", "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(message + "\n\nSave it anyway?")
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Save

    def show_issues(self, issues: list[Issue]) -> None:
        by_slot: dict[str, list[str]] = {}
        for issue in issues:
            by_slot.setdefault(_ERROR_SLOTS.get(issue.field, "other"), []).append(issue.message)
        for slot, label in self.errors.items():
            set_error(label, "\n".join(by_slot.get(slot, [])))
            if slot in self._error_rows:
                self.form.setRowVisible(self._error_rows[slot], slot in by_slot)
        focus = {"date": self.date_edit, "time": self.time_edit, "value": self.value_edit,
                 "lab range": self.lab_low_edit, "lab": self.lab_name_edit, "notes": self.notes_edit}
        for slot in ("date", "time", "value", "lab range", "lab", "notes"):
            if slot in by_slot:
                focus[slot].setFocus()
                break
        self.fit_to_contents()

    def error_text(self) -> str:
        """Every inline error shown now (for tests)."""
        return "\n".join(label.text() for label in self.errors.values() if not label.isHidden() and label.text())

    def save(self) -> None:
        data = self.entered()
        try:
            self.saved_result = self._store(data, confirm=False)
        except LabInputError as exc:
            if not exc.needs_confirmation:
                self.show_issues(exc.issues)
                return
            if not self.confirm_implausible("\n".join(i.message for i in exc.issues)):
                self.show_issues(exc.issues)
                return
            try:
                self.saved_result = self._store(data, confirm=True)
            except LabInputError as again:
                self.show_issues(again.issues)
                return
        except labs.UnknownResult as exc:
            set_error(self.errors["other"], f"{exc} (it was deleted meanwhile)")
            self.fit_to_contents()
            return
        self.show_issues([])
        self.accept()

    def _store(self, data: LabInput, *, confirm: bool) -> LabResultData:
        if self.existing is None:
            return labs.add_result(self.ctx, data, confirm=confirm)
        return labs.update_result(self.ctx, self.existing.id, data, confirm=confirm)
