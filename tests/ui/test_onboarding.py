"""The first-run wizard: disclaimer, safety screen, profile; and when it runs at all."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QDialog, QWizard

from igfcoach.core.habits import FLAG_STIMULATES_AXIS
from igfcoach.core.safety import ScreenAnswers
from igfcoach.services import habits, profile, safety
from igfcoach.ui import onboarding
from igfcoach.ui.onboarding import SKIP_ENV, OnboardingWizard, maybe_run_onboarding

OPTIONAL = {"eating_window", "arginine_ornithine", "mucuna"}


def dump(ctx) -> list[str]:
    conn = sqlite3.connect(ctx.db.path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def wizard(qtbot, ctx):
    w = OnboardingWizard(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def finish(w) -> None:
    w.button(QWizard.WizardButton.FinishButton).click()


def go_to_profile(w) -> None:
    w.disclaimer_page.acknowledge.setChecked(True)
    w.next()
    w.next()
    assert w.currentPage() is w.profile_page


def test_the_disclaimer_must_be_acknowledged(wizard):
    assert wizard.currentPage() is wizard.disclaimer_page
    assert "not medical advice" in wizard.disclaimer_page.findChild(type(wizard.disclaimer_page.acknowledge)).text()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    wizard.disclaimer_page.acknowledge.setChecked(True)
    assert next_button.isEnabled()
    next_button.click()
    assert wizard.currentPage() is wizard.screen_page


def test_a_contraindication_is_explained_and_switches_the_stimulating_options_off(wizard):
    wizard.disclaimer_page.acknowledge.setChecked(True)
    wizard.next()
    form = wizard.screen_page.form
    assert form.explanation.isHidden()
    form.endocrine.setChecked(True)
    assert not form.explanation.isHidden()
    text = form.explanation.text()
    assert "Pituitary or other endocrine disorder" in text and "switched off" in text
    assert "Sleep, training, protein and stress practices stay available" in text
    wizard.next()
    page = wizard.profile_page
    assert set(page.optional_checks) == OPTIONAL
    for key, box in page.optional_checks.items():
        assert not box.isEnabled() and not box.isChecked()
        assert not page.off_notes[key].isHidden()
    wizard.back()
    form.endocrine.setChecked(False)
    wizard.next()
    assert all(box.isEnabled() for box in page.optional_checks.values())


def test_each_optional_item_shows_its_caution(wizard):
    page = wizard.profile_page
    for key in OPTIONAL:
        caution = page.findChild(type(page.error), f"caution_{key}")
        assert caution is not None and "healthcare provider" in caution.text()


def test_finish_records_answers_seeds_the_checklist_and_saves_the_profile(wizard, ctx):
    wizard.disclaimer_page.acknowledge.setChecked(True)
    wizard.next()
    form = wizard.screen_page.form
    form.age.setValue(45)
    form.sex.setCurrentIndex(2)
    wizard.next()
    page = wizard.profile_page
    page.weight.setValue(176.4)
    page.weight_unit.setCurrentText("lb")
    page.bedtime.setTime(page.bedtime.time().fromString("23:00", "HH:mm"))
    page.wake.setTime(page.wake.time().fromString("07:00", "HH:mm"))
    page.lab_unit.setCurrentText("nmol/L")
    page.optional_checks["mucuna"].setChecked(True)
    finish(wizard)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert safety.current_answers(ctx) == ScreenAnswers(age=45, sex="male")
    p = profile.load(ctx)
    assert p.onboarded and p.weight_kg == pytest.approx(80.01, abs=0.01)
    assert (p.bedtime.strftime("%H:%M"), p.wake_time.strftime("%H:%M"), p.lab_unit, p.load_unit) == (
        "23:00", "07:00", "nmol/L", "lb")
    keys = {s.key for s, _ in habits.list_habits(ctx)}
    assert "mucuna" in keys and not {"eating_window", "arginine_ornithine"} & keys
    protein = next(s for s, _ in habits.list_habits(ctx) if s.key == "protein")
    assert protein.target.value == 128  # 80 kg x 1.6 g


def test_finish_with_a_contraindication_seeds_no_stimulating_items(wizard, ctx):
    wizard.disclaimer_page.acknowledge.setChecked(True)
    wizard.next()
    wizard.screen_page.form.cancer.setChecked(True)
    wizard.next()
    finish(wizard)
    assert safety.current_answers(ctx).active_cancer
    specs = [s for s, _ in habits.list_habits(ctx)]
    assert specs and not [s for s in specs if FLAG_STIMULATES_AXIS in s.flags]
    assert safety.current_policy(ctx).specialist_only_notice


def test_a_bad_weight_is_shown_inline_and_nothing_is_saved(wizard, ctx):
    go_to_profile(wizard)
    before = dump(ctx)
    wizard.profile_page.weight.setValue(12)
    finish(wizard)
    assert wizard.isVisible() and wizard.result() != QDialog.DialogCode.Accepted
    error = wizard.profile_page.weight_error
    assert not error.isHidden() and error.text().startswith("body weight: 12 kg is outside")
    assert dump(ctx) == before
    wizard.profile_page.weight.setValue(70)
    finish(wizard)
    assert wizard.result() == QDialog.DialogCode.Accepted and profile.load(ctx).weight_kg == 70


def test_cancel_saves_nothing(wizard, ctx):
    before = dump(ctx)
    wizard.disclaimer_page.acknowledge.setChecked(True)
    wizard.next()
    wizard.reject()
    assert dump(ctx) == before and not profile.load(ctx).onboarded


# --------------------------------------------------------------------------------------------------- when it runs

def test_not_run_once_onboarded(ctx, monkeypatch):
    profile.save(ctx, profile.Profile(onboarded=True))
    monkeypatch.setattr(OnboardingWizard, "exec", lambda self: pytest.fail("the wizard should not run"))
    assert maybe_run_onboarding(ctx) is True


def test_skip_env_seeds_defaults_silently(ctx, monkeypatch):
    monkeypatch.setenv(SKIP_ENV, "1")
    monkeypatch.setattr(OnboardingWizard, "exec", lambda self: pytest.fail("the wizard should not run"))
    assert maybe_run_onboarding(ctx) is True
    assert profile.load(ctx).onboarded
    keys = {s.key for s, _ in habits.list_habits(ctx)}
    assert keys and not OPTIONAL & keys
    assert not safety.has_answers(ctx)


def test_cancelling_the_wizard_returns_false(ctx, monkeypatch, qapp):
    monkeypatch.delenv(SKIP_ENV, raising=False)
    monkeypatch.setattr(OnboardingWizard, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert maybe_run_onboarding(ctx) is False
    assert not profile.load(ctx).onboarded and not habits.is_seeded(ctx)


def test_a_finished_wizard_returns_true(ctx, monkeypatch, qapp):
    monkeypatch.delenv(SKIP_ENV, raising=False)

    def run(self):
        self.finish()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(OnboardingWizard, "exec", run)
    assert maybe_run_onboarding(ctx) is True and profile.load(ctx).onboarded


def test_the_controller_runs_onboarding_before_the_window(tmp_path, monkeypatch, qapp):
    from igfcoach.paths import resolve_paths
    from igfcoach.ui.controller import AppController

    calls = []
    real = onboarding.maybe_run_onboarding
    monkeypatch.setattr(onboarding, "maybe_run_onboarding", lambda ctx, parent=None: calls.append(1) or real(ctx))
    monkeypatch.setenv(SKIP_ENV, "1")
    controller = AppController.start(qapp, resolve_paths(tmp_path / "data"), minimized=True)
    try:
        assert controller is not None and calls == [1]
        assert profile.load(controller.ctx).onboarded and habits.is_seeded(controller.ctx)
    finally:
        controller.window.hide()
        controller.window.deleteLater()
        controller.shutdown()


def test_the_controller_stops_when_the_wizard_is_cancelled(tmp_path, monkeypatch, qapp):
    from igfcoach.paths import resolve_paths
    from igfcoach.ui.controller import AppController, StartAborted

    monkeypatch.setattr(onboarding, "maybe_run_onboarding", lambda ctx, parent=None: False)
    with pytest.raises(StartAborted) as stop:
        AppController.start(qapp, resolve_paths(tmp_path / "data"))
    assert stop.value.code == 0  # the person chose to stop: not an error
