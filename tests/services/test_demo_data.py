"""Demo data: deterministic for a seed, realistic in shape, and never written over someone's data."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from igfcoach.services import checklist, demo_data, profile, safety, settings
from igfcoach.services.context import open_context
from igfcoach.services.demo_data import ExistingData

TABLES = ("habits", "checkoffs", "lab_results", "sleep_entries", "hiit_sessions", "resistance_sessions",
          "resistance_sets", "breathing_sessions", "screen_answers")


def _snapshot(db) -> dict[str, object]:
    conn = sqlite3.connect(db)
    try:
        out: dict[str, object] = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
        out["checkoff_rows"] = conn.execute(
            "SELECT h.key, c.day, c.done, c.value, c.skipped, c.source FROM checkoffs c "
            "JOIN habits h ON h.id = c.habit_id ORDER BY h.key, c.day").fetchall()
        out["labs"] = conn.execute(
            "SELECT drawn_on, value_ng, entered_value, entered_unit, lab_low_ng, lab_high_ng, lab_name "
            "FROM lab_results ORDER BY drawn_on").fetchall()
        out["sleep"] = conn.execute("SELECT day, bedtime, wake FROM sleep_entries ORDER BY day").fetchall()
        out["sets"] = conn.execute("SELECT exercise, reps, load FROM resistance_sets ORDER BY id").fetchall()
        return out
    finally:
        conn.close()


@pytest.fixture
def make(tmp_path, clock):
    opened = []

    def _make(name: str):
        c = open_context(str(tmp_path / name), clock=clock)
        opened.append(c)
        return c

    yield _make
    for c in opened:
        c.close()


def test_same_seed_same_history_other_seed_other_history(make):
    a, b, c = make("a"), make("b"), make("c")
    sa = demo_data.generate(a, 1.0, seed=7)
    demo_data.generate(b, 1.0, seed=7)
    demo_data.generate(c, 1.0, seed=8)
    first, second, other = _snapshot(a.paths.database), _snapshot(b.paths.database), _snapshot(c.paths.database)
    assert first == second
    assert first["checkoff_rows"] != other["checkoff_rows"]
    assert first["labs"] != other["labs"]
    assert sa.checkoffs == first["checkoffs"] and sa.lab_results == first["lab_results"]
    assert sa.training_rows["nights"] == first["sleep_entries"]


def test_one_year_looks_like_a_person(make, clock):
    ctx = make("d")
    summary = demo_data.generate(ctx, 1.0, seed=1)
    today = ctx.today()
    assert summary.end == today and summary.start == today - timedelta(days=364)  # 365 days
    assert summary.habits == 12  # the default catalog (the optional, stimulating items stay off)
    snap = _snapshot(ctx.paths.database)
    # An IGF-1 result every 8–16 weeks: 3 to 7 in a year, on weekdays, plausible values.
    labs = snap["labs"]
    assert 3 <= len(labs) <= 7
    days = [date.fromisoformat(row[0]) for row in labs]
    assert all(d.weekday() < 5 for d in days)
    gaps = [(b - a).days for a, b in zip(days, days[1:])]
    assert all(8 * 7 - 2 <= g <= 16 * 7 + 2 for g in gaps)
    assert all(60 <= row[1] <= 200 for row in labs)
    assert {row[3] for row in labs} <= {"ng/mL", "nmol/L"}
    # Most days have a night logged; some days are missed, some skipped.
    assert 250 <= snap["sleep_entries"] <= 366
    rows = snap["checkoff_rows"]
    done_share = sum(1 for r in rows if r[2]) / len(rows)
    assert 0.6 < done_share < 0.98
    # The person: profile, safety screen without contraindications.
    p = profile.load(ctx)
    assert p.onboarded and p.weight_kg == 78.0
    answers = safety.current_answers(ctx)
    assert answers.age == 46 and not answers.active_cancer and not answers.endocrine_disorder
    assert settings.get(ctx, demo_data.DEMO_MARKER)["seed"] == 1
    # The checklist reads it like any other data.
    items = checklist.day_checklist(ctx)
    assert len(items) == 12


def test_refuses_a_data_dir_with_data_unless_forced(make):
    ctx = make("e")
    demo_data.generate(ctx, 0.2, seed=1)
    before = _snapshot(ctx.paths.database)
    with pytest.raises(ExistingData) as info:
        demo_data.generate(ctx, 0.2, seed=2)
    assert "already holds data" in str(info.value) and "--force" in str(info.value)
    assert "12 habits" in info.value.found
    assert _snapshot(ctx.paths.database) == before  # nothing written
    summary = demo_data.generate(ctx, 0.2, seed=2, force=True)
    assert summary.backup is not None
    after = _snapshot(ctx.paths.database)
    assert after["habits"] == 12  # replaced, not added to
    assert after["labs"] != before["labs"] or after["checkoff_rows"] != before["checkoff_rows"]


def test_a_users_own_tick_counts_as_data(make):
    ctx = make("f")
    assert demo_data.existing_data(ctx) == []  # a fresh database (with its built-in exercises) is empty
    from igfcoach.services import habits

    habits.seed_from_catalog(ctx)
    checklist.record(ctx, "zinc", done=True)
    found = demo_data.existing_data(ctx)
    assert found[:2] == ["12 habits", "1 check-offs"]
    with pytest.raises(ExistingData):
        demo_data.generate(ctx, 1.0)


def test_rejects_silly_years(make):
    ctx = make("g")
    for bad in (0, -1, 31, True):
        with pytest.raises(ValueError, match="years"):
            demo_data.generate(ctx, bad)  # type: ignore[arg-type]


def test_ten_years_is_quick(make):
    import time

    ctx = make("h")
    t0 = time.perf_counter()
    summary = demo_data.generate(ctx, 10.0, seed=1)
    elapsed = time.perf_counter() - t0
    assert summary.checkoffs > 25_000 and summary.lab_results >= 27
    assert elapsed < 20  # generous: a few seconds on the CI machine; the benchmark reports the real figure
