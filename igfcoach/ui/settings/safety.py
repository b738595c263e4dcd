"""The "Health & safety" settings: the safety screen (with its history), the target band and the disclaimer.

:class:`ScreenForm` is shared with the first-run wizard.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core import igf1
from igfcoach.core.igf1 import DEFAULT_TARGET_BAND, Unit
from igfcoach.core.safety import DISCLAIMER, ScreenAnswers, contraindication_details
from igfcoach.services import safety, settings
from igfcoach.services.context import AppContext
from igfcoach.services.safety import ScreenRecord, TargetBandError
from igfcoach.ui.notice_card import NoticeCard, error_label, set_error
from igfcoach.ui.plain import plain_label, scrolling_column

SEXES: list[tuple[str, str | None]] = [("Not given", None), ("Female", "female"), ("Male", "male")]
MAX_AGE = 120

STIMULATING_OFF_TEXT = (
    "Because of this, the practices that stimulate the GH/IGF-1 axis (the eating window and the arginine, "
    "ornithine and Mucuna supplements) and their reminders are switched off, and a \u201cspecialist-directed "
    "only\u201d notice stays on the Labs page. Sleep, training, protein and stress practices stay available. "
    "Use the stimulating practices only if a specialist directs you to."
)




class ScreenForm(QWidget):
    """The safety screen's questions, with a live explanation when any answer rules stimulation out."""

    changed = Signal()

    def __init__(self, answers: ScreenAnswers | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        layout.addLayout(form)

        self.age = QSpinBox()
        self.age.setObjectName("ageSpin")
        self.age.setAccessibleName("Age in years")
        self.age.setRange(0, MAX_AGE)
        self.age.setSpecialValueText("Not given")
        self.age.setSuffix(" years")
        self.age.setMinimumWidth(130)
        form.addRow("&Age:", self.age)
        self.sex = QComboBox()
        self.sex.setObjectName("sexCombo")
        self.sex.setAccessibleName("Sex")
        for text, _ in SEXES:
            self.sex.addItem(text)
        self.sex.setMinimumWidth(130)
        form.addRow("&Sex:", self.sex)
        layout.addWidget(plain_label("Age and sex choose the built-in reference interval: IGF-1 falls with age and "
                                "differs between women and men.", muted=True))

        self.cancer = QCheckBox("I have an active cancer diagnosis")
        self.cancer.setObjectName("cancerCheck")
        self.endocrine = QCheckBox("I have a pituitary or other endocrine disorder")
        self.endocrine.setObjectName("endocrineCheck")
        self.pregnant = QCheckBox("I am pregnant")
        self.pregnant.setObjectName("pregnantCheck")
        self.under_18 = QCheckBox("I am under 18")
        self.under_18.setObjectName("under18Check")
        for box in (self.cancer, self.endocrine, self.pregnant, self.under_18):
            box.setAccessibleName(box.text())
            layout.addWidget(box)

        self.explanation = NoticeCard("caution", "Stimulating practices are switched off", name="screenExplanation")
        layout.addWidget(self.explanation)

        self.set_answers(answers or ScreenAnswers())
        self.age.valueChanged.connect(self._changed)
        self.sex.currentIndexChanged.connect(self._changed)
        for box in (self.cancer, self.endocrine, self.pregnant, self.under_18):
            box.toggled.connect(self._changed)

    def set_answers(self, answers: ScreenAnswers) -> None:
        widgets = (self.age, self.sex, self.cancer, self.endocrine, self.pregnant, self.under_18)
        for w in widgets:
            w.blockSignals(True)
        self.age.setValue(answers.age or 0)
        self.sex.setCurrentIndex([v for _, v in SEXES].index(answers.sex))
        self.cancer.setChecked(answers.active_cancer)
        self.endocrine.setChecked(answers.endocrine_disorder)
        self.pregnant.setChecked(answers.pregnant)
        self.under_18.setChecked(answers.under_18)
        for w in widgets:
            w.blockSignals(False)
        self._update()

    def answers(self) -> ScreenAnswers:
        age = self.age.value() or None
        return ScreenAnswers(
            age=age,
            sex=SEXES[self.sex.currentIndex()][1],
            active_cancer=self.cancer.isChecked(),
            endocrine_disorder=self.endocrine.isChecked(),
            pregnant=self.pregnant.isChecked(),
            under_18=self.under_18.isChecked() if age is None else age < 18,
        )

    def contraindicated(self) -> bool:
        return bool(contraindication_details(self.answers()))

    def _changed(self) -> None:
        self._update()
        self.changed.emit()

    def _update(self) -> None:
        age = self.age.value() or None
        # With an age, "under 18" follows it.
        self.under_18.setEnabled(age is None)
        if age is not None:
            self.under_18.blockSignals(True)
            self.under_18.setChecked(age < 18)
            self.under_18.blockSignals(False)
        details = contraindication_details(self.answers())
        if details:
            body = "\n".join(f"\u2022 {c.title}: {c.explanation}" for c in details) + "\n\n" + STIMULATING_OFF_TEXT
            self.explanation.set_content("Stimulating practices are switched off", body)
        self.explanation.setVisible(bool(details))


def describe_record(record: ScreenRecord) -> str:
    """One line for the history list."""
    a = record.answers
    parts = [f"age {a.age}" if a.age is not None else "age not given", a.sex or "sex not given"]
    details = contraindication_details(a)
    parts.append(", ".join(c.title.lower() for c in details) if details else "no contraindications")
    return f"{record.recorded_at:%Y-%m-%d %H:%M}  \u2014  " + "; ".join(parts)


class SafetySettings(QWidget):
    """Settings tab: screen answers (saved with history), target band, disclaimer."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = scrolling_column(self, (8, 16, 16, 16), 16)

        # ------------------------------------------------------------------------------- screen
        screen_box = QGroupBox("Safety screen")
        screen_layout = QVBoxLayout(screen_box)
        screen_layout.setContentsMargins(14, 14, 14, 14)
        screen_layout.setSpacing(10)
        screen_layout.addWidget(plain_label(
            "These answers decide whether the app may suggest practices that stimulate the GH/IGF-1 axis. "
            "Every change is kept with its date.", muted=True))
        self.screen = ScreenForm(safety.current_answers(ctx))
        screen_layout.addWidget(self.screen)
        row = QHBoxLayout()
        self.save_answers_button = QPushButton("Save answers")
        self.save_answers_button.setObjectName("saveAnswersButton")
        self.save_answers_button.setAccessibleName("Save safety answers")
        self.answers_status = plain_label("", muted=True)
        self.answers_status.setObjectName("answersStatus")
        row.addWidget(self.save_answers_button)
        row.addWidget(self.answers_status, 1)
        screen_layout.addLayout(row)
        screen_layout.addWidget(QLabel("History of your answers:"))
        self.history = QListWidget()
        self.history.setObjectName("answersHistory")
        self.history.setAccessibleName("History of your safety answers")
        self.history.setFixedHeight(96)
        screen_layout.addWidget(self.history)
        layout.addWidget(screen_box)

        # ------------------------------------------------------------------------------- target band
        band_box = QGroupBox("Target band")
        band_layout = QVBoxLayout(band_box)
        band_layout.setContentsMargins(14, 14, 14, 14)
        band_layout.setSpacing(8)
        band_layout.addWidget(plain_label(
            "The range your coaching aims for. The guide's healthy mid-range is 120\u2013160 ng/mL "
            "(15.7\u201320.9 nmol/L): studies find the lowest risk there, with more risk both below it and above "
            "it. Change it only with your clinician's advice.", muted=True))
        band_row = QHBoxLayout()
        self.band_low = QLineEdit()
        self.band_low.setObjectName("bandLowEdit")
        self.band_low.setAccessibleName("Target band low limit")
        self.band_high = QLineEdit()
        self.band_high.setObjectName("bandHighEdit")
        self.band_high.setAccessibleName("Target band high limit")
        for edit in (self.band_low, self.band_high):
            edit.setMaximumWidth(100)
        self.band_unit = QComboBox()
        self.band_unit.setObjectName("bandUnitCombo")
        self.band_unit.setAccessibleName("Target band unit")
        self.band_unit.addItems([u.value for u in Unit])
        self.save_band_button = QPushButton("Save band")
        self.save_band_button.setObjectName("saveBandButton")
        self.reset_band_button = QPushButton("Reset to 120\u2013160 ng/mL")
        self.reset_band_button.setObjectName("resetBandButton")
        band_row.addWidget(self.band_low)
        band_row.addWidget(QLabel("\u2013"))
        band_row.addWidget(self.band_high)
        band_row.addWidget(self.band_unit)
        band_row.addSpacing(8)
        band_row.addWidget(self.save_band_button)
        band_row.addWidget(self.reset_band_button)
        band_row.addStretch(1)
        band_layout.addLayout(band_row)
        self.band_error = error_label("Target band error")
        band_layout.addWidget(self.band_error)
        self.band_status = plain_label("", muted=True)
        self.band_status.setObjectName("bandStatus")
        band_layout.addWidget(self.band_status)
        layout.addWidget(band_box)

        # ------------------------------------------------------------------------------- disclaimer
        layout.addWidget(NoticeCard("caution", "Not medical advice", DISCLAIMER, name="disclaimerCard"))
        layout.addStretch(1)

        self.save_answers_button.clicked.connect(self.save_answers)
        self.save_band_button.clicked.connect(self.save_band)
        self.reset_band_button.clicked.connect(self.reset_band)
        self.band_unit.currentIndexChanged.connect(lambda _i: self._show_band())
        unit = settings.get(ctx, "lab_unit") or Unit.NG_ML.value
        self.band_unit.setCurrentText(unit if unit in [u.value for u in Unit] else Unit.NG_ML.value)
        self._show_band()
        self._show_history()

    # ------------------------------------------------------------------------------------------- screen

    def _show_history(self) -> None:
        self.history.clear()
        records = safety.answers_history(self.ctx)
        for record in records:
            self.history.addItem(describe_record(record))
        if not records:
            self.history.addItem("Not answered yet.")

    def save_answers(self) -> bool:
        recorded = safety.record_answers(self.ctx, self.screen.answers())
        self.answers_status.setText("Saved." if recorded else "No change to save.")
        self._show_history()
        if recorded:
            self._notify()
        return recorded

    # ------------------------------------------------------------------------------------------- band

    def _unit(self) -> Unit:
        return igf1.parse_unit(self.band_unit.currentText())

    def _show_band(self) -> None:
        band = safety.target_band(self.ctx)
        unit = self._unit()
        self.band_low.setText(igf1.format_value(band.low_ng, unit, with_unit=False))
        self.band_high.setText(igf1.format_value(band.high_ng, unit, with_unit=False))
        set_error(self.band_error, None)

    def save_band(self) -> bool:
        try:
            band = safety.set_target_band(self.ctx, self.band_low.text(), self.band_high.text(), self._unit())
        except TargetBandError as exc:
            set_error(self.band_error, str(exc))
            self.band_status.setText("")
            return False
        set_error(self.band_error, None)
        self.band_status.setText(f"Saved: {igf1.format_range(band.low_ng, band.high_ng, self._unit())}.")
        self._notify()
        return True

    def reset_band(self) -> None:
        safety.reset_target_band(self.ctx)
        self._show_band()
        d = DEFAULT_TARGET_BAND
        self.band_status.setText(f"Back to {igf1.format_range(d.low_ng, d.high_ng, self._unit())}.")
        self._notify()

    def _notify(self) -> None:
        app = QApplication.instance()
        for name in ("settings_changed", "habits_changed"):
            signal = getattr(app, name, None)
            if signal is not None:
                signal.emit()
