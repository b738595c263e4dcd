"""Safety rules: the first-run screen, and which practices are allowed and encouraged.

The aim is a healthy mid-range, never a maximum: the relationship between IGF-1 and health is U-shaped.

Rules, in one place:
    * Any contraindication (active cancer, pituitary or other endocrine disorder, pregnancy, under 18) switches
      every practice flagged ``stimulates_axis`` off, with its reminders, and shows a "specialist-directed only"
      notice. Sleep and stress practices (not flagged) stay available.
    * The latest result, against the target band (edges inclusive):
        - no result yet: stimulating practices allowed but not encouraged; start with the basics, get a baseline;
        - below the band: stimulating practices allowed and encouraged;
        - inside the band: allowed, not pushed further (maintain);
        - above the band: stimulating practices off (and their reminders), sleep and stress continue.
    * Outside the lab's range (or the built-in interval when no lab range was given), a clinician prompt with
      the reason, whatever the target band says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from igfcoach.core.igf1 import (
    DEFAULT_TARGET_BAND,
    LabRange,
    Position,
    ReferenceInterval,
    TargetBand,
    Unit,
    classify,
    format_range,
    format_value,
    reference_range_used,
)

__all__ = [
    "DISCLAIMER",
    "SPECIALIST_ONLY_NOTICE",
    "STIMULATES_AXIS",
    "Contraindication",
    "LatestResult",
    "Policy",
    "PolicyBand",
    "ScreenAnswers",
    "coaching_policy",
    "contraindication_details",
    "contraindications",
    "habit_allowed",
    "habit_encouraged",
]

STIMULATES_AXIS = "stimulates_axis"
"""The habit flag for practices meant to stimulate the GH/IGF-1 axis (supplements, eating window)."""

DISCLAIMER = (
    "IGF Coach is a habit tracker, not medical advice: it does not diagnose or treat anything. "
    "Talk to your clinician about your results and before starting anything meant to change your hormone levels."
)

SPECIALIST_ONLY_NOTICE = (
    "Specialist-directed only: because of your safety answers, the practices that stimulate the GH/IGF-1 axis "
    "and their reminders are switched off. Use them only if a specialist directs you to. "
    "Sleep and stress practices stay available."
)

_SEXES = ("female", "male")
_MAX_AGE = 130


@dataclass(frozen=True)
class ScreenAnswers:
    """The first-run safety screen's answers.

    ``under_18`` is derived from ``age`` when an age is given (the age wins over the answer); without an age it
    is the person's own answer. ``sex`` is normalised to "female", "male" or None.
    """

    age: int | None = None
    sex: str | None = None
    active_cancer: bool = False
    endocrine_disorder: bool = False
    pregnant: bool = False
    under_18: bool = False

    def __post_init__(self) -> None:
        if self.age is not None:
            if isinstance(self.age, bool) or not isinstance(self.age, int) or not 0 <= self.age <= _MAX_AGE:
                raise ValueError(f"age: {self.age!r} is not a valid age (0\u2013{_MAX_AGE})")
            object.__setattr__(self, "under_18", self.age < 18)
        if self.sex is not None:
            key = self.sex.strip().lower() if isinstance(self.sex, str) else ""
            if key not in _SEXES:
                raise ValueError(f"sex: {self.sex!r} is not one of 'female', 'male'")
            object.__setattr__(self, "sex", key)


@dataclass(frozen=True)
class Contraindication:
    """One reason stimulating practices are off: a stable key, a short title and a plain explanation."""

    key: str
    title: str
    explanation: str

    @property
    def text(self) -> str:
        """The title and explanation as one sentence for display."""
        return f"{self.title}: {self.explanation}"


_CONTRAINDICATIONS: tuple[tuple[str, Contraindication], ...] = (
    ("active_cancer", Contraindication(
        "active_cancer", "Active cancer diagnosis",
        "IGF-1 drives cell growth and persistently high levels are linked to some cancers, so practices that "
        "stimulate the GH/IGF-1 axis are unsafe here unless a specialist directs them.")),
    ("endocrine_disorder", Contraindication(
        "endocrine_disorder", "Pituitary or other endocrine disorder",
        "the GH/IGF-1 axis may itself be affected or under treatment, so stimulating it is unsafe unless "
        "your specialist, such as an endocrinologist, directs it.")),
    ("pregnant", Contraindication(
        "pregnant", "Pregnancy",
        "hormone levels change during pregnancy, and anything meant to alter them needs your clinician's "
        "advice first, so practices that stimulate the GH/IGF-1 axis stay off unless a specialist directs them.")),
    ("under_18", Contraindication(
        "under_18", "Under 18",
        "the body is still growing and the app's target band and reference ranges are for adults, so practices "
        "that stimulate the GH/IGF-1 axis stay off unless a specialist directs them.")),
)


def contraindication_details(answers: ScreenAnswers) -> list[Contraindication]:
    """Every contraindication that applies, in a fixed order."""
    return [c for attr, c in _CONTRAINDICATIONS if getattr(answers, attr)]


def contraindications(answers: ScreenAnswers) -> list[str]:
    """Each contraindication that applies, named, with a plain explanation of why."""
    return [c.text for c in contraindication_details(answers)]


@dataclass(frozen=True)
class LatestResult:
    """The most recent IGF-1 result, in ng/mL."""

    value_ng: float
    drawn_on: date | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.value_ng) or self.value_ng <= 0:
            raise ValueError(f"value: {self.value_ng!r} must be a number greater than zero")


class PolicyBand(StrEnum):
    """Where the latest result lies against the target band."""

    NO_RESULT = "no_result"
    BELOW_TARGET = "below_target"
    IN_TARGET = "in_target"
    ABOVE_TARGET = "above_target"


_BAND_FROM_POSITION = {
    Position.BELOW: PolicyBand.BELOW_TARGET,
    Position.WITHIN: PolicyBand.IN_TARGET,
    Position.ABOVE: PolicyBand.ABOVE_TARGET,
}

# (band, contraindicated) -> coaching sentence
_MESSAGES: dict[tuple[PolicyBand, bool], str] = {
    (PolicyBand.NO_RESULT, False): (
        "No IGF-1 result yet: start with the basics, steady sleep and a daily stress practice, and get a "
        "baseline blood test so the coaching can follow your own level."),
    (PolicyBand.NO_RESULT, True): (
        "No IGF-1 result yet: sleep and stress practices are available; ask your specialist about a baseline "
        "blood test."),
    (PolicyBand.BELOW_TARGET, False): (
        "Your latest result is below your target band: keep building the practices, step by step, to move it "
        "toward the healthy mid-range."),
    (PolicyBand.BELOW_TARGET, True): (
        "Your latest result is below your target band: sleep and stress practices continue; practices that "
        "stimulate the GH/IGF-1 axis stay off unless a specialist directs them."),
    (PolicyBand.IN_TARGET, False): (
        "Your latest result is inside your target band: maintain your routine. The aim is a healthy mid-range, "
        "not a bigger number."),
    (PolicyBand.IN_TARGET, True): (
        "Your latest result is inside your target band: maintain your sleep and stress practices; practices that "
        "stimulate the GH/IGF-1 axis stay off unless a specialist directs them."),
    (PolicyBand.ABOVE_TARGET, False): (
        "Your latest result is above your target band: the app no longer encourages practices that stimulate the "
        "GH/IGF-1 axis and turns them and their reminders off; sleep and stress practices continue."),
    (PolicyBand.ABOVE_TARGET, True): (
        "Your latest result is above your target band: practices that stimulate the GH/IGF-1 axis stay off; "
        "sleep and stress practices continue."),
}

_RANGE_NAMES = {"lab": "the lab's reference range", "builtin": "the built-in reference interval"}

_CLINICIAN_HIGH = (
    "Your latest result ({value}) is above the upper limit of {reference} ({range}). Persistently high IGF-1 "
    "can be a sign of acromegaly (growth-hormone excess) and is linked to a higher risk of some cancers. "
    "Talk to a clinician, ideally an endocrinologist, about it."
)
_CLINICIAN_LOW = (
    "Your latest result ({value}) is below the lower limit of {reference} ({range}). Very low IGF-1 is linked to "
    "frailty, loss of muscle mass and higher mortality. Talk to a clinician, ideally an endocrinologist, about it."
)


@dataclass(frozen=True)
class Policy:
    """What the coaching does now, from the safety screen and the latest result."""

    stimulating_allowed: bool
    encourage_stimulating: bool
    band: PolicyBand
    message: str
    see_clinician: bool = False
    clinician_reason: str | None = None
    specialist_only_notice: str | None = None
    contraindications: tuple[str, ...] = field(default=())
    # The latest result against the lab range (else the built-in interval); None without a result or a range.
    reference_position: Position | None = None
    # "lab" or "builtin": the range reference_position and the clinician prompt used.
    reference_kind: str | None = None


def coaching_policy(
    answers: ScreenAnswers,
    latest: LatestResult | None,
    target_band: TargetBand = DEFAULT_TARGET_BAND,
    lab_range: LabRange | None = None,
    builtin_interval: ReferenceInterval | None = None,
    *,
    unit: str | Unit = Unit.NG_ML,
) -> Policy:
    """Decide the coaching from the screen and the latest result (U-shaped; see the module docstring).

    ``lab_range`` is the range printed with the latest result; ``builtin_interval`` the built-in one for the
    person's age and sex. ``unit`` is only the unit numbers in ``clinician_reason`` are shown in.
    """
    contra = tuple(contraindications(answers))
    contraindicated = bool(contra)
    if latest is None:
        band = PolicyBand.NO_RESULT
    else:
        band = _BAND_FROM_POSITION[classify(latest.value_ng, target_band.low_ng, target_band.high_ng)]
    stimulating_allowed = not contraindicated and band is not PolicyBand.ABOVE_TARGET
    encourage = stimulating_allowed and band is PolicyBand.BELOW_TARGET

    position: Position | None = None
    kind: str | None = None
    reason: str | None = None
    used = reference_range_used(lab_range, builtin_interval)
    if latest is not None and used is not None:
        kind = used.kind
        position = classify(latest.value_ng, used.low_ng, used.high_ng)
        if position is not Position.WITHIN:
            template = _CLINICIAN_HIGH if position is Position.ABOVE else _CLINICIAN_LOW
            reason = template.format(
                value=format_value(latest.value_ng, unit),
                reference=_RANGE_NAMES[used.kind],
                range=format_range(used.low_ng, used.high_ng, unit),
            )

    return Policy(
        stimulating_allowed=stimulating_allowed,
        encourage_stimulating=encourage,
        band=band,
        message=_MESSAGES[(band, contraindicated)],
        see_clinician=reason is not None,
        clinician_reason=reason,
        specialist_only_notice=SPECIALIST_ONLY_NOTICE if contraindicated else None,
        contraindications=contra,
        reference_position=position,
        reference_kind=kind,
    )


def habit_allowed(flags: frozenset[str], policy: Policy) -> bool:
    """Whether a habit (and its reminders) is available: stimulating ones follow the policy, others always are."""
    return policy.stimulating_allowed if STIMULATES_AXIS in flags else True


def habit_encouraged(flags: frozenset[str], policy: Policy) -> bool:
    """Whether the coaching suggests a habit: stimulating ones only below target, others always."""
    return policy.encourage_stimulating if STIMULATES_AXIS in flags else True
