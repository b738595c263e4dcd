"""IGF-1 values: units, validation, reference intervals and classification.

Everything is stored and compared in ng/mL (the LOINC 2484-4 unit); nmol/L is a display and entry unit.

Edge semantics (one rule for every reference and every limit):
    Limits are inclusive: a value equal to a limit is *within* (``low <= v <= high``). "Equal" means within
    ``EDGE_TOLERANCE_NG_ML`` (0.005 ng/mL, half the 0.01 ng/mL resolution of any lab print-out), so the float
    noise of a unit conversion never moves a value across an edge: 120 ng/mL entered as 15.688... nmol/L, or a band
    edge of 15 nmol/L (114.735 ng/mL) met by a value typed as 114.735 ng/mL, both count as on the edge.
    Below is ``v < low - tol``, above is ``v > high + tol``; the rule is monotone in ``v``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import NamedTuple

__all__ = [
    "BUILTIN_SOURCE",
    "DEFAULT_TARGET_BAND",
    "EDGE_TOLERANCE_NG_ML",
    "FHIR_INTERPRETATION_SYSTEM",
    "IMPLAUSIBLE_HIGH_NG_ML",
    "IMPLAUSIBLE_LOW_NG_ML",
    "NG_ML_PER_NMOL_L",
    "NMOL_L_PER_NG_ML",
    "Classification",
    "FhirInterpretation",
    "IntervalLookup",
    "Issue",
    "LabRange",
    "Position",
    "ReferenceInterval",
    "Severity",
    "TargetBand",
    "Unit",
    "UsedRange",
    "builtin_interval",
    "classify",
    "classify_against_builtin",
    "classify_against_lab",
    "classify_against_target",
    "fhir_interpretation",
    "format_range",
    "format_value",
    "from_ng_ml",
    "has_errors",
    "lookup_builtin_interval",
    "needs_confirmation",
    "parse_unit",
    "parse_value",
    "reference_range_used",
    "to_ng_ml",
    "validate_draw_date",
    "validate_lab_range",
    "validate_result_value",
    "validate_target_band",
]

# --------------------------------------------------------------------------------------------------- units

NG_ML_PER_NMOL_L = 7.649
"""1 nmol/L of IGF-1 is 7.649 ng/mL (molar mass about 7,649 g/mol). The canonical factor."""

NMOL_L_PER_NG_ML = 1.0 / NG_ML_PER_NMOL_L
"""The exact reciprocal (0.13074...), which labs print rounded as 0.1307; using it keeps round trips exact."""


class Unit(StrEnum):
    """The two units a person can enter or display IGF-1 in."""

    NG_ML = "ng/mL"
    NMOL_L = "nmol/L"


_UNIT_ALIASES: dict[str, Unit] = {
    "ng/ml": Unit.NG_ML,
    "ug/l": Unit.NG_ML,
    "mcg/l": Unit.NG_ML,
    "nmol/l": Unit.NMOL_L,
}

_DISPLAY_DP: dict[Unit, int] = {Unit.NG_ML: 0, Unit.NMOL_L: 1}


def parse_unit(unit: str | Unit) -> Unit:
    """Parse a unit case-insensitively; "µg/L" and "ug/L" are aliases of ng/mL.

    Raises ValueError naming the unit when it is not known.
    """
    if isinstance(unit, Unit):
        return unit
    if not isinstance(unit, str):
        raise ValueError(f"unit: {unit!r} is not a known IGF-1 unit (use ng/mL or nmol/L)")
    key = unit.strip().lower().replace("\u00b5", "u").replace("\u03bc", "u").replace(" ", "")
    try:
        return _UNIT_ALIASES[key]
    except KeyError:
        raise ValueError(f"unit: {unit!r} is not a known IGF-1 unit (use ng/mL or nmol/L)") from None


def to_ng_ml(value: float, unit: str | Unit) -> float:
    """Convert a value in ``unit`` to ng/mL."""
    u = parse_unit(unit)
    return float(value) * NG_ML_PER_NMOL_L if u is Unit.NMOL_L else float(value)


def from_ng_ml(value_ng: float, unit: str | Unit) -> float:
    """Convert a value in ng/mL to ``unit``."""
    u = parse_unit(unit)
    return float(value_ng) / NG_ML_PER_NMOL_L if u is Unit.NMOL_L else float(value_ng)


def _round_half_up(x: float, dp: int) -> Decimal:
    return Decimal(x).quantize(Decimal(1).scaleb(-dp), rounding=ROUND_HALF_UP)


def format_value(value_ng: float, unit: str | Unit = Unit.NG_ML, *, with_unit: bool = True) -> str:
    """Format a ng/mL value in ``unit``: ng/mL with 0 decimals, nmol/L with 1 (rounded half up)."""
    u = parse_unit(unit)
    text = str(_round_half_up(from_ng_ml(value_ng, u), _DISPLAY_DP[u]))
    return f"{text} {u.value}" if with_unit else text


def format_range(low_ng: float, high_ng: float, unit: str | Unit = Unit.NG_ML) -> str:
    """Format a range such as "120–160 ng/mL" in ``unit``."""
    u = parse_unit(unit)
    return f"{format_value(low_ng, u, with_unit=False)}\u2013{format_value(high_ng, u, with_unit=False)} {u.value}"


# --------------------------------------------------------------------------------------------------- validation

IMPLAUSIBLE_LOW_NG_ML = 10.0
"""Results below this (ng/mL) are accepted only after the person confirms them."""
IMPLAUSIBLE_HIGH_NG_ML = 1500.0
"""Results above this (ng/mL) are accepted only after the person confirms them."""


class Severity(StrEnum):
    """ERROR: refused, nothing is saved. WARNING: saved only after an explicit confirmation."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem with an input; ``message`` starts with the field's name."""

    field: str
    severity: Severity
    message: str


def has_errors(issues: list[Issue]) -> bool:
    """True when any issue refuses the input."""
    return any(i.severity is Severity.ERROR for i in issues)


def needs_confirmation(issues: list[Issue]) -> bool:
    """True when the input has no errors but has warnings that need a confirmation."""
    return not has_errors(issues) and any(i.severity is Severity.WARNING for i in issues)


def parse_value(value: object) -> float:
    """Read a number from a float, int, Decimal or text ("18.5", " 18,5 ").

    Raises ValueError for anything that is not a finite number (bools, NaN and infinities included).
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
    else:
        raise ValueError(f"{value!r} is not a number")
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a number")
    return number


EDGE_TOLERANCE_NG_ML = 0.005
"""Values this close to a limit count as equal to it (see the module docstring)."""


def _q(x: float) -> Decimal:
    """A value rounded to 0.01 ng/mL (used to store interpolated limits without float noise)."""
    return _round_half_up(x, 2)


def validate_result_value(value: object, unit: object) -> list[Issue]:
    """Check an entered result: refuse non-numbers, zero and negatives; ask to confirm implausible values.

    Plausible is 10–1500 ng/mL inclusive, checked after conversion.
    """
    issues: list[Issue] = []
    parsed_unit: Unit | None = None
    try:
        parsed_unit = parse_unit(unit)  # type: ignore[arg-type]
    except ValueError as exc:
        issues.append(Issue("unit", Severity.ERROR, str(exc)))
    try:
        number = parse_value(value)
    except ValueError as exc:
        issues.append(Issue("value", Severity.ERROR, f"value: {exc}"))
        return issues
    if number <= 0:
        issues.append(Issue("value", Severity.ERROR, "value: must be greater than zero"))
        return issues
    if parsed_unit is None:
        return issues
    ng = to_ng_ml(number, parsed_unit)
    if classify(ng, IMPLAUSIBLE_LOW_NG_ML, IMPLAUSIBLE_HIGH_NG_ML) is not Position.WITHIN:
        shown = format_value(ng, Unit.NG_ML) if parsed_unit is Unit.NG_ML else (
            f"{number:g} {parsed_unit.value} ({format_value(ng, Unit.NG_ML)})"
        )
        issues.append(
            Issue(
                "value",
                Severity.WARNING,
                f"value: {shown} is outside the plausible range "
                f"{IMPLAUSIBLE_LOW_NG_ML:g}\u2013{IMPLAUSIBLE_HIGH_NG_ML:g} ng/mL; check the value and the unit, "
                "then confirm to save it",
            )
        )
    return issues


def _validate_pair(field: str, low: object, high: object, unit: object, *, allow_equal: bool,
                   allow_zero_low: bool) -> list[Issue]:
    issues: list[Issue] = []
    try:
        parse_unit(unit)  # type: ignore[arg-type]
    except ValueError as exc:
        issues.append(Issue("unit", Severity.ERROR, str(exc)))
    numbers: list[float] = []
    for name, raw in (("low", low), ("high", high)):
        try:
            numbers.append(parse_value(raw))
        except ValueError as exc:
            issues.append(Issue(field, Severity.ERROR, f"{field}: the {name} limit {exc}"))
    if len(numbers) < 2:
        return issues
    lo, hi = numbers
    if lo < 0 or (lo == 0 and not allow_zero_low) or hi <= 0:
        issues.append(Issue(field, Severity.ERROR, f"{field}: limits must be greater than zero"))
    elif lo > hi or (lo == hi and not allow_equal):
        issues.append(
            Issue(field, Severity.ERROR, f"{field}: the low limit ({lo:g}) must be below the high limit ({hi:g})")
        )
    return issues


def validate_lab_range(low: object | None, high: object | None, unit: object) -> list[Issue]:
    """Check a lab's printed reference range: both limits or neither, numbers, low not above high.

    A low limit of 0 is accepted (some labs print "0–x"); low equal to high is accepted (only low > high is refused).
    """
    if low is None and high is None:
        return []
    if low is None or high is None:
        return [Issue("lab range", Severity.ERROR, "lab range: enter both the low and the high limit, or neither")]
    return _validate_pair("lab range", low, high, unit, allow_equal=True, allow_zero_low=True)


def validate_target_band(low: object, high: object, unit: object) -> list[Issue]:
    """Check an edited target band: two positive numbers with low strictly below high."""
    return _validate_pair("target band", low, high, unit, allow_equal=False, allow_zero_low=False)


def validate_draw_date(drawn_on: date, today: date) -> list[Issue]:
    """Refuse a draw date after ``today`` (the caller's logical today, from the injected clock)."""
    if drawn_on > today:
        return [Issue("date", Severity.ERROR, f"date: {drawn_on.isoformat()} is in the future")]
    return []


# --------------------------------------------------------------------------------------------------- ranges

def _check_limits(low: float, high: float, *, allow_equal: bool, allow_zero_low: bool, what: str) -> None:
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"{what}: limits must be finite numbers")
    if low < 0 or (low == 0 and not allow_zero_low) or high <= 0:
        raise ValueError(f"{what}: limits must be greater than zero")
    if low > high or (low == high and not allow_equal):
        raise ValueError(f"{what}: the low limit ({low:g}) must be below the high limit ({high:g})")


@dataclass(frozen=True)
class TargetBand:
    """The person's target band in ng/mL; the default 120–160 is the guide's healthy mid-range."""

    low_ng: float = 120.0
    high_ng: float = 160.0

    def __post_init__(self) -> None:
        _check_limits(self.low_ng, self.high_ng, allow_equal=False, allow_zero_low=False, what="target band")

    @classmethod
    def from_unit(cls, low: float, high: float, unit: str | Unit) -> TargetBand:
        """Build a band from limits entered in ``unit``."""
        return cls(to_ng_ml(low, unit), to_ng_ml(high, unit))


DEFAULT_TARGET_BAND = TargetBand()


@dataclass(frozen=True)
class LabRange:
    """The reference range printed by the lab with a result, in ng/mL. It takes precedence over the built-in one."""

    low_ng: float
    high_ng: float

    def __post_init__(self) -> None:
        _check_limits(self.low_ng, self.high_ng, allow_equal=True, allow_zero_low=True, what="lab range")

    @classmethod
    def from_unit(cls, low: float, high: float, unit: str | Unit) -> LabRange:
        """Build a range from limits entered in ``unit``."""
        return cls(to_ng_ml(low, unit), to_ng_ml(high, unit))


BUILTIN_SOURCE = (
    "Built-in fallback: sex-specific 2.5th\u201397.5th centiles by age from a widely reproduced reference table "
    "(the underlying assay is not named). IGF-1 ranges differ between assays, so your lab's own reference "
    "range takes precedence."
)


@dataclass(frozen=True)
class ReferenceInterval:
    """A built-in reference interval in ng/mL; ``note`` explains a clamped age, ``clamped`` flags it."""

    low: float
    high: float
    source: str
    note: str | None = None
    clamped: bool = False


@dataclass(frozen=True)
class IntervalLookup:
    """The built-in interval for an age and sex, or None with the reason there is none."""

    interval: ReferenceInterval | None
    reason: str | None = None


_TABLE_AGES: tuple[int, ...] = (20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75)
_TABLE: dict[str, tuple[tuple[int, int], ...]] = {
    "female": ((111, 423), (102, 360), (94, 309), (86, 271), (79, 246), (73, 232),
               (68, 228), (64, 231), (61, 237), (59, 241), (57, 237), (55, 219)),
    "male": ((156, 385), (119, 343), (97, 306), (84, 275), (76, 251), (71, 233),
             (66, 221), (61, 214), (55, 211), (49, 209), (46, 207), (48, 202)),
}
_MIN_AGE_FOR_BUILTIN = 18


def lookup_builtin_interval(age: int | None, sex: str | None) -> IntervalLookup:
    """The built-in interval for ``age`` (whole years) and ``sex`` ("female"/"male"), interpolated linearly.

    Ages 18–19 use the age-20 row and ages above 75 the age-75 row (clamped, never extrapolated), flagged.
    Under 18, or without an age or a sex, there is no built-in interval.
    """
    if age is None:
        return IntervalLookup(None, "No age given, so there is no built-in reference interval.")
    if isinstance(age, bool) or not isinstance(age, int) or age < 0:
        raise ValueError(f"age: {age!r} is not a valid age")
    if age < _MIN_AGE_FOR_BUILTIN:
        return IntervalLookup(
            None, "The built-in reference intervals are for adults; under 18, use your lab's range."
        )
    if sex is None:
        return IntervalLookup(None, "No sex given, so there is no built-in (sex-specific) reference interval.")
    key = sex.strip().lower() if isinstance(sex, str) else ""
    if key not in _TABLE:
        raise ValueError(f"sex: {sex!r} is not one of 'female', 'male'")
    rows = _TABLE[key]
    first, last = _TABLE_AGES[0], _TABLE_AGES[-1]
    if age <= first or age >= last:
        edge = first if age <= first else last
        low, high = rows[0] if age <= first else rows[-1]
        note = None
        if age != edge:
            note = (f"Age {age} is outside the table's ages ({first}\u2013{last}); "
                    f"the interval for age {edge} is used (clamped, not extrapolated).")
        return IntervalLookup(ReferenceInterval(float(low), float(high), BUILTIN_SOURCE, note, note is not None))
    i = (age - first) // 5
    (l0, h0), (l1, h1) = rows[i], rows[i + 1]
    t = (age - _TABLE_AGES[i]) / 5
    low_f = float(_q(l0 + (l1 - l0) * t))
    high_f = float(_q(h0 + (h1 - h0) * t))
    return IntervalLookup(ReferenceInterval(low_f, high_f, BUILTIN_SOURCE))


def builtin_interval(age: int | None, sex: str | None) -> ReferenceInterval | None:
    """Shortcut for ``lookup_builtin_interval(age, sex).interval``."""
    return lookup_builtin_interval(age, sex).interval


# --------------------------------------------------------------------------------------------------- classification

class Position(StrEnum):
    """Where a value lies relative to a range (limits inclusive)."""

    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"


@dataclass(frozen=True)
class Classification:
    """A value's position against one reference, with a label ready to show."""

    position: Position
    label: str
    reference: str  # "target", "lab" or "builtin"
    low_ng: float
    high_ng: float


def classify(value_ng: float, low_ng: float, high_ng: float) -> Position:
    """Position of ``value_ng`` against [low, high], limits inclusive within ``EDGE_TOLERANCE_NG_ML``."""
    if value_ng < low_ng - EDGE_TOLERANCE_NG_ML:
        return Position.BELOW
    if value_ng > high_ng + EDGE_TOLERANCE_NG_ML:
        return Position.ABOVE
    return Position.WITHIN


_LABEL_NAMES = {
    "target": "your target band",
    "lab": "the lab's reference range",
    "builtin": "the built-in reference interval",
}


def _classification(reference: str, value_ng: float, low: float, high: float, unit: str | Unit) -> Classification:
    pos = classify(value_ng, low, high)
    label = f"{pos.value.capitalize()} {_LABEL_NAMES[reference]} ({format_range(low, high, unit)})"
    return Classification(pos, label, reference, low, high)


def classify_against_target(value_ng: float, band: TargetBand = DEFAULT_TARGET_BAND,
                            unit: str | Unit = Unit.NG_ML) -> Classification:
    """Classify against the target band; the label shows the band in ``unit``."""
    return _classification("target", value_ng, band.low_ng, band.high_ng, unit)


def classify_against_lab(value_ng: float, lab: LabRange | None,
                         unit: str | Unit = Unit.NG_ML) -> Classification | None:
    """Classify against the lab's range, or None when the result has no lab range."""
    if lab is None:
        return None
    return _classification("lab", value_ng, lab.low_ng, lab.high_ng, unit)


def classify_against_builtin(value_ng: float, interval: ReferenceInterval | None,
                             unit: str | Unit = Unit.NG_ML) -> Classification | None:
    """Classify against the built-in interval, or None when there is none (under 18, no age or sex)."""
    if interval is None:
        return None
    return _classification("builtin", value_ng, interval.low, interval.high, unit)


class UsedRange(NamedTuple):
    """The reference range a judgement used: the lab's when given, else the built-in one."""

    kind: str  # "lab" or "builtin"
    low_ng: float
    high_ng: float


def reference_range_used(lab: LabRange | None, builtin: ReferenceInterval | None) -> UsedRange | None:
    """The lab range when given, else the built-in interval, else None."""
    if lab is not None:
        return UsedRange("lab", lab.low_ng, lab.high_ng)
    if builtin is not None:
        return UsedRange("builtin", builtin.low, builtin.high)
    return None


# --------------------------------------------------------------------------------------------------- FHIR

FHIR_INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


@dataclass(frozen=True)
class FhirInterpretation:
    """A v3 ObservationInterpretation code (L, N or H)."""

    code: str
    display: str
    system: str = FHIR_INTERPRETATION_SYSTEM

    def to_codeable_concept(self) -> dict[str, object]:
        """The FHIR R4 CodeableConcept for ``Observation.interpretation``."""
        return {"coding": [{"system": self.system, "code": self.code, "display": self.display}],
                "text": self.display}


_FHIR_CODES = {
    Position.BELOW: FhirInterpretation("L", "Low"),
    Position.WITHIN: FhirInterpretation("N", "Normal"),
    Position.ABOVE: FhirInterpretation("H", "High"),
}


def fhir_interpretation(value_ng: float, lab: LabRange | None,
                        builtin: ReferenceInterval | None) -> FhirInterpretation | None:
    """L/N/H against the lab range if given, else the built-in interval; None when neither exists."""
    used = reference_range_used(lab, builtin)
    if used is None:
        return None
    return _FHIR_CODES[classify(value_ng, used.low_ng, used.high_ng)]
