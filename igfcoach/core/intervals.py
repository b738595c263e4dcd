"""Timed practice, pure: HIIT plans and rest timers as phase sequences, breathing patterns, sleep
arithmetic, training volume, and validation with messages that name the field.

Nothing here reads a clock: callers pass elapsed seconds or datetimes, so a whole 20-minute plan can be
walked through in a test without waiting.

Rules worth knowing:
- A HIIT plan is warm-up, then ``rounds`` × (work, rest), then cool-down. The rest after the last work
  interval is left out (the cool-down follows straight away); zero-length warm-up or cool-down is left out.
- A breathing session is a whole number of breaths: enough to reach the chosen length (rounded up), so a
  10-minute practice never logs 9.9 minutes.
- Sleep is from bedtime to the wake-up time on the wake-up day; a bedtime later in the day than the wake
  time is the evening before (23:10 → 07:05 is 7 h 55 min). Durations are real elapsed time, so a night
  across a DST change is an hour shorter or longer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from igfcoach.core import days

# --- errors ----------------------------------------------------------------------------------------


class PracticeInputError(ValueError):
    """Bad input; ``field`` names the field and the message starts with it ("reps: 0 is not ...")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class NeedsConfirmation(PracticeInputError):
    """Believable but unusual input (a 21-hour "sleep"): save it only when the person confirms."""


# --- phases ----------------------------------------------------------------------------------------

WARMUP, WORK, REST, COOLDOWN = "warmup", "work", "rest", "cooldown"
INHALE, HOLD_IN, EXHALE, HOLD_OUT = "inhale", "hold_in", "exhale", "hold_out"

PHASE_TITLES = {
    WARMUP: "Warm-up",
    WORK: "Work",
    REST: "Rest",
    COOLDOWN: "Cool-down",
    INHALE: "Breathe in",
    HOLD_IN: "Hold",
    EXHALE: "Breathe out",
    HOLD_OUT: "Hold",
}


@dataclass(frozen=True)
class PhaseSpec:
    """One step of a sequence: what it is, how long (seconds), and its round (0 when not counted)."""

    kind: str
    duration_s: float
    round: int = 0

    @property
    def title(self) -> str:
        return PHASE_TITLES.get(self.kind, self.kind.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Phase:
    """Where a sequence stands at some elapsed time."""

    index: int  # position in the sequence; len(phases) once finished
    kind: str
    round: int
    rounds: int  # rounds in the whole sequence (0 when none are counted)
    start_s: float  # when this phase began, seconds from the start of the sequence
    duration_s: float
    elapsed_s: float  # seconds since the sequence started
    total_s: float
    finished: bool = False

    @property
    def title(self) -> str:
        return "Done" if self.finished else PHASE_TITLES.get(self.kind, self.kind)

    @property
    def into_phase_s(self) -> float:
        return min(self.duration_s, max(0.0, self.elapsed_s - self.start_s))

    @property
    def remaining_s(self) -> float:
        """Seconds left in this phase."""
        return max(0.0, self.duration_s - self.into_phase_s)

    @property
    def fraction(self) -> float:
        """How far into this phase, 0..1."""
        return 1.0 if self.duration_s <= 0 else self.into_phase_s / self.duration_s

    @property
    def total_remaining_s(self) -> float:
        return max(0.0, self.total_s - self.elapsed_s)


def total_seconds(phases: Sequence[PhaseSpec]) -> float:
    return float(sum(p.duration_s for p in phases))


def phase_at(phases: Sequence[PhaseSpec], elapsed_s: float) -> Phase:
    """The phase running ``elapsed_s`` seconds after the start (a phase owns [start, end)).

    At or after the end the result has ``finished`` set and describes the last phase, fully done.
    """
    if not phases:
        raise ValueError("a sequence needs at least one phase")
    elapsed_s = max(0.0, float(elapsed_s))
    rounds = max((p.round for p in phases), default=0)
    total = total_seconds(phases)
    start = 0.0
    for i, p in enumerate(phases):
        end = start + p.duration_s
        if elapsed_s < end:
            return Phase(i, p.kind, p.round, rounds, start, p.duration_s, elapsed_s, total)
        start = end
    last = phases[-1]
    return Phase(len(phases), last.kind, last.round, rounds, total - last.duration_s, last.duration_s,
                 min(elapsed_s, total), total, finished=True)


def phase_starts(phases: Sequence[PhaseSpec]) -> list[float]:
    """When each phase begins, in seconds from the start."""
    out, start = [], 0.0
    for p in phases:
        out.append(start)
        start += p.duration_s
    return out


# --- HIIT plans ------------------------------------------------------------------------------------

# Limits: generous, but they catch typos such as 900 rounds or a 3-hour warm-up.
WORK_RANGE = (5, 600)
REST_RANGE = (0, 900)
ROUNDS_RANGE = (1, 50)
WARM_COOL_RANGE = (0, 1800)
RPE_RANGE = (1, 10)


@dataclass(frozen=True)
class IntervalPlan:
    """A HIIT plan, in whole seconds."""

    warmup_s: int
    work_s: int
    rest_s: int
    rounds: int
    cooldown_s: int

    @property
    def total_s(self) -> int:
        return int(total_seconds(hiit_phases(self)))

    @property
    def label(self) -> str:
        """'8 × 30 s work / 90 s rest'."""
        return f"{self.rounds} × {_short(self.work_s)} work / {_short(self.rest_s)} rest"


#: Plans offered before the person saves their own (name, plan).
BUILTIN_PLANS: tuple[tuple[str, IntervalPlan], ...] = (
    ("Classic 8 × 30/90", IntervalPlan(warmup_s=300, work_s=30, rest_s=90, rounds=8, cooldown_s=180)),
    ("Beginner 6 × 20/100", IntervalPlan(warmup_s=300, work_s=20, rest_s=100, rounds=6, cooldown_s=180)),
    ("Tabata 8 × 20/10", IntervalPlan(warmup_s=300, work_s=20, rest_s=10, rounds=8, cooldown_s=180)),
)


def _short(seconds: float) -> str:
    """'30 s', '90 s', '2 min', '2:30 min'."""
    seconds = int(round(seconds))
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds // 60} min"
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds // 60}:{seconds % 60:02d} min"


def whole_in_range(field: str, value: object, lo: int, hi: int, unit: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PracticeInputError(field, f"{value!r} is not a number")
    if float(value) != int(value):
        raise PracticeInputError(field, f"{value:g} is not a whole number")
    value = int(value)
    if not lo <= value <= hi:
        suffix = f" {unit}" if unit else ""
        raise PracticeInputError(field, f"{value}{suffix} is outside {lo}–{hi}{suffix}")
    return value


def validate_plan(plan: IntervalPlan) -> IntervalPlan:
    """The plan with whole-number fields, or PracticeInputError naming the first bad field."""
    return IntervalPlan(
        warmup_s=whole_in_range("warm-up", plan.warmup_s, *WARM_COOL_RANGE, unit="s"),
        work_s=whole_in_range("work", plan.work_s, *WORK_RANGE, unit="s"),
        rest_s=whole_in_range("rest", plan.rest_s, *REST_RANGE, unit="s"),
        rounds=whole_in_range("rounds", plan.rounds, *ROUNDS_RANGE),
        cooldown_s=whole_in_range("cool-down", plan.cooldown_s, *WARM_COOL_RANGE, unit="s"),
    )


def validate_rpe(rpe: object) -> int | None:
    if rpe is None:
        return None
    return whole_in_range("effort (RPE)", rpe, *RPE_RANGE)


def validate_completed_rounds(completed: object, plan: IntervalPlan) -> int:
    return whole_in_range("completed rounds", completed, 0, plan.rounds)


def hiit_phases(plan: IntervalPlan) -> list[PhaseSpec]:
    """Warm-up, work/rest × rounds (no rest after the last work), cool-down."""
    phases: list[PhaseSpec] = []
    if plan.warmup_s > 0:
        phases.append(PhaseSpec(WARMUP, plan.warmup_s))
    for r in range(1, plan.rounds + 1):
        phases.append(PhaseSpec(WORK, plan.work_s, r))
        if plan.rest_s > 0 and r < plan.rounds:
            phases.append(PhaseSpec(REST, plan.rest_s, r))
    if plan.cooldown_s > 0:
        phases.append(PhaseSpec(COOLDOWN, plan.cooldown_s))
    return phases


def completed_rounds_at(phases: Sequence[PhaseSpec], elapsed_s: float) -> int:
    """Work intervals finished by ``elapsed_s`` (for a session stopped early)."""
    done, start = 0, 0.0
    for p in phases:
        start += p.duration_s
        if p.kind == WORK and start <= elapsed_s:
            done = max(done, p.round)
    return done


# --- rest timer ------------------------------------------------------------------------------------

DEFAULT_REST_S = 90
REST_TIMER_RANGE = (10, 600)


def rest_phases(seconds: int = DEFAULT_REST_S) -> list[PhaseSpec]:
    """A rest timer between sets: one rest phase."""
    return [PhaseSpec(REST, whole_in_range("rest", seconds, *REST_TIMER_RANGE, unit="s"))]


# --- breathing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreathPattern:
    key: str
    title: str
    short: str
    inhale_s: float
    hold_in_s: float
    exhale_s: float
    hold_out_s: float
    description: str

    @property
    def cycle_s(self) -> float:
        return self.inhale_s + self.hold_in_s + self.exhale_s + self.hold_out_s

    @property
    def breaths_per_minute(self) -> float:
        return 60.0 / self.cycle_s

    def cycle(self) -> list[PhaseSpec]:
        steps = ((INHALE, self.inhale_s), (HOLD_IN, self.hold_in_s), (EXHALE, self.exhale_s),
                 (HOLD_OUT, self.hold_out_s))
        return [PhaseSpec(kind, s) for kind, s in steps if s > 0]


_SLOW_HALF = 60.0 / 5.5 / 2  # 5.5 breaths a minute: 5.45 s in, 5.45 s out

BREATH_PATTERNS: dict[str, BreathPattern] = {
    "slow": BreathPattern("slow", "Slow breathing, 5.5 a minute", "Slow 5.5/min", _SLOW_HALF, 0, _SLOW_HALF, 0,
                          "Even, slow breaths in and out through the nose: about 5½ seconds in, 5½ out."),
    "box": BreathPattern("box", "Box breathing, 4-4-4-4", "Box 4-4-4-4", 4, 4, 4, 4,
                         "In for 4 seconds, hold for 4, out for 4, hold for 4."),
    "478": BreathPattern("478", "4-7-8 breathing", "4-7-8", 4, 7, 8, 0,
                         "In through the nose for 4 seconds, hold for 7, out through the mouth for 8."),
}
DEFAULT_PATTERN = "slow"
BREATHING_MINUTES_RANGE = (1, 180)
MIN_LOGGED_BREATHING_MIN = 1.0  # stopping earlier logs nothing


def breathing_phases(pattern: str | BreathPattern, minutes: float) -> list[PhaseSpec]:
    """Whole breaths of the pattern covering at least ``minutes`` (each breath's steps are numbered)."""
    p = BREATH_PATTERNS.get(pattern) if isinstance(pattern, str) else pattern
    if p is None:
        raise PracticeInputError("pattern", f"{pattern!r} is not one of {', '.join(BREATH_PATTERNS)}")
    minutes = validate_breathing_minutes(minutes)
    cycles = max(1, math.ceil(minutes * 60 / p.cycle_s - 1e-9))
    out: list[PhaseSpec] = []
    for n in range(1, cycles + 1):
        out.extend(PhaseSpec(s.kind, s.duration_s, n) for s in p.cycle())
    return out


def validate_breathing_minutes(minutes: object) -> float:
    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not math.isfinite(minutes):
        raise PracticeInputError("minutes", f"{minutes!r} is not a number")
    lo, hi = BREATHING_MINUTES_RANGE
    if not lo <= minutes <= hi:
        raise PracticeInputError("minutes", f"{minutes:g} min is outside {lo}–{hi} min")
    return float(minutes)


def breath_level(phase: Phase) -> float:
    """How full the lungs are, 0..1, eased so the pacer circle moves smoothly (slow at the turns)."""
    eased = (1 - math.cos(math.pi * phase.fraction)) / 2
    if phase.kind == INHALE:
        return 0.0 if phase.finished else eased
    if phase.kind == EXHALE:
        return 0.0 if phase.finished else 1.0 - eased
    if phase.kind == HOLD_IN:
        return 1.0
    return 0.0


def logged_breathing_minutes(elapsed_s: float) -> float | None:
    """Minutes to log for a session that ran ``elapsed_s`` seconds (one decimal), or None under a minute."""
    minutes = math.floor(max(0.0, elapsed_s) / 6) / 10  # round down to 0.1 min: never credit unbreathed time
    return minutes if minutes >= MIN_LOGGED_BREATHING_MIN else None


# --- sleep -----------------------------------------------------------------------------------------

LONG_SLEEP_H = 20.0  # more than this asks for confirmation
QUALITY_RANGE = (1, 5)


@dataclass(frozen=True)
class SleepWindow:
    bedtime: datetime
    wake: datetime

    @property
    def duration(self) -> timedelta:
        return _utc(self.wake) - _utc(self.bedtime)

    @property
    def hours(self) -> float:
        return self.duration.total_seconds() / 3600


def _utc(dt: datetime) -> datetime:
    return dt.astimezone(timezone.utc) if dt.tzinfo is not None else dt


def sleep_window(wake_day: date, bedtime: time, wake: time, tz: tzinfo | None = None) -> SleepWindow:
    """Bedtime and wake-up as datetimes for the night ending on ``wake_day`` (aware when ``tz`` is given).

    The bedtime is on the wake-up day when it is earlier in the day than the wake time (01:30 → 08:00),
    otherwise on the evening before (23:10 → 07:05). Equal times are refused (no sleep, or 24 h).
    """
    bedtime, wake = bedtime.replace(second=0, microsecond=0), wake.replace(second=0, microsecond=0)
    if bedtime == wake:
        raise PracticeInputError("wake time", f"{wake:%H:%M} is the same as the bedtime")
    bed_day = wake_day if bedtime < wake else wake_day - timedelta(days=1)
    bed_dt, wake_dt = datetime.combine(bed_day, bedtime), datetime.combine(wake_day, wake)
    if tz is not None:
        bed_dt, wake_dt = days.localize(bed_dt, tz), days.localize(wake_dt, tz)
    return SleepWindow(bed_dt, wake_dt)


def validate_sleep(window: SleepWindow, *, confirm: bool = False, quality: object = None) -> int | None:
    """Check a night (returns the quality as an int or None); a >20 h night needs ``confirm``."""
    hours = window.hours
    if hours <= 0:
        raise PracticeInputError("wake time", "comes before the bedtime")
    if hours > 24:
        raise PracticeInputError("bedtime", f"{format_duration(window.duration)} of sleep is more than a day")
    if hours > LONG_SLEEP_H and not confirm:
        raise NeedsConfirmation(
            "sleep", f"{format_duration(window.duration)} between bedtime and wake-up is more than "
            f"{LONG_SLEEP_H:g} hours; check the times, or confirm that this is right")
    if quality is None:
        return None
    return whole_in_range("quality", quality, *QUALITY_RANGE)


def bedtime_deviation_min(bedtime: time, target: time) -> int:
    """Signed minutes from the target bedtime (positive = later), across midnight (see days.minutes_off)."""
    return days.minutes_off(bedtime, target)


def bedtime_consistent(bedtime: time, target: time, tolerance_min: int = 30) -> bool:
    return days.bedtime_on_time(bedtime, target, tolerance_min)


def format_duration(td: timedelta | float) -> str:
    """'7 h 55 min' (seconds are dropped; a float is hours)."""
    minutes = int(round((td.total_seconds() / 60) if isinstance(td, timedelta) else td * 60))
    h, m = divmod(minutes, 60)
    if h and m:
        return f"{h} h {m} min"
    return f"{h} h" if h else f"{m} min"


def format_deviation(minutes: int) -> str:
    """'on time', '40 min later', '1 h 5 min earlier' than the target."""
    if minutes == 0:
        return "on time"
    return f"{format_duration(abs(minutes) / 60)} {'later' if minutes > 0 else 'earlier'}"


# --- resistance ------------------------------------------------------------------------------------

KG_PER_LB = 0.45359237
LOAD_UNITS = ("kg", "lb")
REPS_RANGE = (1, 100)
MAX_LOAD_KG = 1000.0


def convert_load(value: float, from_unit: str, to_unit: str) -> float:
    """A load in another unit (1 lb = 0.45359237 kg exactly)."""
    for u in (from_unit, to_unit):
        if u not in LOAD_UNITS:
            raise PracticeInputError("unit", f"{u!r} is not kg or lb")
    if from_unit == to_unit:
        return float(value)
    return value * KG_PER_LB if from_unit == "lb" else value / KG_PER_LB


@dataclass(frozen=True)
class SetSpec:
    reps: int
    load: float
    unit: str = "kg"
    to_failure: bool = False


def validate_set(reps: object, load: object, unit: str) -> SetSpec:
    """Reps 1–100 and a load of 0–1000 kg (or the same in lb); 0 is a body-weight set."""
    if unit not in LOAD_UNITS:
        raise PracticeInputError("unit", f"{unit!r} is not kg or lb")
    n = whole_in_range("reps", reps, *REPS_RANGE)
    if isinstance(load, bool) or not isinstance(load, (int, float)) or not math.isfinite(load):
        raise PracticeInputError("load", f"{load!r} is not a number")
    if load < 0:
        raise PracticeInputError("load", f"{load:g} {unit} is negative")
    if convert_load(load, unit, "kg") > MAX_LOAD_KG + 1e-9:
        limit = MAX_LOAD_KG if unit == "kg" else round(convert_load(MAX_LOAD_KG, "kg", "lb"))
        raise PracticeInputError("load", f"{load:g} {unit} is more than {limit:g} {unit}; check the number")
    return SetSpec(n, float(load), unit)


_SET_RE = re.compile(
    r"^\s*(?P<reps>[+-]?\d+)\s*[x×*]\s*(?P<load>[+-]?\d+(?:[.,]\d+)?)\s*(?P<unit>kg|kgs|lb|lbs)?\s*$",
    re.IGNORECASE,
)


def parse_set(text: str, default_unit: str = "kg") -> SetSpec:
    """Parse ``5x100kg``, ``5×100``, ``8x135lb`` or ``10x0`` (body weight) into a validated set."""
    m = _SET_RE.match(text or "")
    if not m:
        raise PracticeInputError("set", f"{text!r} is not like 5x100kg (reps x load, kg or lb)")
    unit = (m["unit"] or default_unit).lower().rstrip("s")
    return validate_set(int(m["reps"]), float(m["load"].replace(",", ".")), unit)


def set_volume(s: SetSpec, unit: str) -> float:
    return s.reps * convert_load(s.load, s.unit, unit)


def session_volume(sets: Iterable[SetSpec], unit: str) -> float:
    """Sum of reps × load, in ``unit``."""
    return float(sum(set_volume(s, unit) for s in sets))


def format_load(value: float, unit: str) -> str:
    """'100 kg', '102.5 kg', '225 lb' (at most one decimal)."""
    rounded = round(value, 1)
    text = f"{rounded:.1f}".rstrip("0").rstrip(".")
    return f"{text} {unit}"


def format_set(s: SetSpec, unit: str | None = None) -> str:
    """'5 × 100 kg' (in ``unit`` when given), with ' (to failure)'."""
    unit = unit or s.unit
    load = convert_load(s.load, s.unit, unit)
    core = f"{s.reps} × {format_load(load, unit)}" if load > 0 else f"{s.reps} × body weight"
    return core + (" (to failure)" if s.to_failure else "")


def format_clock(seconds: float) -> str:
    """A countdown as 'm:ss' (rounded up, so the display reaches 0:00 only at the end)."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"
