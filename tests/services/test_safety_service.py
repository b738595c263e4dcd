"""The safety screen with its history, the target band, and the coaching policy from the latest result."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from igfcoach.core.habits import FLAG_STIMULATES_AXIS
from igfcoach.core.igf1 import DEFAULT_TARGET_BAND, Position, TargetBand
from igfcoach.core.safety import SPECIALIST_ONLY_NOTICE, Policy, PolicyBand, ScreenAnswers
from igfcoach.services import habits, labs, safety, settings
from igfcoach.services.labs import LabInput
from igfcoach.services.safety import TargetBandError

OPTIONAL = ["eating_window", "arginine_ornithine", "mucuna"]


def add(ctx, value, unit="ng/mL", drawn_on=date(2026, 10, 1), **kw):
    return labs.add_result(ctx, LabInput(drawn_on=drawn_on, value=value, unit=unit, **kw), confirm=True)


def allowed_keys(ctx) -> set[str]:
    policy = safety.current_policy(ctx)
    return {spec.key for spec, _status in habits.list_habits(ctx) if safety.habit_allowed(policy, spec)}


# --------------------------------------------------------------------------------------------------- screen answers

def test_unanswered_screen_is_all_no(ctx):
    assert not safety.has_answers(ctx)
    assert safety.current_answers(ctx) == ScreenAnswers()
    assert safety.answers_history(ctx) == []


def test_answers_are_recorded_with_their_date_and_the_latest_is_current(ctx, clock):
    first = ScreenAnswers(age=44, sex="female")
    assert safety.record_answers(ctx, first) is True
    clock.advance(timedelta(days=3))
    second = ScreenAnswers(age=44, sex="female", endocrine_disorder=True)
    assert safety.record_answers(ctx, second) is True
    assert safety.current_answers(ctx) == second
    history = safety.answers_history(ctx)
    assert [h.answers for h in history] == [second, first]
    assert [h.recorded_at for h in history] == [datetime(2026, 11, 28, 9, 0), datetime(2026, 11, 25, 9, 0)]


def test_recording_the_same_answers_again_adds_no_history(ctx):
    safety.record_answers(ctx, ScreenAnswers(age=30, sex="male"))
    assert safety.record_answers(ctx, ScreenAnswers(age=30, sex="male")) is False
    assert len(safety.answers_history(ctx)) == 1


def test_under_18_comes_from_the_age(ctx):
    safety.record_answers(ctx, ScreenAnswers(age=17))
    assert safety.current_answers(ctx).under_18 is True


def test_the_screen_switches_stimulating_habits_off_and_on_again(ctx, clock):
    habits.seed_from_catalog(ctx, enable_optional=OPTIONAL)
    stimulating = {s.key for s, _ in habits.list_habits(ctx) if FLAG_STIMULATES_AXIS in s.flags}
    assert stimulating == set(OPTIONAL)
    everything = {s.key for s, _ in habits.list_habits(ctx)}
    assert allowed_keys(ctx) == everything

    safety.record_answers(ctx, ScreenAnswers(age=50, sex="male", active_cancer=True))
    policy = safety.current_policy(ctx)
    assert not policy.stimulating_allowed
    assert policy.specialist_only_notice == SPECIALIST_ONLY_NOTICE
    assert any("Active cancer" in c for c in policy.contraindications)
    assert allowed_keys(ctx) == everything - stimulating
    assert {"sleep_duration", "bedtime_consistent", "breathing"} <= allowed_keys(ctx)  # sleep and stress stay

    clock.advance(timedelta(days=30))
    safety.record_answers(ctx, ScreenAnswers(age=50, sex="male"))
    assert safety.current_policy(ctx).specialist_only_notice is None
    assert allowed_keys(ctx) == everything
    assert [h.answers.active_cancer for h in safety.answers_history(ctx)] == [False, True]


@pytest.mark.parametrize("answer", ["active_cancer", "endocrine_disorder", "pregnant", "under_18"])
def test_each_contraindication_alone_switches_stimulating_practices_off(ctx, answer):
    safety.record_answers(ctx, ScreenAnswers(**{answer: True}))
    policy = safety.current_policy(ctx)
    assert not policy.stimulating_allowed and policy.specialist_only_notice
    assert not safety.habit_allowed(ctx, frozenset({FLAG_STIMULATES_AXIS}))
    assert safety.habit_allowed(ctx, frozenset())


# --------------------------------------------------------------------------------------------------- target band

def test_target_band_defaults_to_the_guides_mid_range_and_can_be_edited(ctx):
    assert safety.target_band(ctx) == DEFAULT_TARGET_BAND == TargetBand(120, 160)
    band = safety.set_target_band(ctx, "15", "21", "nmol/L")
    assert safety.target_band(ctx) == band
    assert band.low_ng == pytest.approx(15 * 7.649)
    assert settings.get(ctx, "target_low_ng") == pytest.approx(114.735)
    safety.reset_target_band(ctx)
    assert safety.target_band(ctx) == DEFAULT_TARGET_BAND


@pytest.mark.parametrize(("low", "high", "message"), [
    (160, 120, "target band: the low limit (160) must be below the high limit (120)"),
    (140, 140, "target band: the low limit (140) must be below the high limit (140)"),
    ("x", 160, "target band: the low limit 'x' is not a number"),
    (0, 160, "target band: limits must be greater than zero"),
])
def test_a_bad_target_band_is_refused_and_not_stored(ctx, low, high, message):
    with pytest.raises(TargetBandError) as err:
        safety.set_target_band(ctx, low, high)
    assert message in str(err.value)
    assert settings.get(ctx, "target_low_ng") is None
    assert safety.target_band(ctx) == DEFAULT_TARGET_BAND


# --------------------------------------------------------------------------------------------------- coaching per band

def test_no_result_yet_asks_for_a_baseline(ctx):
    p = safety.current_policy(ctx)
    assert p.band is PolicyBand.NO_RESULT
    assert p.stimulating_allowed and not p.encourage_stimulating
    assert "baseline" in p.message and not p.see_clinician


def test_below_target_encourages_the_practices(ctx):
    add(ctx, 95, lab_low=80, lab_high=300)
    p = safety.current_policy(ctx)
    assert p.band is PolicyBand.BELOW_TARGET
    assert p.stimulating_allowed and p.encourage_stimulating
    assert "below your target band" in p.message and not p.see_clinician


def test_inside_target_says_maintain(ctx):
    add(ctx, 140, lab_low=80, lab_high=300)
    p = safety.current_policy(ctx)
    assert p.band is PolicyBand.IN_TARGET
    assert p.stimulating_allowed and not p.encourage_stimulating
    assert "maintain" in p.message and "not a bigger number" in p.message


def test_above_target_stops_stimulating_practices(ctx):
    habits.seed_from_catalog(ctx, enable_optional=OPTIONAL)
    add(ctx, 190, lab_low=80, lab_high=300)
    p = safety.current_policy(ctx)
    assert p.band is PolicyBand.ABOVE_TARGET
    assert not p.stimulating_allowed and not p.encourage_stimulating
    assert not p.see_clinician
    assert not set(OPTIONAL) & allowed_keys(ctx)


def test_above_the_labs_upper_limit_asks_to_see_a_clinician(ctx):
    add(ctx, 320, lab_low=80, lab_high=300)
    p = safety.current_policy(ctx)
    assert p.see_clinician and p.reference_kind == "lab" and p.reference_position is Position.ABOVE
    assert "acromegaly" in p.clinician_reason and "endocrinologist" in p.clinician_reason
    assert "320 ng/mL" in p.clinician_reason


def test_below_the_labs_lower_limit_asks_to_see_a_clinician(ctx):
    add(ctx, 70, lab_low=80, lab_high=300)
    p = safety.current_policy(ctx)
    assert p.band is PolicyBand.BELOW_TARGET and p.see_clinician
    assert "frailty" in p.clinician_reason


def test_without_a_lab_range_the_built_in_interval_decides_the_clinician_prompt(ctx):
    safety.record_answers(ctx, ScreenAnswers(age=40, sex="male"))  # 76–251
    add(ctx, 260)
    p = safety.current_policy(ctx)
    assert p.see_clinician and p.reference_kind == "builtin"
    assert "built-in reference interval" in p.clinician_reason


def test_the_clinician_reason_uses_the_preferred_unit(ctx):
    settings.put(ctx, lab_unit="nmol/L")
    add(ctx, 50, unit="nmol/L", lab_low=10, lab_high=40)
    assert "50.0 nmol/L" in safety.current_policy(ctx).clinician_reason


def test_the_latest_draw_decides_not_the_latest_entry(ctx):
    add(ctx, 140, drawn_on=date(2026, 11, 1))
    add(ctx, 90, drawn_on=date(2026, 6, 1))  # an older result entered later
    assert safety.current_policy(ctx).band is PolicyBand.IN_TARGET


def test_deleting_the_latest_result_changes_the_coaching_back(ctx):
    add(ctx, 95, drawn_on=date(2026, 6, 1))
    newer = add(ctx, 190, drawn_on=date(2026, 11, 1))
    assert safety.current_policy(ctx).band is PolicyBand.ABOVE_TARGET
    undo = labs.delete_result(ctx, newer.id)
    assert safety.current_policy(ctx).band is PolicyBand.BELOW_TARGET
    labs.restore_result(ctx, undo)
    assert safety.current_policy(ctx).band is PolicyBand.ABOVE_TARGET


def test_habit_allowed_takes_a_policy_or_the_context(ctx):
    add(ctx, 200)
    p = safety.current_policy(ctx)
    assert isinstance(p, Policy)
    flags = frozenset({FLAG_STIMULATES_AXIS})
    assert safety.habit_allowed(p, flags) is False
    assert safety.habit_allowed(ctx, flags) is False
    habits.seed_from_catalog(ctx, enable_optional=["mucuna"])
    specs = {s.key: s for s, _ in habits.list_habits(ctx)}
    assert safety.habit_allowed(p, specs["mucuna"]) is False
    assert safety.habit_allowed(p, specs["sleep_duration"]) is True


def test_first_run_is_saved_in_one_transaction(ctx, monkeypatch):
    """If seeding the checklist fails, neither the screen's answers nor the profile are stored."""
    import dataclasses

    import pytest

    from igfcoach.core.safety import ScreenAnswers
    from igfcoach.services import habits, onboarding, profile, safety

    answers = ScreenAnswers(age=40, sex="male", active_cancer=False, endocrine_disorder=False,
                            pregnant=False, under_18=False)
    p = dataclasses.replace(profile.load(ctx), weight_kg=80.0, onboarded=True)
    original = habits.seed_from_catalog_in

    def failing(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(habits, "seed_from_catalog_in", failing)
    with pytest.raises(RuntimeError):
        onboarding.finish(ctx, answers, p)
    monkeypatch.setattr(habits, "seed_from_catalog_in", original)
    assert safety.answers_history(ctx) == []
    assert not habits.is_seeded(ctx)
    assert profile.load(ctx).onboarded is False
    onboarding.finish(ctx, answers, p)
    assert len(safety.answers_history(ctx)) == 1 and habits.is_seeded(ctx) and profile.load(ctx).onboarded
