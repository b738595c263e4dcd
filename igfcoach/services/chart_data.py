"""Everything the Charts page (and ``igfcoach chart``) draws, loaded in one transaction and returned as plain series.

numpy is imported here, so import this module only when a chart is about to be drawn (the Charts page's
first opening, a chart command, the benchmark); nothing imports it at start-up.

Speed with ten years of data: the check-offs are read with one plain SQL query (days as ordinals computed by
SQLite, no ORM objects) into numpy arrays. The two steps that touch every habit on every day (due/done flags
and the strength score) are vectorised here; tests check them against the pure definitions in
:mod:`igfcoach.core.analysis` (``day_flags``) and :mod:`igfcoach.core.scores` (``score_series``). Everything
computed from per-day totals (rolling averages, windows before each test, correlation, sleep regularity, weekly
volume) is done by :mod:`igfcoach.core.analysis` itself. Streaks are computed on demand, per habit.
"""

from __future__ import annotations

import time as _time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select

from igfcoach.core import analysis, igf1
from igfcoach.core.days import logical_date
from igfcoach.core.habits import CATEGORIES, CATEGORY_TITLES, HabitSpec
from igfcoach.core.igf1 import Classification, LabRange, TargetBand, Unit
from igfcoach.core.safety import LatestResult, ScreenAnswers, coaching_policy, habit_allowed
from igfcoach.core.scores import DayRecord, Streak, multiplier
from igfcoach.services.habits import ARCHIVED, PAUSED, spec_of
from igfcoach.store.models import Habit, LabResult, ScreenAnswerRecord, Setting

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

__all__ = [
    "EPOCH",
    "ChartData",
    "HabitSeries",
    "LabPoint",
    "ProteinSeries",
    "SleepSeries",
    "TrainingSeries",
    "flags_arrays",
    "load",
    "score_array",
]

EPOCH = date(1970, 1, 1)
DAY_S = 86400.0
ROLLING_SHORT, ROLLING_LONG = 7, 28
BEDTIME_SD_WINDOW = 28

# Status codes of one habit on one day (the calendar heatmap's colours).
NOT_TRACKED, NOT_DUE, MISSED, DONE, SKIPPED = 0, 1, 2, 3, 4


# --------------------------------------------------------------------------------------------------- series types


@dataclass
class LabPoint:
    """One IGF-1 result with its classifications (labels in the preferred unit)."""

    id: int
    day: date
    value_ng: float
    lab_low_ng: float | None
    lab_high_ng: float | None
    lab_name: str | None
    entered_unit: str
    target: Classification
    lab: Classification | None
    builtin: Classification | None

    def tooltip(self, unit: Unit | str) -> str:
        """Plain text for hovering the point: date, value and unit, and what it means."""
        lines = [
            f"{self.day:%d %b %Y}",
            f"IGF-1 {igf1.format_value(self.value_ng, unit)}",
            self.target.label,
        ]
        if self.lab is not None:
            lines.append(self.lab.label)
        elif self.builtin is not None:
            lines.append(self.builtin.label)
        if self.lab_name:
            lines.append(f"Lab: {self.lab_name}")
        return "\n".join(lines)


@dataclass
class HabitSeries:
    """One habit across the chart's days."""

    spec: HabitSpec
    first: int  # index of its first tracked day
    last: int  # index of its last tracked day
    status: np.ndarray  # int8 per day: NOT_TRACKED, NOT_DUE, MISSED, DONE, SKIPPED
    strength: np.ndarray  # 0..1 per day, NaN before it was tracked
    values: np.ndarray  # the logged amount per day (NaN without one)
    rows: np.ndarray  # its check-offs as fetched: habit_id, ordinal, flags (see _CHECKOFF_SQL), value
    today: date
    _streaks: tuple[list[Streak], int] | None = None

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def records(self) -> list[DayRecord]:
        out = []
        for _hid, o, f, v in self.rows.tolist():
            flags = int(f)
            out.append(DayRecord(date.fromordinal(int(o)), done=bool(flags & DONE_FLAG),
                                 value=None if flags & NULL_FLAG else float(v), skipped=bool(flags & SKIPPED_FLAG)))
        return out

    def streaks(self, limit: int = 5) -> tuple[list[Streak], int]:
        """Best streaks (longest first) and the current one, computed on first use."""
        if self._streaks is None:
            self._streaks = analysis.habit_streaks(self.spec, self.records, self.today, limit)
        return self._streaks


@dataclass
class SleepSeries:
    hours: np.ndarray  # per day (the night before it), NaN when not logged
    hours_avg7: np.ndarray
    bedtime: np.ndarray  # minutes after noon, NaN when not logged
    bedtime_sd: np.ndarray  # rolling SD of bedtime over BEDTIME_SD_WINDOW nights
    goal_h: float
    source: str  # "sleep log" or "sleep habit"


@dataclass
class ProteinSeries:
    grams: np.ndarray
    avg7: np.ndarray
    target_g: float


@dataclass
class TrainingSeries:
    week_x: np.ndarray  # Monday of each ISO week, as x (seconds)
    resistance: np.ndarray  # sessions per week
    hiit: np.ndarray
    tonnage: np.ndarray | None = None  # kg lifted per week (sets × reps × load), when logged
    hiit_minutes: np.ndarray | None = None


@dataclass
class ChartData:
    """Every series of the Charts page over ``start..end`` (end = the logical today)."""

    start: date
    end: date
    unit: Unit
    band: TargetBand
    habits: list[HabitSeries]
    counts: analysis.Counts
    by_category: dict[str, analysis.Counts]
    labs: list[LabPoint]
    sleep: SleepSeries | None
    protein: ProteinSeries | None
    training: TrainingSeries
    timings: dict[str, float] = field(default_factory=dict)
    _windows: dict[int, list[analysis.TestWindow]] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @cached_property
    def x(self) -> np.ndarray:
        """Each day as seconds since the epoch at UTC midnight (what a date axis expects)."""
        first = (self.start - EPOCH).days
        return (np.arange(self.days, dtype=np.float64) + first) * DAY_S

    def x_of(self, day: date) -> float:
        return (day - EPOCH).days * DAY_S

    def day_of(self, x: float) -> date:
        return EPOCH + timedelta(days=int(np.floor(x / DAY_S)))

    @cached_property
    def adherence(self) -> np.ndarray:
        return _ratios(self.counts)

    @cached_property
    def rolling_short(self) -> np.ndarray:
        return _nan_array(analysis.rolling_mean(_none_list(self.adherence), ROLLING_SHORT))

    @cached_property
    def rolling_long(self) -> np.ndarray:
        return _nan_array(analysis.rolling_mean(_none_list(self.adherence), ROLLING_LONG))

    def category_adherence(self, category: str) -> np.ndarray:
        return _ratios(self.by_category[category])

    @property
    def categories(self) -> list[str]:
        return [c for c in CATEGORIES if c in self.by_category]

    def windows(self, weeks: int = analysis.DEFAULT_WINDOW_WEEKS) -> list[analysis.TestWindow]:
        """Adherence in the ``weeks`` weeks before each result, oldest first (cached per ``weeks``)."""
        if weeks not in self._windows:
            self._windows[weeks] = analysis.windows_before_tests(
                [(p.day, p.value_ng, p.id) for p in self.labs], self.start, self.counts, self.by_category, weeks)
        return self._windows[weeks]

    def correlation(self, weeks: int = analysis.DEFAULT_WINDOW_WEEKS) -> analysis.Correlation:
        return analysis.adherence_correlation(self.windows(weeks))

    def habit(self, key: str) -> HabitSeries:
        for h in self.habits:
            if h.key == key:
                return h
        raise KeyError(key)


def _ratios(counts: analysis.Counts) -> np.ndarray:
    done = np.asarray(counts.done, dtype=np.float64)
    due = np.asarray(counts.due, dtype=np.float64)
    out = np.full(due.shape, np.nan)
    np.divide(done, due, out=out, where=due > 0)
    return out


def _none_list(a: np.ndarray) -> list[float | None]:
    return [None if v != v else v for v in a.tolist()]  # NaN != NaN


def _nan_array(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


# --------------------------------------------------------------------------------------------------- array kernels


@dataclass
class _Records:
    """One habit's check-offs as arrays over the chart's days (index = day - start)."""

    has: np.ndarray
    done: np.ndarray
    skipped: np.ndarray
    value: np.ndarray  # NaN without a value


def _records_arrays(n: int, idx: np.ndarray, done: np.ndarray, skipped: np.ndarray, value: np.ndarray) -> _Records:
    r = _Records(np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool), np.full(n, np.nan))
    r.has[idx] = True
    r.done[idx] = done
    r.skipped[idx] = skipped
    r.value[idx] = value
    return r


def _completed(spec: HabitSpec, r: _Records) -> np.ndarray:
    """Vectorised :func:`igfcoach.core.scores.is_completed`."""
    if spec.target is not None:
        with np.errstate(invalid="ignore"):
            met = r.value >= spec.target.value if spec.target.direction == "at_least" else r.value <= spec.target.value
        return met & ~r.skipped & ~np.isnan(r.value)
    return r.done & ~r.skipped


def _weekday0(start: date) -> int:
    return start.weekday()


def _scheduled(spec: HabitSpec, start: date, n: int) -> np.ndarray:
    if spec.schedule.kind != "weekdays":
        return np.ones(n, bool)
    weekday = (np.arange(n) + _weekday0(start)) % 7
    return np.isin(weekday, sorted(spec.schedule.weekdays))


def flags_arrays(
    spec: HabitSpec, r: _Records, start: date, first: int = 0, last: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(due, done, completed) per day: the array form of :func:`igfcoach.core.analysis.day_flags`.

    Days outside ``first..last`` (the habit's tracked span, as indexes) are not due.
    """
    n = r.has.shape[0]
    last = n - 1 if last is None else last
    completed = _completed(spec, r)
    if spec.schedule.kind == "per_week":
        week = (np.arange(n) + _weekday0(start)) // 7
        per_week = np.bincount(week, weights=completed.astype(np.float64))
        due = completed | (per_week[week] < spec.schedule.times_per_week)
    else:
        due = _scheduled(spec, start, n)
    span = np.zeros(n, bool)
    if last >= first:
        span[max(0, first) : last + 1] = True
    due = due & ~r.skipped & span
    return due, due & completed, completed


def score_array(spec: HabitSpec, r: _Records, start: date, first: int = 0) -> np.ndarray:
    """Strength per day from index ``first`` (score 0 the day before), NaN before it.

    The array form of :func:`igfcoach.core.scores.score_series`: the same day values and the same recurrence
    (score = score × m + v × (1 − m), unchanged on skipped or unscheduled days), in the same order of float
    operations, so the results agree to the last bits for check habits.
    """
    n = r.has.shape[0]
    out = np.full(n, np.nan)
    if first >= n:
        return out
    target = spec.target
    schedule = spec.schedule
    if schedule.kind == "per_week":
        window_target = float(schedule.times_per_week)
        if target is not None and target.direction == "at_least":
            window_target *= target.value
            contrib = np.where(~r.skipped & ~np.isnan(r.value), np.maximum(r.value, 0.0), 0.0)
        else:
            contrib = _completed(spec, r).astype(np.float64)
        contrib[:first] = 0.0  # core only sees the habit's own records (none before it was tracked)
        csum = np.concatenate(([0.0] * 7, np.cumsum(contrib)))
        window = csum[7:] - csum[:-7]
        v = np.minimum(1.0, window / window_target)
    elif target is not None:
        if target.direction == "at_most":
            with np.errstate(invalid="ignore"):
                v = (r.value <= target.value).astype(np.float64)
        else:
            v = np.clip(np.nan_to_num(r.value / target.value, nan=0.0), 0.0, 1.0)
    else:
        v = _completed(spec, r).astype(np.float64)
    active = ~r.skipped & _scheduled(spec, start, n)
    active[:first] = False
    m = multiplier(schedule)
    k = 1 - m
    score = 0.0
    ema = [0.0]
    append = ema.append
    for x in v[active].tolist():
        score = score * m + x * k
        append(score)
    filled = np.asarray(ema)[np.cumsum(active)]
    out[first:] = filled[first:]
    return out


# --------------------------------------------------------------------------------------------------- loading


# julianday('0001-01-01') - 1: SQLite's day number minus this is Python's date.toordinal().
_ORD = "CAST(julianday({}) - 1721424.5 AS INTEGER)"

# Four columns (fewer Python objects to build): the day as a date ordinal, and done/skipped/no-value as bits.
DONE_FLAG, SKIPPED_FLAG, NULL_FLAG = 1, 2, 4
_CHECKOFF_SQL = (
    f"SELECT habit_id, {_ORD.format('day')}, done + 2 * skipped + 4 * (value IS NULL), IFNULL(value, 0.0) "
    "FROM checkoffs"
)


@dataclass
class _Raw:
    habits: list[Habit]
    checkoffs: np.ndarray  # float64 rows: habit_id, ordinal, flags, value (see _CHECKOFF_SQL)
    labs: list[LabResult]
    settings: dict[str, Any]
    answers: ScreenAnswers
    training: dict[str, list[tuple]] = field(default_factory=dict)


def _fetch(ctx: AppContext) -> _Raw:
    tz = ctx.clock.now().tzinfo
    with ctx.db.transaction() as s:
        rows = list(s.scalars(select(Habit)))
        # The DB-API cursor of the session's own connection (same transaction) gives plain tuples, which
        # numpy takes ten times faster than Row objects.
        dbapi = s.connection().connection.dbapi_connection
        cursor = dbapi.cursor()
        try:
            data = cursor.execute(_CHECKOFF_SQL).fetchall()
            training = _fetch_training(cursor, tz)
        finally:
            cursor.close()
        checkoffs = np.array(data, dtype=np.float64) if data else np.zeros((0, 4))
        if len(checkoffs):  # sorting here is cheaper than ORDER BY in SQLite
            checkoffs = checkoffs[np.lexsort((checkoffs[:, 1], checkoffs[:, 0]))]
        labs = list(s.scalars(select(LabResult).order_by(LabResult.drawn_on, LabResult.drawn_at_time, LabResult.id)))
        values = {r.key: r.value for r in s.scalars(select(Setting))}
        answer_row = s.scalar(
            select(ScreenAnswerRecord).order_by(ScreenAnswerRecord.recorded_at.desc(), ScreenAnswerRecord.id.desc())
        )
        answers = ScreenAnswers(
            age=answer_row.age, sex=answer_row.sex, active_cancer=bool(answer_row.active_cancer),
            endocrine_disorder=bool(answer_row.endocrine_disorder), pregnant=bool(answer_row.pregnant),
            under_18=bool(answer_row.under_18),
        ) if answer_row is not None else ScreenAnswers()
        s.expunge_all()
    return _Raw(rows, checkoffs, labs, values, answers, training)


_SLEEP_SQL = (
    f"SELECT {_ORD.format('day')}, (julianday(wake) - julianday(bedtime)) * 24.0, bedtime FROM sleep_entries"
)
_TONNAGE_SQL = (
    f"SELECT {_ORD.format('s.day')}, "
    "SUM(t.reps * t.load * CASE t.unit WHEN 'lb' THEN 0.45359237 ELSE 1.0 END) "
    "FROM resistance_sets t JOIN resistance_sessions s ON s.id = t.session_id GROUP BY s.day"
)
_HIIT_SQL = (
    f"SELECT {_ORD.format('day')}, SUM(completed_rounds * work_s) / 60.0 "
    "FROM hiit_sessions GROUP BY day"
)


def _fetch_training(cursor: Any, tz: tzinfo | None) -> dict[str, list[tuple]]:
    """Nights (day, hours, bedtime as minutes after noon, local), resistance tonnage and HIIT work minutes per day."""
    nights = []
    for ordinal, hours, bedtime in cursor.execute(_SLEEP_SQL).fetchall():
        bed = datetime.fromisoformat(bedtime).replace(tzinfo=timezone.utc)
        if tz is not None:
            bed = bed.astimezone(tz)
        nights.append((date.fromordinal(ordinal), float(hours), analysis.bedtime_minutes(bed.time())))
    tonnage = [(date.fromordinal(o), float(v)) for o, v in cursor.execute(_TONNAGE_SQL).fetchall()]
    hiit = [(date.fromordinal(o), float(v)) for o, v in cursor.execute(_HIIT_SQL).fetchall()]
    return {"sleep": nights, "tonnage": tonnage, "hiit_minutes": hiit}


def _band(values: dict[str, Any]) -> TargetBand:
    low, high = values.get("target_low_ng"), values.get("target_high_ng")
    if low is None or high is None:
        return igf1.DEFAULT_TARGET_BAND
    try:
        return TargetBand(float(low), float(high))
    except (TypeError, ValueError):
        return igf1.DEFAULT_TARGET_BAND


def _unit(values: dict[str, Any]) -> Unit:
    try:
        return igf1.parse_unit(values.get("lab_unit") or Unit.NG_ML)
    except ValueError:
        return Unit.NG_ML


def _today(ctx: AppContext, values: dict[str, Any]) -> date:
    try:
        day_start = time.fromisoformat(values.get("day_start") or "00:00")
    except (TypeError, ValueError):
        day_start = time(0, 0)
    return logical_date(ctx.clock.now(), day_start)


def load(ctx: AppContext) -> ChartData:
    """Read everything the charts need (one transaction) and compute the series."""
    t0 = _time.perf_counter()
    raw = _fetch(ctx)
    t1 = _time.perf_counter()
    data = compute(raw, _today(ctx, raw.settings))
    data.timings["fetch_ms"] = (t1 - t0) * 1000
    data.timings["compute_ms"] = (_time.perf_counter() - t1) * 1000
    return data


def compute(raw: _Raw, today: date) -> ChartData:
    """The series from fetched rows (no database access)."""
    band = _band(raw.settings)
    unit = _unit(raw.settings)
    latest = raw.labs[-1] if raw.labs else None
    policy = coaching_policy(
        raw.answers,
        LatestResult(latest.value_ng, latest.drawn_on) if latest is not None else None,
        band,
        _lab_range(latest) if latest is not None else None,
        igf1.builtin_interval(raw.answers.age, raw.answers.sex),
        unit=unit,
    )
    rows = raw.checkoffs
    today_ord = today.toordinal()
    rows = rows[rows[:, 1] <= today_ord] if len(rows) else rows
    habits = [(h, spec_of(h)) for h in raw.habits]
    habits = [(h, spec) for h, spec in habits if habit_allowed(spec.flags, policy)]

    # Each habit's own records, and the day it started being tracked.
    per_habit: dict[int, np.ndarray] = {}
    if len(rows):
        ids = rows[:, 0].astype(np.int64)
        bounds = np.flatnonzero(np.diff(ids)) + 1
        for chunk in np.split(rows, bounds):
            per_habit[int(chunk[0, 0])] = chunk
    starts: dict[int, int] = {}
    for h, _spec in habits:
        chunk = per_habit.get(h.id)
        first = h.created_at.date().toordinal()
        if chunk is not None and len(chunk):
            first = min(first, int(chunk[0, 1]))
        starts[h.id] = first
    first_ord = min([*starts.values(), *(lab.drawn_on.toordinal() for lab in raw.labs)], default=today_ord)
    first_ord = min(first_ord, today_ord)
    start = date.fromordinal(first_ord)
    n = today_ord - first_ord + 1

    series: list[HabitSeries] = []
    due_rows: list[tuple[str, np.ndarray, np.ndarray]] = []
    for h, spec in sorted(habits, key=lambda p: p[1].sort_key):
        chunk = per_habit.get(h.id, np.zeros((0, 4)))
        idx = chunk[:, 1].astype(np.int64) - first_ord
        flags = chunk[:, 2].astype(np.int64)
        value = np.where(flags & NULL_FLAG, np.nan, chunk[:, 3])
        rec = _records_arrays(n, idx, (flags & DONE_FLAG) > 0, (flags & SKIPPED_FLAG) > 0, value)
        first = starts[h.id] - first_ord
        last = n - 1
        if h.status == ARCHIVED and h.archived_at is not None:
            last = min(last, h.archived_at.date().toordinal() - first_ord - 1)
        elif h.status == PAUSED:
            last = int(idx.max()) if len(idx) else -1  # paused: tracked until its last record
        due, done, _completed_days = flags_arrays(spec, rec, start, first, last)
        status = np.full(n, NOT_TRACKED, dtype=np.int8)
        if last >= first:
            status[first : last + 1] = NOT_DUE
        status[due] = MISSED
        status[done] = DONE
        status[rec.skipped & (status != NOT_TRACKED)] = SKIPPED
        series.append(HabitSeries(
            spec=spec, first=first, last=last, status=status, strength=score_array(spec, rec, start, first),
            values=rec.value, rows=chunk, today=today,
        ))
        due_rows.append((spec.category, due, done))

    if due_rows:
        due_m = np.vstack([d for _, d, _ in due_rows])
        done_m = np.vstack([d for _, _, d in due_rows])
        counts = analysis.Counts(done_m.sum(axis=0).tolist(), due_m.sum(axis=0).tolist())
        cats = np.array([c for c, _, _ in due_rows])
        by_category = {
            c: analysis.Counts(done_m[cats == c].sum(axis=0).tolist(), due_m[cats == c].sum(axis=0).tolist())
            for c in CATEGORIES if (cats == c).any()
        }
    else:
        counts = analysis.Counts([0] * n, [0] * n)
        by_category = {}

    lookup = igf1.lookup_builtin_interval(raw.answers.age, raw.answers.sex)
    lab_points = [
        LabPoint(
            id=lab.id, day=lab.drawn_on, value_ng=lab.value_ng, lab_low_ng=lab.lab_low_ng,
            lab_high_ng=lab.lab_high_ng, lab_name=lab.lab_name, entered_unit=lab.entered_unit,
            target=igf1.classify_against_target(lab.value_ng, band, unit),
            lab=igf1.classify_against_lab(lab.value_ng, _lab_range(lab), unit),
            builtin=igf1.classify_against_builtin(lab.value_ng, lookup.interval, unit),
        )
        for lab in raw.labs if lab.drawn_on <= today
    ]

    by_key = {s.key: s for s in series}
    data = ChartData(
        start=start, end=today, unit=unit, band=band, habits=series, counts=counts, by_category=by_category,
        labs=lab_points,
        sleep=_sleep(raw, by_key, start, today),
        protein=_protein(by_key),
        training=_training(raw, by_key, start, today),
    )
    return data


def _lab_range(lab: LabResult) -> LabRange | None:
    if lab.lab_low_ng is None or lab.lab_high_ng is None:
        return None
    try:
        return LabRange(lab.lab_low_ng, lab.lab_high_ng)
    except ValueError:
        return None


# ------------------------------------------------------------------------------------- sleep, protein, training


def _sleep(raw: _Raw, by_key: dict[str, HabitSeries], start: date, end: date) -> SleepSeries | None:
    """Hours per night from the sleep log, else from the sleep habit's logged hours; bedtimes from the log."""
    goal = float(raw.settings.get("sleep_goal_h") or 8.0)
    nights = raw.training.get("sleep") or []
    habit = by_key.get("sleep_duration")
    if not nights and habit is None:
        return None
    hours = analysis.daily_values(((d, h) for d, h, _bed in nights), start, end, combine=max)
    bed = analysis.daily_values(((d, float(b)) for d, _h, b in nights), start, end, combine=min)
    if habit is not None:
        logged = _none_list(habit.values)
        hours = [h if h is not None else v for h, v in zip(hours, logged, strict=True)]
    return SleepSeries(
        hours=_nan_array(hours),
        hours_avg7=_nan_array(analysis.rolling_mean(hours, ROLLING_SHORT)),
        bedtime=_nan_array(bed),
        bedtime_sd=_nan_array(analysis.rolling_sd(bed, BEDTIME_SD_WINDOW, min_count=5)),
        goal_h=goal,
        source="sleep log" if nights else "sleep habit",
    )


def _protein(by_key: dict[str, HabitSeries]) -> ProteinSeries | None:
    h = by_key.get("protein")
    if h is None or h.spec.target is None:
        return None
    grams = _none_list(h.values)
    return ProteinSeries(
        grams=h.values, avg7=_nan_array(analysis.rolling_mean(grams, ROLLING_SHORT)), target_g=h.spec.target.value
    )


def _done_days(h: HabitSeries | None, start: date) -> list[tuple[date, float]]:
    if h is None:
        return []
    return [(start + timedelta(days=int(i)), 1.0) for i in np.flatnonzero(h.status == DONE)]


def _training(raw: _Raw, by_key: dict[str, HabitSeries], start: date, end: date) -> TrainingSeries:
    res = analysis.weekly_totals(_done_days(by_key.get("resistance"), start), start, end)
    hiit = analysis.weekly_totals(_done_days(by_key.get("hiit"), start), start, end)
    week_x = np.array([(m - EPOCH).days * DAY_S for m, _ in res], dtype=np.float64)
    out = TrainingSeries(
        week_x=week_x,
        resistance=np.array([v for _, v in res], dtype=np.float64),
        hiit=np.array([v for _, v in hiit], dtype=np.float64),
    )
    tonnage = raw.training.get("tonnage")
    if tonnage:
        out.tonnage = np.array([v for _, v in analysis.weekly_totals(tonnage, start, end)], dtype=np.float64)
    minutes = raw.training.get("hiit_minutes")
    if minutes:
        out.hiit_minutes = np.array([v for _, v in analysis.weekly_totals(minutes, start, end)], dtype=np.float64)
    return out


def category_title(category: str) -> str:
    return CATEGORY_TITLES.get(category, category.capitalize())
