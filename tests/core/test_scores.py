"""Adherence, streaks and the habit strength score, checked against hand-computed values.

Multipliers used below (m = 0.5 ** (sqrt(f) / 13)):
  daily          f = 1    m1 = 0.5 ** (1/13)          = 0.948078
  3 a week       f = 3/7  m3 = 0.5 ** (0.654654/13)   = 0.965697
  2 a week       f = 2/7  m2 = 0.5 ** (0.534522/13)   = 0.971902
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from igfcoach.core.habits import HabitSpec, Schedule, Target
from igfcoach.core.scores import (
    ADHERENCE_TEXT,
    FORMULA_TEXT,
    STREAK_TEXT,
    DayRecord,
    Streak,
    best_streaks,
    current_streak,
    daily_adherence,
    is_completed,
    multiplier,
    score_on,
    score_series,
    streaks,
)

M1, M3, M2 = 0.948078, 0.965697, 0.971902
D0 = date(2026, 1, 26)  # a Monday; its ISO week runs into February


def d(n: int) -> date:
    """Day n of the test period, day 1 = Mon 2026-01-26."""
    return D0 + timedelta(days=n - 1)


def check(schedule: Schedule = Schedule.daily(), key: str = "habit") -> HabitSpec:
    return HabitSpec(key, "sleep", "T", "W", "D", "check", None, schedule)


def measured(value: float, unit: str = "g", direction: str = "at_least", schedule: Schedule = Schedule.daily()) -> HabitSpec:
    return HabitSpec("m", "nutrition", "T", "W", "D", "measured", Target(value, unit, direction), schedule)  # type: ignore[arg-type]


def done(*days: int) -> list[DayRecord]:
    return [DayRecord(d(n), done=True) for n in days]


def skipped(*days: int) -> list[DayRecord]:
    return [DayRecord(d(n), skipped=True) for n in days]


def scores(spec: HabitSpec, records: list[DayRecord], days: int) -> list[float]:
    return [s for _, s in score_series(spec, records, d(1), d(days))]


# --- completion and adherence -----------------------------------------------------------------------


def test_is_completed() -> None:
    protein = measured(112)
    assert is_completed(check(), DayRecord(d(1), done=True))
    assert not is_completed(check(), DayRecord(d(1)))
    assert not is_completed(check(), None)
    assert not is_completed(check(), DayRecord(d(1), done=True, skipped=True))
    assert is_completed(protein, DayRecord(d(1), value=112))
    assert not is_completed(protein, DayRecord(d(1), value=111.9))
    assert not is_completed(protein, DayRecord(d(1), done=True))  # a tick without a value is not enough
    assert is_completed(measured(10, "h", "at_most"), DayRecord(d(1), value=9))
    assert not is_completed(measured(10, "h", "at_most"), DayRecord(d(1), value=10.5))


def test_daily_adherence_done_over_due_skips_neither() -> None:
    protein = measured(112)
    items = [
        (check(), DayRecord(d(1), done=True)),
        (check(), DayRecord(d(1))),
        (check(), None),
        (protein, DayRecord(d(1), value=120)),
        (protein, DayRecord(d(1), value=100)),
        (check(), DayRecord(d(1), skipped=True)),
    ]
    assert daily_adherence(items) == pytest.approx(2 / 5)


def test_daily_adherence_none_when_nothing_due() -> None:
    assert daily_adherence([]) is None
    assert daily_adherence([(check(), DayRecord(d(1), skipped=True))]) is None
    assert daily_adherence([(check(), DayRecord(d(1), done=True))]) == 1.0


# --- strength score ---------------------------------------------------------------------------------


def test_multiplier_half_life() -> None:
    assert multiplier(Schedule.daily()) == pytest.approx(M1, abs=1e-6)
    assert multiplier(Schedule.per_week(3)) == pytest.approx(M3, abs=1e-6)
    assert multiplier(Schedule.on_weekdays({0, 2, 4})) == pytest.approx(M3, abs=1e-6)
    assert multiplier(Schedule.per_week(2)) == pytest.approx(M2, abs=1e-6)
    assert multiplier(Schedule.daily()) ** 13 == pytest.approx(0.5)  # half-life 13 days


def test_daily_perfect_30_and_60_days() -> None:
    # perfect from 0: s_n = 1 - m1**n; 1 - 0.5**(30/13) = 0.798017, 1 - 0.5**(60/13) = 0.959203
    series = scores(check(), done(*range(1, 61)), 60)
    assert series[29] == pytest.approx(0.798017, abs=1e-5)
    assert series[29] == pytest.approx(0.80, abs=0.01)
    assert series[59] == pytest.approx(0.959203, abs=1e-5)
    assert series[59] == pytest.approx(0.96, abs=0.01)
    assert series[0] == pytest.approx(1 - M1, abs=1e-6)  # 0.051922


def test_daily_missed_day_decays() -> None:
    series = scores(check(), done(*range(1, 11)), 11)
    # s10 = 1 - m1**10 = 0.413270; a miss multiplies by m1: 0.413270 * 0.948078 = 0.391812
    assert series[9] == pytest.approx(0.413270, abs=1e-5)
    assert series[10] == pytest.approx(0.391812, abs=1e-5)


def test_skipped_days_leave_score_unchanged() -> None:
    records = done(*range(1, 11)) + skipped(11, 12, 13, 14, 15) + done(16, 17, 18, 19, 20)
    series = scores(check(), records, 20)
    assert series[10:15] == [series[9]] * 5
    assert series[9] == pytest.approx(0.413270, abs=1e-5)
    # as if the 15 done days were consecutive: 1 - m1**15 = 0.550575
    assert series[19] == pytest.approx(0.550575, abs=1e-5)


def test_three_per_week_perfect_mon_wed_fri() -> None:
    # Done Mon/Wed/Fri from Mon 26 Jan. Share of 3 in the rolling 7-day window:
    # day 1..5 = 1/3, 1/3, 2/3, 2/3, 1; from day 5 on every window holds three sessions (v = 1),
    # including the windows that straddle 31 Jan / 1 Feb.
    # s1 = (1/3)(1 - m3) = 0.011434
    # s5 = (1 - m3) * (1/3 m3^4 + 1/3 m3^3 + 2/3 m3^2 + 2/3 m3 + 1) = 0.097957
    # s14 = 1 - (1 - s5) * m3^9 = 0.341139
    spec = check(Schedule.per_week(3))
    series = scores(spec, done(1, 3, 5, 8, 10, 12), 14)
    assert series[0] == pytest.approx(0.011434, abs=1e-5)
    assert series[4] == pytest.approx(0.097957, abs=1e-5)
    assert series[13] == pytest.approx(0.341139, abs=1e-5)
    assert series[5] > series[4]  # Saturday still counts: the window is full


def test_per_week_counts_days_before_start_in_the_window() -> None:
    spec = check(Schedule.per_week(2))
    records = [DayRecord(d(1) - timedelta(days=2), done=True)] + done(1)
    series = score_series(spec, records, d(1), d(1))
    # window holds 2 of 2: v = 1, s1 = 1 - m2 = 0.028098
    assert series[0][1] == pytest.approx(0.028098, abs=1e-5)


def test_weekday_habit_unchanged_on_unscheduled_days() -> None:
    # Mon/Wed/Fri, f = 3/7: done Mon, missed Wed, done Fri.
    # s1 = 1 - m3 = 0.034303; Tue unchanged; s3 = s1 * m3 = 0.033127; Thu unchanged;
    # s5 = s3 * m3 + (1 - m3) = 0.066294; Sat, Sun unchanged.
    spec = check(Schedule.on_weekdays({0, 2, 4}))
    series = scores(spec, done(1, 5), 7)
    assert series[0] == pytest.approx(0.034303, abs=1e-5)
    assert series[1] == series[0]
    assert series[2] == pytest.approx(0.033127, abs=1e-5)
    assert series[3] == series[2]
    assert series[4] == pytest.approx(0.066294, abs=1e-5)
    assert series[5] == series[6] == series[4]


def test_daily_measured_partial_credit() -> None:
    # target 100 g: 50, 100, 150, nothing -> v = 0.5, 1, 1 (capped), 0; 1 - m1 = 0.051922
    # s1 = 0.5 * 0.051922 = 0.025961
    # s2 = 0.025961 * m1 + 0.051922 = 0.076536
    # s3 = 0.076536 * m1 + 0.051922 = 0.124484
    # s4 = 0.124484 * m1 = 0.118021
    records = [DayRecord(d(1), value=50), DayRecord(d(2), value=100), DayRecord(d(3), value=150)]
    series = scores(measured(100), records, 4)
    assert series == pytest.approx([0.025961, 0.076536, 0.124484, 0.118021], abs=1e-5)


def test_daily_measured_at_most_is_all_or_nothing() -> None:
    # eating window <= 10 h: 9 h met (v = 1), 12 h not (v = 0)
    # s1 = 1 - m1 = 0.051922; s2 = s1 * m1 = 0.049226
    records = [DayRecord(d(1), value=9), DayRecord(d(2), value=12)]
    assert scores(measured(10, "h", "at_most"), records, 2) == pytest.approx([0.051922, 0.049226], abs=1e-5)


def test_per_week_measured_uses_window_sum() -> None:
    # 2 a week of >= 20 min: window target 40 min. Mon 30, Tue nothing, Wed 20.
    # v = 30/40 = 0.75, 0.75, min(1, 50/40) = 1; 1 - m2 = 0.028098
    # s1 = 0.75 * 0.028098 = 0.021073
    # s2 = 0.021073 * m2 + 0.021073 = 0.041555
    # s3 = 0.041555 * m2 + 0.028098 = 0.068485
    spec = measured(20, "min", schedule=Schedule.per_week(2))
    records = [DayRecord(d(1), value=30), DayRecord(d(3), value=20)]
    assert scores(spec, records, 3) == pytest.approx([0.021073, 0.041555, 0.068485], abs=1e-5)


def test_skipped_measured_day_is_neutral() -> None:
    records = [DayRecord(d(1), value=100), DayRecord(d(2), value=100, skipped=True)]
    series = scores(measured(100), records, 2)
    assert series[1] == series[0] == pytest.approx(1 - M1, abs=1e-5)


def test_score_series_shape_and_errors() -> None:
    series = score_series(check(), [], d(1), d(3))
    assert [day for day, _ in series] == [d(1), d(2), d(3)]
    assert [s for _, s in series] == [0.0, 0.0, 0.0]
    assert score_series(check(), [], d(2), d(1)) == []
    with pytest.raises(ValueError, match="two records"):
        score_series(check(), done(1, 1), d(1), d(2))
    assert score_on(check(), done(1, 2), d(1), d(2)) == pytest.approx(1 - M1**2, abs=1e-6)
    assert score_on(check(), done(1), d(2), d(1)) == 0.0


def test_score_series_is_linear_for_long_histories() -> None:
    spec = check(Schedule.per_week(3))
    records = [DayRecord(d(1) + timedelta(days=i), done=True) for i in range(0, 3650, 2)]
    series = score_series(spec, records, d(1), d(3650))
    assert len(series) == 3650
    assert 0.99 < series[-1][1] <= 1.0


def test_formula_text_explains_the_rule() -> None:
    for fragment in ("m = 0.5^(√f ÷ 13)", "13/√f", "Skipped", "80 %", "96 %", "7 days"):
        assert fragment in FORMULA_TEXT
    assert "due" in ADHERENCE_TEXT and "Skipped" in STREAK_TEXT


# --- streaks ----------------------------------------------------------------------------------------


def test_daily_streaks_skips_bridge_and_today_is_pending() -> None:
    # done 1-5, missed 6, done 7-9, skipped 10, done 11; today = day 12, not done yet
    records = done(1, 2, 3, 4, 5, 7, 8, 9, 11) + skipped(10)
    spec = check()
    assert streaks(spec, records, d(12)) == [Streak(d(1), d(5), 5, "day"), Streak(d(7), d(11), 4, "day")]
    assert current_streak(spec, records, d(12)) == 4
    assert current_streak(spec, records + done(12), d(12)) == 5  # done today counts
    assert current_streak(spec, records, d(13)) == 0  # day 12 was missed
    assert best_streaks(spec, records, d(12)) == [Streak(d(1), d(5), 5, "day"), Streak(d(7), d(11), 4, "day")]
    assert best_streaks(spec, records, d(12), limit=1) == [Streak(d(1), d(5), 5, "day")]


def test_streak_ties_prefer_most_recent_and_future_records_are_ignored() -> None:
    records = done(1, 2, 4, 5, 30)
    assert best_streaks(check(), records, d(6)) == [Streak(d(4), d(5), 2, "day"), Streak(d(1), d(2), 2, "day")]
    assert current_streak(check(), records, d(6)) == 2


def test_no_records_no_streaks() -> None:
    assert streaks(check(), [], d(1)) == []
    assert current_streak(check(), [], d(1)) == 0
    assert best_streaks(check(), [], d(1)) == []


def test_weekday_streak_ignores_unscheduled_days() -> None:
    spec = check(Schedule.on_weekdays({0, 2, 4}))
    # Mon 26, Wed 28, Fri 30 Jan, Mon 2 Feb done; nothing on Tue/Thu/weekend
    records = done(1, 3, 5, 8)
    assert current_streak(spec, records, d(9)) == 4  # Tue 3 Feb is not scheduled
    assert current_streak(spec, records, d(10)) == 4  # Wed 4 Feb is today, still pending
    assert current_streak(spec, records, d(11)) == 0  # Wed was missed
    assert streaks(spec, records, d(11)) == [Streak(d(1), d(8), 4, "day")]


def test_per_week_streak_counts_weeks() -> None:
    spec = check(Schedule.per_week(3))

    def wk(week: int, *days: int) -> list[int]:
        return [n + 7 * week for n in days]

    records = (
        done(*wk(0, 1, 3, 5))  # week of 26 Jan (crosses into Feb): met
        + done(*wk(1, 1, 3)) + skipped(*wk(1, 5))  # 2 done + 1 skipped: bridges, does not count
        + done(*wk(2, 2, 4, 6, 7))  # 4 of 3: met
        + done(*wk(3, 1))  # current week, 1 so far: pending
    )
    today = d(1 + 7 * 3 + 2)  # Wednesday of the 4th week
    assert streaks(spec, records, today) == [Streak(d(1), d(21), 2, "week")]
    assert current_streak(spec, records, today) == 2
    # once the 4th week ends short of 3, the streak is broken
    assert current_streak(spec, records, d(29)) == 0
    assert best_streaks(spec, records, d(29)) == [Streak(d(1), d(21), 2, "week")]


def test_per_week_short_week_without_skips_breaks() -> None:
    spec = check(Schedule.per_week(2))
    records = done(1, 2) + done(8) + done(15, 16)
    assert streaks(spec, records, d(21)) == [
        Streak(d(1), d(7), 1, "week"),
        Streak(d(15), d(21), 1, "week"),
    ]


def test_measured_streak_needs_target_met() -> None:
    spec = measured(112)
    records = [DayRecord(d(1), value=120), DayRecord(d(2), value=112), DayRecord(d(3), value=90)]
    assert streaks(spec, records, d(4)) == [Streak(d(1), d(2), 2, "day")]
    assert current_streak(spec, records, d(4)) == 0
