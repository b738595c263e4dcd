"""The built-in habit catalog (``resources/coaching/habits.toml``) and the protein target.

:func:`load_catalog` validates strictly: every error is a :class:`CatalogError` naming the entry key
and the field, so a typo in the data fails loudly in tests rather than quietly in the app.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from igfcoach.core.habits import (
    CATEGORIES,
    DIRECTIONS,
    FLAG_DEFAULT_OFF,
    FLAG_OPTIONAL,
    FLAG_STIMULATES_AXIS,
    FLAGS,
    KEY_PATTERN,
    KINDS,
    HabitSpec,
    Schedule,
    Target,
)
from igfcoach.resources_path import resource_path

_Fail = Callable[[str, str], "CatalogError"]

CATALOG_RESOURCE = "coaching/habits.toml"
CATALOG_VERSION = 1

# --- protein ---------------------------------------------------------------------------------------

PROTEIN_G_PER_KG_DEFAULT = 1.6
PROTEIN_G_PER_KG_MIN = 1.4
PROTEIN_G_PER_KG_MAX = 2.0
PROTEIN_RDA_G_PER_KG = 0.8
#: Body weight the catalog's protein default (112 g) is written for, until the profile replaces it.
REFERENCE_WEIGHT_KG = 70.0
MIN_WEIGHT_KG = 25.0
MAX_WEIGHT_KG = 350.0

PROTEIN_RANGE_TEXT = (
    "For people who train, the usual advice is 1.4 to 2.0 g of protein per kg of body weight a day; "
    "IGF Coach starts at 1.6. The RDA of 0.8 g/kg is the amount that prevents deficiency in the general "
    "population, not a training target. More protein raises IGF-1, so the app keeps the target inside "
    "this band: the aim is a healthy mid-range, not the highest level possible."
)


def protein_target_grams(weight_kg: float, g_per_kg: float = PROTEIN_G_PER_KG_DEFAULT) -> float:
    """Daily protein target in whole grams: body weight × grams per kg.

    ``g_per_kg`` must lie in 1.4–2.0 (see :data:`PROTEIN_RANGE_TEXT`); the weight must be a plausible
    adult body weight (25–350 kg). Raises ValueError otherwise.
    """
    if not _number(weight_kg) or weight_kg <= 0:
        raise ValueError(f"body weight must be a positive number of kg, not {weight_kg!r}")
    if not MIN_WEIGHT_KG <= weight_kg <= MAX_WEIGHT_KG:
        raise ValueError(
            f"body weight {weight_kg:g} kg is outside {MIN_WEIGHT_KG:g}–{MAX_WEIGHT_KG:g} kg; check the unit (kg, not lb)"
        )
    if not _number(g_per_kg) or not PROTEIN_G_PER_KG_MIN <= g_per_kg <= PROTEIN_G_PER_KG_MAX:
        raise ValueError(
            f"protein of {g_per_kg!r} g/kg is outside {PROTEIN_G_PER_KG_MIN}–{PROTEIN_G_PER_KG_MAX} g/kg. "
            + PROTEIN_RANGE_TEXT
        )
    return float(round(weight_kg * g_per_kg))


def with_body_weight(spec: HabitSpec, weight_kg: float, g_per_kg: float | None = None) -> HabitSpec:
    """The spec with a weight-based target (``per_kg``) recomputed for this body weight.

    Specs without a per-kg target come back unchanged. ``g_per_kg`` overrides the catalog's factor.
    """
    if spec.target is None or spec.target.per_kg is None:
        return spec
    factor = spec.target.per_kg if g_per_kg is None else g_per_kg
    grams = protein_target_grams(weight_kg, factor)
    return dataclasses.replace(spec, target=dataclasses.replace(spec.target, value=grams, per_kg=factor))


# --- loading ---------------------------------------------------------------------------------------


class CatalogError(ValueError):
    """The catalog file is unreadable or an entry is invalid (the message names key and field)."""


_REQUIRED = ("key", "category", "order", "title", "why", "details", "kind", "schedule")
_OPTIONAL = ("flags", "target", "caution", "params")
_TARGET_FIELDS = ("value", "unit", "direction", "per_kg")
_MAX_TITLE = 60
_MAX_WHY = 140


def load_catalog(path: str | Path | None = None) -> list[HabitSpec]:
    """Read and validate the catalog; returns specs in checklist order (category, then ``order``)."""
    source = Path(path) if path is not None else resource_path(CATALOG_RESOURCE)
    try:
        with open(source, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise CatalogError(f"{source}: cannot read the catalog: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{source}: not valid TOML: {exc}") from exc
    return parse_catalog(data, source=str(source))


def parse_catalog(data: Mapping[str, Any], source: str = "<catalog>") -> list[HabitSpec]:
    """Validate already-parsed TOML data (see :func:`load_catalog`)."""
    unknown = sorted(set(data) - {"version", "habit"})
    if unknown:
        raise CatalogError(f"{source}: unknown top-level field {unknown[0]!r}")
    if data.get("version") != CATALOG_VERSION:
        raise CatalogError(f"{source}: field 'version' must be {CATALOG_VERSION}, not {data.get('version')!r}")
    entries = data.get("habit")
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"{source}: expected one or more [[habit]] tables")
    specs: list[HabitSpec] = []
    keys: set[str] = set()
    orders: dict[int, str] = {}
    for index, entry in enumerate(entries, start=1):
        spec = _parse_entry(entry, source, index)
        where = f"{source}: habit {spec.key!r}"
        if spec.key in keys:
            raise CatalogError(f"{where}: field 'key': duplicate key")
        if spec.order in orders:
            raise CatalogError(f"{where}: field 'order': {spec.order} is already used by {orders[spec.order]!r}")
        keys.add(spec.key)
        orders[spec.order] = spec.key
        specs.append(spec)
    return sorted(specs, key=lambda s: s.sort_key)


def _parse_entry(entry: object, source: str, index: int) -> HabitSpec:
    if not isinstance(entry, Mapping):
        raise CatalogError(f"{source}: habit #{index}: must be a table")
    key = entry.get("key")
    if not (isinstance(key, str) and KEY_PATTERN.match(key)):
        raise CatalogError(
            f"{source}: habit #{index}: field 'key': must be snake_case text (a-z, 0-9, _), not {key!r}"
        )
    where = f"{source}: habit {key!r}"

    def fail(field: str, problem: str) -> CatalogError:
        return CatalogError(f"{where}: field {field!r}: {problem}")

    for name in _REQUIRED:
        if name not in entry:
            raise fail(name, "is missing")
    extra = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
    if extra:
        raise fail(extra[0], "is not a known field")

    category = entry["category"]
    if category not in CATEGORIES:
        raise fail("category", f"{category!r} is not one of {', '.join(CATEGORIES)}")
    order = entry["order"]
    if type(order) is not int or order < 0:
        raise fail("order", f"must be a whole number >= 0, not {order!r}")
    title = _text(entry["title"], fail, "title", max_len=_MAX_TITLE)
    why = entry["why"]
    if isinstance(why, str) and "\n" in why.strip():
        raise fail("why", "must be a single line")
    why = _text(why, fail, "why", max_len=_MAX_WHY)
    details = _text(entry["details"], fail, "details")
    kind = entry["kind"]
    if kind not in KINDS:
        raise fail("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    try:
        schedule = Schedule.parse(entry["schedule"])
    except ValueError as exc:
        raise fail("schedule", str(exc)) from None

    flags_raw = entry.get("flags", [])
    if not isinstance(flags_raw, list) or not all(isinstance(f, str) for f in flags_raw):
        raise fail("flags", "must be a list of text")
    if len(set(flags_raw)) != len(flags_raw):
        raise fail("flags", "lists a flag twice")
    flags = frozenset(flags_raw)
    if flags - FLAGS:
        raise fail("flags", f"unknown flag {sorted(flags - FLAGS)[0]!r} (known: {', '.join(sorted(FLAGS))})")
    if FLAG_DEFAULT_OFF in flags and FLAG_OPTIONAL not in flags:
        raise fail("flags", "'default_off' needs 'optional' too")

    caution = entry.get("caution")
    if caution is not None:
        caution = _text(caution, fail, "caution")
    elif flags & {FLAG_OPTIONAL, FLAG_STIMULATES_AXIS}:
        raise fail("caution", "is required for an optional or axis-stimulating item")

    target = _parse_target(entry.get("target"), kind, fail)
    params = _parse_params(entry.get("params", {}), fail)
    try:
        return HabitSpec(
            key=key, category=category, title=title, why=why, details=details, kind=kind, target=target,
            schedule=schedule, flags=flags, order=order, caution=caution, params=params,
        )
    except ValueError as exc:  # pragma: no cover - the checks above catch these first
        raise CatalogError(f"{where}: {exc}") from None


def _parse_target(raw: object, kind: str, fail: _Fail) -> Target | None:
    if kind == "check":
        if raw is not None:
            raise fail("target", "a check item takes no target")
        return None
    if raw is None:
        raise fail("target", "is missing (measured items need value, unit and direction)")
    if not isinstance(raw, Mapping):
        raise fail("target", "must be a table { value, unit, direction }")
    extra = sorted(set(raw) - set(_TARGET_FIELDS))
    if extra:
        raise fail(f"target.{extra[0]}", "is not a known field")
    for name in ("value", "unit", "direction"):
        if name not in raw:
            raise fail(f"target.{name}", "is missing")
    if raw["direction"] not in DIRECTIONS:
        raise fail("target.direction", f"{raw['direction']!r} is not one of {', '.join(DIRECTIONS)}")
    if not _number(raw["value"]):
        raise fail("target.value", f"must be a number, not {raw['value']!r}")
    per_kg = raw.get("per_kg")
    if per_kg is not None:
        try:
            expected = protein_target_grams(REFERENCE_WEIGHT_KG, per_kg)
        except ValueError as exc:
            raise fail("target.per_kg", str(exc)) from None
        if raw["value"] != expected:
            raise fail("target.value", f"must be {expected:g} ({REFERENCE_WEIGHT_KG:g} kg × {per_kg} g/kg)")
    try:
        return Target(value=raw["value"], unit=raw["unit"], direction=raw["direction"], per_kg=per_kg)
    except ValueError as exc:
        raise fail("target", str(exc)) from None


def _parse_params(raw: object, fail: _Fail) -> dict[str, int | float | str]:
    if not isinstance(raw, Mapping):
        raise fail("params", "must be a table of name = value")
    for name, value in raw.items():
        if not (isinstance(value, str) or _number(value)):
            raise fail(f"params.{name}", f"must be a number or text, not {value!r}")
    return dict(raw)


def _text(value: object, fail: _Fail, field: str, max_len: int | None = None) -> str:
    """Non-empty text with runs of whitespace (including line breaks) folded to single spaces."""
    if not isinstance(value, str) or not value.strip():
        raise fail(field, "must be non-empty text")
    text = " ".join(value.split())
    if max_len is not None and len(text) > max_len:
        raise fail(field, f"is {len(text)} characters; keep it to {max_len}")
    return text


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
