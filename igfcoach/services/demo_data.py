"""A realistic, deterministic demo history: for screenshots, benchmarks and trying the app.

One person (46, male, 78 kg, no contraindications) follows the default catalog for ``years`` years ending on
the logical today. Everything comes from one ``random.Random(seed)``, so the same seed and the same "today"
give the same rows.

- Motivation drifts: phases of 3–12 weeks aim at a good, middling or poor level and the daily level eases
  toward it; the first months start middling and the long-run habit gets a little better.
- Weekends differ: later bedtimes, longer sleep, fewer screens-off evenings, weekend HIIT.
- Holidays (training skipped) and short illnesses (everything skipped) a few times a year.
- Training follows a plan (resistance Mon/Wed/Fri with a make-up day, HIIT Tue/Sat); sleep is logged with bed
  and wake times; breathing with minutes; protein in grams against the 1.6 g/kg target.
- An IGF-1 result every 8–16 weeks from a baseline near 95 ng/mL drifting toward about 130, pulled up or
  down by the adherence in the 8 weeks before it, with noise, from three labs with their own ranges (one of
  them reports in nmol/L).
- The nights, workouts (resistance sets with loads that grow slowly, HIIT intervals) and breathing sessions are
  also written to the training tables, matching the ticks.

Rows are inserted in bulk (executemany in one transaction): ten years take a few seconds.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update

from igfcoach.core import igf1
from igfcoach.core.intervals import bedtime_consistent
from igfcoach.core.safety import ScreenAnswers
from igfcoach.services import habits as habit_service
from igfcoach.services import profile as profile_service
from igfcoach.services import safety as safety_service
from igfcoach.services import settings
from igfcoach.store.models import (
    Base,
    BreathingSession,
    CheckOff,
    Exercise,
    Habit,
    HiitSession,
    LabResult,
    ResistanceSession,
    ResistanceSet,
    ScreenAnswerRecord,
    Setting,
    SleepEntry,
)

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

__all__ = [
    "DEFAULT_SEED",
    "DEMO_MARKER",
    "DemoSummary",
    "ExistingData",
    "MAX_YEARS",
    "existing_data",
    "generate",
]

DEFAULT_SEED = 1
MAX_YEARS = 30.0
DEMO_MARKER = "demo_data"  # setting written with the seed, years and date range
BEDTIME_TOLERANCE_MIN = 30  # the catalog's default for "bedtime_consistent"

WEIGHT_KG = 78.0
AGE = 46
SEX = "male"
BEDTIME = time(22, 45)
WAKE_TIME = time(6, 45)
BASELINE_NG = 95.0
DRIFT_TO_NG = 130.0

# (lab name, assay, low, high, unit it prints in)
LABS: tuple[tuple[str, str, float, float, str], ...] = (
    ("Labor Nord", "chemiluminescence immunoassay", 69.0, 200.0, "ng/mL"),
    ("City Medical Lab", "IDS-iSYS", 9.9, 32.8, "nmol/L"),
    ("University Hospital Lab", "LC-MS/MS", 52.0, 328.0, "ng/mL"),
)


class ExistingData(Exception):
    """The data dir already holds data; nothing was written. ``found`` says what (e.g. "12 habits")."""

    def __init__(self, found: list[str]) -> None:
        self.found = found
        shown = ", ".join(found[:3]) + (f" and {len(found) - 3} more kinds of rows" if len(found) > 3 else "")
        super().__init__(
            f"this data dir already holds data ({shown}); demo data is only written into an empty data dir. "
            "Use another --data-dir, or add --force to replace everything in it with demo data (a backup is "
            "made first)."
        )


@dataclass
class DemoSummary:
    """What was written."""

    start: date
    end: date
    seed: int
    habits: int = 0
    checkoffs: int = 0
    lab_results: int = 0
    training_rows: dict[str, int] = field(default_factory=dict)
    backup: str | None = None

    def describe(self) -> str:
        extra = "".join(f", {n:,} {name}" for name, n in self.training_rows.items())
        return (f"{self.habits} habits, {self.checkoffs:,} check-offs, {self.lab_results} lab results{extra}, "
                f"from {self.start.isoformat()} to {self.end.isoformat()} (seed {self.seed})")


# --------------------------------------------------------------------------------------------------- refusing


_FIRST = ("habits", "checkoffs", "lab_results")
_TABLE_NAMES = {"checkoffs": "check-offs", "lab_results": "lab results", "screen_answers": "safety screen answers"}


def _data_tables() -> list:
    return [t for t in Base.metadata.sorted_tables if t.name != "alembic_version"]


def existing_data(ctx: AppContext) -> list[str]:
    """What the data dir holds, as "N <table>" phrases (empty when there is nothing of the user's).

    Every table counts, settings included, except settings that only record that a hint was shown.
    """
    found: list[tuple[int, int, str]] = []
    with ctx.db.transaction() as s:
        for rank, table in enumerate(_data_tables()):
            q = select(func.count()).select_from(table)
            if table.name == Setting.__tablename__:
                q = q.where(Setting.key.not_in(tuple(settings.DEFAULTS)))
            elif table.name == Exercise.__tablename__:
                q = q.where(Exercise.builtin.is_(False))  # the built-in list comes with every database
            n = int(s.scalar(q) or 0)
            if n:
                first = table.name in _FIRST  # the tables a person recognises come first
                name = _TABLE_NAMES.get(table.name, table.name.replace("_", " "))
                found.append((0 if first else 1, rank, f"{n:,} {name}"))
    return [text for *_order, text in sorted(found)]


def _wipe(ctx: AppContext) -> None:
    """Empty every table (the built-in exercise list stays)."""
    with ctx.db.transaction() as s:
        for table in reversed(_data_tables()):
            if table.name == Exercise.__tablename__:
                s.execute(delete(table).where(Exercise.builtin.is_(False)))
            else:
                s.execute(delete(table))


# --------------------------------------------------------------------------------------------------- the person


@dataclass
class _Day:
    day: date
    level: float  # 0..1, how well things are going
    weekend_night: bool  # the night before this day was a Friday or Saturday night
    holiday: bool
    ill: bool


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return lo if x < lo else hi if x > hi else x


def _levels(rng: random.Random, n: int) -> list[float]:
    """A motivation level per day: phases aiming at good, middling or poor, eased toward day by day."""
    out: list[float] = []
    level = 0.5
    i = 0
    first = True
    while i < n:
        length = rng.randint(21, 84)
        if first:
            aim = rng.uniform(0.55, 0.65)
            first = False
        else:
            kind = rng.choices(("good", "middling", "poor"), weights=(0.5, 0.33, 0.17))[0]
            aim = {"good": rng.uniform(0.82, 0.95), "middling": rng.uniform(0.62, 0.76),
                   "poor": rng.uniform(0.3, 0.5)}[kind]
        for _ in range(min(length, n - i)):
            progress = min(1.0, i / 730)  # the habit settles in over about two years
            target = aim + 0.06 * progress
            level += (target - level) * 0.07 + rng.gauss(0, 0.012)
            out.append(_clamp(level, 0.05, 0.98))
            i += 1
    return out


def _breaks(rng: random.Random, n: int) -> tuple[set[int], set[int]]:
    """Day indexes of holidays (training skipped) and illnesses (everything skipped)."""
    holidays: set[int] = set()
    ill: set[int] = set()
    years = max(1, round(n / 365))
    for _ in range(2 * years):
        s = rng.randrange(n)
        holidays.update(range(s, min(n, s + rng.randint(5, 14))))
    for _ in range(rng.randint(1, 2) * years):
        s = rng.randrange(n)
        ill.update(range(s, min(n, s + rng.randint(2, 5))))
    return holidays, ill


def _minutes_to_time(m: float) -> time:
    total = int(round(m)) % (24 * 60)
    return time(total // 60, total % 60)


# --------------------------------------------------------------------------------------------------- generation


@dataclass
class _Rows:
    checkoffs: list[dict[str, Any]] = field(default_factory=list)
    labs: list[dict[str, Any]] = field(default_factory=list)
    sleep: list[dict[str, Any]] = field(default_factory=list)
    resistance: list[tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)  # session, sets
    hiit: list[dict[str, Any]] = field(default_factory=list)
    breathing: list[dict[str, Any]] = field(default_factory=list)


# Two alternating resistance days of compound lifts: (exercise, starting load in kg; 0 = body weight).
WORKOUTS: tuple[tuple[tuple[str, float], ...], ...] = (
    (("Squat", 70.0), ("Bench press", 55.0), ("Row", 50.0), ("Hip thrust", 70.0)),
    (("Deadlift", 90.0), ("Overhead press", 35.0), ("Pull-up", 0.0), ("Lunge", 20.0)),
)
BREATH_PATTERN_KEYS = ("slow", "slow", "box", "478")


def generate(
    ctx: AppContext,
    years: float = 3.0,
    *,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    end: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Fill the data dir with a demo history of ``years`` years ending on ``end`` (default: the logical today).

    Raises :class:`ExistingData` (writing nothing) when the data dir already holds data, unless ``force``:
    then the database is backed up and emptied first.
    """
    if not (isinstance(years, (int, float)) and not isinstance(years, bool) and 0 < years <= MAX_YEARS):
        raise ValueError(f"years: {years!r} must be a number above 0 and at most {MAX_YEARS:g}")
    say = progress or (lambda _msg: None)
    found = existing_data(ctx)
    backup_path = None
    if found:
        if not force:
            raise ExistingData(found)
        from igfcoach.services.backups import make_backup

        backup_path = str(make_backup(ctx, reason="before-demo-data"))
        say(f"backed up the existing data to {backup_path}")
        _wipe(ctx)

    end = end or ctx.today()
    n = max(1, int(round(years * 365.25)))
    start = end - timedelta(days=n - 1)
    tz = ctx.clock.now().tzinfo
    rng = random.Random(seed)
    summary = DemoSummary(start=start, end=end, seed=seed, backup=backup_path)

    # The person: profile, safety screen (no contraindications), the default catalog with a body weight.
    habit_service.seed_from_catalog(ctx, weight_kg=WEIGHT_KG)
    profile_service.save(ctx, profile_service.Profile(
        weight_kg=WEIGHT_KG, bedtime=BEDTIME, wake_time=WAKE_TIME, sleep_goal_h=8.0, lab_unit="ng/mL",
        onboarded=True,
    ))
    safety_service.record_answers(ctx, ScreenAnswers(age=AGE, sex=SEX))
    started = datetime.combine(start, time(8, 0), tzinfo=tz)
    with ctx.db.transaction() as s:
        s.execute(update(Habit).values(created_at=started))
        s.execute(update(ScreenAnswerRecord).values(recorded_at=started))
        rows = list(s.execute(select(Habit.id, Habit.key, Habit.target_value)))
    ids = {key: hid for hid, key, _ in rows}
    targets = {key: tv for _, key, tv in rows}
    summary.habits = len(rows)

    say(f"generating {n:,} days")
    levels = _levels(rng, n)
    holidays, ill = _breaks(rng, n)
    out = _Rows()
    days: list[_Day] = []
    for i in range(n):
        d = start + timedelta(days=i)
        days.append(_Day(d, levels[i], (d.weekday() in (5, 6)), i in holidays, i in ill))
    _simulate(rng, days, ids, targets, tz, out)
    _lab_results(rng, days, tz, out)

    say(f"writing {len(out.checkoffs):,} check-offs and {len(out.labs)} lab results")
    with ctx.db.transaction() as s:
        if out.checkoffs:
            s.execute(insert(CheckOff), out.checkoffs)
        if out.labs:
            s.execute(insert(LabResult), out.labs)
        settings.put_in(s, **{DEMO_MARKER: {
            "seed": seed, "years": years, "start": start.isoformat(), "end": end.isoformat()}})
    summary.checkoffs = len(out.checkoffs)
    summary.lab_results = len(out.labs)
    summary.training_rows = _write_training(ctx, out)
    return summary


def _at(day: date, minutes_after_midnight: float, tz: tzinfo | None) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz) + timedelta(minutes=round(minutes_after_midnight))


def _simulate(
    rng: random.Random, days: list[_Day], ids: dict[str, int], targets: dict[str, float | None],
    tz: tzinfo | None, out: _Rows,
) -> None:
    """Decide every habit on every day; append check-off rows and the training/sleep/breathing details."""
    chance = rng.random
    gauss = rng.gauss
    protein_target = targets.get("protein") or 125.0
    bed_target = BEDTIME.hour * 60 + BEDTIME.minute  # minutes after midnight of the evening before
    wake_target = WAKE_TIME.hour * 60 + WAKE_TIME.minute

    def add(key: str, day: date, *, done: bool = False, value: float | None = None, skipped: bool = False,
            source: str = "manual") -> None:
        hid = ids.get(key)
        if hid is None:
            return
        out.checkoffs.append({
            "habit_id": hid, "day": day, "done": done, "value": value, "note": None, "skipped": skipped,
            "source": source, "updated_at": _at(day, 21 * 60 + 30, tz),
        })

    resistance_pending = False  # a missed planned session may be made up the next day
    sessions = 0
    for index, info in enumerate(days):
        d, level = info.day, info.level
        wd = d.weekday()
        if info.ill:
            for key in ids:
                if key != "sleep_duration" or chance() < 0.5:
                    add(key, d, skipped=True)
            resistance_pending = False
            continue

        # ---- the night before: bedtime, wake time, duration
        late = 45 if info.weekend_night else 0
        spread = 18 + (1 - level) * 55
        bed = bed_target + late + gauss(0, spread) + (1 - level) * 25
        wake = wake_target + (70 if info.weekend_night else 0) + gauss(0, 20)
        hours_slept = max(4.0, min(10.5, (wake + 24 * 60 - bed) / 60))
        bed = wake + 24 * 60 - hours_slept * 60
        logged = chance() < 0.7 + 0.25 * level
        cool_dark = chance() < level + 0.1
        screens_off = chance() < level - 0.12 - (0.18 if wd in (4, 5) else 0.0)
        if logged:
            # A sleep entry ticks the four sleep items, as services/autotick.py does for a logged night.
            bedtime, wake_at = _at(d - timedelta(days=1), bed, tz), _at(d, wake, tz)
            out.sleep.append({
                "day": d, "bedtime": bedtime, "wake": wake_at,
                "quality": max(1, min(5, round(2 + 3 * level + gauss(0, 0.7)))),
                "cool_dark": cool_dark, "screens_off": screens_off, "notes": "",
            })
            hours = round((wake_at - bedtime).total_seconds() / 3600, 2)
            on_time = bedtime_consistent(bedtime.time(), BEDTIME, BEDTIME_TOLERANCE_MIN)
            add("sleep_duration", d, value=hours, done=hours >= 7, source="sleep")
            for key, done in (("bedtime_consistent", on_time), ("bedroom_cool_dark", cool_dark),
                              ("screens_off", screens_off)):
                if done:
                    add(key, d, done=True, source="sleep")
        else:  # no entry that night: the room and screens items are sometimes ticked by hand
            if cool_dark and chance() < 0.6:
                add("bedroom_cool_dark", d, done=True)
            if screens_off and chance() < 0.6:
                add("screens_off", d, done=True)

        # ---- training
        if info.holiday:
            for key, planned in (("resistance", wd in (0, 2, 4)), ("hiit", wd in (1, 5)),
                                 ("post_workout_meal", wd in (0, 2, 4))):
                if planned and chance() < 0.8:
                    add(key, d, skipped=True)
            resistance_pending = False
        else:
            trained = False
            if wd in (0, 2, 4) or resistance_pending:
                if chance() < level + 0.05:
                    add("resistance", d, done=True, source="resistance")
                    out.resistance.append(_resistance_session(rng, d, index, level, sessions, tz))
                    sessions += 1
                    trained = True
                    resistance_pending = False
                else:
                    resistance_pending = wd in (0, 2) and chance() < 0.35
            if wd in (1, 5) and chance() < level - 0.05:
                add("hiit", d, done=True, source="hiit")
                rounds = rng.randint(6, 10)
                completed = rounds if chance() < 0.85 else rng.randint(max(1, rounds - 3), rounds - 1)
                out.hiit.append({
                    "day": d, "started_at": _at(d, 7 * 60 + rng.randint(0, 45), tz), "plan_name": "Demo intervals",
                    "warmup_s": 300, "work_s": rng.choice((20, 30, 40)), "rest_s": rng.choice((40, 60, 90)),
                    "rounds": rounds, "cooldown_s": 180, "completed_rounds": completed, "rpe": rng.randint(6, 9),
                    "notes": "",
                })
                trained = trained or chance() < 0.5
            if trained and chance() < 0.85:
                add("post_workout_meal", d, done=True)

        # ---- nutrition
        if chance() < 0.6 + 0.35 * level:
            grams = protein_target * _clamp(gauss(0.8 + 0.25 * level, 0.12), 0.35, 1.6)
            grams = float(round(grams / 5) * 5)
            add("protein", d, value=grams, done=grams >= protein_target)  # as checklist.record derives it

        # ---- stress
        if chance() < level - 0.05:
            minutes = float(rng.choice((10, 10, 10, 12, 15, 15, 20)))
            add("breathing", d, value=minutes, done=True, source="breathing")
        elif chance() < 0.25:
            minutes = float(rng.randint(3, 8))
            add("breathing", d, value=minutes, done=False, source="breathing")
        else:
            minutes = 0.0
        if minutes:
            out.breathing.append({"day": d, "pattern": rng.choice(BREATH_PATTERN_KEYS), "minutes": minutes,
                                  "started_at": _at(d, 21 * 60 + rng.randint(0, 60), tz)})

        # ---- micronutrients
        winter = d.month in (11, 12, 1, 2, 3)
        for key, offset in (("zinc", 0.0), ("magnesium", -0.08), ("vitamin_d", 0.06 if winter else -0.04)):
            if chance() < level + offset:
                add(key, d, done=True)


def _resistance_session(
    rng: random.Random, d: date, index: int, level: float, number: int, tz: tzinfo | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One session of the alternating plan: 3 sets per lift, loads growing slowly over the years."""
    growth = 1 + 0.4 * (1 - math.exp(-index / 900)) * (0.8 + 0.4 * level)
    session = {"day": d, "started_at": _at(d, 17 * 60 + 30 + rng.randint(0, 90), tz), "notes": ""}
    sets: list[dict[str, Any]] = []
    for exercise, base in WORKOUTS[number % 2]:
        load = round(base * growth / 2.5) * 2.5 if base else 0.0
        reps = rng.randint(6, 10)
        for set_no in range(1, 4):
            sets.append({
                "exercise": exercise, "set_no": len(sets) + 1, "reps": max(1, reps - (set_no - 1) // 2),
                "load": float(load), "unit": "kg", "to_failure": set_no == 3 and rng.random() < 0.3,
                "rest_s": rng.choice((60, 90, 90, 120)),
            })
    return session, sets


def _lab_results(rng: random.Random, days: list[_Day], tz: tzinfo | None, out: _Rows) -> None:
    """An IGF-1 result every 8–16 weeks: baseline ~95 ng/mL drifting toward ~130, following adherence loosely."""
    n = len(days)
    i = rng.randint(7, 20)
    while i < n:
        d = days[i].day
        shift = (4 - d.weekday()) if d.weekday() > 4 else 0  # labs draw on weekdays: move to Friday
        j = i + shift if shift else i
        d = days[j].day
        window = [x.level for x in days[max(0, j - 56):j]] or [days[j].level]
        adherence = sum(window) / len(window)
        drift = (DRIFT_TO_NG - BASELINE_NG) * (1 - math.exp(-j / 420))
        value_ng = BASELINE_NG + drift + 55 * (adherence - 0.72) + rng.gauss(0, 6)
        value_ng = max(60.0, value_ng)
        name, assay, low, high, unit = LABS[rng.choices((0, 1, 2), weights=(0.55, 0.3, 0.15))[0]]
        if unit == "nmol/L":
            entered = round(igf1.from_ng_ml(value_ng, unit), 1)
        else:
            entered = float(round(value_ng))
        drawn_at = f"{rng.randint(7, 9):02d}:{rng.choice((0, 10, 15, 20, 30, 40, 45)):02d}"
        created = _at(d, 18 * 60, tz)
        out.labs.append({
            "drawn_on": d, "drawn_at_time": drawn_at, "value_ng": igf1.to_ng_ml(entered, unit),
            "entered_value": entered, "entered_unit": unit,
            "lab_low_ng": igf1.to_ng_ml(low, unit), "lab_high_ng": igf1.to_ng_ml(high, unit),
            "lab_name": name, "assay": assay, "fasting": True, "biotin_72h": False,
            "notes": "" if j else "Baseline before starting.", "created_at": created, "updated_at": created,
        })
        i = j + 7 * rng.randint(8, 16)


def _write_training(ctx: AppContext, out: _Rows) -> dict[str, int]:
    """Nights, workouts (with their sets) and breathing sessions into the training tables."""
    with ctx.db.transaction() as s:
        if out.sleep:
            s.execute(insert(SleepEntry), out.sleep)
        if out.hiit:
            s.execute(insert(HiitSession), out.hiit)
        if out.breathing:
            s.execute(insert(BreathingSession), out.breathing)
        next_id = int(s.scalar(select(func.max(ResistanceSession.id))) or 0) + 1
        sessions: list[dict[str, Any]] = []
        sets: list[dict[str, Any]] = []
        for session, its_sets in out.resistance:
            sessions.append({**session, "id": next_id})
            sets.extend({**row, "session_id": next_id} for row in its_sets)
            next_id += 1
        if sessions:
            s.execute(insert(ResistanceSession), sessions)
            s.execute(insert(ResistanceSet), sets)
    return {"nights": len(out.sleep), "resistance sessions": len(sessions), "sets": len(sets),
            "HIIT sessions": len(out.hiit), "breathing sessions": len(out.breathing)}
