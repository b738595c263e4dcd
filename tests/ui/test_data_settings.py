"""The Data settings tab: backups (list, preview, back up now, restore with confirmation, folder, keep count),
export and import under a cancellable progress dialog with the mapping preview, and the clinician report (also
on the Labs page). File dialogs and message boxes are replaced by the test."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QProgressDialog, QPushButton

from igfcoach.services import backups, checklist, export, habits, labs, settings
from igfcoach.services.labs import LabInput
from igfcoach.ui.dialogs import data_dialogs as dd
from igfcoach.ui.settings.data import DataSettings, backup_label

sys.path.insert(0, str(Path(__file__).parent.parent / "services"))
from dataio_helpers import LHabit, make_loop_db  # noqa: E402

sys.path.pop(0)


def dump(ctx) -> list[str]:
    conn = sqlite3.connect(ctx.db.path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


class Dialogs:
    """Stands in for the file dialogs and message boxes, and records what the tab said."""

    def __init__(self, monkeypatch) -> None:
        self.said: list[tuple[str, str, str]] = []
        self.open_file: str | None = None
        self.save_file: str | None = None
        self.folder: str | None = None
        self.answer = True
        self.on_dialog = None
        monkeypatch.setattr(dd, "ask_open_file", lambda *a: self.open_file)
        monkeypatch.setattr(dd, "ask_save_file", lambda *a: self.save_file)
        monkeypatch.setattr(dd, "ask_folder", lambda *a: self.folder)
        monkeypatch.setattr(dd, "confirm", self._confirm)
        monkeypatch.setattr(dd, "inform", lambda parent, title, text: self.said.append(("info", title, text)))
        monkeypatch.setattr(dd, "warn", lambda parent, title, text: self.said.append(("warn", title, text)))
        monkeypatch.setattr(dd, "exec_dialog", self._exec)

    def _confirm(self, parent, title, text) -> bool:
        self.said.append(("confirm", title, text))
        return self.answer

    def _exec(self, dialog) -> bool:
        if self.on_dialog is None:
            return False
        return self.on_dialog(dialog)

    @property
    def last(self) -> tuple[str, str, str]:
        return self.said[-1]


@pytest.fixture
def dialogs(monkeypatch) -> Dialogs:
    return Dialogs(monkeypatch)


@pytest.fixture
def tab(ctx, qtbot, dialogs):
    habits.seed_from_catalog(ctx)
    checklist.record(ctx, "zinc", date(2026, 11, 20), done=True)
    widget = DataSettings(ctx)
    qtbot.addWidget(widget)
    widget.resize(800, 900)
    widget.show()
    return widget


def button(tab, name: str) -> QPushButton:
    b = tab.findChild(QPushButton, name)
    assert b is not None, name
    return b


# --------------------------------------------------------------------------------------------------- settings page

def test_the_settings_page_has_a_data_tab(ctx, qtbot):
    from igfcoach.ui.pages.settings import SettingsPage

    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "Data" in titles
    page.show_section("Data")
    assert isinstance(page.tabs.currentWidget(), DataSettings)


# --------------------------------------------------------------------------------------------------- backups

def test_back_up_now_lists_the_backup_with_its_preview(tab, ctx, dialogs, qtbot):
    assert tab.backup_list.count() == 0 and tab.backup_preview.text() == "No backups yet."
    assert not button(tab, "restoreButton").isEnabled()
    qtbot.mouseClick(button(tab, "backupNow"), Qt.MouseButton.LeftButton)
    assert dialogs.last[:2] == ("info", "Backed up")
    assert tab.backup_list.count() == 1
    assert tab.backup_list.item(0).text() == "25 Nov 2026, 09:00 \u00b7 made by you"
    assert "1 check-offs" in tab.backup_preview.text() and tab.backup_preview.textFormat() == Qt.TextFormat.PlainText
    assert button(tab, "restoreButton").isEnabled()


def test_restore_asks_first_then_restores_and_tells_the_pages(tab, ctx, dialogs, qtbot, qapp):
    backups.make_backup(ctx)
    tab.refresh_backups()
    labs.add_result(ctx, LabInput(drawn_on="2026-11-01", value="150", unit="ng/mL"))
    dialogs.answer = False
    qtbot.mouseClick(button(tab, "restoreButton"), Qt.MouseButton.LeftButton)
    assert dialogs.last[0] == "confirm" and "1 check-offs" in dialogs.last[2]
    assert len(labs.list_results(ctx)) == 1  # not restored
    dialogs.answer = True
    with qtbot.waitSignal(qapp.labs_changed, timeout=2000):
        qtbot.mouseClick(button(tab, "restoreButton"), Qt.MouseButton.LeftButton)
    assert dialogs.last[:2] == ("info", "Restored")
    assert labs.list_results(ctx) == []
    labels = [tab.backup_list.item(i).text() for i in range(tab.backup_list.count())]
    assert any("before a restore" in label for label in labels)


def test_backup_folder_and_keep_count(tab, ctx, dialogs, tmp_path):
    dialogs.folder = str(tmp_path / "synced")
    (tmp_path / "synced").mkdir()
    button(tab, "chooseFolder").click()
    assert settings.get(ctx, "backup_dir") == str(tmp_path / "synced")
    assert tab.folder_edit.text() == str(tmp_path / "synced")
    button(tab, "backupNow").click()
    assert len(list((tmp_path / "synced").glob("igfcoach-*.sqlite3"))) == 1
    button(tab, "defaultFolder").click()
    assert settings.get(ctx, "backup_dir") is None and tab.backup_list.count() == 0
    tab.keep.setValue(3)
    assert backups.keep_count(ctx) == 3


def test_backup_labels():
    assert backup_label(Path("igfcoach-20261125-090000-pre-migration.sqlite3")) == \
        "25 Nov 2026, 09:00 \u00b7 before an update"
    assert backup_label(Path("igfcoach-20261125-090000-auto-2.sqlite3")) == "25 Nov 2026, 09:00 \u00b7 automatic"
    assert backup_label(Path("other.sqlite3")) == "other.sqlite3"


# --------------------------------------------------------------------------------------------------- export

@pytest.mark.parametrize("fmt", ["json", "csv", "fhir"])
def test_export_each_format(tab, ctx, dialogs, tmp_path, fmt):
    tab.export_format.setCurrentIndex(tab.export_format.findData(fmt))
    if fmt == "csv":
        dialogs.folder = str(tmp_path)
    else:
        dialogs.save_file = str(tmp_path / "out.json")
    button(tab, "exportButton").click()
    assert dialogs.last[:2] == ("info", "Exported"), dialogs.said
    if fmt == "csv":
        folder = tmp_path / "igfcoach-csv-2026-11-25"
        assert (folder / "checkoffs.csv").exists()
    else:
        assert json.loads((tmp_path / "out.json").read_text())


def test_export_dialog_cancelled_writes_nothing(tab, dialogs, tmp_path):
    dialogs.save_file = None
    button(tab, "exportButton").click()
    assert dialogs.said == [] and list(tmp_path.glob("*.json")) == []


def cancelling(n: int):
    """dd.run_with_progress, pressing the progress dialog's Cancel button at the ``n``th check."""
    real = dd.run_with_progress

    def run(parent, title, work):
        def wrapped(progress, cancelled):
            calls = []

            def check() -> bool:
                calls.append(1)
                if len(calls) == n:
                    found = parent.findChild(QProgressDialog, "dataProgress")
                    assert found is not None
                    found.cancel()
                return cancelled()

            return work(progress, check)

        return real(parent, title, wrapped)

    return run


def test_cancelling_an_export_leaves_no_file(tab, dialogs, tmp_path, monkeypatch):
    dialogs.save_file = str(tmp_path / "out.json")
    monkeypatch.setattr(dd, "run_with_progress", cancelling(1))
    button(tab, "exportButton").click()
    assert dialogs.last[:2] == ("info", "Export cancelled")
    assert not (tmp_path / "out.json").exists()


# --------------------------------------------------------------------------------------------------- import

def test_import_shows_the_mapping_which_can_be_changed(tab, ctx, dialogs, tmp_path, qtbot, qapp):
    dialogs.open_file = str(make_loop_db(tmp_path / "loop.db"))
    seen = {}

    def review(dialog: dd.ImportPreviewDialog) -> bool:
        seen["summary"] = dialog.summary.text()
        seen["format"] = dialog.summary.textFormat()
        table = dialog.table
        names = [table.item(i, 0).text() for i in range(table.rowCount())]
        seen["names"] = names
        gym = dialog.combos[names.index("Gym")]
        assert gym.currentText() == "New habit in Training"
        gym.setCurrentIndex(gym.findData("skip:"))
        meditate = dialog.combos[names.index("Meditate")]
        assert meditate.findData("merge:breathing") == -1  # a measured habit is not offered for a yes/no one
        walk = dialog.combos[names.index("Walk every other day")]
        walk.setCurrentIndex(walk.findData("merge:resistance"))
        assert walk.currentText() == "Add to \u201cResistance session\u201d"
        seen["notes"] = table.item(names.index("Walk every other day"), 3).text()
        dialog.accept()
        return True

    dialogs.on_dialog = review
    with qtbot.waitSignal(qapp.checkoffs_changed, timeout=3000):
        button(tab, "importFile").click()
    assert "6 habits" in seen["summary"] and seen["format"] == Qt.TextFormat.PlainText
    assert "nearest" in seen["notes"]
    assert dialogs.last[:2] == ("info", "Imported")
    titles = {spec.title for spec, _ in habits.list_habits(ctx, include_archived=True)}
    assert "Gym" not in titles and "Walk every other day" not in titles and "Meditate" in titles
    assert len(checklist.history(ctx, "resistance")) == 1


def test_import_cancelled_at_the_preview_writes_nothing(tab, ctx, dialogs, tmp_path):
    dialogs.open_file = str(make_loop_db(tmp_path / "loop.db"))
    before = dump(ctx)
    dialogs.on_dialog = lambda dialog: False
    button(tab, "importFile").click()
    assert dump(ctx) == before and dialogs.said == []


def test_import_cancelled_in_the_progress_dialog_rolls_back(tab, ctx, dialogs, tmp_path, monkeypatch):
    dialogs.open_file = str(make_loop_db(tmp_path / "loop.db"))
    dialogs.on_dialog = lambda dialog: True
    before = dump(ctx)
    real = dd.run_with_progress
    cancel = cancelling(3)
    runs = []

    def second_run_cancels(parent, title, work):
        runs.append(title)
        if len(runs) == 2:  # the import, not the preview
            return cancel(parent, title, work)
        return real(parent, title, work)

    monkeypatch.setattr(dd, "run_with_progress", second_run_cancels)
    button(tab, "importFile").click()
    assert dialogs.last[:2] == ("info", "Import cancelled")
    assert dump(ctx) == before


def test_a_file_that_cannot_be_imported_is_explained(tab, ctx, dialogs, tmp_path):
    bad = tmp_path / "labs.csv"
    bad.write_text("date,value,unit\n2026-01-01,<b>abc</b>,ng/mL\n", encoding="utf-8")
    dialogs.open_file = str(bad)
    before = dump(ctx)
    button(tab, "importFile").click()
    kind, title, text = dialogs.last
    assert (kind, title) == ("warn", "This file cannot be imported")
    assert str(bad) in text and "row 2" in text and "'value'" in text and "Nothing was imported." in text
    assert dump(ctx) == before


def test_lab_warnings_are_shown_and_importing_confirms_them(tab, ctx, dialogs, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("date,value,unit\n2026-05-01,4,ng/mL\n", encoding="utf-8")
    dialogs.open_file = str(odd)

    def review(dialog) -> bool:
        assert "plausible" in dialog.warnings.text()
        assert dialog.warnings.textFormat() == Qt.TextFormat.PlainText
        dialog.accept()
        return True

    dialogs.on_dialog = review
    button(tab, "importFile").click()
    assert [r.value_ng for r in labs.list_results(ctx)] == [4]


def test_a_json_backup_imports_through_the_tab(tab, ctx, dialogs, tmp_path, clock):
    from igfcoach.services.context import open_context

    src = open_context(str(tmp_path / "src"), clock=clock)
    labs.add_result(src, LabInput(drawn_on="2026-02-01", value="130", unit="ng/mL", lab_name="<i>x</i>"))
    export.export_json(src, tmp_path / "b.json")
    src.close()
    dialogs.open_file = str(tmp_path / "b.json")
    dialogs.on_dialog = lambda dialog: (dialog.accept(), True)[1]
    button(tab, "importFile").click()
    assert [r.lab_name for r in labs.list_results(ctx)] == ["<i>x</i>"]


# --------------------------------------------------------------------------------------------------- report

def _accept_report(dialog) -> bool:
    assert isinstance(dialog, dd.ReportDialog)
    assert dialog.period() == (date(2025, 11, 26), date(2026, 11, 25))
    dialog.accept()
    return True


def test_report_button_writes_a_pdf(tab, ctx, dialogs, tmp_path):
    dialogs.on_dialog = _accept_report
    dialogs.save_file = str(tmp_path / "for-dr")
    button(tab, "reportButton").click()
    assert dialogs.last[:2] == ("info", "Report saved"), dialogs.said
    assert (tmp_path / "for-dr.pdf").read_bytes().startswith(b"%PDF")


def test_the_labs_page_has_the_report_button(ctx, qtbot, dialogs, tmp_path):
    from igfcoach.ui.pages.labs import LabsPage

    page = LabsPage(ctx)
    qtbot.addWidget(page)
    dialogs.on_dialog = _accept_report
    dialogs.save_file = str(tmp_path / "r.pdf")
    page.findChild(QPushButton, "reportButton").click()
    assert (tmp_path / "r.pdf").exists()


def test_preview_dialog_shows_user_text_plainly(ctx, qtbot, tmp_path):
    from igfcoach.services import importers

    path = make_loop_db(tmp_path / "x.db", items=[LHabit("<b>Bold</b> & co")])
    plan = importers.preview(ctx, path)
    dialog = dd.ImportPreviewDialog(ctx, plan)
    qtbot.addWidget(dialog)
    assert dialog.table.item(0, 0).text() == "<b>Bold</b> & co"
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in dialog.findChildren(QLabel))
    assert isinstance(dialog.combos[0], QComboBox)
