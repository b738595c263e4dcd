"""The built-in catalog covers every practice in the guide, and the loader validates strictly."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from igfcoach.core.catalog import (
    CatalogError,
    PROTEIN_RANGE_TEXT,
    load_catalog,
    parse_catalog,
    protein_target_grams,
    with_body_weight,
)
from igfcoach.core.habits import CATEGORIES, Schedule, Target
from igfcoach.resources_path import resource_path

GUIDE_PRACTICES = {
    # sleep: 7-9 h, consistent bedtime, cool dark room, no screens before bed
    "sleep_duration", "bedtime_consistent", "bedroom_cool_dark", "screens_off",
    # exercise: HIIT, heavy resistance with short rests
    "hiit", "resistance",
    # nutrition: protein, post-exercise protein + carbs, (optional) fasting window
    "protein", "post_workout_meal", "eating_window",
    # stress: mindfulness / deep breathing
    "breathing",
    # micronutrients
    "zinc", "magnesium", "vitamin_d",
    # targeted supplements
    "arginine_ornithine", "mucuna",
}
STIMULATING_OPTIONALS = {"eating_window", "arginine_ornithine", "mucuna"}


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    return {spec.key: spec for spec in load_catalog()}


@pytest.fixture()
def raw() -> dict[str, Any]:
    with open(resource_path("coaching/habits.toml"), "rb") as fh:
        return tomllib.load(fh)


def test_catalog_covers_every_guide_practice(catalog: dict[str, Any]) -> None:
    assert set(catalog) == GUIDE_PRACTICES


def test_catalog_is_in_checklist_order() -> None:
    specs = load_catalog()
    ranks = [(CATEGORIES.index(s.category), s.order) for s in specs]
    assert ranks == sorted(ranks)
    assert specs[0].key == "sleep_duration"
    assert {s.category for s in specs} == set(CATEGORIES)


def test_default_path_and_explicit_path_agree() -> None:
    assert load_catalog() == load_catalog(resource_path("coaching/habits.toml"))


def test_sleep_entries(catalog: dict[str, Any]) -> None:
    sleep = catalog["sleep_duration"]
    assert sleep.kind == "measured"
    assert sleep.target == Target(7, "h", "at_least")
    assert sleep.schedule == Schedule.daily()
    assert "9 hours" in sleep.details and sleep.param("upper_bound_h") == 9
    bedtime = catalog["bedtime_consistent"]
    assert bedtime.kind == "check" and bedtime.param("tolerance_min") == 30
    assert "30 minutes" in bedtime.details
    for key in ("bedroom_cool_dark", "screens_off"):
        assert catalog[key].kind == "check" and catalog[key].category == "sleep"


def test_training_entries(catalog: dict[str, Any]) -> None:
    assert catalog["hiit"].schedule == Schedule.per_week(2)
    assert "weak" in catalog["hiit"].details  # honest caveat on the evidence
    resistance = catalog["resistance"]
    assert resistance.schedule == Schedule.per_week(3)
    assert "compound" in resistance.details and "short" in resistance.details


def test_protein_entry(catalog: dict[str, Any]) -> None:
    protein = catalog["protein"]
    assert protein.target == Target(112, "g", "at_least", per_kg=1.6)
    for fact in ("1.6", "1.4", "2.0", "0.8"):
        assert fact in protein.details
    assert catalog["post_workout_meal"].kind == "check"


def test_stress_and_micronutrients(catalog: dict[str, Any]) -> None:
    assert catalog["breathing"].target == Target(10, "min", "at_least")
    assert catalog["breathing"].category == "stress"
    for key in ("zinc", "magnesium", "vitamin_d"):
        spec = catalog[key]
        assert spec.category == "micronutrients" and spec.schedule == Schedule.daily()
        assert "food" in spec.details and "supplement" in spec.details
    assert "no significant effect" in catalog["vitamin_d"].details


def test_optional_items_are_off_by_default_and_cautioned(catalog: dict[str, Any]) -> None:
    flagged = {k for k, s in catalog.items() if s.stimulates_axis}
    assert flagged == STIMULATING_OPTIONALS
    for key in STIMULATING_OPTIONALS:
        spec = catalog[key]
        assert spec.optional and not spec.enabled_by_default
        assert spec.caution and "specialist" in spec.caution
    assert "restriction" in catalog["eating_window"].caution
    assert catalog["eating_window"].target == Target(10, "h", "at_most")
    assert "L-DOPA" in catalog["mucuna"].caution and "healthcare provider" in catalog["mucuna"].caution
    for key in set(catalog) - STIMULATING_OPTIONALS:
        assert catalog[key].enabled_by_default and catalog[key].caution is None


def test_texts_are_tidy(catalog: dict[str, Any]) -> None:
    for spec in catalog.values():
        assert "\n" not in spec.why and "  " not in spec.details
        assert len(spec.title) <= 60 and len(spec.why) <= 140
        assert "higher is better" not in spec.details.lower()


# --- strict validation ------------------------------------------------------------------------------


def _entry(raw: dict[str, Any], key: str) -> dict[str, Any]:
    return next(e for e in raw["habit"] if e["key"] == key)


@pytest.mark.parametrize(
    ("key", "mutate", "message"),
    [
        ("zinc", lambda e: e.pop("why"), "habit 'zinc': field 'why': is missing"),
        ("zinc", lambda e: e.update(colour="red"), "habit 'zinc': field 'colour': is not a known field"),
        ("zinc", lambda e: e.update(category="food"), "habit 'zinc': field 'category'"),
        ("zinc", lambda e: e.update(kind="count"), "habit 'zinc': field 'kind'"),
        ("zinc", lambda e: e.update(order="1"), "habit 'zinc': field 'order'"),
        ("zinc", lambda e: e.update(title=""), "habit 'zinc': field 'title': must be non-empty"),
        ("zinc", lambda e: e.update(title="x" * 61), "habit 'zinc': field 'title': is 61 characters"),
        ("zinc", lambda e: e.update(why="one\ntwo"), "habit 'zinc': field 'why': must be a single line"),
        ("zinc", lambda e: e.update(schedule="weekly"), "habit 'zinc': field 'schedule': .*unknown kind"),
        ("zinc", lambda e: e.update(flags=["loud"]), "habit 'zinc': field 'flags': unknown flag 'loud'"),
        ("zinc", lambda e: e.update(flags="optional"), "habit 'zinc': field 'flags': must be a list"),
        ("zinc", lambda e: e.update(flags=["default_off"]), "'default_off' needs 'optional'"),
        ("zinc", lambda e: e.update(target={"value": 1, "unit": "mg", "direction": "at_least"}),
         "habit 'zinc': field 'target': a check item takes no target"),
        ("zinc", lambda e: e.update(params={"x": [1]}), "habit 'zinc': field 'params.x'"),
        ("zinc", lambda e: e.update(order=10), "habit 'zinc': field 'order': 10 is already used by 'sleep_duration'"),
        ("zinc", lambda e: e.update(key="Zinc"), "habit #11: field 'key': must be snake_case"),
        ("zinc", lambda e: e.update(key="magnesium"), "habit 'magnesium': field 'key': duplicate key"),
        ("mucuna", lambda e: e.pop("caution"), "habit 'mucuna': field 'caution': is required"),
        ("protein", lambda e: e.pop("target"), "habit 'protein': field 'target': is missing"),
        ("protein", lambda e: e["target"].pop("unit"), "habit 'protein': field 'target.unit': is missing"),
        ("protein", lambda e: e["target"].update(direction="exactly"), "field 'target.direction'"),
        ("protein", lambda e: e["target"].update(value="lots"), "field 'target.value': must be a number"),
        ("protein", lambda e: e["target"].update(per_kg=3.0), "field 'target.per_kg': .*outside 1.4"),
        ("protein", lambda e: e["target"].update(value=100), "field 'target.value': must be 112"),
        ("protein", lambda e: e["target"].update(extra=1), "field 'target.extra': is not a known field"),
        ("breathing", lambda e: e["target"].update(value=0), "habit 'breathing': field 'target': .*above 0"),
    ],
)
def test_invalid_entries_name_key_and_field(raw: dict[str, Any], key: str, mutate: Any, message: str) -> None:
    data = copy.deepcopy(raw)
    mutate(_entry(data, key))
    with pytest.raises(CatalogError, match=message):
        parse_catalog(data)


def test_invalid_top_level(raw: dict[str, Any]) -> None:
    with pytest.raises(CatalogError, match="'version' must be 1"):
        parse_catalog({**raw, "version": 2})
    with pytest.raises(CatalogError, match="unknown top-level field 'extra'"):
        parse_catalog({**raw, "extra": 1})
    with pytest.raises(CatalogError, match=r"\[\[habit\]\]"):
        parse_catalog({"version": 1, "habit": []})
    with pytest.raises(CatalogError, match="habit #1: must be a table"):
        parse_catalog({"version": 1, "habit": ["x"]})


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("version = = 1\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid TOML"):
        load_catalog(bad)


def test_resource_path_prefers_installed_copy_then_checkout() -> None:
    import igfcoach.resources_path as rp

    installed, checkout = rp.RESOURCE_ROOTS
    assert installed.name == "_resources" and installed.parent.name == "igfcoach"
    assert checkout == Path(rp.__file__).resolve().parent.parent / "resources"
    found = resource_path("coaching/habits.toml")
    assert found.is_file() and found.parent.parent in (installed, checkout)
    for bad in ("/etc/passwd", "../pyproject.toml", "coaching/../../x", ""):
        with pytest.raises(ValueError, match="relative"):
            resource_path(bad)


def test_catalog_error_is_a_value_error() -> None:
    assert issubclass(CatalogError, ValueError)


# --- protein target ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "g_per_kg", "grams"),
    [(70, 1.6, 112.0), (80, 1.6, 128.0), (62.5, 1.6, 100.0), (90, 1.4, 126.0), (90, 2.0, 180.0), (73.4, 1.6, 117.0)],
)
def test_protein_target_grams(weight: float, g_per_kg: float, grams: float) -> None:
    assert protein_target_grams(weight, g_per_kg) == grams


def test_protein_target_default_factor_is_1_6() -> None:
    assert protein_target_grams(75) == 120.0


@pytest.mark.parametrize("weight", [0, -70, 10, 400, float("nan"), float("inf"), True])
def test_protein_target_refuses_bad_weights(weight: float) -> None:
    with pytest.raises(ValueError, match="body weight"):
        protein_target_grams(weight)


@pytest.mark.parametrize("factor", [0.8, 1.39, 2.01, 3.0])
def test_protein_target_refuses_factors_outside_band_and_explains(factor: float) -> None:
    with pytest.raises(ValueError, match="1.4–2.0") as info:
        protein_target_grams(70, factor)
    assert "RDA of 0.8" in str(info.value)
    assert "RDA of 0.8" in PROTEIN_RANGE_TEXT


def test_with_body_weight(catalog: dict[str, Any]) -> None:
    protein = with_body_weight(catalog["protein"], 85)
    assert protein.target == Target(136, "g", "at_least", per_kg=1.6)
    assert with_body_weight(catalog["protein"], 85, g_per_kg=2.0).target.value == 170
    assert with_body_weight(catalog["zinc"], 85) is catalog["zinc"]
    assert with_body_weight(catalog["breathing"], 85) is catalog["breathing"]
