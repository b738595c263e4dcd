"""The first-run wizard: the disclaimer, the safety screen, then the profile and the optional practices.

On finish it records the screen's answers, seeds the checklist from the catalog and saves the profile with
``onboarded`` set (last, so an interrupted first run starts the wizard again). With the environment variable
``IGFCOACH_SKIP_ONBOARDING=1`` the wizard is skipped and the defaults are seeded silently (desktop tests).
"""

from __future__ import annotations

import dataclasses
import os
from datetime import time

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from igfcoach.appinfo import APP_NAME
from igfcoach.core.catalog import load_catalog
from igfcoach.core.habits import HabitSpec
from igfcoach.core.safety import DISCLAIMER, ScreenAnswers
from igfcoach.services import onboarding, profile, safety
from igfcoach.services.context import AppContext
from igfcoach.services.profile import Profile, ProfileError
from igfcoach.ui.icons import app_icon
from igfcoach.ui.notice_card import NoticeCard, error_label, set_error
from igfcoach.ui.plain import plain_label, scrolling_column
from igfcoach.ui.settings.safety import ScreenForm

SKIP_ENV = "IGFCOACH_SKIP_ONBOARDING"
KG_PER_LB = 0.45359237

ACKNOWLEDGE_TEXT = "I understand that IGF Coach is not medical advice and that I should talk to my clinician."
OFF_BY_SCREEN = "Switched off by your safety answers: use it only if a specialist directs you to."




def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


# --------------------------------------------------------------------------------------------------- pages

class DisclaimerPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disclaimerPage")
        self.setTitle(f"Welcome to {APP_NAME}")
        self.setSubTitle("A daily coach for the habits linked to a healthy IGF-1 level.")
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addWidget(plain_label(
            "IGF Coach helps you build steady habits (sleep, training, protein and a daily stress practice), "
            "keeps your IGF-1 blood tests, and lets the results steer the coaching. The aim is a healthy "
            "mid-range, about 120\u2013160 ng/mL, not the highest level possible: both too little and too much "
            "IGF-1 carry risks."))
        layout.addWidget(NoticeCard("caution", "Not medical advice", DISCLAIMER, name="disclaimerCard"))
        self.acknowledge = QCheckBox(ACKNOWLEDGE_TEXT)
        self.acknowledge.setObjectName("acknowledgeCheck")
        self.acknowledge.setAccessibleName("I understand this is not medical advice")
        self.acknowledge.toggled.connect(self.completeChanged)
        layout.addWidget(self.acknowledge)
        layout.addStretch(1)

    def isComplete(self) -> bool:  # noqa: N802 (Qt name)
        return self.acknowledge.isChecked()


class ScreenPage(QWizardPage):
    def __init__(self, answers: ScreenAnswers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screenPage")
        self.setTitle("A short safety screen")
        self.setSubTitle("Your answers decide which reference range applies and whether the app may suggest "
                         "practices that stimulate growth hormone and IGF-1.")
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.form = ScreenForm(answers)
        layout.addWidget(self.form)
        layout.addWidget(plain_label("You can change these answers later in Settings \u203a Health & safety; every "
                                "change is kept with its date.", muted=True))
        layout.addStretch(1)


class ProfilePage(QWizardPage):
    def __init__(self, current: Profile, optional: list[HabitSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profilePage")
        self.setTitle("About you")
        self.setSubTitle("This sets your protein target and sleep times. Everything can be changed later.")
        layout = scrolling_column(self, (8, 4, 12, 4), 10)

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        layout.addLayout(form)
        weight_row = QHBoxLayout()
        self.weight = QDoubleSpinBox()
        self.weight.setObjectName("weightSpin")
        self.weight.setAccessibleName("Body weight")
        self.weight.setRange(0, 800)
        self.weight.setDecimals(1)
        self.weight.setSpecialValueText("Not given")
        self.weight.setMinimumWidth(120)
        self.weight_unit = QComboBox()
        self.weight_unit.setObjectName("weightUnitCombo")
        self.weight_unit.setAccessibleName("Body weight unit")
        self.weight_unit.addItems(["kg", "lb"])
        self.weight_unit.setCurrentText(current.load_unit if current.load_unit in ("kg", "lb") else "kg")
        if current.weight_kg:
            shown = current.weight_kg if current.load_unit != "lb" else current.weight_kg / KG_PER_LB
            self.weight.setValue(round(shown, 1))
        weight_row.addWidget(self.weight)
        weight_row.addWidget(self.weight_unit)
        weight_row.addStretch(1)
        weight_label = QLabel("Body &weight:")
        weight_label.setBuddy(self.weight)
        form.addRow(weight_label, weight_row)
        self.bedtime = QTimeEdit(QTime(current.bedtime.hour, current.bedtime.minute))
        self.bedtime.setObjectName("bedtimeEdit")
        self.bedtime.setAccessibleName("Target bedtime")
        self.bedtime.setDisplayFormat("HH:mm")
        form.addRow("Target &bedtime:", self.bedtime)
        self.wake = QTimeEdit(QTime(current.wake_time.hour, current.wake_time.minute))
        self.wake.setObjectName("wakeEdit")
        self.wake.setAccessibleName("Wake time")
        self.wake.setDisplayFormat("HH:mm")
        form.addRow("Wake &time:", self.wake)
        self.lab_unit = QComboBox()
        self.lab_unit.setObjectName("labUnitCombo")
        self.lab_unit.setAccessibleName("Unit for IGF-1 results")
        self.lab_unit.addItems(list(profile.LAB_UNITS))
        self.lab_unit.setCurrentText(current.lab_unit)
        form.addRow("IGF-1 &results in:", self.lab_unit)
        self.weight_error = error_label("Body weight error")
        layout.addWidget(self.weight_error)
        layout.addWidget(plain_label("Your body weight sets the daily protein target (1.6 g per kg to start); leave "
                                "it empty to use a 70 kg default. Bedtime and wake time are for the sleep "
                                "checks and the wind-down reminder.", muted=True))

        heading = QLabel("Optional practices")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addSpacing(4)
        layout.addWidget(heading)
        layout.addWidget(plain_label("These are off unless you switch them on. The evidence for them is limited; read "
                                "the caution first.", muted=True))
        self.optional_checks: dict[str, QCheckBox] = {}
        self.optional_specs = {s.key: s for s in optional}
        self.off_notes: dict[str, QLabel] = {}
        for spec in optional:
            box = QCheckBox(spec.title)
            box.setObjectName(f"optional_{spec.key}")
            box.setAccessibleName(spec.title)
            box.setToolTip(_one_line(spec.why))
            self.optional_checks[spec.key] = box
            layout.addWidget(box)
            caution = plain_label(_one_line(spec.caution), muted=True)
            caution.setObjectName(f"caution_{spec.key}")
            caution.setContentsMargins(24, 0, 0, 0)
            layout.addWidget(caution)
            off = plain_label(OFF_BY_SCREEN)
            off.setObjectName(f"off_{spec.key}")
            off.setContentsMargins(24, 0, 0, 0)
            off.hide()
            self.off_notes[spec.key] = off
            layout.addWidget(off)
        self.error = error_label("Profile error")
        layout.addWidget(self.error)
        layout.addStretch(1)

    def set_contraindicated(self, contraindicated: bool) -> None:
        """Grey out the stimulating optional items when the screen rules them out."""
        for key, box in self.optional_checks.items():
            blocked = contraindicated and self.optional_specs[key].stimulates_axis
            if blocked:
                box.setChecked(False)
            box.setEnabled(not blocked)
            self.off_notes[key].setVisible(blocked)

    def weight_kg(self) -> float | None:
        value = self.weight.value()
        if not value:
            return None
        kg = value * KG_PER_LB if self.weight_unit.currentText() == "lb" else value
        return round(kg, 2)

    def enabled_optional(self) -> list[str]:
        return [k for k, box in self.optional_checks.items() if box.isEnabled() and box.isChecked()]


# --------------------------------------------------------------------------------------------------- wizard

class OnboardingWizard(QWizard):
    """Three pages; Finish saves everything (see the module docstring)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("onboardingWizard")
        self.setWindowTitle(f"Set up {APP_NAME}")
        self.setWindowIcon(app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.setMinimumSize(680, 600)
        self.current = profile.load(ctx)
        optional = [s for s in load_catalog() if s.optional]
        self.disclaimer_page = DisclaimerPage()
        self.screen_page = ScreenPage(safety.current_answers(ctx))
        self.profile_page = ProfilePage(self.current, optional)
        self.addPage(self.disclaimer_page)
        self.addPage(self.screen_page)
        self.addPage(self.profile_page)
        self.screen_page.form.changed.connect(self._screen_changed)
        self._screen_changed()
        self.saved = False

    def _screen_changed(self) -> None:
        self.profile_page.set_contraindicated(self.screen_page.form.contraindicated())

    def profile_to_save(self) -> Profile:
        page = self.profile_page
        b, w = page.bedtime.time(), page.wake.time()
        return dataclasses.replace(
            self.current,
            weight_kg=page.weight_kg(),
            bedtime=time(b.hour(), b.minute()),
            wake_time=time(w.hour(), w.minute()),
            load_unit=page.weight_unit.currentText(),
            lab_unit=page.lab_unit.currentText(),
            onboarded=True,
        )

    def validateCurrentPage(self) -> bool:  # noqa: N802 (Qt name)
        if self.currentPage() is self.profile_page:
            if not self._profile_ok(self.profile_to_save()):
                return False
        return super().validateCurrentPage()

    def _profile_ok(self, p: Profile) -> bool:
        """Validate the profile, showing the error under the field it names."""
        page = self.profile_page
        try:
            profile.validate(p)
        except ProfileError as exc:
            set_error(page.weight_error if str(exc).startswith("body weight") else page.error, str(exc))
            return False
        set_error(page.weight_error, None)
        set_error(page.error, None)
        return True

    def accept(self) -> None:
        if not self.finish():
            return
        super().accept()

    def finish(self) -> bool:
        """Save the answers, the checklist and the profile in one transaction. False (nothing saved) on an error."""
        p = self.profile_to_save()
        if not self._profile_ok(p):
            return False
        onboarding.finish(self.ctx, self.screen_page.form.answers(), p, self.profile_page.enabled_optional())
        self.saved = True
        return True


def skip_requested() -> bool:
    return os.environ.get(SKIP_ENV, "").strip() == "1"


def seed_defaults(ctx: AppContext) -> None:
    """What a skipped first run gets: the default checklist and the profile marked as set up."""
    current = profile.load(ctx)
    onboarding.finish(ctx, None, dataclasses.replace(current, onboarded=True))


def maybe_run_onboarding(ctx: AppContext, parent: QWidget | None = None) -> bool:
    """Run the first-run wizard when the profile is not set up yet.

    Returns True when the app can go on (already set up, finished now, or skipped by ``IGFCOACH_SKIP_ONBOARDING``),
    False when the person cancelled the wizard.
    """
    if profile.load(ctx).onboarded:
        return True
    if skip_requested():
        seed_defaults(ctx)
        return True
    wizard = OnboardingWizard(ctx, parent)
    try:
        return wizard.exec() == QDialog.DialogCode.Accepted and wizard.saved
    finally:
        wizard.deleteLater()
