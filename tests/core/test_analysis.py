"""The Charts page's analysis, checked against values worked out by hand (in the comments)."""

from __future__ import annotations

import math
from datetime import date, time, timedelta

import pytest

from igfcoach.core.analysis import (
    ANALYSIS_TEXT,
    ASSOCIATION_NOT_CAUSE,
    Correlation,
    Counts,
    adherence_correlation,
    bedtime_minutes,
    correlation_caption,
    daily_values,
    day_flags,
    format_bedtime,
    habit_streaks,
    mean,
    pearson,
    ratio_to_target,
    ratios,
    rolling_mean,
    rolling_sd,
    strength_series,
    tally,
    weekly_totals,
    window_adherence,
    windows_before_tests,
)
from igfcoach.core.habits import HabitSpec, Schedule, Target
from igfcoach.core.scores import DayRecord, Streak

MON = date(2026, 1, 5)  # a Monday
T, F = True, False
M1 = 0.5 ** (1 / 13)  # daily multiplier, 0.948078


def d(n: int) -> date:
    """Day n, day 0 = Monday 2026-01-05."""
    return MON + timedelta(days=n)


def check(schedule: Schedule = Schedule.daily(), category: str = "sleep", key: str = "h") -> HabitSpec:
    return HabitSpec(key, category, "T", "W", "D", "check", None, schedule)


def hours(target: float = 7.0) -> HabitSpec:
    return HabitSpec("s", "sleep", "T", "W", "D", "measured", Target(target, "h"), Schedule.daily())


def done(*days: int) -> list[DayRecord]:
    return [DayRecord(d(n), done=True) for n in days]


# --------------------------------------------------------------------------------------------------- due and done


def test_daily_habit_skips_are_neither_due_nor_done():
    records = done(0, 2) + [DayRecord(d(1), skipped=True)]
    due, did = day_flags(check(), records, d(0), d(3))
    assert due == [T, F, T, T]
    assert did == [T, F, T, F]


def test_weekday_habit_is_due_on_its_weekdays_only():
    # Mon, Wed, Fri; done Mon and Fri, so Wed is due and missed; weekend and Tue/Thu not due.
    due, did = day_flags(check(Schedule.on_weekdays([0, 2, 4])), done(0, 4), d(0), d(6))
    assert due == [T, F, T, F, T, F, F]
    assert did == [T, F, F, F, T, F, F]


def test_per_week_habit_is_due_until_the_week_is_complete():
    # 2 a week. Week 1 done Mon and Wed: complete, so only the done days are due (no missed days).
    # Week 2 done only Tue: short of 2, so every day of that week is due, one done.
    due, did = day_flags(check(Schedule.per_week(2)), done(0, 2, 8), d(0), d(13))
    assert due == [T, F, T, F, F, F, F] + [T] * 7
    assert did == [T, F, T, F, F, F, F] + [F, T, F, F, F, F, F]


def test_per_week_counts_the_whole_week_even_outside_the_range():
    # Done Mon and Sun of one week; the range is Tue..Sat: the week is complete, so nothing there is due.
    due, did = day_flags(check(Schedule.per_week(2)), done(0, 6), d(1), d(5))
    assert due == [F] * 5 and did == [F] * 5


def test_measured_habit_is_done_when_the_target_is_met():
    records = [DayRecord(d(0), value=6.5), DayRecord(d(1), value=7.0), DayRecord(d(2), done=True)]
    due, did = day_flags(hours(7), records, d(0), d(2))
    assert due == [T, T, T]
    assert did == [F, T, F]  # 6.5 < 7; 7 meets it; a tick without a value is not an amount


def test_days_outside_the_active_span_are_not_due():
    due, did = day_flags(check(), done(0, 1, 2, 3), d(0), d(4), active_from=d(1), active_until=d(3))
    assert due == [F, T, T, T, F]
    assert did == [F, T, T, T, F]


def test_day_flags_refuses_two_records_for_one_day_and_handles_an_empty_range():
    with pytest.raises(ValueError, match="two records"):
        day_flags(check(), done(0, 0), d(0), d(1))
    assert day_flags(check(), done(0), d(2), d(1)) == ([], [])


def test_tally_and_daily_adherence():
    # habit A due all 3 days, done days 0 and 1; habit B due days 0 and 2, done day 2.
    counts = tally([([T, T, T], [T, T, F]), ([T, F, T], [F, F, T])], 3)
    assert counts == Counts(done=[1, 1, 1], due=[2, 1, 2])
    assert ratios(counts) == [0.5, 1.0, 0.5]
    assert ratios(Counts([0, 0], [0, 3])) == [None, 0.0]
    with pytest.raises(ValueError):
        tally([([T], [T])], 2)


# --------------------------------------------------------------------------------------------------- rolling


def test_rolling_mean_ignores_days_with_nothing_due():
    values = [1.0, None, 0.5, 0.0, None, None, None, 1.0]
    # window 3: [1] 1 | [1,-] 1 | [1,-,.5] .75 | [-,.5,0] .25 | [.5,0,-] .25 | [0,-,-] 0 | [-,-,-] None | [-,-,1] 1
    assert rolling_mean(values, 3) == pytest.approx([1.0, 1.0, 0.75, 0.25, 0.25, 0.0, None, 1.0])
    assert rolling_mean([], 7) == []
    assert rolling_mean([0.2, 0.4], 1) == pytest.approx([0.2, 0.4])
    with pytest.raises(ValueError):
        rolling_mean([1.0], 0)


def test_rolling_7_and_28_day_averages_of_a_weekly_pattern():
    # Weekdays 1.0 and weekends 0.0, for 28 days: a full 7-day window always holds 5 ones and 2 zeros.
    values = [0.0 if i % 7 in (5, 6) else 1.0 for i in range(28)]
    r7 = rolling_mean(values, 7)
    r28 = rolling_mean(values, 28)
    assert r7[4] == pytest.approx(1.0)  # first five days, all weekdays
    assert r7[5] == pytest.approx(5 / 6)
    assert all(v == pytest.approx(5 / 7) for v in r7[6:])
    assert r28[27] == pytest.approx(20 / 28)


def test_rolling_sd_is_the_sample_sd_of_the_window():
    values = [10.0, 20.0, None, 40.0, None, None, None]
    # window 3: [10] - | [10,20] sqrt(50) | [10,20,-] sqrt(50) | [20,-,40] sqrt(200) | [-,40,-] - | ...
    out = rolling_sd(values, 3)
    assert out[0] is None
    assert out[1] == pytest.approx(math.sqrt(50))
    assert out[2] == pytest.approx(math.sqrt(50))
    assert out[3] == pytest.approx(math.sqrt(200))
    assert out[4:] == [None, None, None]
    # Large clock-like values (minutes after noon) keep full precision: 620, 640, 660 -> sd 20.
    assert rolling_sd([620.0, 640.0, 660.0], 7)[2] == pytest.approx(20.0, abs=1e-9)
    assert rolling_sd([5.0, 5.0], 2)[1] == 0.0


def test_mean_ignores_none():
    assert mean([1.0, None, 2.0]) == 1.5
    assert mean([None]) is None


# --------------------------------------------------------------------------------------------------- windows


def _counts() -> Counts:
    # 14 days; days 0..3 nothing due; days 4..13 two items due; done: 2 on even days, 1 on odd days.
    due = [0] * 4 + [2] * 10
    done_ = [0] * 4 + [2 if i % 2 == 0 else 1 for i in range(4, 14)]
    return Counts(done_, due)


def test_window_adherence_is_pooled_and_clipped_to_the_series():
    c = _counts()
    w = window_adherence(c, 7, 13)  # days 7..13: done 1+2+1+2+1+2+1 = 10 of 14 due, 7 days covered
    assert (w.done, w.due, w.covered, w.days) == (10, 14, 7, 7)
    assert w.ratio == pytest.approx(10 / 14)
    early = window_adherence(c, -5, 1)  # before the series: nothing due
    assert (early.done, early.due, early.covered, early.days, early.ratio) == (0, 0, 0, 7, None)


def test_windows_before_each_test_with_change_and_categories():
    c = _counts()
    sleep = Counts([0] * 4 + [1] * 10, [0] * 4 + [1] * 10)  # always done
    training = Counts([0] * 14, [0] * 4 + [1] * 10)  # never done
    results = [(d(14), 120.0, "b"), (d(8), 100.0, "a")]  # given out of order
    ws = windows_before_tests(results, d(0), c, {"sleep": sleep, "training": training}, weeks=1)
    first, second = ws
    # First test on day 8: window days 1..7 (the draw day excluded). Due on days 4..7: 8 items,
    # done 2+1+2+1 = 6; 4 of the 7 days covered, so usable (4 * 2 >= 7).
    assert (first.key, first.day, first.window_first, first.window_last) == ("a", d(8), d(1), d(7))
    assert (first.overall.done, first.overall.due, first.overall.covered) == (6, 8, 4)
    assert first.usable
    assert first.previous_day is None and first.change_ng is None
    assert first.by_category["sleep"].ratio == 1.0
    assert first.by_category["training"].ratio == 0.0
    # Second test on day 14: window days 7..13 -> 10 of 14 (see above); change +20 ng/mL.
    assert second.overall.ratio == pytest.approx(10 / 14)
    assert second.previous_day == d(8) and second.change_ng == 20.0


def test_a_window_with_little_history_is_not_usable():
    c = _counts()
    # Test on day 6 with a 1-week window: days -1..5, only days 4 and 5 had something due: 2 of 7.
    (w,) = windows_before_tests([(d(6), 90.0)], d(0), c, weeks=1)
    assert w.overall.covered == 2 and not w.usable
    with pytest.raises(ValueError):
        windows_before_tests([(d(6), 90.0)], d(0), c, weeks=0)


# --------------------------------------------------------------------------------------------------- correlation


def test_pearson_by_hand():
    # x 1..5 (mean 3), y 2,4,5,4,5 (mean 4): sxy = 4+0+0+0+2 = 6, sxx = 10, syy = 6 -> r = 6/sqrt(60).
    c = pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    assert c.n == 5 and c.r == pytest.approx(6 / math.sqrt(60))  # 0.7746
    assert pearson([1, 2, 3], [3, 2, 1]) == Correlation(pytest.approx(-1.0), 3)
    assert pearson([1, 2], [1, 2]) == Correlation(None, 2)  # n < 3: no r at all
    assert pearson([1, 1, 1], [1, 2, 3]) == Correlation(None, 3)  # no variation
    with pytest.raises(ValueError):
        pearson([1], [1, 2])


def test_correlation_uses_only_usable_windows():
    c = _counts()
    ws = windows_before_tests([(d(6), 90.0), (d(8), 100.0), (d(14), 120.0)], d(0), c, weeks=1)
    corr = adherence_correlation(ws)
    assert corr == Correlation(None, 2)  # the day-6 test has too little history; 2 left


def test_captions_are_honest_about_small_n_and_never_causal():
    texts = {
        "none": correlation_caption(Correlation(None, 2)),
        "flat": correlation_caption(Correlation(None, 4)),
        "small": correlation_caption(Correlation(0.81, 4)),
        "strong": correlation_caption(Correlation(0.62, 9), weeks=8),
        "zero": correlation_caption(Correlation(0.05, 9)),
        "negative": correlation_caption(Correlation(-0.35, 6), weeks=1),
    }
    assert "n = 2" in texts["none"] and "at least 3" in texts["none"]
    assert "only n = 4" in texts["small"] and "far too few" in texts["small"]
    assert texts["strong"].startswith("r = 0.62 (n = 9): a strong association")
    assert "8 weeks before each test" in texts["strong"] and "higher results" in texts["strong"]
    assert "no clear association" in texts["zero"]
    assert "a moderate association" in texts["negative"] and "lower results" in texts["negative"]
    assert "1 week before" in texts["negative"]
    for text in texts.values():
        assert ASSOCIATION_NOT_CAUSE in text
        lowered = text.lower()
        for causal in ("causes", "caused", "leads to", "raises your", "improves", "because of your"):
            assert causal not in lowered
    assert ASSOCIATION_NOT_CAUSE in ANALYSIS_TEXT


# --------------------------------------------------------------------------------------------------- habits


def test_strength_series_follows_the_score_formula():
    # Daily habit done on days 0 and 1, missed day 2: s0 = 1-m, s1 = s0*m + (1-m), s2 = s1*m.
    s0 = 1 - M1
    s1 = s0 * M1 + (1 - M1)
    assert strength_series(check(), done(0, 1), d(0), d(2)) == pytest.approx([s0, s1, s1 * M1])
    assert strength_series(check(), [], d(1), d(0)) == []


def test_habit_streaks_best_first_and_current():
    best, current = habit_streaks(check(), done(0, 1, 2, 4, 5), d(5))
    assert best == [Streak(d(0), d(2), 3, "day"), Streak(d(4), d(5), 2, "day")]
    assert current == 2


# --------------------------------------------------------------------------------------------------- per-day values


def test_daily_values_sum_per_day_and_ignore_outside():
    pairs = [(d(0), 20.0), (d(0), 10.0), (d(2), 5.0), (d(9), 1.0), (d(-1), 1.0)]
    assert daily_values(pairs, d(0), d(3)) == [30.0, None, 5.0, None]
    assert daily_values(pairs, d(0), d(0), combine=max) == [20.0]


def test_protein_as_a_share_of_target():
    assert ratio_to_target([125.0, None, 100.0], 125.0) == [1.0, None, 0.8]
    with pytest.raises(ValueError):
        ratio_to_target([1.0], 0)


def test_weekly_totals_cover_every_iso_week():
    # Range Wed d2 .. Mon d14 touches the weeks of d0, d7 and d14.
    pairs = [(d(2), 100.0), (d(4), 50.0), (d(1), 999.0), (d(14), 10.0), (d(15), 999.0)]
    assert weekly_totals(pairs, d(2), d(14)) == [(d(0), 150.0), (d(7), 0.0), (d(14), 10.0)]
    assert weekly_totals(pairs, d(3), d(2)) == []


def test_bedtime_minutes_wrap_around_midnight():
    assert bedtime_minutes(time(22, 30)) == 630
    assert bedtime_minutes(time(0, 15)) == 735
    assert bedtime_minutes(time(12, 0)) == 0
    assert bedtime_minutes(time(11, 59)) == 1439
    # 23:30 and 00:30 are one hour apart: SD of the two is 60/sqrt(2).
    two = [float(bedtime_minutes(time(23, 30))), float(bedtime_minutes(time(0, 30)))]
    assert rolling_sd(two, 2)[1] == pytest.approx(60 / math.sqrt(2))
    assert format_bedtime(735) == "00:15"
    assert format_bedtime(630.4) == "22:30"
