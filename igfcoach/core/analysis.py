"""Analysis behind the Charts page: adherence over time, windows before each lab test, correlation, sleep.

Pure Python (standard library only), so every definition here is tested by hand without Qt or numpy.
Long series are plain lists indexed by day: index ``i`` is ``start + i days``.

Where the speed comes from (a decision worth knowing): the two steps that touch every habit on every day
(which days were due and done, and the strength score) are also implemented with numpy arrays in
``igfcoach.services.chart_data`` for ten-year histories; tests check those array versions against
:func:`day_flags` here and :func:`igfcoach.core.scores.score_series`, which stay the reference definitions.
Everything that works on per-day totals (rolling averages, windows, correlation, sleep regularity, weekly
volume) is cheap and is computed here only.

Definitions (also in :data:`ANALYSIS_TEXT`, shown in the app):

- A day's adherence is done ÷ due over the habits due that day; skipped items are neither done nor due, and a
  day with nothing due has no adherence (``None``). "Due" follows :mod:`igfcoach.core.schedule`: a habit is due
  from the day it was started; an "N times a week" habit is due on every day of a week that did not reach N, and
  on the days it was done.
- The 7- and 28-day rolling averages are the mean of the daily adherence over the trailing window, ignoring
  days with nothing due (``None`` when the whole window has nothing due).
- The window before a test is the N whole weeks (default 8) before the draw day, the draw day excluded. Its
  adherence is pooled: all items done ÷ all items due in the window (per category the same, over that
  category's habits). A window counts for the correlation only when at least half of its days had something
  due (so a result taken right after starting, with little history, does not count).
- The correlation is Pearson's r between window adherence and the result, with n; below 3 results there is no
  r, and the caption says plainly how little a small n means. It is an association, never a cause.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from igfcoach.core.habits import HabitSpec
from igfcoach.core.scores import DayRecord, Streak, best_streaks, current_streak, is_completed, score_series

__all__ = [
    "ANALYSIS_TEXT",
    "ASSOCIATION_NOT_CAUSE",
    "DEFAULT_WINDOW_WEEKS",
    "MIN_N_FOR_R",
    "MIN_N_FOR_TRUST",
    "Correlation",
    "Counts",
    "TestWindow",
    "WindowAdherence",
    "adherence_correlation",
    "bedtime_minutes",
    "correlation_caption",
    "day_flags",
    "daily_values",
    "format_bedtime",
    "habit_streaks",
    "mean",
    "pearson",
    "ratio_to_target",
    "ratios",
    "rolling_mean",
    "rolling_sd",
    "strength_series",
    "tally",
    "weekly_totals",
    "window_adherence",
    "windows_before_tests",
]

DEFAULT_WINDOW_WEEKS = 8
MIN_N_FOR_R = 3
"""Below this many results there is no correlation coefficient at all."""
MIN_N_FOR_TRUST = 5
"""Below this many results the caption says the coefficient means very little."""

ASSOCIATION_NOT_CAUSE = "association, not cause"

ANALYSIS_TEXT = (
    "Daily adherence is the share of the items due that day that you did; skipped items and days with "
    "nothing due are left out. The 7- and 28-day lines average the days that had something due.\n"
    "Before each test: the share of due items you did in the chosen number of weeks before the blood draw "
    "(the draw day itself not included), overall and per area. A test counts in the scatter only when at "
    "least half of the days in its window had something due.\n"
    "The correlation (Pearson's r) shows whether higher adherence went together with higher results in your "
    "own history. It is an association, not cause: season, illness, sleep debt, the lab and its assay change "
    "too, and with few tests r can be large by chance."
)


def _day(start: date, i: int) -> date:
    return start + timedelta(days=i)


# --------------------------------------------------------------------------------------------------- due and done


def day_flags(
    spec: HabitSpec,
    records: Iterable[DayRecord],
    start: date,
    end: date,
    *,
    active_from: date | None = None,
    active_until: date | None = None,
) -> tuple[list[bool], list[bool]]:
    """(due, done) for each day from ``start`` to ``end`` inclusive.

    A day is due when it lies in ``[active_from, active_until]`` (open ends by default), is not skipped, and the
    schedule makes it due (:func:`igfcoach.core.schedule.is_due`: weekday habits on their weekdays; "N a week"
    habits on a done day and on every day of a week with fewer than N done days, counting the whole week).
    ``done`` is due and completed (:func:`igfcoach.core.scores.is_completed`).
    """
    if end < start:
        return [], []
    by_day: dict[date, DayRecord] = {}
    for r in records:
        if r.day in by_day:
            raise ValueError(f"two records for {r.day.isoformat()}")
        by_day[r.day] = r
    schedule = spec.schedule
    completed_days = {d for d, r in by_day.items() if is_completed(spec, r)}
    week_done: dict[date, int] = {}
    if schedule.kind == "per_week":
        for d in completed_days:
            monday = d - timedelta(days=d.weekday())
            week_done[monday] = week_done.get(monday, 0) + 1
    n = (end - start).days + 1
    due = [False] * n
    done = [False] * n
    for i in range(n):
        d = _day(start, i)
        if (active_from is not None and d < active_from) or (active_until is not None and d > active_until):
            continue
        record = by_day.get(d)
        if record is not None and record.skipped:
            continue
        complete = d in completed_days
        if schedule.kind == "weekdays":
            is_due = d.weekday() in schedule.weekdays
        elif schedule.kind == "per_week":
            is_due = complete or week_done.get(d - timedelta(days=d.weekday()), 0) < schedule.times_per_week
        else:
            is_due = True
        due[i] = is_due
        done[i] = is_due and complete
    return due, done


@dataclass(frozen=True)
class Counts:
    """Items done and due on each day of a series (index 0 is the series' first day)."""

    done: list[int]
    due: list[int]

    def __post_init__(self) -> None:
        if len(self.done) != len(self.due):
            raise ValueError("done and due must have the same length")

    def __len__(self) -> int:
        return len(self.due)


def tally(flag_rows: Iterable[tuple[Sequence[bool], Sequence[bool]]], days: int) -> Counts:
    """Sum (due, done) flag rows of several habits into per-day counts over ``days`` days."""
    done = [0] * days
    due = [0] * days
    for due_row, done_row in flag_rows:
        if len(due_row) != days or len(done_row) != days:
            raise ValueError(f"every row must have {days} days")
        for i in range(days):
            if due_row[i]:
                due[i] += 1
                if done_row[i]:
                    done[i] += 1
    return Counts(done, due)


def ratios(counts: Counts) -> list[float | None]:
    """Daily adherence: done ÷ due, None on a day with nothing due."""
    return [dn / du if du else None for dn, du in zip(counts.done, counts.due, strict=True)]


# --------------------------------------------------------------------------------------------------- rolling


def rolling_mean(values: Sequence[float | None], window: int) -> list[float | None]:
    """Trailing mean over ``window`` days (the day itself and the ``window - 1`` before), ignoring None.

    None where the window holds no value. O(len(values)).
    """
    if window < 1:
        raise ValueError("window must be at least 1 day")
    out: list[float | None] = []
    total = 0.0
    count = 0
    for i, v in enumerate(values):
        if v is not None:
            total += v
            count += 1
        if i >= window:
            old = values[i - window]
            if old is not None:
                total -= old
                count -= 1
        if count:
            # A running sum: its float error stays far below display precision for bounded values.
            out.append(total / count)
        else:
            total = 0.0  # reset accumulated float noise whenever the window is empty
            out.append(None)
    return out


def rolling_sd(values: Sequence[float | None], window: int, min_count: int = 2) -> list[float | None]:
    """Trailing sample standard deviation (n − 1) over ``window`` days, ignoring None. O(len(values)).

    None where the window holds fewer than ``min_count`` values (at least 2).
    """
    if window < 1:
        raise ValueError("window must be at least 1 day")
    min_count = max(2, min_count)
    shift = next((v for v in values if v is not None), 0.0)  # centre the sums: no cancellation
    out: list[float | None] = []
    s1 = s2 = 0.0
    count = 0
    for i, v in enumerate(values):
        if v is not None:
            x = v - shift
            s1 += x
            s2 += x * x
            count += 1
        if i >= window:
            old = values[i - window]
            if old is not None:
                x = old - shift
                s1 -= x
                s2 -= x * x
                count -= 1
        if count >= min_count:
            var = (s2 - s1 * s1 / count) / (count - 1)
            out.append(math.sqrt(var) if var > 0 else 0.0)
        else:
            if count == 0:
                s1 = s2 = 0.0
            out.append(None)
    return out


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None (None when there are none)."""
    xs = [v for v in values if v is not None]
    return sum(xs) / len(xs) if xs else None


# --------------------------------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class WindowAdherence:
    """Pooled adherence in a window: ``done`` of ``due`` items; ``covered`` days had something due."""

    done: int
    due: int
    covered: int
    days: int

    @property
    def ratio(self) -> float | None:
        return self.done / self.due if self.due else None


def window_adherence(counts: Counts, first: int, last: int) -> WindowAdherence:
    """Pooled adherence over day indexes ``first..last`` inclusive (days outside the series count as none due)."""
    return _Prefix(counts).window(first, last)


class _Prefix:
    """Prefix sums of done, due and covered days, so any window costs O(1)."""

    def __init__(self, counts: Counts) -> None:
        self.done = [0]
        self.due = [0]
        self.covered = [0]
        for dn, du in zip(counts.done, counts.due, strict=True):
            self.done.append(self.done[-1] + dn)
            self.due.append(self.due[-1] + du)
            self.covered.append(self.covered[-1] + (du > 0))

    def window(self, first: int, last: int) -> WindowAdherence:
        days = max(0, last - first + 1)
        n = len(self.due) - 1
        lo, hi = max(0, first), min(n - 1, last)
        if hi < lo:
            return WindowAdherence(0, 0, 0, days)
        return WindowAdherence(
            self.done[hi + 1] - self.done[lo],
            self.due[hi + 1] - self.due[lo],
            self.covered[hi + 1] - self.covered[lo],
            days,
        )


@dataclass(frozen=True)
class TestWindow:
    """One lab result with the adherence in the weeks before it and the change from the previous result."""

    __test__ = False  # not a pytest class

    day: date
    value_ng: float
    previous_day: date | None
    change_ng: float | None
    window_first: date
    window_last: date
    overall: WindowAdherence
    by_category: dict[str, WindowAdherence] = field(default_factory=dict)
    key: object = None  # the caller's id for the result

    @property
    def usable(self) -> bool:
        """Enough history in the window to count: at least half of its days had something due."""
        return self.overall.ratio is not None and 2 * self.overall.covered >= self.overall.days


def windows_before_tests(
    results: Iterable[tuple[date, float] | tuple[date, float, object]],
    series_start: date,
    overall: Counts,
    by_category: Mapping[str, Counts] | None = None,
    weeks: int = DEFAULT_WINDOW_WEEKS,
) -> list[TestWindow]:
    """For each result (date, ng/mL[, key]), oldest first: adherence in the ``weeks`` weeks before the draw day.

    The counts start at ``series_start``; days outside the series count as nothing due.
    """
    if weeks < 1:
        raise ValueError("the window must be at least 1 week")
    rows = sorted(results, key=lambda r: r[0])
    overall_prefix = _Prefix(overall)
    cat_prefix = {name: _Prefix(c) for name, c in (by_category or {}).items()}
    out: list[TestWindow] = []
    previous: tuple[date, float] | None = None
    for row in rows:
        day, value = row[0], float(row[1])
        key = row[2] if len(row) > 2 else None
        last = (day - series_start).days - 1
        first = last - 7 * weeks + 1
        cats = {name: p.window(first, last) for name, p in cat_prefix.items()}
        out.append(TestWindow(
            day=day,
            value_ng=value,
            previous_day=previous[0] if previous else None,
            change_ng=value - previous[1] if previous else None,
            window_first=day - timedelta(days=7 * weeks),
            window_last=day - timedelta(days=1),
            overall=overall_prefix.window(first, last),
            by_category=cats,
            key=key,
        ))
        previous = (day, value)
    return out


# --------------------------------------------------------------------------------------------------- correlation


@dataclass(frozen=True)
class Correlation:
    """Pearson's r (None below 3 pairs or without variation) and the number of pairs."""

    r: float | None
    n: int


def pearson(xs: Sequence[float], ys: Sequence[float]) -> Correlation:
    """Pearson's correlation coefficient of paired values, with n."""
    if len(xs) != len(ys):
        raise ValueError("xs and ys must have the same length")
    n = len(xs)
    if n < MIN_N_FOR_R:
        return Correlation(None, n)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    if sxx <= 0 or syy <= 0:
        return Correlation(None, n)
    r = sxy / math.sqrt(sxx * syy)
    return Correlation(max(-1.0, min(1.0, r)), n)


def adherence_correlation(windows: Iterable[TestWindow], category: str | None = None) -> Correlation:
    """r between window adherence (overall, or one category) and the result, over the usable windows."""
    xs: list[float] = []
    ys: list[float] = []
    for w in windows:
        if not w.usable:
            continue
        ratio = w.overall.ratio if category is None else (
            w.by_category[category].ratio if category in w.by_category else None)
        if ratio is None:
            continue
        xs.append(ratio)
        ys.append(w.value_ng)
    return pearson(xs, ys)


def _strength_word(r: float) -> str:
    a = abs(r)
    if a < 0.1:
        return "no clear"
    if a < 0.3:
        return "a weak"
    if a < 0.5:
        return "a moderate"
    return "a strong"


def correlation_caption(corr: Correlation, weeks: int = DEFAULT_WINDOW_WEEKS) -> str:
    """An honest one-paragraph reading of r and n: small n said plainly, never a causal claim."""
    span = f"the {weeks} week{'s' if weeks != 1 else ''} before each test"
    if corr.r is None:
        if corr.n < MIN_N_FOR_R:
            return (f"Not enough tests yet to compare adherence in {span} with the result: n = {corr.n}, and at "
                    f"least {MIN_N_FOR_R} are needed before a correlation is shown at all. Even then it would "
                    f"be an {ASSOCIATION_NOT_CAUSE}.")
        return (f"No correlation can be computed (n = {corr.n}): the adherence or the results did not vary. "
                f"Any link would be an {ASSOCIATION_NOT_CAUSE}.")
    r_text = f"r = {corr.r:.2f}"
    direction = "higher" if corr.r > 0 else "lower"
    if corr.n < MIN_N_FOR_TRUST:
        return (f"{r_text} with only n = {corr.n} tests: far too few to mean much, because a few tests can line "
                f"up by chance. Treat it as a first hint at most, an {ASSOCIATION_NOT_CAUSE}.")
    if abs(corr.r) < 0.1:
        return (f"{r_text} (n = {corr.n}): no clear association between adherence in {span} and the result "
                f"in your history so far. This is an {ASSOCIATION_NOT_CAUSE}.")
    return (f"{r_text} (n = {corr.n}): {_strength_word(corr.r)} association in your history, where higher adherence "
            f"in {span} went together with {direction} results. This is an {ASSOCIATION_NOT_CAUSE}: season, "
            "illness, sleep, the lab and its assay vary too.")


# --------------------------------------------------------------------------------------------------- habits


def strength_series(spec: HabitSpec, records: Iterable[DayRecord], start: date, end: date) -> list[float]:
    """The habit's strength (0..1) on each day from ``start`` to ``end``, from :func:`scores.score_series`."""
    return [s for _, s in score_series(spec, records, start, end)]


def habit_streaks(
    spec: HabitSpec, records: Iterable[DayRecord], today: date, limit: int = 5
) -> tuple[list[Streak], int]:
    """The best streaks (longest first) and the current streak's length."""
    records = list(records)
    return best_streaks(spec, records, today, limit), current_streak(spec, records, today)


# --------------------------------------------------------------------------------------------------- per-day values


def daily_values(
    pairs: Iterable[tuple[date, float]],
    start: date,
    end: date,
    combine: Callable[[float, float], float] = lambda a, b: a + b,
) -> list[float | None]:
    """Values keyed by day as a list from ``start`` to ``end`` (None on days without a value).

    Several values on one day are combined (summed by default); values outside the range are ignored.
    """
    n = (end - start).days + 1
    out: list[float | None] = [None] * max(0, n)
    for day, value in pairs:
        i = (day - start).days
        if 0 <= i < n:
            old = out[i]
            out[i] = value if old is None else combine(old, value)
    return out


def ratio_to_target(values: Sequence[float | None], target: float) -> list[float | None]:
    """Each value as a share of ``target`` (1.0 = on target; not capped), None where there is no value."""
    if target <= 0:
        raise ValueError("target must be above zero")
    return [v / target if v is not None else None for v in values]


def weekly_totals(pairs: Iterable[tuple[date, float]], start: date, end: date) -> list[tuple[date, float]]:
    """(Monday, sum) for every ISO week touching ``start..end``, 0.0 for weeks without values."""
    if end < start:
        return []
    first_monday = start - timedelta(days=start.weekday())
    weeks = (end - first_monday).days // 7 + 1
    totals = [0.0] * weeks
    for day, value in pairs:
        if start <= day <= end:
            totals[(day - first_monday).days // 7] += value
    return [(first_monday + timedelta(days=7 * i), t) for i, t in enumerate(totals)]


# --------------------------------------------------------------------------------------------------- sleep


def bedtime_minutes(t: time) -> int:
    """A bedtime as minutes after noon, so that 23:30 (690) and 00:30 (750) are an hour apart, not 23."""
    return (t.hour * 60 + t.minute - 12 * 60) % (24 * 60)


def format_bedtime(minutes_after_noon: float) -> str:
    """Minutes after noon back to a clock time, "HH:MM"."""
    total = int(round(minutes_after_noon)) + 12 * 60
    total %= 24 * 60
    return f"{total // 60:02d}:{total % 60:02d}"
