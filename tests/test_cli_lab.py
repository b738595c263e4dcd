"""`igfcoach lab ...` and `igfcoach screen`, run in-process: output, exit codes, nothing saved on error."""

from __future__ import annotations

import json
import sqlite3

import pytest

from igfcoach.cli.main import main
from igfcoach.paths import resolve_paths
from igfcoach.services import context as context_module


@pytest.fixture
def run(tmp_path, clock, monkeypatch, capsys):
    """Run the CLI on a private data dir with the test clock (2026-11-25 in Berlin)."""
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


def dump(db) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def count(db) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM lab_results").fetchone()[0]
    finally:
        conn.close()


def test_add_in_nmol_l_prints_the_stored_value_and_three_classifications(run):
    run("screen", "--age", "40", "--sex", "male")
    code, out, err = run("lab", "add", "--value", "18.5", "--unit", "nmol/L", "--date", "2026-10-01",
                         "--lab-low", "12", "--lab-high", "40", "--lab", "City Lab", "--fasting", "--time", "08:15")
    assert (code, err) == (0, "")
    assert "Saved result #1 drawn 2026-10-01: 141.5 ng/mL (entered as 18.5 nmol/L)" in out
    assert "Target band: Within your target band (120\u2013160 ng/mL)" in out
    assert "Lab range:   Within the lab's reference range (92\u2013306 ng/mL)" in out
    assert "Built-in:    Within the built-in reference interval (76\u2013251 ng/mL)" in out
    assert "Coaching: Your latest result is inside your target band: maintain" in out
    assert "clinician" not in out


def test_add_in_ng_ml_without_a_lab_range_or_screen(run):
    code, out, _ = run("lab", "add", "--value", "95", "--date", "2026-11-20")
    assert code == 0
    assert "Saved result #1 drawn 2026-11-20: 95 ng/mL\n" in out
    assert "Target band: Below your target band" in out
    assert "Lab range:   none given with this result" in out
    assert "Built-in:    none (No age given" in out
    assert "Coaching: Your latest result is below your target band: keep building the practices" in out


def test_add_defaults_to_today(run):
    code, out, _ = run("lab", "add", "--value", "130")
    assert code == 0 and "drawn 2026-11-25" in out


def test_a_result_above_the_lab_limit_prints_the_clinician_message(run):
    code, out, _ = run("lab", "add", "--value", "340", "--date", "2026-11-01", "--lab-low", "90",
                       "--lab-high", "300", "--biotin")
    assert code == 0
    assert "Talk to a clinician (an endocrinologist): Your latest result (340 ng/mL) is above the upper limit" in out
    assert "acromegaly" in out
    assert "biotin" in out and "72 hours" in out


def test_a_result_below_the_lab_limit_prints_the_clinician_message(run):
    code, out, _ = run("lab", "add", "--value", "7", "--unit", "nmol/L", "--date", "2026-11-01",
                       "--lab-low", "10", "--lab-high", "40")
    assert code == 0
    assert "Talk to a clinician (an endocrinologist)" in out and "frailty" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--value", "abc"], "value: 'abc' is not a number"),
    (["--value", "0"], "value: must be greater than zero"),
    (["--value", "-12"], "value: must be greater than zero"),
    (["--value", "5"], "value: 5 ng/mL is outside the plausible range 10\u20131500 ng/mL"),
    (["--value", "2000"], "value: 2000 ng/mL is outside the plausible range"),
    (["--value", "1", "--unit", "nmol/L"], "value: 1 nmol/L (8 ng/mL) is outside the plausible range"),
    (["--value", "100", "--date", "2026-11-26"], "date: 2026-11-26 is in the future"),
    (["--value", "100", "--date", "yesterday"], "date: 'yesterday' is not a date"),
    (["--value", "100", "--lab-low", "300", "--lab-high", "90"],
     "lab range: the low limit (300) must be below the high limit (90)"),
    (["--value", "100", "--lab-low", "90"], "lab range: enter both the low and the high limit, or neither"),
    (["--value", "100", "--unit", "mg/dL"], "unit: 'mg/dL' is not a known IGF-1 unit"),
    (["--value", "100", "--time", "8pm"], "time: '8pm' is not a time of day"),
])
def test_invalid_input_exits_2_with_one_line_naming_the_field_and_saves_nothing(run, args, message):
    run("lab", "add", "--value", "120", "--date", "2026-09-01")
    before = dump(run.db)
    code, out, err = run("lab", "add", *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("igfcoach lab: error: ")
    assert message in err
    assert "Traceback" not in err
    assert dump(run.db) == before


def test_an_implausible_value_is_saved_with_confirm(run):
    code, _, err = run("lab", "add", "--value", "5")
    assert code == 2 and "--confirm" in err
    assert count(run.db) == 0
    code, out, _ = run("lab", "add", "--value", "5", "--confirm")
    assert code == 0 and "Saved result #1" in out
    assert count(run.db) == 1


def test_list_shows_every_result_in_the_chosen_unit(run):
    run("lab", "add", "--value", "18.5", "--unit", "nmol/L", "--date", "2026-10-01", "--lab-low", "12",
        "--lab-high", "40")
    run("lab", "add", "--value", "100", "--date", "2026-06-01")
    code, out, _ = run("lab", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Target band: 120\u2013160 ng/mL"
    assert lines[1].split() == ["ID", "Date", "Value", "Target", "band", "Lab", "range", "Built-in"]
    assert lines[2].split() == ["1", "2026-10-01", "142", "ng/mL", "within", "within", "\u2013"]
    assert lines[3].split() == ["2", "2026-06-01", "100", "ng/mL", "below", "\u2013", "\u2013"]
    assert "Built-in interval: none. No age given" in out
    code, out, _ = run("lab", "list", "--unit", "nmol/L")
    assert "Target band: 15.7\u201320.9 nmol/L" in out
    assert "18.5 nmol/L" in out and "13.1 nmol/L" in out


def test_list_follows_the_preferred_unit(run):
    from igfcoach.services import context, settings

    run("lab", "add", "--value", "153", "--date", "2026-10-01")
    ctx = context.open_context(str(run.db.parent))
    settings.put(ctx, lab_unit="nmol/L")
    ctx.close()
    _, out, _ = run("lab", "list")
    assert "20.0 nmol/L" in out


def test_list_json(run):
    run("screen", "--age", "40", "--sex", "female")
    run("lab", "add", "--value", "18.5", "--unit", "nmol/L", "--date", "2026-10-01", "--lab-low", "12",
        "--lab-high", "40", "--lab", "<b>Lab</b>")
    code, out, _ = run("lab", "list", "--json", "--unit", "nmol/L")
    assert code == 0
    data = json.loads(out)
    r = data["results"][0]
    assert r["value"] == pytest.approx(18.5) and r["unit"] == "nmol/L"
    assert r["value_ng_ml"] == pytest.approx(141.5065)
    assert r["lab_name"] == "<b>Lab</b>"
    assert [r["target"]["position"], r["lab_range"]["position"], r["builtin"]["position"]] == [
        "within", "within", "within"]
    assert data["coaching"]["band"] == "in_target" and data["coaching"]["see_clinician"] is False


def test_empty_list_says_how_to_add(run):
    code, out, _ = run("lab", "list")
    assert code == 0 and "No results yet" in out and "baseline" in out


def test_delete(run):
    run("lab", "add", "--value", "100", "--date", "2026-06-01")
    code, out, _ = run("lab", "delete", "1")
    assert code == 0 and out.startswith("Deleted result #1 drawn 2026-06-01 (100 ng/mL)")
    assert count(run.db) == 0
    code, _, err = run("lab", "delete", "1")
    assert code == 2 and "id: there is no lab result with id 1" in err
    code, _, err = run("lab", "delete", "one")
    assert code == 2 and "id: 'one' is not a result ID" in err


def test_target_band(run):
    assert run("lab", "target")[1] == "Target band: 120\u2013160 ng/mL\n"
    code, out, _ = run("lab", "target", "--low", "15", "--high", "21", "--unit", "nmol/L")
    assert code == 0 and out == "Target band: 15.0\u201321.0 nmol/L\n"
    assert run("lab", "target")[1] == "Target band: 115\u2013161 ng/mL\n"
    before = dump(run.db)
    code, _, err = run("lab", "target", "--low", "160", "--high", "120")
    assert code == 2 and "target band: the low limit (160) must be below the high limit (120)" in err
    assert dump(run.db) == before
    assert run("lab", "target", "--reset")[1] == "Target band: 120\u2013160 ng/mL\n"


def test_screen_shows_records_and_keeps_history(run, clock):
    code, out, _ = run("screen")
    assert code == 0 and "has not been answered yet" in out
    code, out, _ = run("screen", "--age", "52", "--sex", "female", "--endocrine")
    assert code == 0 and "Safety screen saved." in out
    assert "Pituitary or other endocrine disorder: yes" in out
    assert "switched off" in out and "Specialist-directed only" in out
    clock.advance(86400 * 2)
    code, out, _ = run("screen", "--no-endocrine")
    assert "Safety screen saved." in out and "Specialist-directed only" not in out
    assert "Age:" in out and "52" in out  # the other answers are kept
    code, out, _ = run("screen", "--history")
    assert out.splitlines() == [
        "2026-11-27 09:00  age 52; female; no contraindications",
        "2026-11-25 09:00  age 52; female; pituitary or other endocrine disorder",
    ]


def test_screen_switches_the_coaching(run):
    run("lab", "add", "--value", "100", "--date", "2026-10-01")
    _, out, _ = run("lab", "list")
    assert "keep building the practices" in out
    run("screen", "--cancer")
    _, out, _ = run("lab", "list")
    assert "stay off unless a specialist directs them" in out
    assert "Specialist-directed only" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--age", "x"], "age: 'x' is not a whole number of years"),
    (["--age", "200"], "age: 200 is not a valid age"),
])
def test_screen_refuses_bad_answers(run, args, message):
    run("screen", "--age", "40")
    before = dump(run.db)
    code, _, err = run("screen", *args)
    assert code == 2 and message in err and err.count("\n") == 1
    assert dump(run.db) == before
