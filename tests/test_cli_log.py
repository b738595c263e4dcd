"""`igfcoach log sleep|hiit|lift|breathe`, run in-process: output, ticks, exit 2 naming the field, nothing
saved on error."""

from __future__ import annotations

import json
import sqlite3

import pytest

from igfcoach.cli.main import main
from igfcoach.paths import resolve_paths
from igfcoach.services import context as context_module

TABLES = ("hiit_sessions", "resistance_sessions", "resistance_sets", "sleep_entries", "breathing_sessions",
          "checkoffs")


@pytest.fixture
def run(tmp_path, clock, monkeypatch, capsys):
    """Run the CLI on a private data dir with the test clock (2026-11-25 09:00 in Berlin)."""
    real_open = context_module.open_context
    monkeypatch.setattr(context_module, "open_context",
                        lambda data_dir=None, clock_=None: real_open(data_dir, clock=clock))
    data = str(tmp_path / "data")

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", data, *args])
        out, err = capsys.readouterr()
        return code, out, err

    _run.db = resolve_paths(data).database  # type: ignore[attr-defined]
    return _run


def counts(db) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def items(run, day="2026-11-25") -> dict[str, dict]:
    code, out, _ = run("today", "--json", "--date", day)
    assert code == 0
    return {i["key"]: i for i in json.loads(out)["items"]}


def test_log_sleep_across_midnight_ticks_the_sleep_items(run):
    code, out, err = run("log", "sleep", "--bed", "23:10", "--wake", "07:05", "--quality", "4", "--cool-dark")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == ("Logged the night ending 2026-11-25: 7 h 55 min of sleep · bedtime 40 min later "
                                   "than your 22:30 target (outside ±30 min).")
    assert "Ticked: Sleep 7–9 hours (7.92 h); Cool, dark bedroom" in out
    i = items(run)
    assert i["sleep_duration"]["done"] and i["sleep_duration"]["value"] == 7.92
    assert i["bedroom_cool_dark"]["done"]
    assert not i["bedtime_consistent"]["done"] and not i["screens_off"]["done"]


def test_log_sleep_for_another_day_and_the_20_hour_confirmation(run):
    code, _, err = run("log", "sleep", "--bed", "07:00", "--wake", "04:00", "--date", "2026-11-20")
    assert code == 2
    assert err.strip() == ("igfcoach log: error: sleep: 21 h between bedtime and wake-up is more than 20 hours; "
                           "check the times, or confirm that this is right (add --confirm)")
    assert counts(run.db)["sleep_entries"] == 0
    code, out, _ = run("log", "sleep", "--bed", "07:00", "--wake", "04:00", "--date", "2026-11-20", "--confirm")
    assert code == 0 and "night ending 2026-11-20: 21 h of sleep" in out
    assert items(run, "2026-11-20")["sleep_duration"]["value"] == 21.0


def test_log_sleep_twice_needs_replace(run):
    assert run("log", "sleep", "--bed", "22:30", "--wake", "06:30")[0] == 0
    code, _, err = run("log", "sleep", "--bed", "23:00", "--wake", "06:30")
    assert code == 2 and "date: sleep for the night ending 2026-11-25 is already logged" in err
    assert "(add --replace)" in err
    assert run("log", "sleep", "--bed", "23:00", "--wake", "06:30", "--replace")[0] == 0
    assert items(run)["sleep_duration"]["value"] == 7.5


def test_log_hiit_ticks_hiit_and_mentions_the_post_training_meal(run):
    code, out, err = run("log", "hiit", "--rounds", "8", "--work", "30", "--rest", "90", "--rpe", "8")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Logged HIIT on 2026-11-25: 8 × 30 s work / 90 s rest, effort 8/10.",
        "Ticked: HIIT session",
        "Training day: have protein and carbs after it, then `igfcoach check post_workout_meal`.",
    ]
    i = items(run)
    assert i["hiit"]["done"] and i["hiit"]["week"] == [1, 2]
    assert not i["post_workout_meal"]["done"]


def test_log_lift_parses_sets_in_kg_and_lb(run):
    code, out, err = run("log", "lift", "squat", "5x100kg", "5×100", "3x225lb", "--failure", "--date", "2026-11-24")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == ("Logged Squat on 2026-11-24: 5 × 100 kg, 5 × 100 kg, 3 × 102.1 kg (to failure) "
                                   "(volume 1306.2 kg).")
    assert "Ticked: Resistance session" in out
    assert items(run, "2026-11-24")["resistance"]["done"]
    assert counts(run.db)["resistance_sets"] == 3


def test_log_lift_in_pounds_when_that_is_the_profile_unit(run):
    run("today")  # creates the data dir
    conn = sqlite3.connect(run.db)
    conn.execute("INSERT INTO settings(key, value) VALUES ('load_unit', '\"lb\"')")
    conn.commit()
    conn.close()
    code, out, _ = run("log", "lift", "Deadlift", "5x225")
    assert code == 0 and "Deadlift on 2026-11-25: 5 × 225 lb (volume 1125 lb)" in out


def test_log_breathe_sums_the_days_minutes(run):
    code, out, _ = run("log", "breathe", "6", "--pattern", "box")
    assert code == 0 and "Recorded (below the target): Mindfulness or breathing (6 min)" in out
    code, out, _ = run("log", "breathe", "4.5")
    assert code == 0
    assert out.splitlines()[0] == "Logged 4.5 min of breathing practice on 2026-11-25 (10.5 min that day)."
    assert "Ticked: Mindfulness or breathing (10.5 min)" in out
    assert items(run)["breathing"]["done"]


@pytest.mark.parametrize(("args", "message"), [
    (("log", "lift", "Squat", "5x-100kg"), "load: -100 kg is negative"),
    (("log", "lift", "Squat", "5x100kg", "500x100kg"), "reps: 500 is outside 1–100"),
    (("log", "lift", "Squat", "5x1200kg"), "load: 1200 kg is more than 1000 kg; check the number"),
    (("log", "lift", "Squat", "five"), "set: 'five' is not like 5x100kg (reps x load, kg or lb)"),
    (("log", "lift", "  ", "5x100"), "exercise: is empty"),
    (("log", "hiit", "--rounds", "0", "--work", "30", "--rest", "90"), "rounds: 0 is outside 1–50"),
    (("log", "hiit", "--rounds", "8", "--work", "30", "--rest", "90", "--rpe", "11"),
     "effort (RPE): 11 is outside 1–10"),
    (("log", "hiit", "--rounds", "8", "--work", "30", "--rest", "90", "--date", "2026-11-26"),
     "date: 2026-11-26 is in the future"),
    (("log", "sleep", "--bed", "23:00", "--wake", "09:30"), "wake time: 09:30 on 2026-11-25 is still to come"),
    (("log", "sleep", "--bed", "23:00", "--wake", "07:00", "--quality", "9"), "quality: 9 is outside 1–5"),
    (("log", "breathe", "0"), "minutes: 0 min is outside 1–180 min"),
    (("log", "breathe", "-3"), "minutes: -3 min is outside 1–180 min"),
])
def test_bad_input_exits_2_with_one_line_naming_the_field(run, args, message):
    run("today")
    before = counts(run.db)
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert err == f"igfcoach log: error: {message}\n"
    assert counts(run.db) == before


@pytest.mark.parametrize(("args", "field"), [
    (("log", "sleep", "--bed", "11pm", "--wake", "07:00"), "argument --bed: '11pm' is not a time"),
    (("log", "hiit", "--rounds", "eight", "--work", "30", "--rest", "90"), "argument --rounds: 'eight'"),
    (("log", "breathe", "ten"), "argument MINUTES: 'ten' is not a number"),
    (("log", "breathe", "10", "--date", "tomorrow"), "argument --date: 'tomorrow' is not a date"),
    (("log",), "the following arguments are required: WHAT"),
])
def test_malformed_arguments_exit_2_naming_the_argument(run, capsys, args, field):
    with pytest.raises(SystemExit) as e:
        run(*args)
    err = capsys.readouterr().err
    assert e.value.code == 2 and field in err and len(err.strip().splitlines()) == 1
