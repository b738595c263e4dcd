"""Profile settings: body weight, bedtime and wake time, and units. One Save, one transaction."""

from __future__ import annotations

import dataclasses
from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from igfcoach.services import profile
from igfcoach.services.context import AppContext
from igfcoach.services.profile import Profile, ProfileError
from igfcoach.ui.notice_card import error_label, set_error

LB_PER_KG = 2.2046226218


class ProfileSettings(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 16, 8, 8)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        outer.addLayout(form)

        self.load_unit = QComboBox()
        self.load_unit.addItems(list(profile.LOAD_UNITS))
        self.load_unit.setAccessibleName("Unit for body weight and training loads")
        self.weight = QDoubleSpinBox()
        self.weight.setAccessibleName("Body weight")
        self.weight.setDecimals(1)
        self.weight.setSpecialValueText("not set")
        weight_row = QHBoxLayout()
        weight_row.addWidget(self.weight)
        weight_row.addWidget(self.load_unit)
        weight_row.addStretch(1)
        form.addRow("Body weight:", weight_row)
        self.protein_hint = QLabel()
        self.protein_hint.setProperty("class", "muted")
        form.addRow("", self.protein_hint)

        self.bedtime = QTimeEdit()
        self.bedtime.setDisplayFormat("HH:mm")
        self.bedtime.setAccessibleName("Target bedtime")
        self.wake = QTimeEdit()
        self.wake.setDisplayFormat("HH:mm")
        self.wake.setAccessibleName("Wake time")
        form.addRow("Target bedtime:", self.bedtime)
        form.addRow("Wake time:", self.wake)
        self.window_hint = QLabel()
        self.window_hint.setProperty("class", "muted")
        form.addRow("", self.window_hint)

        self.lab_unit = QComboBox()
        self.lab_unit.addItems(list(profile.LAB_UNITS))
        self.lab_unit.setAccessibleName("Unit for IGF-1 results")
        form.addRow("IGF-1 unit:", self.lab_unit)

        self.error = error_label("Profile error")
        outer.addWidget(self.error)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save profile")
        self.save_button.setAccessibleName("Save profile")
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setProperty("class", "muted")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status, 1)
        outer.addLayout(buttons)
        outer.addStretch(1)

        self.load_unit.currentTextChanged.connect(self._unit_changed)
        self.bedtime.timeChanged.connect(self._update_hints)
        self.wake.timeChanged.connect(self._update_hints)
        self.weight.valueChanged.connect(self._update_hints)
        self.reload()

    def reload(self) -> None:
        p = profile.load(self.ctx)
        self._unit = p.load_unit
        self.load_unit.blockSignals(True)
        self.load_unit.setCurrentText(p.load_unit)
        self.load_unit.blockSignals(False)
        self._set_weight_range()
        self.weight.setValue(self._to_display(p.weight_kg) if p.weight_kg else self.weight.minimum())
        self.bedtime.setTime(QTime(p.bedtime.hour, p.bedtime.minute))
        self.wake.setTime(QTime(p.wake_time.hour, p.wake_time.minute))
        self.lab_unit.setCurrentText(p.lab_unit)
        self._update_hints()

    def _set_weight_range(self) -> None:
        factor = LB_PER_KG if self._unit == "lb" else 1.0
        self.weight.setRange(0.0, round(350 * factor))
        self.weight.setSuffix(f" {self._unit}")

    def _to_display(self, kg: float) -> float:
        return kg * LB_PER_KG if self._unit == "lb" else kg

    def weight_kg(self) -> float | None:
        value = self.weight.value()
        if value <= self.weight.minimum():
            return None
        return value / LB_PER_KG if self._unit == "lb" else value

    def _unit_changed(self, unit: str) -> None:
        kg = self.weight_kg()
        self._unit = unit
        self._set_weight_range()
        self.weight.setValue(self._to_display(kg) if kg else 0.0)

    def _update_hints(self) -> None:
        b, w = self.bedtime.time(), self.wake.time()
        hours = profile.sleep_window_hours(time(b.hour(), b.minute()), time(w.hour(), w.minute()))
        self.window_hint.setText(
            f"That leaves {int(hours)} h {round(hours % 1 * 60):02d} min for sleep; bedtime reminders follow these times."
        )
        kg = self.weight_kg()
        self.protein_hint.setText(
            f"Daily protein target: {round(kg * 1.6):.0f} g (1.6 g per kg)" if kg else
            "Without a weight the protein target assumes 70 kg (112 g)."
        )

    def to_profile(self) -> Profile:
        b, w = self.bedtime.time(), self.wake.time()
        return dataclasses.replace(
            profile.load(self.ctx),
            weight_kg=self.weight_kg(),
            bedtime=time(b.hour(), b.minute()),
            wake_time=time(w.hour(), w.minute()),
            load_unit=self.load_unit.currentText(),
            lab_unit=self.lab_unit.currentText(),
        )

    def save(self) -> bool:
        try:
            profile.save(self.ctx, self.to_profile())
        except ProfileError as exc:
            set_error(self.error, str(exc))
            self.status.setText("")
            return False
        set_error(self.error, None)
        self.status.setText("Saved.")
        app = QApplication.instance()
        for signal in ("settings_changed", "habits_changed"):
            if hasattr(app, signal):
                getattr(app, signal).emit()
        return True
