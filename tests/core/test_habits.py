"""Schedule, Target and HabitSpec: parsing, round trips, frequencies, validation."""

from __future__ import annotations

import dataclasses

import pytest

from igfcoach.core.habits import (
    CATEGORIES,
    CATEGORY_TITLES,
    HabitSpec,
    Schedule,
    Target,
    category_rank,
)


# --- Schedule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "schedule"),
    [
        ("daily", Schedule.daily()),
        ("weekdays:0,2,4", Schedule.on_weekdays({0, 2, 4})),
        ("weekdays:6", Schedule.on_weekdays({6})),
        ("per_week:3", Schedule.per_week(3)),
        ("per_week:1", Schedule.per_week(1)),
    ],
)
def test_schedule_parse_and_str_round_trip(text: str, schedule: Schedule) -> None:
    assert Schedule.parse(text) == schedule
    assert str(schedule) == text
    assert Schedule.parse(str(schedule)) == schedule


def test_schedule_str_sorts_weekdays_and_parse_tolerates_spaces() -> None:
    assert str(Schedule.on_weekdays([4, 0, 2])) == "weekdays:0,2,4"
    assert Schedule.parse("  weekdays: 4, 0 ,2 ") == Schedule.on_weekdays({0, 2, 4})


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("weekly:3", "unknown kind 'weekly'"),
        ("", "unknown kind ''"),
        ("daily:1", "takes no argument"),
        ("weekdays", "need a list"),
        ("weekdays:", "need a list"),
        ("weekdays:7", "weekday '7'"),
        ("weekdays:0,,2", "weekday ''"),
        ("weekdays:mon", "weekday 'mon'"),
        ("weekdays:1,1", "listed twice"),
        ("per_week:0", "1..7, not 0"),
        ("per_week:8", "1..7, not 8"),
        ("per_week:x", "whole number"),
        ("per_week:", "whole number"),
        ("per_week:-1", "whole number"),
    ],
)
def test_schedule_parse_errors_name_the_problem(text: str, names: str) -> None:
    with pytest.raises(ValueError, match=names.replace("(", r"\(").replace(".", r"\.")):
        Schedule.parse(text)


def test_schedule_parse_rejects_non_text() -> None:
    with pytest.raises(ValueError, match="must be text"):
        Schedule.parse(3)  # type: ignore[arg-type]


def test_schedule_constructor_validation() -> None:
    with pytest.raises(ValueError, match="at least one weekday"):
        Schedule.on_weekdays([])
    with pytest.raises(ValueError, match="not in 0..6"):
        Schedule.on_weekdays([0, 9])
    with pytest.raises(ValueError, match="1 to 7"):
        Schedule.per_week(0)
    with pytest.raises(ValueError, match="takes no weekdays"):
        Schedule("daily", weekdays=frozenset({1}))
    with pytest.raises(ValueError, match="takes no times per week"):
        Schedule("weekdays", weekdays=frozenset({1}), times_per_week=2)
    with pytest.raises(ValueError, match="schedule kind"):
        Schedule("monthly")  # type: ignore[arg-type]


def test_schedule_frequency_is_times_per_day() -> None:
    assert Schedule.daily().frequency == 1.0
    assert Schedule.on_weekdays({0, 2, 4}).frequency == pytest.approx(3 / 7)
    assert Schedule.on_weekdays(range(7)).frequency == 1.0
    assert Schedule.per_week(2).frequency == pytest.approx(2 / 7)
    assert Schedule.per_week(7).frequency == 1.0


def test_schedule_labels() -> None:
    assert Schedule.daily().label == "Every day"
    assert Schedule.on_weekdays({4, 0, 2}).label == "Mon, Wed, Fri"
    assert Schedule.per_week(3).label == "3× a week"


def test_schedule_is_hashable_and_immutable() -> None:
    s = Schedule.on_weekdays([1, 2])
    assert {s: 1}[Schedule.on_weekdays({2, 1})] == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.kind = "daily"  # type: ignore[misc]


# --- Target -----------------------------------------------------------------------------------------


def test_target_at_least() -> None:
    t = Target(7, "h", "at_least")
    assert t.is_met(7) and t.is_met(8.5)
    assert not t.is_met(6.99)
    assert not t.is_met(None)
    assert t.fraction(3.5) == pytest.approx(0.5)
    assert t.fraction(14) == 1.0
    assert t.fraction(None) == 0.0
    assert t.label == "≥ 7 h"


def test_target_at_most() -> None:
    t = Target(10, "h", "at_most")
    assert t.is_met(10) and t.is_met(0)
    assert not t.is_met(10.5)
    assert not t.is_met(None)
    assert t.fraction(8) == 1.0  # met: full credit
    assert t.fraction(11) == 0.0  # over: no partial credit
    assert t.label == "≤ 10 h"


def test_target_validation() -> None:
    with pytest.raises(ValueError, match="above 0"):
        Target(0, "g", "at_least")
    with pytest.raises(ValueError, match="negative"):
        Target(-1, "g", "at_most")
    with pytest.raises(ValueError, match="finite number"):
        Target(float("nan"), "g")
    with pytest.raises(ValueError, match="finite number"):
        Target(True, "g")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="direction"):
        Target(1, "g", "exactly")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unit"):
        Target(1, " ")
    with pytest.raises(ValueError, match="per_kg"):
        Target(1, "g", per_kg=0)
    assert Target(0, "drinks", "at_most").is_met(0)


# --- HabitSpec --------------------------------------------------------------------------------------


def _spec(**changes: object) -> HabitSpec:
    base: dict[str, object] = dict(
        key="protein", category="nutrition", title="Protein", why="Because.", details="Details.",
        kind="measured", target=Target(112, "g"), schedule=Schedule.daily(),
    )
    base.update(changes)
    return HabitSpec(**base)  # type: ignore[arg-type]


def test_habitspec_properties() -> None:
    spec = _spec(flags={"optional", "default_off", "stimulates_axis"}, caution="Careful.")
    assert spec.stimulates_axis and spec.optional and not spec.enabled_by_default
    assert spec.is_measured
    plain = _spec()
    assert not plain.stimulates_axis and not plain.optional and plain.enabled_by_default
    assert isinstance(spec.flags, frozenset)


def test_habitspec_params() -> None:
    spec = _spec(kind="check", target=None, params={"tolerance_min": 30, "b": "x"})
    assert spec.params == (("b", "x"), ("tolerance_min", 30))
    assert spec.param("tolerance_min") == 30
    assert spec.param("missing", 5) == 5
    hash(spec)  # frozen and hashable even with params


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"key": "Protein"}, "snake_case"),
        ({"key": "1protein"}, "snake_case"),
        ({"key": "pro-tein"}, "snake_case"),
        ({"category": "food"}, "category 'food'"),
        ({"kind": "count"}, "kind 'count'"),
        ({"target": None}, "needs a target"),
        ({"kind": "check"}, "takes no target"),
        ({"flags": {"loud"}}, "unknown flag 'loud'"),
        ({"schedule": "daily"}, "must be a Schedule"),
    ],
)
def test_habitspec_validation(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _spec(**changes)


def test_category_display_order() -> None:
    assert CATEGORIES == ("sleep", "training", "nutrition", "stress", "micronutrients", "supplements")
    assert set(CATEGORY_TITLES) == set(CATEGORIES)
    assert category_rank("sleep") < category_rank("supplements") < category_rank("custom")
    a = _spec(key="a", category="stress", order=1, kind="check", target=None)
    b = _spec(key="b", category="sleep", order=99, kind="check", target=None)
    assert sorted([a, b], key=lambda s: s.sort_key) == [b, a]
