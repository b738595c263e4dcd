"""The clinician report: what it gathers, and a PDF that opens with the expected pages and text."""

from __future__ import annotations

import re
import stat
from datetime import date, timedelta

import pytest
from dataio_helpers import populate

from igfcoach.core.safety import DISCLAIMER, ScreenAnswers
from igfcoach.services import checklist, labs, report, safety
from igfcoach.ui import report_pdf
from igfcoach.services.labs import LabInput


def pdf_pages(path) -> list[str]:
    """Each page's text, with runs of white space as one space."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


@pytest.fixture
def full(ctx):
    populate(ctx)
    labs.add_result(ctx, LabInput(drawn_on="2026-09-01", value="140", unit="ng/mL",
                                  lab_name="<b>Markup</b> & Co"))
    return ctx


# --------------------------------------------------------------------------------------------------- gather

def test_gather_collects_the_profile_results_adherence_and_screen(full):
    data = report.gather(full, date(2026, 11, 1), date(2026, 11, 25))
    assert (data.answers.age, data.answers.sex) == (44, "male")
    assert data.weight_kg == 82.5
    assert [r.day for r in data.results] == [date(2026, 6, 1), date(2026, 9, 1), date(2026, 10, 1),
                                             date(2026, 11, 2)]
    first = data.results[0]
    assert first.lab_range == "76\u2013251 ng/mL" and first.vs_lab == "within" and first.time == "08:30"
    assert "fasting: yes" in first.details
    nmol = data.results[2]
    assert nmol.entered == "15.2 nmol/L" and nmol.lab_range == "not given"
    assert "biotin" in nmol.details and "assay: IDS-iSYS" in nmol.details
    assert data.points == [(date(2026, 11, 2), 300.0)]
    titles = [c.title for c in data.categories]
    assert "Micronutrients" in titles
    micro = next(c for c in data.categories if c.title == "Micronutrients")
    assert micro.done >= 2 and micro.due > micro.done
    assert data.overall.due == sum(c.due for c in data.categories)
    assert len(data.rolling) == 25 and data.rolling[0][0] == date(2026, 11, 1)
    assert data.clinician_reason and "above" in data.clinician_reason  # 300 ng/mL at 44


def test_adherence_counts_follow_the_checklist_definitions(ctx):
    from igfcoach.services import habits

    habits.seed_from_catalog(ctx)
    start = date(2026, 11, 16)
    for i in range(10):
        checklist.record(ctx, "zinc", start + timedelta(days=i), done=True)
    checklist.record(ctx, "magnesium", start, skipped=True)
    data = report.gather(ctx, start, date(2026, 11, 25))
    micro = next(c for c in data.categories if c.title == "Micronutrients")
    # zinc 10 of 10; magnesium tracked from its first record: 0 of 9 (the skipped day is not due);
    # vitamin D tracked from the day it was added (today): 0 of 1
    assert (micro.done, micro.due) == (10, 20)
    assert micro.percent == "50 %"


def test_gather_refuses_a_wrong_period(ctx):
    with pytest.raises(report.ReportError, match="^from: .* after"):
        report.gather(ctx, date(2026, 11, 20), date(2026, 11, 1))
    with pytest.raises(report.ReportError, match="^to: .* future"):
        report.gather(ctx, date(2026, 11, 1), date(2026, 12, 1))


def test_user_text_is_escaped_in_the_html(full):
    html = report_pdf.build_html(report.gather(full))
    assert "&lt;b&gt;Markup&lt;/b&gt; &amp; Co" in html
    assert "<b>Markup</b>" not in html


# --------------------------------------------------------------------------------------------------- PDF

def test_the_pdf_opens_with_the_expected_pages_and_text(full, tmp_path, qapp):
    out = report_pdf.make_report(full, tmp_path / "report.pdf", date(2025, 12, 1), date(2026, 11, 25))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    pages = pdf_pages(out)
    assert len(pages) == 2
    text = " ".join(pages)
    assert "IGF Coach: report for your clinician" in pages[0]
    assert "Profile" in pages[0] and "44 years" in pages[0] and "male" in pages[0]
    assert "IGF-1 results" in pages[0] and "110 ng/mL" in pages[0] and "15.2 nmol/L" in pages[0]
    assert "76\u2013251 ng/mL" in pages[0]
    assert "<b>Markup</b>&Co" in pages[0].replace(" ", "")  # plain text, not markup (it may wrap in its cell)
    assert "Adherence and IGF-1" in pages[1] and "Adherence per area" in pages[1]
    assert "Micronutrients" in pages[1] and "All areas" in pages[1]
    assert "Safety screen" in text and "Active cancer diagnosis" in text
    assert re.sub(r"\s+", " ", DISCLAIMER) in text
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]


def test_the_pdf_metadata_and_a_contraindicated_screen(ctx, tmp_path, qapp):
    from pypdf import PdfReader

    safety.record_answers(ctx, ScreenAnswers(age=52, sex="female", active_cancer=True))
    out = report_pdf.make_report(ctx, tmp_path / "r.pdf")
    reader = PdfReader(str(out))
    assert reader.metadata.title == "IGF Coach: report for your clinician"
    text = " ".join(pdf_pages(out))
    assert "No IGF-1 results recorded." in text
    assert "switched off" in text and "Active cancer diagnosis" in text
    assert "52 years" in text and "female" in text


def test_report_files_replace_and_stay_private(ctx, tmp_path, qapp):
    out = tmp_path / "r.pdf"
    out.write_text("old")
    out.chmod(0o644)
    report_pdf.make_report(ctx, out)
    assert out.read_bytes().startswith(b"%PDF") and stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_long_history_fits_and_renders(ctx, tmp_path, qapp):
    from igfcoach.services import habits
    from igfcoach.store.models import CheckOff, Habit
    from sqlalchemy import select

    habits.seed_from_catalog(ctx)
    start = date(2016, 1, 1)
    with ctx.db.transaction() as s:
        for h in s.scalars(select(Habit).where(Habit.kind == "check")):
            for i in range(0, 3950, 2):
                s.add(CheckOff(habit_id=h.id, day=start + timedelta(days=i), done=True, skipped=False,
                               source="t", updated_at=ctx.clock.now()))
    for i in range(12):
        labs.add_result(ctx, LabInput(drawn_on=start + timedelta(days=300 * i), value=str(100 + 5 * i),
                                      unit="ng/mL"))
    out = report_pdf.make_report(ctx, tmp_path / "long.pdf", start, date(2026, 11, 25))
    text = " ".join(pdf_pages(out))
    assert "2016-01-01" in text and "Adherence per area" in text
