"""The safety screen, the U-shaped coaching policy and which habits are allowed and encouraged."""

from __future__ import annotations

import dataclasses
import enum
import itertools
from collections.abc import Iterator
from datetime import date
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igfcoach.core import igf1, safety
from igfcoach.core.igf1 import (
    LabRange,
    Position,
    TargetBand,
    Unit,
    builtin_interval,
    from_ng_ml,
    lookup_builtin_interval,
    to_ng_ml,
    validate_lab_range,
    validate_result_value,
    validate_target_band,
)
from igfcoach.core.safety import (
    DISCLAIMER,
    SPECIALIST_ONLY_NOTICE,
    STIMULATES_AXIS,
    LatestResult,
    Policy,
    PolicyBand,
    ScreenAnswers,
    coaching_policy,
    contraindication_details,
    contraindications,
    habit_allowed,
    habit_encouraged,
)

ADULT = ScreenAnswers(age=40, sex="male")
BUILTIN_40M = builtin_interval(40, "male")  # 76-251 ng/mL
STIM = frozenset({STIMULATES_AXIS})
PLAIN = frozenset({"sleep"})
NONE = frozenset[str]()

CONTRA_FLAGS = ("active_cancer", "endocrine_disorder", "pregnant", "under_18")


def policy_for(value_ng: float | None, answers: ScreenAnswers = ADULT, **kw: object) -> Policy:
    latest = None if value_ng is None else LatestResult(value_ng, date(2026, 9, 1))
    return coaching_policy(answers, latest, **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ screen answers

@pytest.mark.parametrize(("age", "under"), [(0, True), (17, True), (18, False), (40, False), (130, False)])
def test_under_18_is_derived_from_age(age: int, under: bool) -> None:
    assert ScreenAnswers(age=age).under_18 is under


def test_age_wins_over_the_under_18_answer() -> None:
    assert ScreenAnswers(age=30, under_18=True).under_18 is False
    assert ScreenAnswers(age=16, under_18=False).under_18 is True


def test_under_18_answer_used_without_age() -> None:
    assert ScreenAnswers(under_18=True).under_18 is True
    assert ScreenAnswers().under_18 is False


def test_sex_is_normalised_and_validated() -> None:
    assert ScreenAnswers(sex=" Female ").sex == "female"
    assert ScreenAnswers(sex="MALE").sex == "male"
    assert ScreenAnswers().sex is None
    with pytest.raises(ValueError, match="sex"):
        ScreenAnswers(sex="x")


@pytest.mark.parametrize("age", [-1, 131, True, 30.5])
def test_bad_ages_are_refused(age: object) -> None:
    with pytest.raises(ValueError, match="age"):
        ScreenAnswers(age=age)  # type: ignore[arg-type]


def test_answers_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ADULT.active_cancer = True  # type: ignore[misc]


# ------------------------------------------------------------------------------------------------ contraindications

def test_no_contraindications_for_a_healthy_adult() -> None:
    assert contraindications(ADULT) == []
    assert contraindications(ScreenAnswers()) == []


@pytest.mark.parametrize(
    ("answers", "key", "title"),
    [
        (ScreenAnswers(age=40, active_cancer=True), "active_cancer", "Active cancer"),
        (ScreenAnswers(age=40, endocrine_disorder=True), "endocrine_disorder", "endocrine disorder"),
        (ScreenAnswers(age=30, sex="female", pregnant=True), "pregnant", "Pregnancy"),
        (ScreenAnswers(age=16), "under_18", "Under 18"),
        (ScreenAnswers(under_18=True), "under_18", "Under 18"),
    ],
)
def test_each_contraindication_is_named_and_explained(answers: ScreenAnswers, key: str, title: str) -> None:
    details = contraindication_details(answers)
    assert [d.key for d in details] == [key]
    texts = contraindications(answers)
    assert len(texts) == 1
    assert title in texts[0]
    assert "GH/IGF-1 axis" in texts[0]
    assert "specialist" in texts[0]
    assert texts[0] == details[0].text


def test_all_contraindications_in_fixed_order() -> None:
    answers = ScreenAnswers(age=15, active_cancer=True, endocrine_disorder=True, pregnant=True)
    assert [d.key for d in contraindication_details(answers)] == list(CONTRA_FLAGS)


# ------------------------------------------------------------------------------------------------ policy per band

def test_no_result_yet() -> None:
    p = policy_for(None)
    assert p.band is PolicyBand.NO_RESULT
    assert p.stimulating_allowed is True
    assert p.encourage_stimulating is False
    assert "basics" in p.message and "baseline" in p.message
    assert p.see_clinician is False and p.clinician_reason is None
    assert p.specialist_only_notice is None
    assert p.reference_position is None and p.reference_kind is None


def test_below_target_encourages_practices() -> None:
    p = policy_for(100, builtin_interval=BUILTIN_40M)
    assert p.band is PolicyBand.BELOW_TARGET
    assert p.stimulating_allowed and p.encourage_stimulating
    assert "below your target band" in p.message
    assert p.see_clinician is False  # 100 is inside the built-in 76-251 for a 40-year-old man
    assert p.reference_position is Position.WITHIN and p.reference_kind == "builtin"


def test_in_target_says_maintain() -> None:
    p = policy_for(140, builtin_interval=BUILTIN_40M)
    assert p.band is PolicyBand.IN_TARGET
    assert p.stimulating_allowed is True
    assert p.encourage_stimulating is False
    assert "maintain" in p.message
    assert p.see_clinician is False


def test_above_target_stops_stimulating_practices() -> None:
    p = policy_for(200, builtin_interval=BUILTIN_40M)
    assert p.band is PolicyBand.ABOVE_TARGET
    assert p.stimulating_allowed is False
    assert p.encourage_stimulating is False
    assert "above your target band" in p.message
    assert "reminders off" in p.message and "sleep and stress practices continue" in p.message
    assert p.see_clinician is False  # still inside the built-in interval


@pytest.mark.parametrize(
    ("value_ng", "band"),
    [
        (119.99, PolicyBand.BELOW_TARGET),
        (120, PolicyBand.IN_TARGET),
        (160, PolicyBand.IN_TARGET),
        (160.01, PolicyBand.ABOVE_TARGET),
    ],
)
def test_policy_band_edges_in_both_units(value_ng: float, band: PolicyBand) -> None:
    assert policy_for(value_ng).band is band
    assert policy_for(to_ng_ml(from_ng_ml(value_ng, Unit.NMOL_L), Unit.NMOL_L)).band is band


def test_policy_follows_an_edited_target_band() -> None:
    band = TargetBand(150, 200)
    assert policy_for(140, target_band=band).band is PolicyBand.BELOW_TARGET
    assert policy_for(150, target_band=band).band is PolicyBand.IN_TARGET
    assert policy_for(200.01, target_band=band).band is PolicyBand.ABOVE_TARGET


@pytest.mark.parametrize("flag", CONTRA_FLAGS)
@pytest.mark.parametrize("value_ng", [None, 100, 140, 200])
def test_contraindication_switches_stimulating_off_in_every_band(flag: str, value_ng: float | None) -> None:
    answers = dataclasses.replace(ScreenAnswers(sex="female"), **{flag: True})
    p = policy_for(value_ng, answers)
    assert p.stimulating_allowed is False
    assert p.encourage_stimulating is False
    assert p.specialist_only_notice == SPECIALIST_ONLY_NOTICE
    assert len(p.contraindications) == 1
    assert "specialist" in p.message or "sleep and stress" in p.message
    assert habit_allowed(STIM, p) is False
    assert habit_allowed(PLAIN, p) is True


def test_contraindicated_below_target_message_does_not_push_stimulating() -> None:
    p = policy_for(100, ScreenAnswers(age=40, active_cancer=True))
    assert p.band is PolicyBand.BELOW_TARGET
    assert "stay off unless a specialist directs them" in p.message


# ------------------------------------------------------------------------------------------------ clinician prompts

LAB = LabRange(100, 300)


@pytest.mark.parametrize(
    ("value_ng", "see"),
    [(99.99, True), (100, False), (300, False), (300.01, True)],
)
def test_clinician_prompt_at_lab_limits(value_ng: float, see: bool) -> None:
    for v in (value_ng, to_ng_ml(from_ng_ml(value_ng, Unit.NMOL_L), Unit.NMOL_L)):
        p = policy_for(v, lab_range=LAB, builtin_interval=BUILTIN_40M)
        assert p.see_clinician is see
        assert (p.clinician_reason is not None) is see
        assert p.reference_kind == "lab"


def test_clinician_prompt_at_lab_limits_entered_in_nmol_l() -> None:
    lab = LabRange.from_unit(12, 40, "nmol/L")
    assert policy_for(to_ng_ml(40, Unit.NMOL_L), lab_range=lab).see_clinician is False
    assert policy_for(to_ng_ml(40.1, Unit.NMOL_L), lab_range=lab).see_clinician is True
    assert policy_for(to_ng_ml(12, Unit.NMOL_L), lab_range=lab).see_clinician is False
    assert policy_for(to_ng_ml(11.9, Unit.NMOL_L), lab_range=lab).see_clinician is True


def test_above_upper_limit_explains_acromegaly_and_cancer() -> None:
    p = policy_for(350, lab_range=LAB)
    assert p.see_clinician and p.clinician_reason
    reason = p.clinician_reason
    assert "acromegaly" in reason and "cancer" in reason and "endocrinologist" in reason
    assert "the lab's reference range (100\u2013300 ng/mL)" in reason
    assert "350 ng/mL" in reason
    assert p.reference_position is Position.ABOVE
    assert p.band is PolicyBand.ABOVE_TARGET and p.stimulating_allowed is False


def test_below_lower_limit_explains_frailty() -> None:
    p = policy_for(60, lab_range=LAB)
    assert p.see_clinician and p.clinician_reason
    reason = p.clinician_reason
    assert "frailty" in reason and "muscle" in reason and "mortality" in reason and "endocrinologist" in reason
    assert p.reference_position is Position.BELOW
    assert p.band is PolicyBand.BELOW_TARGET and p.encourage_stimulating is True


@pytest.mark.parametrize(("value_ng", "see"), [(75.99, True), (76, False), (251, False), (251.01, True)])
def test_builtin_limits_used_when_no_lab_range(value_ng: float, see: bool) -> None:
    p = policy_for(value_ng, builtin_interval=BUILTIN_40M)
    assert p.see_clinician is see
    assert p.reference_kind == "builtin"
    if see:
        assert "the built-in reference interval (76\u2013251 ng/mL)" in (p.clinician_reason or "")


def test_lab_range_takes_precedence_over_builtin() -> None:
    # outside the built-in 76-251 but inside the lab's 100-300: no prompt
    assert policy_for(280, lab_range=LAB, builtin_interval=BUILTIN_40M).see_clinician is False
    # inside the built-in but below the lab's lower limit: prompt
    assert policy_for(90, lab_range=LAB, builtin_interval=BUILTIN_40M).see_clinician is True


def test_no_range_no_clinician_prompt() -> None:
    p = policy_for(2000)
    assert p.see_clinician is False and p.reference_position is None
    assert p.band is PolicyBand.ABOVE_TARGET


def test_no_result_no_clinician_prompt_even_with_ranges() -> None:
    p = policy_for(None, lab_range=LAB, builtin_interval=BUILTIN_40M)
    assert p.see_clinician is False


def test_contraindicated_person_still_gets_clinician_prompt() -> None:
    p = policy_for(400, ScreenAnswers(age=40, sex="male", endocrine_disorder=True), lab_range=LAB)
    assert p.see_clinician and p.specialist_only_notice


def test_clinician_reason_in_nmol_l() -> None:
    p = policy_for(350, lab_range=LAB, unit=Unit.NMOL_L)
    assert "45.8 nmol/L" in (p.clinician_reason or "")
    assert "13.1\u201339.2 nmol/L" in (p.clinician_reason or "")


def test_latest_result_refuses_non_positive() -> None:
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="value"):
            LatestResult(bad)


def test_under_18_with_lab_range() -> None:
    answers = ScreenAnswers(age=16, sex="male")
    builtin = builtin_interval(16, "male")
    assert builtin is None
    p = policy_for(900, answers, lab_range=LabRange(200, 600), builtin_interval=builtin)
    assert p.see_clinician and p.reference_kind == "lab"
    assert p.stimulating_allowed is False


# ------------------------------------------------------------------------------------------------ habits

@pytest.mark.parametrize(
    ("value_ng", "allowed", "encouraged"),
    [(None, True, False), (100, True, True), (140, True, False), (200, False, False)],
)
def test_stimulating_habits_follow_the_band(value_ng: float | None, allowed: bool, encouraged: bool) -> None:
    p = policy_for(value_ng)
    assert habit_allowed(STIM, p) is allowed
    assert habit_encouraged(STIM, p) is encouraged
    assert habit_allowed(frozenset({STIMULATES_AXIS, "supplement"}), p) is allowed


@pytest.mark.parametrize("value_ng", [None, 50, 100, 140, 200, 2000])
@pytest.mark.parametrize("answers", [ADULT, ScreenAnswers(age=40, active_cancer=True), ScreenAnswers(age=12)])
@pytest.mark.parametrize("flags", [PLAIN, NONE, frozenset({"stress", "daily"})])
def test_non_stimulating_habits_always_allowed(
    value_ng: float | None, answers: ScreenAnswers, flags: frozenset[str]
) -> None:
    p = policy_for(value_ng, answers, lab_range=LAB)
    assert habit_allowed(flags, p) is True
    assert habit_encouraged(flags, p) is True


@settings(database=None)
@given(
    st.one_of(st.none(), st.floats(min_value=0.1, max_value=3000)),
    st.booleans(), st.booleans(), st.booleans(), st.one_of(st.none(), st.integers(0, 110)),
)
def test_encouraged_implies_allowed_and_never_above_target_or_contraindicated(
    value_ng: float | None, cancer: bool, endo: bool, pregnant: bool, age: int | None
) -> None:
    answers = ScreenAnswers(age=age, sex="female", active_cancer=cancer, endocrine_disorder=endo, pregnant=pregnant)
    p = policy_for(value_ng, answers, builtin_interval=builtin_interval(age, "female"))
    if habit_encouraged(STIM, p):
        assert habit_allowed(STIM, p)
        assert p.band is PolicyBand.BELOW_TARGET
    if contraindications(answers) or p.band is PolicyBand.ABOVE_TARGET:
        assert not habit_allowed(STIM, p)


@settings(database=None)
@given(st.floats(min_value=0.1, max_value=3000), st.floats(min_value=0.1, max_value=3000))
def test_stimulating_allowance_is_monotone_in_value(a: float, b: float) -> None:
    """Once a value turns stimulating practices off, any higher value does too (never "higher is better")."""
    lo, hi = sorted((a, b))
    if not policy_for(lo).stimulating_allowed:
        assert not policy_for(hi).stimulating_allowed
    if policy_for(hi).encourage_stimulating:
        assert policy_for(lo).encourage_stimulating


# ------------------------------------------------------------------------------------------------ texts

def test_disclaimer() -> None:
    assert "not medical advice" in DISCLAIMER
    assert "clinician" in DISCLAIMER


BANNED = ("higher is better", "the higher the better", "more is better", "maximi", "boost", "as high as possible",
          "optimi")


def _strings_in(obj: object, seen: set[int]) -> Iterator[str]:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, enum.Enum):
        yield str(obj.value)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _strings_in(k, seen)
            yield from _strings_in(v, seen)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for item in obj:
            yield from _strings_in(item, seen)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _strings_in(getattr(obj, f.name), seen)


def _module_strings(module: ModuleType) -> Iterator[str]:
    seen: set[int] = set()
    for name, value in vars(module).items():
        if name.startswith("__") or isinstance(value, ModuleType):
            continue
        yield from _strings_in(value, seen)


def _produced_strings() -> Iterator[str]:
    """Every text the two modules produce over a grid of screens, results and ranges."""
    values = [None, 5.0, 60.0, 100.0, 120.0, 140.0, 160.0, 200.0, 300.0, 400.0, 2000.0]
    labs = [None, LAB]
    flags = list(itertools.product([False, True], repeat=4))
    for value, lab, (c, e, p, u), unit in itertools.product(values, labs, flags, list(Unit)):
        answers = ScreenAnswers(sex="female", active_cancer=c, endocrine_disorder=e, pregnant=p, under_18=u)
        pol = policy_for(value, answers, lab_range=lab, builtin_interval=builtin_interval(40, "female"), unit=unit)
        yield pol.message
        yield from pol.contraindications
        if pol.clinician_reason:
            yield pol.clinician_reason
        if pol.specialist_only_notice:
            yield pol.specialist_only_notice
        if value is not None:
            for c_ in (igf1.classify_against_target(value, unit=unit), igf1.classify_against_lab(value, lab, unit),
                       igf1.classify_against_builtin(value, builtin_interval(40, "female"), unit)):
                if c_ is not None:
                    yield c_.label
    for age in (None, 5, 18, 40, 90):
        for sex in (None, "female", "male"):
            lookup = lookup_builtin_interval(age, sex)
            yield from (s for s in (lookup.reason,) if s)
            if lookup.interval:
                yield lookup.interval.source
                yield from (s for s in (lookup.interval.note,) if s)
    for issues in (validate_result_value("x", "mg/dL"), validate_result_value(0, "ng/mL"),
                   validate_result_value(5000, "ng/mL"), validate_result_value(1, "nmol/L"),
                   validate_lab_range(3, 1, "ng/mL"), validate_lab_range(1, None, "ng/mL"),
                   validate_target_band(0, 0, "ng/mL"), igf1.validate_draw_date(date(2030, 1, 1), date(2026, 1, 1))):
        yield from (i.message for i in issues)


def test_the_modules_produce_many_texts() -> None:
    texts = set(_produced_strings())
    assert len(texts) > 50
    assert SPECIALIST_ONLY_NOTICE in texts


@pytest.mark.parametrize("phrase", BANNED)
def test_no_text_ever_says_higher_is_better(phrase: str) -> None:
    texts = set(_produced_strings()) | set(_module_strings(safety)) | set(_module_strings(igf1))
    offenders = sorted(t for t in texts if phrase in t.lower())
    assert offenders == [], f"{phrase!r} found in: {offenders}"
