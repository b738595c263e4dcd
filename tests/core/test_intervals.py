"""Timed practice, pure: phase sequences, breathing patterns, sleep arithmetic, volume and validation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from igfcoach.core import intervals as iv
from igfcoach.core.intervals import IntervalPlan, NeedsConfirmation, PracticeInputError, SetSpec

BERLIN = ZoneInfo("Europe/Berlin")
PLAN = IntervalPlan(warmup_s=300, work_s=30, rest_s=90, rounds=8, cooldown_s=180)


# --- HIIT phases -------------------------------------------------------------------------------------

def test_a_plan_is_warmup_then_work_rest_rounds_then_cooldown_without_a_last_rest():
    phases = iv.hiit_phases(PLAN)
    kinds = [(p.kind, p.round) for p in phases]
    assert kinds[0] == ("warmup", 0) and kinds[-1] == ("cooldown", 0)
    assert kinds[1:-1] == [x for r in range(1, 9) for x in (("work", r), ("rest", r))][:-1]
    assert PLAN.total_s == 300 + 8 * 30 + 7 * 90 + 180 == iv.total_seconds(phases)


def test_zero_warmup_cooldown_and_rest_are_left_out():
    phases = iv.hiit_phases(IntervalPlan(0, 20, 0, 3, 0))
    assert [(p.kind, p.round) for p in phases] == [("work", 1), ("work", 2), ("work", 3)]


@pytest.mark.parametrize(("elapsed", "kind", "round_", "remaining"), [
    (0, "warmup", 0, 300),
    (299.5, "warmup", 0, 0.5),
    (300, "work", 1, 30),  # a phase owns [start, end)
    (329, "work", 1, 1),
    (330, "rest", 1, 90),
    (420, "work", 2, 30),
    (300 + 8 * 30 + 7 * 90 - 1, "work", 8, 1),
    (300 + 8 * 30 + 7 * 90, "cooldown", 0, 180),
])
def test_phase_at_an_elapsed_time(elapsed, kind, round_, remaining):
    p = iv.phase_at(iv.hiit_phases(PLAN), elapsed)
    assert (p.kind, p.round, p.rounds, p.finished) == (kind, round_, 8, False)
    assert p.remaining_s == pytest.approx(remaining)


def test_at_and_after_the_end_the_sequence_is_finished():
    phases = iv.hiit_phases(PLAN)
    for t in (PLAN.total_s, PLAN.total_s + 500):
        p = iv.phase_at(phases, t)
        assert p.finished and p.index == len(phases) and p.remaining_s == 0 and p.total_remaining_s == 0
        assert p.title == "Done"
    assert iv.phase_at(phases, -5).kind == "warmup"  # a clock that stepped back counts as the start


def test_completed_rounds_count_finished_work_intervals_only():
    phases = iv.hiit_phases(PLAN)
    assert iv.completed_rounds_at(phases, 0) == 0
    assert iv.completed_rounds_at(phases, 329) == 0
    assert iv.completed_rounds_at(phases, 330) == 1
    assert iv.completed_rounds_at(phases, 449) == 1
    assert iv.completed_rounds_at(phases, 450) == 2
    assert iv.completed_rounds_at(phases, PLAN.total_s) == 8


def test_plan_validation_names_the_field():
    with pytest.raises(PracticeInputError, match=r"^rounds: 0 is outside 1–50$") as e:
        iv.validate_plan(IntervalPlan(0, 30, 90, 0, 0))
    assert e.value.field == "rounds"
    with pytest.raises(PracticeInputError, match="^work: 2 s is outside 5–600 s"):
        iv.validate_plan(IntervalPlan(0, 2, 90, 8, 0))
    with pytest.raises(PracticeInputError, match="^warm-up: -5 s"):
        iv.validate_plan(IntervalPlan(-5, 30, 90, 8, 0))
    with pytest.raises(PracticeInputError, match="^rest: 7.5 is not a whole number"):
        iv.validate_plan(IntervalPlan(0, 30, 7.5, 8, 0))  # type: ignore[arg-type]
    with pytest.raises(PracticeInputError, match="^effort \\(RPE\\): 11 is outside 1–10"):
        iv.validate_rpe(11)
    assert iv.validate_rpe(None) is None and iv.validate_rpe(8) == 8
    assert iv.validate_plan(IntervalPlan(0.0, 30.0, 90, 8, 0)) == IntervalPlan(0, 30, 90, 8, 0)  # type: ignore[arg-type]


def test_plan_labels():
    assert PLAN.label == "8 × 30 s work / 90 s rest"
    assert IntervalPlan(0, 20, 120, 6, 0).label == "6 × 20 s work / 2 min rest"
    assert IntervalPlan(0, 150, 10, 6, 0).label == "6 × 2:30 min work / 10 s rest"
    assert all(iv.validate_plan(p) == p for _, p in iv.BUILTIN_PLANS)


# --- rest timer --------------------------------------------------------------------------------------

def test_rest_timer_is_one_rest_phase():
    assert iv.rest_phases() == [iv.PhaseSpec("rest", 90)]
    assert iv.rest_phases(45) == [iv.PhaseSpec("rest", 45)]
    with pytest.raises(PracticeInputError, match="^rest: 5 s is outside 10–600 s"):
        iv.rest_phases(5)


# --- breathing ---------------------------------------------------------------------------------------

def test_breathing_patterns():
    box, four78, slow = (iv.BREATH_PATTERNS[k] for k in ("box", "478", "slow"))
    assert [(p.kind, p.duration_s) for p in box.cycle()] == [("inhale", 4), ("hold_in", 4), ("exhale", 4),
                                                             ("hold_out", 4)]
    assert [(p.kind, p.duration_s) for p in four78.cycle()] == [("inhale", 4), ("hold_in", 7), ("exhale", 8)]
    assert [p.kind for p in slow.cycle()] == ["inhale", "exhale"]
    assert slow.breaths_per_minute == pytest.approx(5.5)
    assert slow.cycle()[0].duration_s == pytest.approx(60 / 11)


@pytest.mark.parametrize("key", ["box", "478", "slow"])
def test_a_session_is_whole_breaths_reaching_at_least_the_length(key):
    phases = iv.breathing_phases(key, 10)
    pattern = iv.BREATH_PATTERNS[key]
    total = iv.total_seconds(phases)
    assert total >= 600 and total - pattern.cycle_s < 600
    assert phases[-1].round == len(phases) // len(pattern.cycle())
    assert phases[0].kind == "inhale"


def test_breathing_validation():
    with pytest.raises(PracticeInputError, match="^minutes: 0.5 min is outside 1–180 min"):
        iv.breathing_phases("slow", 0.5)
    with pytest.raises(PracticeInputError, match="^pattern: 'fast'"):
        iv.breathing_phases("fast", 10)


def test_breath_level_grows_holds_and_shrinks_smoothly():
    phases = iv.breathing_phases("box", 1)
    levels = [iv.breath_level(iv.phase_at(phases, t / 10)) for t in range(0, 161)]
    assert levels[0] == 0 and levels[20] == pytest.approx(0.5) and levels[40] == pytest.approx(1.0)
    assert all(b >= a for a, b in zip(levels[:40], levels[1:41], strict=True))  # breathing in
    assert all(x == 1.0 for x in levels[40:80])  # holding
    assert all(b <= a for a, b in zip(levels[80:120], levels[81:121], strict=True))  # breathing out
    assert all(x == 0.0 for x in levels[120:160])
    steps = [abs(b - a) for a, b in zip(levels, levels[1:], strict=False)]
    assert max(steps) < 0.05  # no jumps: 0.1 s never moves the circle more than 5 %


def test_logged_breathing_minutes():
    assert iv.logged_breathing_minutes(59.9) is None
    assert iv.logged_breathing_minutes(60) == 1.0
    assert iv.logged_breathing_minutes(605) == 10.0
    assert iv.logged_breathing_minutes(611.9) == 10.1  # rounded down: unbreathed time is never credited


# --- sleep -------------------------------------------------------------------------------------------

def test_sleep_across_midnight_and_after_midnight():
    w = iv.sleep_window(date(2026, 11, 25), time(23, 10), time(7, 5))
    assert w.bedtime == datetime(2026, 11, 24, 23, 10) and w.wake == datetime(2026, 11, 25, 7, 5)
    assert iv.format_duration(w.duration) == "7 h 55 min"
    late = iv.sleep_window(date(2026, 11, 25), time(1, 30), time(8, 0))
    assert late.bedtime == datetime(2026, 11, 25, 1, 30) and late.hours == 6.5
    with pytest.raises(PracticeInputError, match="^wake time: 07:00 is the same as the bedtime"):
        iv.sleep_window(date(2026, 11, 25), time(7, 0), time(7, 0))


def test_sleep_across_a_dst_change_is_real_elapsed_time():
    spring = iv.sleep_window(date(2026, 3, 29), time(23, 0), time(7, 0), BERLIN)  # clocks go forward at 02:00
    autumn = iv.sleep_window(date(2026, 10, 25), time(23, 0), time(7, 0), BERLIN)  # and back at 03:00
    assert spring.hours == 7 and autumn.hours == 9
    assert spring.bedtime.tzinfo is BERLIN and spring.wake.astimezone(timezone.utc).hour == 5


def test_sleep_validation_asks_to_confirm_more_than_20_hours():
    ok = iv.sleep_window(date(2026, 11, 25), time(23, 0), time(7, 0))
    assert iv.validate_sleep(ok, quality=4) == 4
    long_night = iv.sleep_window(date(2026, 11, 25), time(7, 0), time(4, 0))  # "7 am" typed for 7 pm
    assert long_night.hours == 21
    with pytest.raises(NeedsConfirmation, match="^sleep: 21 h between bedtime and wake-up") as e:
        iv.validate_sleep(long_night)
    assert e.value.field == "sleep" and isinstance(e.value, PracticeInputError)
    assert iv.validate_sleep(long_night, confirm=True) is None
    assert iv.validate_sleep(iv.sleep_window(date(2026, 11, 25), time(11, 0), time(7, 0))) is None  # exactly 20 h
    with pytest.raises(PracticeInputError, match="^quality: 6 is outside 1–5"):
        iv.validate_sleep(ok, quality=6)


def test_bedtime_deviation_and_consistency_across_midnight():
    assert iv.bedtime_deviation_min(time(23, 10), time(22, 30)) == 40
    assert iv.bedtime_deviation_min(time(0, 10), time(23, 30)) == 40
    assert iv.bedtime_deviation_min(time(22, 0), time(22, 30)) == -30
    assert iv.bedtime_consistent(time(22, 0), time(22, 30), 30)
    assert not iv.bedtime_consistent(time(23, 10), time(22, 30), 30)
    assert iv.format_deviation(40) == "40 min later" and iv.format_deviation(-65) == "1 h 5 min earlier"
    assert iv.format_deviation(0) == "on time"


# --- resistance --------------------------------------------------------------------------------------

def test_volume_in_the_users_unit():
    sets = [SetSpec(5, 100, "kg"), SetSpec(5, 220.5, "lb"), SetSpec(10, 0, "kg")]
    assert iv.session_volume(sets, "kg") == pytest.approx(500 + 5 * 220.5 * 0.45359237)
    assert iv.session_volume(sets, "lb") == pytest.approx(500 / 0.45359237 + 5 * 220.5)
    assert iv.convert_load(1, "lb", "kg") == 0.45359237
    assert iv.convert_load(100, "kg", "kg") == 100


@pytest.mark.parametrize(("text", "expected"), [
    ("5x100kg", SetSpec(5, 100, "kg")),
    ("5×102.5", SetSpec(5, 102.5, "kg")),
    ("8x135lb", SetSpec(8, 135, "lb")),
    ("8 X 135 LBS", SetSpec(8, 135, "lb")),
    ("10x0", SetSpec(10, 0, "kg")),
    ("3x22,5kg", SetSpec(3, 22.5, "kg")),
])
def test_parse_set(text, expected):
    assert iv.parse_set(text) == expected


def test_parse_set_uses_the_default_unit():
    assert iv.parse_set("5x225", "lb") == SetSpec(5, 225, "lb")


@pytest.mark.parametrize(("text", "message"), [
    ("5x-100kg", "^load: -100 kg is negative$"),
    ("0x100kg", "^reps: 0 is outside 1–100$"),
    ("101x10", "^reps: 101 is outside 1–100$"),
    ("5x1001kg", "^load: 1001 kg is more than 1000 kg"),
    ("5x2205lb", "^load: 2205 lb is more than 2205 lb"),
    ("five x 100", "^set: 'five x 100' is not like 5x100kg"),
    ("5x100st", "^set: "),
])
def test_absurd_sets_are_refused_with_the_field(text, message):
    with pytest.raises(PracticeInputError, match=message):
        iv.parse_set(text)


def test_load_limits_are_the_same_in_either_unit():
    assert iv.validate_set(5, 2204.6, "lb").load == 2204.6
    with pytest.raises(PracticeInputError, match="^unit: 'st' is not kg or lb"):
        iv.validate_set(5, 10, "st")
    with pytest.raises(PracticeInputError, match="^load: nan"):
        iv.validate_set(5, float("nan"), "kg")


def test_formatting():
    assert iv.format_set(SetSpec(5, 100, "kg")) == "5 × 100 kg"
    assert iv.format_set(SetSpec(5, 100, "kg", True), "lb") == "5 × 220.5 lb (to failure)"
    assert iv.format_set(SetSpec(8, 0, "kg")) == "8 × body weight"
    assert iv.format_load(102.25, "kg") == "102.2 kg" or iv.format_load(102.25, "kg") == "102.3 kg"
    assert iv.format_clock(90) == "1:30" and iv.format_clock(0.2) == "0:01" and iv.format_clock(0) == "0:00"
    assert iv.format_duration(timedelta(hours=8)) == "8 h" and iv.format_duration(0.5) == "30 min"
