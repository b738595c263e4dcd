"""Habit definitions: what a habit is, how often it is due, and what counts as meeting its target.

Pure data types (frozen dataclasses) shared by the catalog loader, the store and the UI.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

# --- categories -----------------------------------------------------------------------------------

SLEEP = "sleep"
TRAINING = "training"
NUTRITION = "nutrition"
STRESS = "stress"
MICRONUTRIENTS = "micronutrients"
SUPPLEMENTS = "supplements"

#: Display order of the checklist groups.
CATEGORIES: tuple[str, ...] = (SLEEP, TRAINING, NUTRITION, STRESS, MICRONUTRIENTS, SUPPLEMENTS)

CATEGORY_TITLES: Mapping[str, str] = {
    SLEEP: "Sleep",
    TRAINING: "Training",
    NUTRITION: "Nutrition",
    STRESS: "Stress",
    MICRONUTRIENTS: "Micronutrients",
    SUPPLEMENTS: "Supplements",
}

# --- kinds, directions, flags ---------------------------------------------------------------------

Kind = Literal["check", "measured"]
Direction = Literal["at_least", "at_most"]
ScheduleKind = Literal["daily", "weekdays", "per_week"]

KINDS: tuple[str, ...] = ("check", "measured")
DIRECTIONS: tuple[str, ...] = ("at_least", "at_most")
SCHEDULE_KINDS: tuple[str, ...] = ("daily", "weekdays", "per_week")

FLAG_OPTIONAL = "optional"
FLAG_DEFAULT_OFF = "default_off"
FLAG_STIMULATES_AXIS = "stimulates_axis"
#: Every flag a habit may carry. `stimulates_axis` marks items the safety rules switch off.
FLAGS: frozenset[str] = frozenset({FLAG_OPTIONAL, FLAG_DEFAULT_OFF, FLAG_STIMULATES_AXIS})

WEEKDAY_ABBR: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def category_rank(category: str) -> int:
    """Position of a category in display order (unknown categories sort last)."""
    try:
        return CATEGORIES.index(category)
    except ValueError:
        return len(CATEGORIES)


# --- schedule -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """How often a habit is due: every day, on given weekdays (Mon=0), or N times per ISO week.

    Text form (stored in the catalog and the database): ``daily``, ``weekdays:0,2,4``, ``per_week:3``.
    """

    kind: ScheduleKind = "daily"
    weekdays: frozenset[int] = frozenset()
    times_per_week: int = 0

    def __post_init__(self) -> None:
        if self.kind not in SCHEDULE_KINDS:
            raise ValueError(f"schedule kind {self.kind!r} is not one of {', '.join(SCHEDULE_KINDS)}")
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        if self.kind == "weekdays":
            if not self.weekdays:
                raise ValueError("a weekdays schedule needs at least one weekday")
            bad = sorted(d for d in self.weekdays if type(d) is not int or not 0 <= d <= 6)
            if bad:
                raise ValueError(f"weekday {bad[0]!r} is not in 0..6 (Mon=0 .. Sun=6)")
        elif self.weekdays:
            raise ValueError(f"a {self.kind} schedule takes no weekdays")
        if self.kind == "per_week":
            n = self.times_per_week
            if type(n) is not int or not 1 <= n <= 7:
                raise ValueError(f"times per week must be a whole number from 1 to 7, not {n!r}")
        elif self.times_per_week:
            raise ValueError(f"a {self.kind} schedule takes no times per week")

    # constructors
    @classmethod
    def daily(cls) -> Schedule:
        return cls("daily")

    @classmethod
    def on_weekdays(cls, days: Iterable[int]) -> Schedule:
        return cls("weekdays", weekdays=frozenset(days))

    @classmethod
    def per_week(cls, times: int) -> Schedule:
        return cls("per_week", times_per_week=times)

    @classmethod
    def parse(cls, text: str) -> Schedule:
        """Parse ``daily``, ``weekdays:0,2,4`` or ``per_week:3``; ValueError says what is wrong."""
        if not isinstance(text, str):
            raise ValueError(f"schedule must be text, not {type(text).__name__}")
        raw = text.strip()
        kind, sep, arg = raw.partition(":")
        kind, arg = kind.strip(), arg.strip()
        if kind == "daily":
            if sep:
                raise ValueError(f"schedule {raw!r}: 'daily' takes no argument")
            return cls.daily()
        if kind == "weekdays":
            if not arg:
                raise ValueError(f"schedule {raw!r}: weekdays need a list such as weekdays:0,2,4 (Mon=0)")
            days: list[int] = []
            for part in arg.split(","):
                part = part.strip()
                if not part.isdigit() or not 0 <= int(part) <= 6:
                    raise ValueError(f"schedule {raw!r}: weekday {part!r} is not a number 0..6 (Mon=0)")
                if int(part) in days:
                    raise ValueError(f"schedule {raw!r}: weekday {part} is listed twice")
                days.append(int(part))
            return cls.on_weekdays(days)
        if kind == "per_week":
            if not arg.isdigit():
                raise ValueError(f"schedule {raw!r}: per_week needs a whole number such as per_week:3")
            n = int(arg)
            if not 1 <= n <= 7:
                raise ValueError(f"schedule {raw!r}: times per week must be 1..7, not {n}")
            return cls.per_week(n)
        raise ValueError(
            f"schedule {raw!r}: unknown kind {kind!r} (expected daily, weekdays:<0-6,...> or per_week:<n>)"
        )

    def __str__(self) -> str:
        if self.kind == "weekdays":
            return "weekdays:" + ",".join(str(d) for d in sorted(self.weekdays))
        if self.kind == "per_week":
            return f"per_week:{self.times_per_week}"
        return "daily"

    @property
    def frequency(self) -> float:
        """Expected times per day: 1 for daily, len(weekdays)/7, or n/7."""
        if self.kind == "weekdays":
            return len(self.weekdays) / 7
        if self.kind == "per_week":
            return self.times_per_week / 7
        return 1.0

    @property
    def label(self) -> str:
        """Short human text: 'Every day', 'Mon, Wed, Fri', '3× a week'."""
        if self.kind == "weekdays":
            if len(self.weekdays) == 7:
                return "Every day"
            return ", ".join(WEEKDAY_ABBR[d] for d in sorted(self.weekdays))
        if self.kind == "per_week":
            return f"{self.times_per_week}× a week"
        return "Every day"


# --- target ---------------------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Target:
    """The goal of a measured habit: e.g. at least 7 h, at least 112 g, at most 10 h.

    ``per_kg`` is set when the value scales with body weight (protein: grams per kg); ``value`` then
    holds the figure for the catalog's reference weight until the profile replaces it.
    """

    value: float
    unit: str
    direction: Direction = "at_least"
    per_kg: float | None = None

    def __post_init__(self) -> None:
        if not _is_number(self.value):
            raise ValueError(f"target value must be a finite number, not {self.value!r}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"target direction {self.direction!r} is not one of {', '.join(DIRECTIONS)}")
        if self.direction == "at_least" and self.value <= 0:
            raise ValueError(f"an at_least target must be above 0, not {self.value!r}")
        if self.value < 0:
            raise ValueError(f"target value must not be negative, not {self.value!r}")
        if not isinstance(self.unit, str) or not self.unit.strip():
            raise ValueError("target unit must be non-empty text")
        if self.per_kg is not None and (not _is_number(self.per_kg) or self.per_kg <= 0):
            raise ValueError(f"target per_kg must be a positive number, not {self.per_kg!r}")
        object.__setattr__(self, "value", float(self.value))

    def is_met(self, value: float | None) -> bool:
        """Whether a logged value meets the target (no value never does)."""
        if value is None or not _is_number(value):
            return False
        if self.direction == "at_least":
            return value >= self.value
        return value <= self.value

    def fraction(self, value: float | None) -> float:
        """How much of the target a value reaches, in 0..1.

        at_least: value / target, capped at 1; at_most: 1 when met, else 0 (no partial credit).
        """
        if value is None or not _is_number(value):
            return 0.0
        if self.direction == "at_most":
            return 1.0 if self.is_met(value) else 0.0
        return min(1.0, max(0.0, value / self.value))

    @property
    def label(self) -> str:
        sign = "≥" if self.direction == "at_least" else "≤"
        return f"{sign} {self.value:g} {self.unit}"


# --- habit spec -----------------------------------------------------------------------------------

ParamValue = int | float | str


@dataclass(frozen=True)
class HabitSpec:
    """One checklist item: catalog entry or user habit.

    ``params`` holds small per-habit settings as sorted (name, value) pairs, e.g.
    ``("tolerance_min", 30)`` for the bedtime check; read them with :meth:`param`.
    """

    key: str
    category: str
    title: str
    why: str
    details: str
    kind: Kind
    target: Target | None
    schedule: Schedule
    flags: frozenset[str] = frozenset()
    order: int = 0
    caution: str | None = None
    params: tuple[tuple[str, ParamValue], ...] = field(default=())

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not KEY_PATTERN.match(self.key):
            raise ValueError(f"key {self.key!r} must be snake_case: a-z, 0-9 and _, starting with a letter")
        if self.category not in CATEGORIES:
            raise ValueError(f"category {self.category!r} is not one of {', '.join(CATEGORIES)}")
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.kind == "measured" and self.target is None:
            raise ValueError("a measured habit needs a target")
        if self.kind == "check" and self.target is not None:
            raise ValueError("a check habit takes no target")
        if not isinstance(self.schedule, Schedule):
            raise ValueError("schedule must be a Schedule")
        object.__setattr__(self, "flags", frozenset(self.flags))
        unknown = sorted(self.flags - FLAGS)
        if unknown:
            raise ValueError(f"unknown flag {unknown[0]!r} (known: {', '.join(sorted(FLAGS))})")
        params = self.params.items() if isinstance(self.params, Mapping) else self.params
        object.__setattr__(self, "params", tuple(sorted((str(k), v) for k, v in params)))

    @property
    def stimulates_axis(self) -> bool:
        """True for items the safety rules switch off (they aim to stimulate the GH/IGF-1 axis)."""
        return FLAG_STIMULATES_AXIS in self.flags

    @property
    def optional(self) -> bool:
        return FLAG_OPTIONAL in self.flags

    @property
    def enabled_by_default(self) -> bool:
        return FLAG_DEFAULT_OFF not in self.flags

    @property
    def is_measured(self) -> bool:
        return self.kind == "measured"

    def param(self, name: str, default: ParamValue | None = None) -> ParamValue | None:
        """A per-habit setting such as ``tolerance_min``, or ``default``."""
        for key, value in self.params:
            if key == name:
                return value
        return default

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """Checklist order: category display order, then ``order``, then key."""
        return (category_rank(self.category), self.order, self.key)
