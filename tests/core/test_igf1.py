"""IGF-1 units, validation, built-in reference intervals, classification and FHIR codes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igfcoach.core import igf1
from igfcoach.core.igf1 import (
    DEFAULT_TARGET_BAND,
    LabRange,
    Position,
    ReferenceInterval,
    Severity,
    TargetBand,
    Unit,
    builtin_interval,
    classify,
    classify_against_builtin,
    classify_against_lab,
    classify_against_target,
    fhir_interpretation,
    format_range,
    format_value,
    from_ng_ml,
    has_errors,
    lookup_builtin_interval,
    needs_confirmation,
    parse_unit,
    parse_value,
    reference_range_used,
    to_ng_ml,
    validate_draw_date,
    validate_lab_range,
    validate_result_value,
    validate_target_band,
)

NMOL = Unit.NMOL_L
NG = Unit.NG_ML
ORDER = {Position.BELOW: 0, Position.WITHIN: 1, Position.ABOVE: 2}


def via_nmol(value_ng: float) -> float:
    """The ng/mL value a person gets when they enter ``value_ng`` converted to nmol/L (unrounded)."""
    return to_ng_ml(from_ng_ml(value_ng, NMOL), NMOL)


# ------------------------------------------------------------------------------------------------ units

@pytest.mark.parametrize("text", ["ng/mL", "NG/ML", " ng/ml ", "ng / mL", "µg/L", "μg/L", "ug/L", "UG/L", "mcg/L"])
def test_mass_unit_spellings_parse_to_ng_ml(text: str) -> None:
    assert parse_unit(text) is NG


@pytest.mark.parametrize("text", ["nmol/L", "NMOL/L", "nmol/l", " nmol/L"])
def test_molar_unit_spellings_parse_to_nmol_l(text: str) -> None:
    assert parse_unit(text) is NMOL


@pytest.mark.parametrize("text", ["mg/dL", "", "ng", "pmol/L", "ng/dL"])
def test_unknown_unit_is_refused_by_name(text: str) -> None:
    with pytest.raises(ValueError, match="unit") as exc:
        parse_unit(text)
    assert repr(text) in str(exc.value)


def test_unit_enum_passes_through() -> None:
    assert parse_unit(NMOL) is NMOL
    with pytest.raises(ValueError):
        parse_unit(7)  # type: ignore[arg-type]


def test_conversion_factors() -> None:
    assert to_ng_ml(1, NMOL) == pytest.approx(7.649)
    assert from_ng_ml(1, NMOL) == pytest.approx(0.1307, abs=5e-5)
    assert round(igf1.NMOL_L_PER_NG_ML, 4) == 0.1307
    assert to_ng_ml(18.5, "nmol/L") == pytest.approx(141.5065)
    assert to_ng_ml(150, "µg/L") == 150.0
    assert from_ng_ml(150, NG) == 150.0
    assert from_ng_ml(100, NMOL) == pytest.approx(13.07, abs=0.01)


@pytest.mark.parametrize(
    ("value_ng", "unit", "expected"),
    [
        (141.5065, NG, "142 ng/mL"),
        (141.5065, NMOL, "18.5 nmol/L"),
        (120, NG, "120 ng/mL"),
        (120, NMOL, "15.7 nmol/L"),
        (160, NMOL, "20.9 nmol/L"),
        (120.5, NG, "121 ng/mL"),  # half up, not to even
        (119.5, NG, "120 ng/mL"),
        (0.4, NG, "0 ng/mL"),
        (1500, NG, "1500 ng/mL"),
    ],
)
def test_format_value(value_ng: float, unit: Unit, expected: str) -> None:
    assert format_value(value_ng, unit) == expected


def test_format_value_without_unit_and_range() -> None:
    assert format_value(141.5065, "nmol/L", with_unit=False) == "18.5"
    assert format_range(120, 160) == "120\u2013160 ng/mL"
    assert format_range(120, 160, NMOL) == "15.7\u201320.9 nmol/L"


@settings(database=None)
@given(st.floats(min_value=1e-3, max_value=1e6), st.sampled_from(list(Unit)))
def test_round_trip_conversion(value: float, unit: Unit) -> None:
    assert from_ng_ml(to_ng_ml(value, unit), unit) == pytest.approx(value, rel=1e-12)
    assert to_ng_ml(from_ng_ml(value, unit), unit) == pytest.approx(value, rel=1e-12)


# ------------------------------------------------------------------------------------------------ validation

@pytest.mark.parametrize("value", ["abc", "", "  ", None, float("nan"), float("inf"), "-inf", True, [], "12 ng"])
def test_non_numbers_are_refused(value: object) -> None:
    issues = validate_result_value(value, "ng/mL")
    assert [(i.field, i.severity) for i in issues] == [("value", Severity.ERROR)]
    assert issues[0].message.startswith("value:")
    assert "not a number" in issues[0].message
    assert has_errors(issues) and not needs_confirmation(issues)


@pytest.mark.parametrize("value", [0, 0.0, "0", -1, "-5", -0.01])
@pytest.mark.parametrize("unit", ["ng/mL", "nmol/L"])
def test_zero_and_negative_are_refused(value: object, unit: str) -> None:
    issues = validate_result_value(value, unit)
    assert [(i.field, i.severity) for i in issues] == [("value", Severity.ERROR)]
    assert "greater than zero" in issues[0].message


@pytest.mark.parametrize(
    ("value", "unit", "warn"),
    [
        (9.99, "ng/mL", True),
        (10, "ng/mL", False),
        (1500, "ng/mL", False),
        (1500.01, "ng/mL", True),
        (0.5, "ng/mL", True),
        (142, "ng/mL", False),
        (1.30, "nmol/L", True),  # 9.94 ng/mL
        (1.31, "nmol/L", False),  # 10.02 ng/mL
        (196.1, "nmol/L", False),  # 1499.97 ng/mL
        (196.2, "nmol/L", True),  # 1500.74 ng/mL
        (from_ng_ml(10, NMOL), "nmol/L", False),  # exactly the edge, through float conversion
        (from_ng_ml(1500, NMOL), "nmol/L", False),
        ("18,5", "nmol/L", False),
    ],
)
def test_implausible_values_need_confirmation(value: object, unit: str, warn: bool) -> None:
    issues = validate_result_value(value, unit)
    assert not has_errors(issues)
    assert needs_confirmation(issues) is warn
    if warn:
        assert issues[0].field == "value" and issues[0].severity is Severity.WARNING
        assert "10\u20131500 ng/mL" in issues[0].message
        assert issues[0].message.startswith("value:")


def test_unknown_unit_in_validation_names_unit_field() -> None:
    issues = validate_result_value(140, "mg/dL")
    assert [(i.field, i.severity) for i in issues] == [("unit", Severity.ERROR)]
    assert "mg/dL" in issues[0].message and issues[0].message.startswith("unit:")
    both = validate_result_value("x", "mg/dL")
    assert {i.field for i in both} == {"unit", "value"}


def test_parse_value_accepts_numbers_and_text() -> None:
    assert parse_value(" 18.5 ") == 18.5
    assert parse_value("18,5") == 18.5
    assert parse_value(Decimal("2.5")) == 2.5
    assert parse_value(7) == 7.0
    with pytest.raises(ValueError):
        parse_value("1,234.5,6")


def test_lab_range_low_above_high_is_refused() -> None:
    issues = validate_lab_range(300, 100, "ng/mL")
    assert [(i.field, i.severity) for i in issues] == [("lab range", Severity.ERROR)]
    assert issues[0].message.startswith("lab range:")
    assert validate_lab_range(40, 12, "nmol/L")[0].field == "lab range"


@pytest.mark.parametrize(
    ("low", "high"),
    [(None, None), (100, 300), ("12", "40"), (0, 300), (150, 150)],
)
def test_acceptable_lab_ranges(low: object, high: object) -> None:
    assert validate_lab_range(low, high, "ng/mL") == []


@pytest.mark.parametrize(
    ("low", "high", "fragment"),
    [
        (100, None, "both"),
        (None, 300, "both"),
        ("a", 300, "low limit"),
        (100, "b", "high limit"),
        (-1, 300, "greater than zero"),
        (0, 0, "greater than zero"),
    ],
)
def test_bad_lab_ranges_are_refused(low: object, high: object, fragment: str) -> None:
    issues = validate_lab_range(low, high, "ng/mL")
    assert issues and all(i.field == "lab range" and i.severity is Severity.ERROR for i in issues)
    assert fragment in issues[0].message


def test_lab_range_unknown_unit() -> None:
    issues = validate_lab_range(1, 2, "furlongs")
    assert issues[0].field == "unit"


def test_target_band_validation() -> None:
    assert validate_target_band(120, 160, "ng/mL") == []
    assert validate_target_band(15.7, 20.9, "nmol/L") == []
    for low, high in [(160, 120), (140, 140), (0, 100), ("x", 100)]:
        issues = validate_target_band(low, high, "ng/mL")
        assert issues and issues[0].field == "target band" and issues[0].message.startswith("target band:")


def test_future_draw_date_is_refused() -> None:
    today = date(2026, 10, 2)
    assert validate_draw_date(date(2026, 10, 2), today) == []
    assert validate_draw_date(date(2026, 1, 1), today) == []
    issues = validate_draw_date(date(2026, 10, 3), today)
    assert issues[0].field == "date" and issues[0].severity is Severity.ERROR


def test_range_objects_refuse_bad_limits() -> None:
    with pytest.raises(ValueError, match="lab range"):
        LabRange(300, 100)
    with pytest.raises(ValueError, match="target band"):
        TargetBand(160, 120)
    with pytest.raises(ValueError, match="target band"):
        TargetBand(140, 140)
    with pytest.raises(ValueError, match="target band"):
        TargetBand(0, 140)
    with pytest.raises(ValueError):
        LabRange(float("nan"), 100)
    assert LabRange(0, 300).low_ng == 0
    assert LabRange(150, 150).high_ng == 150


# ------------------------------------------------------------------------------------------------ reference table

# The table from shared/domain-notes.md, retyped here so a typo in the module cannot hide.
TABLE = {
    "female": {20: (111, 423), 25: (102, 360), 30: (94, 309), 35: (86, 271), 40: (79, 246), 45: (73, 232),
               50: (68, 228), 55: (64, 231), 60: (61, 237), 65: (59, 241), 70: (57, 237), 75: (55, 219)},
    "male": {20: (156, 385), 25: (119, 343), 30: (97, 306), 35: (84, 275), 40: (76, 251), 45: (71, 233),
             50: (66, 221), 55: (61, 214), 60: (55, 211), 65: (49, 209), 70: (46, 207), 75: (48, 202)},
}
TABLE_POINTS = [(sex, age, lo, hi) for sex, rows in TABLE.items() for age, (lo, hi) in rows.items()]


@pytest.mark.parametrize(("sex", "age", "low", "high"), TABLE_POINTS)
def test_table_points_are_exact(sex: str, age: int, low: int, high: int) -> None:
    ri = builtin_interval(age, sex)
    assert ri is not None
    assert (ri.low, ri.high) == (low, high)
    assert ri.note is None and ri.clamped is False
    assert ri.source == igf1.BUILTIN_SOURCE


@pytest.mark.parametrize(
    ("sex", "age", "low", "high"),
    [
        ("female", 22, 107.4, 397.8),
        ("female", 23, 105.6, 385.2),
        ("female", 47, 71.0, 230.4),
        ("female", 52, 66.4, 229.2),
        ("female", 74, 55.4, 222.6),
        ("male", 21, 148.6, 376.6),
        ("male", 22, 141.2, 368.2),
        ("male", 58, 57.4, 212.2),
        ("male", 72, 46.8, 205.0),
        ("male", 73, 47.2, 204.0),
    ],
)
def test_interpolation_between_points(sex: str, age: int, low: float, high: float) -> None:
    ri = builtin_interval(age, sex)
    assert ri is not None
    assert ri.low == pytest.approx(low, abs=1e-9)
    assert ri.high == pytest.approx(high, abs=1e-9)
    assert ri.clamped is False and ri.note is None


@pytest.mark.parametrize("sex", ["female", "male"])
@pytest.mark.parametrize("age", range(20, 76))
def test_interpolated_interval_lies_between_neighbouring_points(sex: str, age: int) -> None:
    below = max(a for a in TABLE[sex] if a <= age)
    above = min(a for a in TABLE[sex] if a >= age)
    ri = builtin_interval(age, sex)
    assert ri is not None
    lows = (TABLE[sex][below][0], TABLE[sex][above][0])
    highs = (TABLE[sex][below][1], TABLE[sex][above][1])
    assert min(lows) <= ri.low <= max(lows)
    assert min(highs) <= ri.high <= max(highs)
    assert ri.low < ri.high


@pytest.mark.parametrize("sex", ["female", "male"])
@pytest.mark.parametrize(("age", "row"), [(18, 20), (19, 20), (76, 75), (80, 75), (95, 75), (130, 75)])
def test_ages_outside_the_table_are_clamped_and_flagged(sex: str, age: int, row: int) -> None:
    ri = builtin_interval(age, sex)
    assert ri is not None
    assert (ri.low, ri.high) == TABLE[sex][row]
    assert ri.clamped is True
    assert ri.note is not None and f"Age {age}" in ri.note and "clamped" in ri.note and f"age {row}" in ri.note


@pytest.mark.parametrize("age", [0, 5, 12, 17])
@pytest.mark.parametrize("sex", ["female", "male", None])
def test_no_builtin_interval_under_18(age: int, sex: str | None) -> None:
    lookup = lookup_builtin_interval(age, sex)
    assert lookup.interval is None
    assert lookup.reason is not None and "18" in lookup.reason


def test_no_builtin_interval_without_age_or_sex() -> None:
    no_age = lookup_builtin_interval(None, "female")
    assert no_age.interval is None and no_age.reason and "age" in no_age.reason
    no_sex = lookup_builtin_interval(40, None)
    assert no_sex.interval is None and no_sex.reason and "sex" in no_sex.reason
    assert builtin_interval(40, None) is None


def test_sex_is_case_insensitive_and_validated() -> None:
    assert builtin_interval(40, "Female") == builtin_interval(40, "female")
    with pytest.raises(ValueError, match="sex"):
        builtin_interval(40, "other")
    with pytest.raises(ValueError, match="age"):
        builtin_interval(-1, "male")
    with pytest.raises(ValueError, match="age"):
        builtin_interval(True, "male")  # type: ignore[arg-type]


def test_source_text_is_honest() -> None:
    src = igf1.BUILTIN_SOURCE
    assert "widely reproduced" in src
    assert "assay is not named" in src
    assert "lab's own reference range takes precedence" in src
    assert "2.5th" in src and "97.5th" in src


# ------------------------------------------------------------------------------------------------ classification

# Every edge of the default band: (ng/mL value, expected position)
TARGET_EDGES = [
    (119.99, Position.BELOW),
    (119.994, Position.BELOW),
    (119.996, Position.WITHIN),  # within EDGE_TOLERANCE_NG_ML (0.005) of the edge counts as the edge
    (120.0 - 1e-9, Position.WITHIN),  # float noise below an edge counts as the edge
    (120.0, Position.WITHIN),
    (120.01, Position.WITHIN),
    (140.0, Position.WITHIN),
    (159.99, Position.WITHIN),
    (160.0, Position.WITHIN),
    (160.0 + 1e-9, Position.WITHIN),
    (160.004, Position.WITHIN),
    (160.006, Position.ABOVE),
    (160.01, Position.ABOVE),
    (1.0, Position.BELOW),
    (5000.0, Position.ABOVE),
]


@pytest.mark.parametrize(("value_ng", "expected"), TARGET_EDGES)
def test_target_band_edges_in_ng_ml(value_ng: float, expected: Position) -> None:
    assert classify_against_target(value_ng).position is expected


@pytest.mark.parametrize(("value_ng", "expected"), TARGET_EDGES)
def test_target_band_edges_entered_in_nmol_l_classify_the_same(value_ng: float, expected: Position) -> None:
    entered_nmol = from_ng_ml(value_ng, NMOL)
    assert classify_against_target(to_ng_ml(entered_nmol, NMOL)).position is expected


@pytest.mark.parametrize(
    ("nmol", "expected"),
    [
        (15.6, Position.BELOW),  # 119.32 ng/mL
        (15.7, Position.WITHIN),  # 120.09 ng/mL
        (20.9, Position.WITHIN),  # 159.86 ng/mL
        (21.0, Position.ABOVE),  # 160.63 ng/mL
    ],
)
def test_target_band_with_typical_nmol_l_entries(nmol: float, expected: Position) -> None:
    assert classify_against_target(to_ng_ml(nmol, NMOL)).position is expected


@pytest.mark.parametrize(
    ("band", "value_ng", "expected"),
    [
        (TargetBand(100, 200), 99.99, Position.BELOW),
        (TargetBand(100, 200), 100, Position.WITHIN),
        (TargetBand(100, 200), 200, Position.WITHIN),
        (TargetBand(100, 200), 200.01, Position.ABOVE),
        (TargetBand.from_unit(15, 20, NMOL), to_ng_ml(15, NMOL), Position.WITHIN),
        (TargetBand.from_unit(15, 20, NMOL), to_ng_ml(20, NMOL), Position.WITHIN),
        (TargetBand.from_unit(15, 20, NMOL), to_ng_ml(14.99, NMOL), Position.BELOW),
        (TargetBand.from_unit(15, 20, NMOL), to_ng_ml(20.01, NMOL), Position.ABOVE),
        (TargetBand.from_unit(15, 20, NMOL), 114.735, Position.WITHIN),  # 15 nmol/L typed in ng/mL
        (TargetBand.from_unit(15, 20, NMOL), 152.98, Position.WITHIN),  # 20 nmol/L typed in ng/mL
    ],
)
def test_edited_target_band_edges(band: TargetBand, value_ng: float, expected: Position) -> None:
    assert classify_against_target(value_ng, band).position is expected


def test_default_target_band_is_the_guides_mid_range() -> None:
    assert (DEFAULT_TARGET_BAND.low_ng, DEFAULT_TARGET_BAND.high_ng) == (120, 160)


def test_target_labels() -> None:
    assert classify_against_target(100).label == "Below your target band (120\u2013160 ng/mL)"
    assert classify_against_target(140).label == "Within your target band (120\u2013160 ng/mL)"
    assert classify_against_target(200, unit=NMOL).label == "Above your target band (15.7\u201320.9 nmol/L)"
    c = classify_against_target(140)
    assert (c.reference, c.low_ng, c.high_ng) == ("target", 120, 160)


LAB_EDGES_NG = [(99.99, Position.BELOW), (100, Position.WITHIN), (300, Position.WITHIN), (300.01, Position.ABOVE)]


@pytest.mark.parametrize(("value_ng", "expected"), LAB_EDGES_NG)
def test_lab_range_edges_in_ng_ml(value_ng: float, expected: Position) -> None:
    lab = LabRange(100, 300)
    assert classify_against_lab(value_ng, lab).position is expected  # type: ignore[union-attr]
    assert classify_against_lab(via_nmol(value_ng), lab).position is expected  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("value_nmol", "expected"),
    [(11.99, Position.BELOW), (12, Position.WITHIN), (40, Position.WITHIN), (40.01, Position.ABOVE)],
)
def test_lab_range_edges_in_nmol_l(value_nmol: float, expected: Position) -> None:
    lab = LabRange.from_unit(12, 40, "nmol/L")
    assert classify_against_lab(to_ng_ml(value_nmol, NMOL), lab).position is expected  # type: ignore[union-attr]
    # the same value typed in ng/mL, rounded to 0.01 as a lab would print it
    typed_ng = round(value_nmol * 7.649, 2)
    assert classify_against_lab(typed_ng, lab).position is expected  # type: ignore[union-attr]


def test_missing_lab_range_gives_no_lab_classification() -> None:
    assert classify_against_lab(140, None) is None
    assert reference_range_used(None, None) is None


def test_lab_label() -> None:
    c = classify_against_lab(350, LabRange(100, 300))
    assert c is not None
    assert c.label == "Above the lab's reference range (100\u2013300 ng/mL)"
    assert c.reference == "lab"


@pytest.mark.parametrize(("sex", "age", "low", "high"), TABLE_POINTS)
def test_builtin_interval_edges(sex: str, age: int, low: int, high: int) -> None:
    ri = builtin_interval(age, sex)
    for value, expected in [
        (low - 0.01, Position.BELOW), (low, Position.WITHIN),
        (high, Position.WITHIN), (high + 0.01, Position.ABOVE),
    ]:
        assert classify_against_builtin(value, ri).position is expected  # type: ignore[union-attr]
        assert classify_against_builtin(via_nmol(value), ri).position is expected  # type: ignore[union-attr]


def test_builtin_interval_edges_between_points() -> None:
    ri = builtin_interval(22, "female")  # 107.4-397.8
    assert ri is not None
    for value, expected in [(107.39, Position.BELOW), (107.4, Position.WITHIN),
                            (397.8, Position.WITHIN), (397.81, Position.ABOVE)]:
        assert classify_against_builtin(value, ri).position is expected  # type: ignore[union-attr]
        assert classify_against_builtin(via_nmol(value), ri).position is expected  # type: ignore[union-attr]


def test_no_builtin_interval_gives_no_classification() -> None:
    assert classify_against_builtin(140, None) is None
    assert classify_against_builtin(140, builtin_interval(15, "male")) is None


def test_builtin_label() -> None:
    c = classify_against_builtin(50, builtin_interval(40, "male"))
    assert c is not None
    assert c.label == "Below the built-in reference interval (76\u2013251 ng/mL)"
    assert c.reference == "builtin"


@settings(database=None)
@given(
    st.floats(min_value=0.01, max_value=5000),
    st.floats(min_value=0.01, max_value=5000),
    st.floats(min_value=1, max_value=1000),
    st.floats(min_value=0.01, max_value=1000),
)
def test_classification_is_monotone_in_value(a: float, b: float, low: float, width: float) -> None:
    lo_v, hi_v = sorted((a, b))
    high = low + width
    assert ORDER[classify(lo_v, low, high)] <= ORDER[classify(hi_v, low, high)]
    band = TargetBand(low, high)
    assert ORDER[classify_against_target(lo_v, band).position] <= ORDER[classify_against_target(hi_v, band).position]


@settings(database=None)
@given(st.integers(min_value=1, max_value=300_000), st.integers(min_value=1, max_value=50_000),
       st.integers(min_value=1, max_value=50_000))
def test_unit_of_entry_never_changes_the_classification(cents: int, low_cents: int, width_cents: int) -> None:
    value = cents / 100
    low, high = low_cents / 100, (low_cents + width_cents) / 100
    assert classify(via_nmol(value), low, high) is classify(value, low, high)
    lab_nmol = LabRange.from_unit(from_ng_ml(low, NMOL), from_ng_ml(high, NMOL), NMOL)
    assert classify(via_nmol(value), lab_nmol.low_ng, lab_nmol.high_ng) is classify(value, low, high)


@settings(database=None)
@given(st.integers(min_value=18, max_value=130), st.sampled_from(["female", "male"]))
def test_builtin_interval_always_well_formed(age: int, sex: str) -> None:
    ri = builtin_interval(age, sex)
    assert isinstance(ri, ReferenceInterval)
    assert 0 < ri.low < ri.high
    assert ri.clamped is (age < 20 or age > 75)


# ------------------------------------------------------------------------------------------------ FHIR

@pytest.mark.parametrize(
    ("value_ng", "code"), [(99.99, "L"), (100, "N"), (200, "N"), (300, "N"), (300.01, "H")]
)
def test_fhir_code_uses_lab_range_when_given(value_ng: float, code: str) -> None:
    builtin = builtin_interval(40, "male")  # 76-251: would say H at 300
    interp = fhir_interpretation(value_ng, LabRange(100, 300), builtin)
    assert interp is not None and interp.code == code
    via = fhir_interpretation(via_nmol(value_ng), LabRange(100, 300), builtin)
    assert via is not None and via.code == code


@pytest.mark.parametrize(("value_ng", "code"), [(75.99, "L"), (76, "N"), (251, "N"), (251.01, "H")])
def test_fhir_code_falls_back_to_builtin(value_ng: float, code: str) -> None:
    interp = fhir_interpretation(value_ng, None, builtin_interval(40, "male"))
    assert interp is not None and interp.code == code


def test_fhir_code_without_any_range_is_none() -> None:
    assert fhir_interpretation(140, None, None) is None


def test_fhir_codeable_concept() -> None:
    interp = fhir_interpretation(50, LabRange(100, 300), None)
    assert interp is not None
    assert interp.to_codeable_concept() == {
        "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
            "code": "L",
            "display": "Low",
        }],
        "text": "Low",
    }
    assert [fhir_interpretation(v, LabRange(100, 300), None).display  # type: ignore[union-attr]
            for v in (50, 150, 350)] == ["Low", "Normal", "High"]


def test_reference_range_used_prefers_lab() -> None:
    ri = builtin_interval(40, "male")
    assert reference_range_used(LabRange(1, 2), ri) == ("lab", 1, 2)
    assert reference_range_used(None, ri) == ("builtin", 76, 251)
