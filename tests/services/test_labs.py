"""Lab results: stored in ng/mL from either unit, classified three ways, validated with nothing saved on error."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from igfcoach.core.igf1 import NG_ML_PER_NMOL_L, BUILTIN_SOURCE, Position, Unit
from igfcoach.core.safety import ScreenAnswers
from igfcoach.services import labs, safety
from igfcoach.services.labs import LabInput, LabInputError, UnknownResult

TODAY = date(2026, 11, 25)  # the conftest clock's day


def dump(ctx) -> list[str]:
    """Every row of every table, to prove an operation left the database unchanged."""
    conn = sqlite3.connect(ctx.db.path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def entry(**kw) -> LabInput:
    base = {"drawn_on": date(2026, 10, 1), "value": 140, "unit": "ng/mL"}
    base.update(kw)
    return LabInput(**base)


# --------------------------------------------------------------------------------------------------- storing

def test_a_result_in_ng_ml_is_stored_as_entered(ctx):
    r = labs.add_result(ctx, entry(value="140", lab_low=90, lab_high=300, lab_name="City Lab", assay="IDS-iSYS",
                                   fasting=True, drawn_at_time="08:05", biotin_72h=False, notes=" morning "))
    assert r.value_ng == 140 and r.entered_value == 140 and r.entered_unit == "ng/mL"
    assert (r.lab_low_ng, r.lab_high_ng) == (90, 300)
    assert r.lab_name == "City Lab" and r.assay == "IDS-iSYS" and r.fasting is True and r.biotin_72h is False
    assert r.drawn_at_time == "08:05" and r.notes == "morning"
    assert labs.get_result(ctx, r.id) == r
    assert labs.list_results(ctx) == [r]


def test_a_result_in_nmol_l_is_stored_in_ng_ml_with_the_entry_kept(ctx):
    r = labs.add_result(ctx, entry(value="18.5", unit="nmol/L", lab_low="12", lab_high="40"))
    assert r.value_ng == pytest.approx(18.5 * NG_ML_PER_NMOL_L)
    assert r.entered_value == 18.5 and r.entered_unit == "nmol/L"
    assert r.lab_low_ng == pytest.approx(12 * NG_ML_PER_NMOL_L)
    assert r.lab_high_ng == pytest.approx(40 * NG_ML_PER_NMOL_L)
    assert r.value_in(Unit.NMOL_L) == pytest.approx(18.5)
    # Editing shows back what was typed, in the unit typed.
    back = r.to_input()
    assert (back.value, back.unit, back.lab_low, back.lab_high) == (18.5, "nmol/L", 12, 40)


def test_unit_aliases_and_comma_decimals_are_accepted(ctx):
    r = labs.add_result(ctx, entry(value="18,5", unit="NMOL/L"))
    assert r.entered_unit == "nmol/L" and r.entered_value == 18.5
    r2 = labs.add_result(ctx, entry(value=150, unit="µg/L"))
    assert r2.entered_unit == "ng/mL" and r2.value_ng == 150


def test_results_are_listed_newest_draw_first_and_the_last_date_is_known(ctx):
    assert labs.last_result_date(ctx) is None and labs.latest_result(ctx) is None
    a = labs.add_result(ctx, entry(drawn_on=date(2026, 5, 1), value=100))
    b = labs.add_result(ctx, entry(drawn_on=date(2026, 9, 1), value=110))
    c = labs.add_result(ctx, entry(drawn_on=date(2026, 7, 1), value=120))
    assert [r.id for r in labs.list_results(ctx)] == [b.id, c.id, a.id]
    assert labs.last_result_date(ctx) == date(2026, 9, 1)
    assert labs.latest_result(ctx).id == b.id


def test_same_day_results_order_by_time_then_entry(ctx):
    early = labs.add_result(ctx, entry(drawn_on=TODAY, drawn_at_time="07:30", value=100))
    late = labs.add_result(ctx, entry(drawn_on=TODAY, drawn_at_time="16:00", value=130))
    assert labs.latest_result(ctx).id == late.id
    assert early.id != late.id


def test_today_is_a_valid_draw_date(ctx):
    assert labs.add_result(ctx, entry(drawn_on=TODAY)).drawn_on == TODAY
    assert labs.add_result(ctx, entry(drawn_on="2026-11-25")).drawn_on == TODAY


# --------------------------------------------------------------------------------------------------- edit, delete, undo

def test_edit_replaces_the_fields_and_keeps_the_id(ctx, clock):
    r = labs.add_result(ctx, entry(value=100, lab_name="A"))
    clock.advance(timedelta(minutes=5))
    edited = labs.update_result(ctx, r.id, entry(value=15, unit="nmol/L", lab_name=None, notes="re-typed"))
    assert edited.id == r.id
    assert edited.value_ng == pytest.approx(15 * NG_ML_PER_NMOL_L) and edited.lab_name is None
    assert edited.notes == "re-typed"
    assert edited.updated_at > r.updated_at
    assert labs.count_results(ctx) == 1


def test_delete_then_restore_brings_back_the_same_result(ctx):
    r = labs.add_result(ctx, entry(value=99, lab_low=80, lab_high=250, notes="x"))
    before = labs.list_results(ctx)
    deleted = labs.delete_result(ctx, r.id)
    assert labs.list_results(ctx) == []
    assert labs.last_result_date(ctx) is None
    restored = labs.restore_result(ctx, deleted)
    assert restored.id == r.id
    assert [(x.id, x.value_ng, x.lab_low_ng, x.notes, x.drawn_on) for x in labs.list_results(ctx)] == [
        (x.id, x.value_ng, x.lab_low_ng, x.notes, x.drawn_on) for x in before]


def test_unknown_ids_are_reported(ctx):
    with pytest.raises(UnknownResult, match="id: there is no lab result with id 42"):
        labs.delete_result(ctx, 42)
    with pytest.raises(UnknownResult):
        labs.update_result(ctx, 42, entry())
    with pytest.raises(UnknownResult):
        labs.get_result(ctx, 42)


# --------------------------------------------------------------------------------------------------- validation

INVALID = [
    pytest.param({"value": "abc"}, "value", "value: 'abc' is not a number", id="not-a-number"),
    pytest.param({"value": ""}, "value", "is not a number", id="empty"),
    pytest.param({"value": 0}, "value", "value: must be greater than zero", id="zero"),
    pytest.param({"value": "-5"}, "value", "value: must be greater than zero", id="negative"),
    pytest.param({"drawn_on": TODAY + timedelta(days=1)}, "date", "date: 2026-11-26 is in the future", id="future"),
    pytest.param({"drawn_on": "01/10/2026"}, "date", "date: '01/10/2026' is not a date", id="bad-date"),
    pytest.param({"lab_low": 300, "lab_high": 90}, "lab range",
                 "lab range: the low limit (300) must be below the high limit (90)", id="low-above-high"),
    pytest.param({"lab_low": 90}, "lab range", "lab range: enter both", id="half-range"),
    pytest.param({"lab_low": "x", "lab_high": 90}, "lab range", "lab range: the low limit 'x' is not a number",
                 id="range-not-a-number"),
    pytest.param({"unit": "mg/dL"}, "unit", "unit: 'mg/dL' is not a known IGF-1 unit", id="unit"),
    pytest.param({"drawn_at_time": "25:00"}, "time", "time: '25:00' is not a time of day", id="time"),
    pytest.param({"lab_name": "x" * 201}, "lab name", "lab name: 201 characters is too long", id="long-name"),
]


@pytest.mark.parametrize(("changes", "field", "message"), INVALID)
def test_invalid_input_is_refused_naming_the_field_and_nothing_is_saved(ctx, changes, field, message):
    keep = labs.add_result(ctx, entry(value=111))
    before = dump(ctx)
    with pytest.raises(LabInputError) as err:
        labs.add_result(ctx, entry(**changes), confirm=True)
    assert field in err.value.fields
    assert message in str(err.value)
    assert not err.value.needs_confirmation
    with pytest.raises(LabInputError):
        labs.update_result(ctx, keep.id, entry(**changes), confirm=True)
    assert dump(ctx) == before
    assert labs.get_result(ctx, keep.id).value_ng == 111


@pytest.mark.parametrize(("value", "unit"), [(9.9, "ng/mL"), (1501, "ng/mL"), (1.2, "nmol/L"), (200, "nmol/L")])
def test_implausible_values_need_confirmation(ctx, value, unit):
    before = dump(ctx)
    with pytest.raises(LabInputError) as err:
        labs.add_result(ctx, entry(value=value, unit=unit))
    assert err.value.needs_confirmation and err.value.fields == ["value"]
    assert "value:" in str(err.value) and "plausible range 10\u20131500 ng/mL" in str(err.value)
    assert dump(ctx) == before
    r = labs.add_result(ctx, entry(value=value, unit=unit), confirm=True)
    assert r.entered_value == value


@pytest.mark.parametrize("value", [10, 1500])
def test_the_plausible_edges_need_no_confirmation(ctx, value):
    assert labs.add_result(ctx, entry(value=value)).value_ng == value


def test_errors_and_warnings_together_are_refused_even_with_confirm(ctx):
    with pytest.raises(LabInputError) as err:
        labs.add_result(ctx, entry(value=5, drawn_on=TODAY + timedelta(days=3)), confirm=True)
    assert set(err.value.fields) == {"value", "date"}
    assert labs.count_results(ctx) == 0


def test_validate_input_reports_without_saving(ctx):
    issues = labs.validate_input(ctx, entry(value="nope", lab_low=5, lab_high=1))
    assert [i.field for i in issues] == ["value", "lab range"]
    assert labs.count_results(ctx) == 0


# --------------------------------------------------------------------------------------------------- classification

def test_classified_against_all_three_references(ctx):
    safety.record_answers(ctx, ScreenAnswers(age=40, sex="male"))  # built-in 76–251 ng/mL
    r = labs.add_result(ctx, entry(value=18.5, unit="nmol/L", lab_low=12, lab_high=40))  # 141.5 ng/mL
    c = labs.classify_result(ctx, r)
    assert c.target.position is Position.WITHIN
    assert c.target.label == "Within your target band (120\u2013160 ng/mL)"
    assert c.lab.position is Position.WITHIN
    assert c.lab.label == "Within the lab's reference range (92\u2013306 ng/mL)"
    assert c.builtin.position is Position.WITHIN
    assert c.builtin.label == "Within the built-in reference interval (76\u2013251 ng/mL)"
    assert c.builtin_lookup.interval.source == BUILTIN_SOURCE
    shown = labs.classify_result(ctx, r, Unit.NMOL_L)
    assert shown.target.label == "Within your target band (15.7\u201320.9 nmol/L)"


@pytest.mark.parametrize(("value", "target", "lab", "builtin"), [
    (59.99, Position.BELOW, Position.BELOW, Position.BELOW),
    (60, Position.BELOW, Position.WITHIN, Position.BELOW),  # lab low edge inclusive
    (75.99, Position.BELOW, Position.WITHIN, Position.BELOW),
    (76, Position.BELOW, Position.WITHIN, Position.WITHIN),  # built-in low edge
    (119.99, Position.BELOW, Position.WITHIN, Position.WITHIN),
    (120, Position.WITHIN, Position.WITHIN, Position.WITHIN),  # target edges
    (160, Position.WITHIN, Position.WITHIN, Position.WITHIN),
    (160.01, Position.ABOVE, Position.WITHIN, Position.WITHIN),
    (251, Position.ABOVE, Position.WITHIN, Position.WITHIN),
    (251.01, Position.ABOVE, Position.WITHIN, Position.ABOVE),
    (300, Position.ABOVE, Position.WITHIN, Position.ABOVE),
    (300.01, Position.ABOVE, Position.ABOVE, Position.ABOVE),
])
def test_every_edge_of_every_reference(ctx, value, target, lab, builtin):
    safety.record_answers(ctx, ScreenAnswers(age=40, sex="male"))
    r = labs.add_result(ctx, entry(value=value, lab_low=60, lab_high=300))
    c = labs.classify_result(ctx, r)
    assert (c.target.position, c.lab.position, c.builtin.position) == (target, lab, builtin)


def test_edges_hold_in_nmol_l_too(ctx):
    safety.set_target_band(ctx, 15, 20, "nmol/L")
    on_low = labs.add_result(ctx, entry(value=15, unit="nmol/L", lab_low=15, lab_high=20))
    on_high_typed_in_ng = labs.add_result(ctx, entry(value=20 * NG_ML_PER_NMOL_L, lab_low=15, lab_high=20,
                                                     unit="ng/mL"))
    assert labs.classify_result(ctx, on_low).target.position is Position.WITHIN
    assert labs.classify_result(ctx, on_low).lab.position is Position.WITHIN
    assert labs.classify_result(ctx, on_high_typed_in_ng).target.position is Position.WITHIN


def test_missing_lab_range_and_missing_screen_give_no_classification_with_a_reason(ctx):
    r = labs.add_result(ctx, entry(value=140))
    c = labs.classify_result(ctx, r)
    assert c.target.position is Position.WITHIN
    assert c.lab is None
    assert c.builtin is None and "No age given" in c.builtin_reason
    safety.record_answers(ctx, ScreenAnswers(age=16, sex="female"))
    assert "under 18" in labs.classify_result(ctx, r).builtin_reason


def test_the_built_in_interval_follows_the_screens_age_and_sex(ctx):
    r = labs.add_result(ctx, entry(value=100))
    safety.record_answers(ctx, ScreenAnswers(age=20, sex="male"))  # 156–385
    assert labs.classify_result(ctx, r).builtin.position is Position.BELOW
    safety.record_answers(ctx, ScreenAnswers(age=20, sex="female"))  # 111–423
    assert labs.classify_result(ctx, r).builtin.position is Position.BELOW
    safety.record_answers(ctx, ScreenAnswers(age=60, sex="female"))  # 61–237
    assert labs.classify_result(ctx, r).builtin.position is Position.WITHIN


def test_a_changed_target_band_changes_the_classification(ctx):
    r = labs.add_result(ctx, entry(value=130))
    assert labs.classify_result(ctx, r).target.position is Position.WITHIN
    safety.set_target_band(ctx, 140, 180)
    assert labs.classify_result(ctx, r).target.position is Position.BELOW
