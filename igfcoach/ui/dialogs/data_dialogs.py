"""Dialogs for the data the person owns: the import preview (with the habit mapping), the clinician report,
and running a long export or import under a progress dialog that can cancel.

Long work runs in the GUI thread and lets the event loop breathe from its progress callback (at most every
50 ms), so the progress dialog repaints and its Cancel button works; cancelling raises ``Cancelled`` inside
the service, whose one transaction then rolls back. (A worker thread would need its own database session and
would gain nothing: the writes are one transaction either way.)

The file dialogs and message boxes are module functions (``ask_open_file``, ``confirm``...) so tests can
replace them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QMessageBox,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core.habits import CATEGORIES, CATEGORY_TITLES
from igfcoach.services.context import AppContext
from igfcoach.services.fileio import Cancelled
from igfcoach.services.importers import ImportPlan
from igfcoach.ui.plain import plain_label

T = TypeVar("T")


# --------------------------------------------------------------------------------------------------- small helpers
# Replaced in tests.

def ask_open_file(parent: QWidget | None, title: str, filters: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), filters)
    return path or None


def ask_save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), filters)
    return path or None


def ask_folder(parent: QWidget | None, title: str, start: str = "") -> str | None:
    path = QFileDialog.getExistingDirectory(parent, title, start or str(Path.home()))
    return path or None


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
         buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and messages quote user text
    return box


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    box = _box(parent, QMessageBox.Icon.Question, title, text,
               QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    _box(parent, QMessageBox.Icon.Information, title, text).exec()


def warn(parent: QWidget | None, title: str, text: str) -> None:
    _box(parent, QMessageBox.Icon.Warning, title, text).exec()


def notify_data_changed() -> None:
    """Tell every page that the data changed under it (after an import or a restore)."""
    app = QApplication.instance()
    for name in ("habits_changed", "checkoffs_changed", "labs_changed", "settings_changed"):
        signal = getattr(app, name, None)
        if signal is not None:
            signal.emit()




# --------------------------------------------------------------------------------------------------- progress

def run_with_progress(parent: QWidget | None, title: str, work: Callable[[Any, Any], T]) -> T:
    """Run ``work(progress, cancelled)`` under a modal progress dialog with a Cancel button.

    Raises ``Cancelled`` when the person cancelled (the service wrote nothing).
    """
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setObjectName("dataProgress")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.05 and done < total:
            return
        last[0] = now
        if total and dialog.maximum() != total:
            dialog.setMaximum(total)
        dialog.setValue(min(done, total) if total else 0)
        QApplication.processEvents()

    def cancelled() -> bool:
        QApplication.processEvents()
        return dialog.wasCanceled()

    try:
        return work(progress, cancelled)
    finally:
        dialog.close()
        dialog.setParent(None)  # gone from the parent's children now, not at the next event loop turn
        dialog.deleteLater()


# --------------------------------------------------------------------------------------------------- import preview

class ImportPreviewDialog(QDialog):
    """What an import will do; for Loop data, how each habit maps (changeable per habit). Import or cancel."""

    def __init__(self, ctx: AppContext, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plan
        self.setObjectName("importPreview")
        self.setWindowTitle("Import: check before importing")
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        heading = plain_label(plan.title)
        heading.setObjectName("previewTitle")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        layout.addWidget(plain_label(str(plan.path), muted=True))
        self.summary = plain_label("\n".join(plan.summary))
        self.summary.setObjectName("previewSummary")
        layout.addWidget(self.summary)

        self.combos: list[QComboBox] = []
        self.table: QTableWidget | None = None
        if plan.mappings:
            layout.addWidget(plain_label("Where each habit goes (you can change it):"))
            self.table = self._mapping_table()
            layout.addWidget(self.table, 1)
        if plan.warnings:
            text = "Please check these values; importing keeps them as they are:\n" + "\n".join(
                f"\u2022 {w}" for w in plan.warnings)
            self.warnings = plain_label(text)
            self.warnings.setObjectName("previewWarnings")
            layout.addWidget(self.warnings)
        layout.addWidget(plain_label("Nothing is written until you press Import; records you already have are not "
                                "added twice.", muted=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _mapping_table(self) -> QTableWidget:
        from igfcoach.services.importers import loop_habits

        table = QTableWidget(len(self.plan.mappings), 4)
        table.setObjectName("mappingTable")
        table.setAccessibleName("How each habit is imported")
        table.setHorizontalHeaderLabels(["Habit in the file", "Days", "Goes to", "Notes"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for i, m in enumerate(self.plan.mappings):
            table.setItem(i, 0, QTableWidgetItem(m.source_name))  # items show plain text
            days = QTableWidgetItem(str(m.entries))
            days.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(i, 1, days)
            combo = QComboBox()
            combo.setAccessibleName(f"Where {m.source_name} goes")
            for cat in CATEGORIES:
                combo.addItem(f"New habit in {CATEGORY_TITLES[cat]}", f"new:{cat}")
            for key, title in loop_habits.merge_targets(self.ctx, self.plan, i):
                combo.addItem(f"Add to \u201c{title}\u201d", f"merge:{key}")
            combo.addItem("Don't import", "skip:")
            wanted = f"merge:{m.target_key}" if m.action == "merge" else (
                "skip:" if m.action == "skip" else f"new:{m.category}")
            index = combo.findData(wanted)
            combo.setCurrentIndex(max(0, index))
            table.setCellWidget(i, 2, combo)
            self.combos.append(combo)
            table.setItem(i, 3, QTableWidgetItem("; ".join(m.notes)))
        table.setMinimumHeight(min(360, 40 + 32 * len(self.plan.mappings)))
        return table

    def apply_choices(self) -> None:
        """Write the combo boxes' choices into the plan's mappings."""
        titles = {}
        for combo, m in zip(self.combos, self.plan.mappings, strict=True):
            action, _, arg = str(combo.currentData()).partition(":")
            m.action = action
            if action == "new":
                m.category, m.target_key, m.target_title = arg, None, None
            elif action == "merge":
                if not titles:
                    from sqlalchemy import select

                    from igfcoach.store.models import Habit

                    with self.ctx.db.transaction() as s:
                        titles = dict(s.execute(select(Habit.key, Habit.title)).all())
                m.target_key, m.target_title = arg, titles.get(arg, arg)

    def accept(self) -> None:
        self.apply_choices()
        super().accept()


# --------------------------------------------------------------------------------------------------- report

class ReportDialog(QDialog):
    """Choose the period of the clinician report."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle("Report for your clinician")
        today = ctx.today()
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("A PDF with your profile, your IGF-1 results with their units and ranges, your "
                                "adherence against your results, adherence per area for the period below, your "
                                "safety screen answers and the disclaimer."))
        form = QFormLayout()
        self.start = QDateEdit()
        self.start.setObjectName("reportFrom")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.end = QDateEdit()
        self.end.setObjectName("reportTo")
        self.end.setCalendarPopup(True)
        self.end.setDisplayFormat("yyyy-MM-dd")
        first = today - timedelta(days=364)
        self.start.setDate(QDate(first.year, first.month, first.day))
        self.end.setDate(QDate(today.year, today.month, today.day))
        self.end.setMaximumDate(QDate(today.year, today.month, today.day))
        self.start.setAccessibleName("Period from")
        self.end.setAccessibleName("Period to")
        form.addRow("Period from:", self.start)
        form.addRow("to:", self.end)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton("Save PDF\u2026", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setObjectName("saveReport")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def period(self) -> tuple[date, date]:
        s, e = self.start.date(), self.end.date()
        return date(s.year(), s.month(), s.day()), date(e.year(), e.month(), e.day())


def exec_dialog(dialog: QDialog) -> bool:
    """Run a dialog modally (replaced in tests, which accept or reject it themselves)."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def make_clinician_report(ctx: AppContext, parent: QWidget | None = None) -> Path | None:
    """Ask for the period and the file, write the PDF, and say where it is. Returns the path (None if not made)."""
    from igfcoach.services import report
    from igfcoach.ui import report_pdf

    dialog = ReportDialog(ctx, parent)
    if not exec_dialog(dialog):
        return None
    start, end = dialog.period()
    path = ask_save_file(parent, "Save the report for your clinician", f"igfcoach-report-{end.isoformat()}.pdf",
                         "PDF files (*.pdf)")
    if not path:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    try:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            made = report_pdf.make_report(ctx, Path(path), start, end)
        finally:
            QApplication.restoreOverrideCursor()
    except (report.ReportError, OSError) as exc:
        warn(parent, "Report not made", str(exc))
        return None
    inform(parent, "Report saved", f"The report for your clinician is saved as {made}.")
    return made


__all__ = [
    "Cancelled",
    "ImportPreviewDialog",
    "ReportDialog",
    "ask_folder",
    "ask_open_file",
    "ask_save_file",
    "confirm",
    "exec_dialog",
    "inform",
    "make_clinician_report",
    "notify_data_changed",
    "run_with_progress",
    "warn",
]
