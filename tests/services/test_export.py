"""Exports: the JSON backup round-trips exactly, CSV is safe in a spreadsheet, FHIR validates, files are private."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import date

import pytest
from dataio_helpers import dump, populate
from sqlalchemy import select

from igfcoach.core.safety import ScreenAnswers
from igfcoach.services import export, habits, importers, labs, safety
from igfcoach.services.context import open_context
from igfcoach.services.fileio import Cancelled
from igfcoach.services.labs import LabInput
from igfcoach.store.models import Base, CheckOff, Habit


@pytest.fixture
def full(ctx):
    populate(ctx)
    return ctx


@pytest.fixture
def other(tmp_path, clock):
    """A second, empty data dir."""
    c = open_context(str(tmp_path / "other"), clock=clock)
    yield c
    c.close()


def _doc(path) -> dict:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("exported_at")
    return doc


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------------------------------------------- JSON

def test_json_round_trip_into_an_empty_data_dir_gives_the_same_document(full, other, tmp_path, clock):
    first = tmp_path / "first.json"
    export.export_json(full, first)
    plan = importers.preview(other, first)
    assert plan.format == "igfcoach-json"
    importers.apply(other, plan)
    clock.advance(3600)  # a later export differs only in exported_at
    second = tmp_path / "second.json"
    export.export_json(other, second)
    assert _doc(first) == _doc(second)


def test_the_document_is_versioned_and_holds_every_table(full, tmp_path):
    out = tmp_path / "x.json"
    export.export_json(full, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "igfcoach-export" and doc["version"] == 1
    assert doc["schema_revision"].isdigit()
    assert doc["exported_at"] == "2026-11-25T09:00:00+01:00"
    assert set(doc["tables"]) == {t.name for t in Base.metadata.sorted_tables}
    check = next(r for r in doc["tables"]["checkoffs"] if r["note"] == "=cmd|' /C calc'!A0")
    assert check["day"] == "2026-11-20" and check["done"] is True
    # parents come before the tables that refer to them
    names = list(doc["tables"])
    assert names.index("habits") < names.index("checkoffs")


def test_reimporting_the_same_file_adds_nothing(full, tmp_path):
    out = tmp_path / "x.json"
    export.export_json(full, out)
    before = dump(full)
    result = importers.apply(full, importers.preview(full, out))
    assert sum(result.added.values()) == 0
    assert result.existing["checkoffs"] == 4
    assert dump(full) == before


def test_importing_into_a_data_dir_with_its_own_data_merges_and_repoints_references(full, other, tmp_path):
    out = tmp_path / "x.json"
    export.export_json(full, out)
    # `other` has a different habit with id 1, and a result on a different day.
    from igfcoach.core.habits import HabitSpec, Schedule

    habits.add_habit(other, HabitSpec(key="my_walk", category="training", title="Evening walk", why="",
                                      details="", kind="check", target=None, schedule=Schedule.daily()))
    labs.add_result(other, LabInput(drawn_on="2025-01-01", value="150", unit="ng/mL"))
    importers.apply(other, importers.preview(other, out))
    with other.db.transaction() as s:
        zinc = s.scalar(select(Habit).where(Habit.key == "zinc"))
        days = sorted(c.day for c in s.scalars(select(CheckOff).where(CheckOff.habit_id == zinc.id)))
        assert days == [date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)]
        assert s.scalar(select(Habit).where(Habit.key == "my_walk")) is not None
    assert len(labs.list_results(other)) == 4
    # and once more: nothing new
    before = dump(other)
    importers.apply(other, importers.preview(other, out))
    assert dump(other) == before


def test_a_day_already_recorded_keeps_the_record_already_there(full, other, tmp_path):
    from igfcoach.services import checklist

    out = tmp_path / "x.json"
    export.export_json(full, out)
    habits.seed_from_catalog(other)
    checklist.record(other, "zinc", date(2026, 11, 20), done=True, note="mine")
    importers.apply(other, importers.preview(other, out))
    with other.db.transaction() as s:
        zinc = s.scalar(select(Habit).where(Habit.key == "zinc"))
        c = s.scalar(select(CheckOff).where(CheckOff.habit_id == zinc.id, CheckOff.day == date(2026, 11, 20)))
        assert c.note == "mine"


def test_the_preview_counts_new_and_existing_rows(full, tmp_path):
    out = tmp_path / "x.json"
    export.export_json(full, out)
    text = importers.preview(full, out).describe()
    assert "habits: 0 new" in text and "already here" in text


# --------------------------------------------------------------------------------------------------- privacy

def test_every_export_file_is_private(full, tmp_path):
    json_out = export.export_json(full, tmp_path / "a" / "x.json").paths[0]
    fhir_out = export.export_fhir(full, tmp_path / "b.json").paths[0]
    csv_result = export.export_csv(full, tmp_path / "csv")
    assert _mode(json_out) == 0o600 and _mode(fhir_out) == 0o600
    assert _mode(tmp_path / "csv") == 0o700
    assert all(_mode(p) == 0o600 for p in csv_result.paths)
    # No temporary files are left beside them.
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["x.json"]


def test_an_existing_file_is_replaced_and_stays_private(full, tmp_path):
    out = tmp_path / "x.json"
    out.write_text("old")
    out.chmod(0o644)
    export.export_json(full, out)
    assert _mode(out) == 0o600 and json.loads(out.read_text())["format"] == "igfcoach-export"


# --------------------------------------------------------------------------------------------------- CSV

def _rows(path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_export_writes_one_file_per_kind_of_record(full, tmp_path):
    result = export.export_csv(full, tmp_path / "csv")
    names = {p.name for p in result.paths}
    assert {"habits.csv", "checkoffs.csv", "lab_results.csv"} <= names
    assert {"resistance_sessions.csv", "resistance_sets.csv", "sleep_entries.csv", "breathing_sessions.csv"} <= names
    assert "settings.csv" not in names
    checkoffs = _rows(tmp_path / "csv" / "checkoffs.csv")
    assert len(checkoffs) == 4
    measured = next(r for r in checkoffs if r["value"])
    assert float(measured["value"]) > 0 and measured["unit"]
    assert any(r["skipped"] == "yes" for r in checkoffs)
    sets = _rows(tmp_path / "csv" / "resistance_sets.csv")
    assert [s["exercise"] for s in sets] == ["Squat", "Squat"] and sets[0]["reps"] == "8"


def test_csv_neutralises_formulas_in_user_text_and_keeps_numbers(full, tmp_path):
    export.export_csv(full, tmp_path / "csv")
    checkoffs = _rows(tmp_path / "csv" / "checkoffs.csv")
    notes = {r["note"] for r in checkoffs}
    assert "'=cmd|' /C calc'!A0" in notes and "'+1 extra" in notes
    assert "<b>ill</b> – Grüße" in notes  # ordinary text is untouched
    lab_rows = _rows(tmp_path / "csv" / "lab_results.csv")
    assert {r["lab_name"] for r in lab_rows} >= {"'@City Lab"}
    assert {r["notes"] for r in lab_rows} >= {"'-after a cold"}
    sessions = _rows(tmp_path / "csv" / "resistance_sessions.csv")
    assert sessions[0]["notes"] == "'=SUM(A1)"
    # Numbers are written as plain numbers, never quoted or prefixed.
    raw = (tmp_path / "csv" / "lab_results.csv").read_text(encoding="utf-8-sig")
    assert "2026-06-01,08:30,110.0,ng/mL,76.0,251.0," in raw


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+49 30", "'+49 30"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("plain", "plain"), ("", ""), (-3.5, -3.5), (7, 7), (True, "yes"), (None, ""),
    (date(2026, 1, 2), "2026-01-02"),
])
def test_csv_cell(value, expected):
    assert export.csv_cell(value) == expected


def test_the_lab_csv_export_imports_back_as_lab_results(full, other, tmp_path):
    export.export_csv(full, tmp_path / "csv")
    plan = importers.preview(other, tmp_path / "csv" / "lab_results.csv")
    assert plan.format == "labs-csv"
    importers.apply(other, plan)
    a = sorted((r.drawn_on, round(r.value_ng, 3), r.lab_name) for r in labs.list_results(full))
    b = sorted((r.drawn_on, round(r.value_ng, 3), r.lab_name) for r in labs.list_results(other))
    assert a == b


# --------------------------------------------------------------------------------------------------- FHIR

def test_fhir_bundle_validates_as_r4_and_carries_the_lab_codes(full, tmp_path):
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.observation import Observation

    out = tmp_path / "fhir.json"
    export.export_fhir(full, out)
    raw = json.loads(out.read_text(encoding="utf-8"))
    bundle = Bundle.model_validate(raw)
    assert bundle.type == "collection"
    assert len(bundle.entry) == 3
    obs = [Observation.model_validate(e.resource.model_dump()) for e in bundle.entry]
    for o, e in zip(obs, raw["entry"], strict=True):
        assert e["fullUrl"].startswith("urn:uuid:")
        assert o.status == "final"
        assert o.category[0].coding[0].code == "laboratory"
        assert o.category[0].coding[0].system == "http://terminology.hl7.org/CodeSystem/observation-category"
        assert (o.code.coding[0].system, o.code.coding[0].code) == ("http://loinc.org", "2484-4")
        assert "Insulin-like growth factor-I" in o.code.coding[0].display
        q = o.valueQuantity
        assert (q.unit, q.system, q.code) == ("ng/mL", "http://unitsofmeasure.org", "ng/mL")
    first, second, third = raw["entry"]
    # The lab's own range, with a time of day and the local offset.
    r1 = first["resource"]
    assert r1["effectiveDateTime"] == "2026-06-01T08:30:00+02:00"
    assert r1["referenceRange"][0]["low"]["value"] == 76 and r1["referenceRange"][0]["high"]["value"] == 251
    assert "printed by the lab" in r1["referenceRange"][0]["text"]
    assert r1["interpretation"][0]["coding"][0]["code"] == "N"
    # Entered in nmol/L: still ng/mL; no lab range, so the built-in interval with a text saying so.
    r2 = second["resource"]
    assert r2["valueQuantity"]["value"] == pytest.approx(round(15.2 * 7.649, 2))
    assert r2["effectiveDateTime"] == "2026-10-01"
    assert "not the lab's range" in r2["referenceRange"][0]["text"]
    assert r2["interpretation"][0]["coding"][0]["code"] == "N"
    assert r2["method"]["text"] == "IDS-iSYS"
    assert any("nmol/L" in n["text"] for n in r2["note"])
    # 300 ng/mL at 44, male: above the built-in interval.
    assert third["resource"]["interpretation"][0]["coding"][0] == {
        "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "code": "H",
        "display": "High"}


def test_fhir_without_age_or_sex_has_only_the_lab_ranges(ctx, tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    labs.add_result(ctx, LabInput(drawn_on="2026-06-01", value="60", unit="ng/mL", lab_low="76", lab_high="251"))
    labs.add_result(ctx, LabInput(drawn_on="2026-07-01", value="100", unit="ng/mL"))
    bundle = export.fhir_bundle(ctx)
    Bundle.model_validate(bundle)
    low, none = (e["resource"] for e in bundle["entry"])
    assert low["interpretation"][0]["coding"][0]["code"] == "L"
    assert "referenceRange" not in none and "interpretation" not in none


def test_fhir_of_no_results_is_an_empty_collection(ctx):
    from fhir.resources.R4B.bundle import Bundle

    safety.record_answers(ctx, ScreenAnswers(age=30, sex="female"))
    bundle = export.fhir_bundle(ctx)
    Bundle.model_validate(bundle)
    assert bundle["entry"] == []


# --------------------------------------------------------------------------------------------------- progress

@pytest.mark.parametrize("fmt", ["json", "csv", "fhir"])
def test_exports_report_progress_and_cancel_without_leaving_files(full, tmp_path, fmt):
    seen = []
    out = tmp_path / ("out" if fmt == "csv" else "out.json")
    export.export(full, fmt, out, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]
    out2 = tmp_path / ("out2" if fmt == "csv" else "out2.json")
    with pytest.raises(Cancelled):
        export.export(full, fmt, out2, cancelled=lambda: True)
    assert not out2.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_cancelling_half_way_through_a_big_export(full, tmp_path):
    from datetime import timedelta

    start = date(2020, 1, 1)
    with full.db.transaction() as s:
        zinc = s.scalar(select(Habit).where(Habit.key == "zinc"))
        for i in range(2000):
            s.add(CheckOff(habit_id=zinc.id, day=start + timedelta(days=i), done=True, skipped=False,
                           source="test", updated_at=full.clock.now()))
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        export.export_json(full, tmp_path / "big.json", cancelled=cancelled)
    assert not (tmp_path / "big.json").exists()
    assert len(calls) == 3
