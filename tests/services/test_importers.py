"""Imports: format detection, Loop Habit Tracker (databases of several schema versions, CSV exports of two
layouts, zip or folder) with the mapping preview, and lab results from CSV. Re-importing adds nothing."""

from __future__ import annotations

from datetime import date

import pytest
from dataio_helpers import (
    LABS_CSV,
    NO,
    SKIP,
    YES_MANUAL,
    LHabit,
    dump,
    loop_csv_files,
    make_loop_db,
    make_loop_folder,
    make_loop_zip,
)
from sqlalchemy import select

from igfcoach.core.habits import HabitSpec, Schedule, Target
from igfcoach.core.igf1 import NG_ML_PER_NMOL_L
from igfcoach.services import export, habits, importers, labs
from igfcoach.services.fileio import Cancelled
from igfcoach.services.importers import ImportProblem
from igfcoach.services.importers.loop_habits import schedule_for, similarity
from igfcoach.store.models import CheckOff, Habit


def _habits(ctx) -> dict[str, Habit]:
    with ctx.db.transaction() as s:
        rows = list(s.scalars(select(Habit)))
        s.expunge_all()
    return {h.title: h for h in rows}


def _records(ctx, title: str) -> dict[date, CheckOff]:
    with ctx.db.transaction() as s:
        h = s.scalar(select(Habit).where(Habit.title == title))
        rows = list(s.scalars(select(CheckOff).where(CheckOff.habit_id == h.id)))
        s.expunge_all()
    return {c.day: c for c in rows}


def _import(ctx, path, **kw):
    plan = importers.preview(ctx, path)
    return plan, importers.apply(ctx, plan, **kw)


# --------------------------------------------------------------------------------------------------- detection

def test_detect_knows_every_format_by_content(ctx, tmp_path):
    export.export_json(ctx, tmp_path / "backup.dat")
    make_loop_db(tmp_path / "loop.bin")
    make_loop_zip(tmp_path / "loop.zip")
    make_loop_folder(tmp_path / "loopdir")
    (tmp_path / "labs.txt").write_text(LABS_CSV, encoding="utf-8")
    assert importers.detect(tmp_path / "backup.dat") == "igfcoach-json"
    assert importers.detect(tmp_path / "loop.bin") == "loop-db"
    assert importers.detect(tmp_path / "loop.zip") == "loop-csv"
    assert importers.detect(tmp_path / "loopdir") == "loop-csv"
    assert importers.detect(tmp_path / "labs.txt") == "labs-csv"


def test_detect_names_what_it_does_not_know(ctx, tmp_path):
    (tmp_path / "notes.txt").write_text("hello,world\n1,2\n")
    with pytest.raises(ImportProblem, match="not a file IGF Coach can import") as info:
        importers.detect(tmp_path / "notes.txt")
    assert info.value.file == str(tmp_path / "notes.txt")
    with pytest.raises(ImportProblem, match="does not exist"):
        importers.detect(tmp_path / "missing.json")
    make_loop_folder(tmp_path / "loopdir")
    with pytest.raises(ImportProblem, match="Habits.csv on its own"):
        importers.detect(tmp_path / "loopdir" / "Habits.csv")


def test_our_own_database_backup_is_sent_to_restore(ctx, tmp_path):
    from igfcoach.services import backups

    path = backups.make_backup(ctx, tmp_path)
    with pytest.raises(ImportProblem, match="restore"):
        importers.detect(path)


# --------------------------------------------------------------------------------------------------- Loop: the database

def test_loop_database_current_schema_maps_habits_frequencies_targets_and_entries(ctx, tmp_path):
    path = make_loop_db(tmp_path / "Loop Habits Backup 2026-11-25 090000.db", version=25)
    plan, result = _import(ctx, path)
    assert plan.format == "loop-db"
    assert "schema version 25: 6 habits" in plan.describe()
    assert result.added == {"habits": 6, "checkoffs": 12}

    h = _habits(ctx)
    meditate = h["Meditate"]
    assert meditate.kind == "check" and meditate.schedule == "daily" and meditate.category == "stress"
    assert meditate.details == "Did you meditate this morning?\n\n10 minutes"
    assert h["Gym"].schedule == "per_week:3" and h["Gym"].category == "training"
    assert h["Walk every other day"].schedule == "per_week:4"
    protein = h["Protein"]
    assert (protein.kind, protein.target_value, protein.unit, protein.target_direction) == (
        "measured", 120.0, "g", "at_least")
    screen = h["Screen time"]
    assert (screen.target_value, screen.unit, screen.target_direction) == (2.0, "hours", "at_most")
    assert h["Old habit"].status == "archived" and h["Old habit"].archived_at is not None

    m = _records(ctx, "Meditate")
    assert set(m) == {date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 6)}
    assert m[date(2026, 11, 1)].done and m[date(2026, 11, 1)].note == "calm"
    assert m[date(2026, 11, 3)].skipped and m[date(2026, 11, 3)].note == "travel"
    assert not m[date(2026, 11, 6)].done and m[date(2026, 11, 6)].note == "forgot"  # a "no" with a note
    assert all(c.source == "loop" for c in m.values())
    p = _records(ctx, "Protein")
    assert (p[date(2026, 11, 1)].value, p[date(2026, 11, 1)].done) == (130.0, True)
    assert (p[date(2026, 11, 2)].value, p[date(2026, 11, 2)].done) == (90.5, False)
    assert p[date(2026, 11, 2)].note == "light day"
    s = _records(ctx, "Screen time")
    assert s[date(2026, 11, 1)].done and not s[date(2026, 11, 2)].done  # at most 2 hours


def test_reimporting_a_loop_database_adds_nothing(ctx, tmp_path):
    path = make_loop_db(tmp_path / "loop.db")
    _import(ctx, path)
    before = dump(ctx)
    plan, result = _import(ctx, path)
    assert all(m.action == "merge" and m.similarity == 1 for m in plan.mappings)
    assert result.added == {"habits": 0, "checkoffs": 0}
    assert result.existing["checkoffs"] == 12
    assert dump(ctx) == before


@pytest.mark.parametrize(("version", "checkoffs"), [
    (24, 11),  # no notes column yet: the "no" that had a note is no record
    (23, 11),
    (18, 11),  # description held the question
    (16, 11),  # numerical type but no target yet: amounts count as ticks
    (12, 6),  # no value column: every row is a tick
    (9, 6),
])
def test_loop_database_older_schema_versions(ctx, tmp_path, version, checkoffs):
    path = make_loop_db(tmp_path / f"v{version}.db", version=version)
    plan, result = _import(ctx, path)
    assert f"schema version {version}" in plan.describe()
    assert result.added["habits"] == 6
    assert result.added["checkoffs"] == checkoffs
    h = _habits(ctx)
    assert h["Meditate"].details.startswith("Did you meditate this morning?")
    assert h["Gym"].schedule == "per_week:3"
    if version >= 18:
        assert h["Protein"].kind == "measured" and h["Protein"].target_value == 120
    elif version >= 16:
        assert h["Protein"].kind == "check"  # numerical but without a target: a simple tick
        assert any("target 0" in n for m in plan.mappings for n in m.notes)
    if version < 25:
        assert all(c.note is None for c in _records(ctx, "Meditate").values())


def test_loop_database_with_repeated_rows_before_version_22_keeps_the_first_like_loop(ctx, tmp_path):
    items = [LHabit("Stretch", entries=[(date(2026, 11, 1), YES_MANUAL, "")])]
    path = make_loop_db(tmp_path / "old.db", version=18, items=items)
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO Repetitions (habit, timestamp, value) SELECT habit, timestamp, 0 FROM Repetitions")
    conn.execute("INSERT INTO Repetitions (habit, timestamp, value) VALUES (99, 0, 2)")  # a deleted habit's
    conn.commit()
    conn.close()
    plan, result = _import(ctx, path)
    assert "1 check-marks of deleted habits, 1 repeated" in plan.describe()
    assert result.added["checkoffs"] == 1 and _records(ctx, "Stretch")[date(2026, 11, 1)].done


# --------------------------------------------------------------------------------------------------- Loop: CSV export

@pytest.mark.parametrize("container", ["zip", "folder", "zip-in-folder"])
def test_loop_csv_export_current_layout(ctx, tmp_path, container):
    if container == "zip":
        path = make_loop_zip(tmp_path / "Loop Habits CSV 2026-11-25.zip")
    elif container == "folder":
        path = make_loop_folder(tmp_path / "export")
    else:
        files = {f"Loop Habits CSV 2026-11-25/{k}": v for k, v in loop_csv_files().items()}
        path = make_loop_zip(tmp_path / "nested.zip", files=files)
    plan, result = _import(ctx, path)
    assert plan.format == "loop-csv"
    assert result.added == {"habits": 6, "checkoffs": 12}
    h = _habits(ctx)
    assert h["Screen time"].target_direction == "at_most" and h["Old habit"].status == "archived"
    assert _records(ctx, "Protein")[date(2026, 11, 2)].value == 90.5
    assert _records(ctx, "Meditate")[date(2026, 11, 1)].note == "calm"


def test_loop_csv_export_older_layout_without_types_or_notes(ctx, tmp_path):
    path = make_loop_zip(tmp_path / "old.zip", layout="2020")
    plan, result = _import(ctx, path)
    assert result.added["habits"] == 6
    h = _habits(ctx)
    assert h["Walk every other day"].schedule == "per_week:4"  # NumRepetitions / Interval
    assert h["Protein"].kind == "check"  # the old layout does not say it was numerical
    assert any("older CSV export" in n for m in plan.mappings for n in m.notes)
    p = _records(ctx, "Protein")
    assert p[date(2026, 11, 1)].done and p[date(2026, 11, 2)].done
    assert _records(ctx, "Meditate")[date(2026, 11, 3)].skipped


def test_the_csv_export_of_data_already_imported_from_the_database_adds_nothing(ctx, tmp_path):
    _import(ctx, make_loop_db(tmp_path / "loop.db"))
    before = dump(ctx)
    plan, result = _import(ctx, make_loop_zip(tmp_path / "loop.zip"))
    assert result.added == {"habits": 0, "checkoffs": 0}
    assert dump(ctx) == before


# --------------------------------------------------------------------------------------------------- Loop: mapping

def test_preview_maps_loop_habits_onto_similar_existing_habits(ctx, tmp_path):
    habits.add_habit(ctx, HabitSpec(key="meditates", category="stress", title="Meditates", why="", details="",
                                    kind="check", target=None, schedule=Schedule.daily()))
    habits.add_habit(ctx, HabitSpec(key="protein_g", category="nutrition", title="Protein", why="", details="",
                                    kind="measured", target=Target(100, "g"), schedule=Schedule.daily()))
    habits.add_habit(ctx, HabitSpec(key="gym_check", category="training", title="Gym", why="", details="",
                                    kind="measured", target=Target(60, "min"), schedule=Schedule.daily()))
    plan = importers.preview(ctx, make_loop_db(tmp_path / "loop.db"))
    by_name = {m.source_name: m for m in plan.mappings}
    assert by_name["Meditate"].action == "merge" and by_name["Meditate"].target_key == "meditates"
    assert 0.8 <= by_name["Meditate"].similarity < 1
    assert by_name["Protein"].action == "merge" and by_name["Protein"].target_key == "protein_g"
    assert by_name["Gym"].action == "new"  # a yes/no habit is not merged into a measured one
    assert by_name["Walk every other day"].action == "new"
    assert any("nearest" in n for n in by_name["Walk every other day"].notes)
    text = plan.describe()
    assert "\u201cMeditate\u201d (6 days) \u2192 adds to your habit \u201cMeditates\u201d" in text
    assert "\u201cGym\u201d (2 days) \u2192 new habit in training" in text


def test_the_mapping_can_be_changed_before_applying(ctx, tmp_path):
    habits.add_habit(ctx, HabitSpec(key="calm", category="stress", title="Calm minutes", why="", details="",
                                    kind="check", target=None, schedule=Schedule.daily()))
    plan = importers.preview(ctx, make_loop_db(tmp_path / "loop.db"))
    by_name = {m.source_name: m for m in plan.mappings}
    by_name["Meditate"].action, by_name["Meditate"].target_key = "merge", "calm"
    by_name["Gym"].action = "skip"
    by_name["Old habit"].category = "sleep"
    result = importers.apply(ctx, plan)
    assert result.added["habits"] == 4 and result.existing["habits"] == 1
    h = _habits(ctx)
    assert "Gym" not in h and "Meditate" not in h and h["Old habit"].category == "sleep"
    assert len(_records(ctx, "Calm minutes")) == 4


def test_a_merge_target_that_disappeared_is_refused_and_nothing_is_written(ctx, tmp_path):
    plan = importers.preview(ctx, make_loop_db(tmp_path / "loop.db"))
    plan.mappings[-1].action, plan.mappings[-1].target_key = "merge", "gone"
    before = dump(ctx)
    with pytest.raises(ImportProblem, match="no longer exists"):
        importers.apply(ctx, plan)
    assert dump(ctx) == before


@pytest.mark.parametrize(("num", "den", "expected", "noted"), [
    (1, 1, "daily", False), (7, 7, "daily", False), (3, 7, "per_week:3", False), (1, 7, "per_week:1", False),
    (1, 2, "per_week:4", True), (2, 3, "per_week:5", True), (1, 30, "per_week:1", True), (6, 7, "per_week:6", False),
    (13, 14, "daily", True),
])
def test_loop_frequencies(num, den, expected, noted):
    schedule, note = schedule_for(num, den)
    assert str(schedule) == expected
    assert (note is not None) == noted


def test_similarity_ignores_case_and_punctuation():
    assert similarity("Meditate!", "meditate") == 1
    assert similarity("Gym", "Read") < 0.8


# --------------------------------------------------------------------------------------------------- progress

def test_loop_import_reports_progress_and_a_cancel_rolls_everything_back(ctx, tmp_path):
    path = make_loop_db(tmp_path / "loop.db")
    plan = importers.preview(ctx, path)
    seen = []
    before = dump(ctx)
    calls = []
    with pytest.raises(Cancelled):
        importers.apply(ctx, plan, progress=lambda d, t: seen.append((d, t)),
                        cancelled=lambda: calls.append(1) or len(calls) > 4)
    assert seen
    assert dump(ctx) == before
    importers.apply(ctx, plan, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1]


def test_json_import_cancel_rolls_back(ctx, tmp_path, clock):
    from dataio_helpers import populate

    from igfcoach.services.context import open_context

    src = open_context(str(tmp_path / "src"), clock=clock)
    populate(src)
    export.export_json(src, tmp_path / "x.json")
    src.close()
    plan = importers.preview(ctx, tmp_path / "x.json")
    before = dump(ctx)
    calls = []
    with pytest.raises(Cancelled):
        importers.apply(ctx, plan, cancelled=lambda: calls.append(1) or len(calls) > 3)
    assert dump(ctx) == before


# --------------------------------------------------------------------------------------------------- lab results CSV

def test_lab_results_csv_goes_through_the_labs_validation(ctx, tmp_path):
    path = tmp_path / "labs.csv"
    path.write_text(LABS_CSV, encoding="utf-8")
    plan, result = _import(ctx, path)
    assert plan.format == "labs-csv"
    assert result.added == {"lab_results": 3}
    rs = sorted(labs.list_results(ctx), key=lambda r: r.drawn_on)
    assert (rs[0].value_ng, rs[0].lab_low_ng, rs[0].lab_high_ng, rs[0].lab_name) == (98, 76, 251, "City Lab")
    assert rs[1].entered_unit == "nmol/L" and rs[1].value_ng == pytest.approx(14.1 * NG_ML_PER_NMOL_L)
    assert rs[1].lab_range is None and rs[2].lab_name == "Lab, Inc."
    before = dump(ctx)
    plan, result = _import(ctx, path)
    assert result.added == {"lab_results": 0} and result.existing == {"lab_results": 3}
    assert "0 new, 3 already here" in plan.describe()
    assert dump(ctx) == before


def test_lab_csv_headers_are_matched_loosely_and_semicolons_work(ctx, tmp_path):
    path = tmp_path / "labs.csv"
    path.write_text("\ufeffDrawn on;Result;Units;Low;High;Laboratory;Fasting;Notes;Extra\n"
                    "2026-03-01;120,5;ng/ml;80;250;Lab A;yes;'=keep me;x\n", encoding="utf-8")
    plan, _ = _import(ctx, path)
    r = labs.list_results(ctx)[0]
    assert (r.value_ng, r.lab_name, r.fasting, r.notes) == (120.5, "Lab A", True, "=keep me")
    assert "Columns not imported: Extra" in plan.describe()


def test_an_implausible_lab_value_needs_confirmation(ctx, tmp_path):
    path = tmp_path / "labs.csv"
    path.write_text("date,value,unit\n2026-03-01,5,ng/mL\n2026-04-01,150,ng/mL\n", encoding="utf-8")
    plan = importers.preview(ctx, path)
    assert len(plan.warnings) == 1 and plan.warnings[0].row == 2 and plan.warnings[0].field == "value"
    before = dump(ctx)
    with pytest.raises(ImportProblem, match="plausible"):
        importers.apply(ctx, plan)
    assert dump(ctx) == before
    assert importers.apply(ctx, plan, confirm=True).added == {"lab_results": 2}


def test_lab_csv_skips_results_already_entered_by_hand(ctx, tmp_path):
    labs.add_result(ctx, labs.LabInput(drawn_on="2026-01-15", value="98", unit="ng/mL"))
    path = tmp_path / "labs.csv"
    path.write_text(LABS_CSV, encoding="utf-8")
    _plan, result = _import(ctx, path)
    assert result.added == {"lab_results": 2} and result.existing == {"lab_results": 1}


def test_loop_values_no_and_skip_are_stored_as_loop_means_them(ctx, tmp_path):
    items = [LHabit("Floss", entries=[(date(2026, 11, 1), NO, ""), (date(2026, 11, 2), SKIP, "")])]
    _plan, result = _import(ctx, make_loop_db(tmp_path / "x.db", items=items))
    assert result.added["checkoffs"] == 1
    assert _records(ctx, "Floss")[date(2026, 11, 2)].skipped


def test_loop_days_after_today_are_left_out_and_said_so(ctx, tmp_path):
    items = [LHabit("Read", entries=[(date(2026, 11, 25), YES_MANUAL, ""), (date(2026, 11, 26), YES_MANUAL, "")])]
    _plan, result = _import(ctx, make_loop_db(tmp_path / "x.db", items=items))
    assert result.added["checkoffs"] == 1
    assert result.describe().endswith("1 check-marks dated after today were left out")
