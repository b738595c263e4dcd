"""The "Data" settings: backups (list with preview, restore, back up now, folder, how many to keep), export
(JSON, CSV, FHIR), import (IGF Coach JSON, Loop Habit Tracker, lab results CSV, with a preview of the mapping)
and the report for the clinician.

Exports and imports run under a progress dialog that can cancel; an import writes in one transaction, so a
cancel leaves the data exactly as it was.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from igfcoach.services import backups, settings
from igfcoach.services.context import AppContext
from igfcoach.services.fileio import Cancelled
from igfcoach.store.backup import BackupError
from igfcoach.ui.dialogs import data_dialogs as dd
from igfcoach.ui.plain import plain_label, scrolling_column

EXPORT_CHOICES = [
    ("json", "Full backup (JSON) \u2013 can be imported again", "igfcoach-export.json", "JSON files (*.json)"),
    ("csv", "Spreadsheet files (CSV, one per kind of record)", "igfcoach-csv", ""),
    ("fhir", "IGF-1 results for a health record (FHIR R4)", "igfcoach-igf1-fhir.json", "JSON files (*.json)"),
]
IMPORT_FILTERS = ("Data IGF Coach can import (*.json *.db *.zip *.csv);;IGF Coach backup (*.json);;"
                  "Loop Habit Tracker backup (*.db);;Loop Habit Tracker CSV export (*.zip);;Lab results (*.csv);;"
                  "All files (*)")
_NAME = re.compile(r"igfcoach-(\d{8})-(\d{6})-([a-z-]+?)(?:-\d+)?\.sqlite3$")
_REASONS = {"manual": "made by you", "auto": "automatic", "pre-migration": "before an update",
            "pre-restore": "before a restore"}




def backup_label(path: Path) -> str:
    """'25 Nov 2026, 09:00 · automatic' from a backup's file name (its name when it is not ours)."""
    m = _NAME.search(path.name)
    if not m:
        return path.name
    when = datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    return f"{when:%d %b %Y, %H:%M} \u00b7 {_REASONS.get(m.group(3), m.group(3))}"


class DataSettings(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = scrolling_column(self, (8, 16, 8, 8), 14)
        layout.addWidget(self._backups_box())
        layout.addWidget(self._export_box())
        layout.addWidget(self._import_box())
        layout.addWidget(self._report_box())
        layout.addStretch(1)
        self.refresh_backups()

    # ------------------------------------------------------------------------------------------- backups

    def _backups_box(self) -> QGroupBox:
        box = QGroupBox("Backups")
        v = QVBoxLayout(box)
        v.addWidget(plain_label("IGF Coach copies your data once a day and before every update, and keeps the newest "
                           "ones. Restoring one first backs up what you have now.", muted=True))
        self.backup_list = QListWidget()
        self.backup_list.setObjectName("backupList")
        self.backup_list.setAccessibleName("Backups, newest first")
        self.backup_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_list.setMaximumHeight(150)
        self.backup_list.currentItemChanged.connect(self._backup_selected)
        v.addWidget(self.backup_list)
        self.backup_preview = plain_label("", muted=True)
        self.backup_preview.setObjectName("backupPreview")
        v.addWidget(self.backup_preview)
        row = QHBoxLayout()
        self.backup_now = QPushButton("Back up now")
        self.backup_now.setObjectName("backupNow")
        self.backup_now.clicked.connect(self._backup_now)
        self.restore_button = QPushButton("Restore\u2026")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setToolTip("Replace your data by the selected backup's (what you have now is backed "
                                       "up first)")
        self.restore_button.clicked.connect(self._restore)
        row.addWidget(self.backup_now)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        v.addLayout(row)

        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Folder:"))
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("backupFolder")
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setAccessibleName("Backup folder")
        folder_row.addWidget(self.folder_edit, 1)
        self.choose_folder = QPushButton("Choose\u2026")
        self.choose_folder.setObjectName("chooseFolder")
        self.choose_folder.setToolTip("Keep backups in another folder, such as one that syncs to another device")
        self.choose_folder.clicked.connect(self._choose_folder)
        self.default_folder = QPushButton("Default")
        self.default_folder.setObjectName("defaultFolder")
        self.default_folder.clicked.connect(self._default_folder)
        folder_row.addWidget(self.choose_folder)
        folder_row.addWidget(self.default_folder)
        v.addLayout(folder_row)

        keep_row = QHBoxLayout()
        keep_row.addWidget(QLabel("Keep the newest"))
        self.keep = QSpinBox()
        self.keep.setObjectName("keepCount")
        self.keep.setAccessibleName("Number of backups to keep")
        self.keep.setRange(1, 100)
        self.keep.setValue(backups.keep_count(self.ctx))
        self.keep.valueChanged.connect(self._keep_changed)
        keep_row.addWidget(self.keep)
        keep_row.addWidget(QLabel("backups (copies made before an update or a restore are always kept)"))
        keep_row.addStretch(1)
        v.addLayout(keep_row)
        return box

    def refresh_backups(self) -> None:
        self.folder_edit.setText(str(backups.backup_dir(self.ctx)))
        self.backup_list.clear()
        for path in backups.backups(self.ctx):
            item = QListWidgetItem(backup_label(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.backup_list.addItem(item)
        if self.backup_list.count():
            self.backup_list.setCurrentRow(0)
        else:
            self.backup_preview.setText("No backups yet.")
        self.restore_button.setEnabled(self.backup_list.count() > 0)

    def selected_backup(self) -> Path | None:
        item = self.backup_list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _backup_selected(self) -> None:
        path = self.selected_backup()
        if path is None:
            self.backup_preview.setText("")
            return
        try:
            self.backup_preview.setText(f"Holds {backups.preview(path).describe().split(': ', 1)[-1]}")
        except (BackupError, OSError) as exc:
            self.backup_preview.setText(f"Cannot be read: {exc}")

    def _backup_now(self) -> None:
        try:
            path = backups.make_backup(self.ctx)
        except (BackupError, OSError) as exc:
            dd.warn(self, "Backup failed", str(exc))
            return
        self.refresh_backups()
        dd.inform(self, "Backed up", f"Your data is copied to {path}.")

    def _restore(self) -> None:
        path = self.selected_backup()
        if path is None:
            return
        try:
            what = backups.preview(path).describe()
        except (BackupError, OSError) as exc:
            dd.warn(self, "Cannot restore", str(exc))
            return
        if not dd.confirm(self, "Restore this backup?",
                          f"Replace your data by this backup?\n\n{what}\n\nWhat you have now is backed up first, "
                          "so you can go back to it."):
            return
        try:
            safety_copy = backups.restore(self.ctx, path)
        except (BackupError, OSError) as exc:
            dd.warn(self, "Restore failed", str(exc))
            return
        dd.notify_data_changed()
        self.keep.blockSignals(True)
        self.keep.setValue(backups.keep_count(self.ctx))
        self.keep.blockSignals(False)
        self.refresh_backups()
        dd.inform(self, "Restored", f"Your data is restored. What you had before is kept in {safety_copy}.")

    def _choose_folder(self) -> None:
        folder = dd.ask_folder(self, "Folder for backups", str(backups.backup_dir(self.ctx)))
        if not folder:
            return
        settings.put(self.ctx, backup_dir=str(Path(folder)))
        self.refresh_backups()

    def _default_folder(self) -> None:
        settings.put(self.ctx, backup_dir=None)
        self.refresh_backups()

    def _keep_changed(self, value: int) -> None:
        settings.put(self.ctx, backup_keep=int(value))

    # ------------------------------------------------------------------------------------------- export

    def _export_box(self) -> QGroupBox:
        box = QGroupBox("Export")
        v = QVBoxLayout(box)
        v.addWidget(plain_label("Your data in files you keep: a full backup to import again, spreadsheet files, or your "
                           "IGF-1 results in the standard format health records read. Files are readable only by "
                           "you.", muted=True))
        row = QHBoxLayout()
        self.export_format = QComboBox()
        self.export_format.setObjectName("exportFormat")
        self.export_format.setAccessibleName("Export format")
        for key, label, _name, _filter in EXPORT_CHOICES:
            self.export_format.addItem(label, key)
        row.addWidget(self.export_format, 1)
        self.export_button = QPushButton("Export\u2026")
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self._export)
        row.addWidget(self.export_button)
        v.addLayout(row)
        return box

    def _export(self) -> None:
        from igfcoach.services import export

        fmt = self.export_format.currentData()
        _key, _label, suggested, filters = next(c for c in EXPORT_CHOICES if c[0] == fmt)
        if fmt == "csv":
            folder = dd.ask_folder(self, "Folder for the CSV files")
            if not folder:
                return
            out = Path(folder) / f"igfcoach-csv-{self.ctx.today().isoformat()}"
        else:
            path = dd.ask_save_file(self, "Export to", suggested, filters)
            if not path:
                return
            out = Path(path)
        try:
            result = dd.run_with_progress(self, "Exporting\u2026",
                                          lambda progress, cancelled: export.export(self.ctx, fmt, out, progress,
                                                                                    cancelled))
        except Cancelled:
            dd.inform(self, "Export cancelled", "The export was cancelled; no file was written.")
            return
        except OSError as exc:
            dd.warn(self, "Export failed", f"Cannot write {out}: {exc.strerror or exc}")
            return
        dd.inform(self, "Exported", result.describe())

    # ------------------------------------------------------------------------------------------- import

    def _import_box(self) -> QGroupBox:
        box = QGroupBox("Import")
        v = QVBoxLayout(box)
        v.addWidget(plain_label("From an IGF Coach backup (JSON), Loop Habit Tracker (its .db backup, or its CSV "
                           "export as a zip or a folder), or a CSV of lab results (date, value, unit, and optionally "
                           "lab_low, lab_high, lab_name). You see what will be imported before anything is "
                           "written.", muted=True))
        row = QHBoxLayout()
        self.import_button = QPushButton("Import file\u2026")
        self.import_button.setObjectName("importFile")
        self.import_button.clicked.connect(self._import_file)
        self.import_folder_button = QPushButton("Import a Loop CSV folder\u2026")
        self.import_folder_button.setObjectName("importFolder")
        self.import_folder_button.clicked.connect(self._import_folder)
        row.addWidget(self.import_button)
        row.addWidget(self.import_folder_button)
        row.addStretch(1)
        v.addLayout(row)
        return box

    def _import_file(self) -> None:
        path = dd.ask_open_file(self, "Import", IMPORT_FILTERS)
        if path:
            self.import_path(Path(path))

    def _import_folder(self) -> None:
        path = dd.ask_folder(self, "The folder of a Loop Habit Tracker CSV export")
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> bool:
        """Preview ``path``, let the person check it, and import it. True when something was imported."""
        from igfcoach.services import importers
        from igfcoach.services.importers import ImportProblem

        try:
            plan = dd.run_with_progress(self, "Checking the file\u2026",
                                        lambda progress, cancelled: importers.preview(
                                            self.ctx, path, progress=progress, cancelled=cancelled))
        except Cancelled:
            return False
        except ImportProblem as exc:
            dd.warn(self, "This file cannot be imported", f"{exc}\n\nNothing was imported.")
            return False
        dialog = dd.ImportPreviewDialog(self.ctx, plan, self)
        if not dd.exec_dialog(dialog):
            return False
        try:
            result = dd.run_with_progress(self, "Importing\u2026",
                                          lambda progress, cancelled: importers.apply(
                                              self.ctx, plan, progress, cancelled, confirm=True))
        except Cancelled:
            dd.inform(self, "Import cancelled", "The import was cancelled; nothing was written.")
            return False
        except ImportProblem as exc:
            dd.warn(self, "Import failed", f"{exc}\n\nNothing was imported.")
            return False
        dd.notify_data_changed()
        dd.inform(self, "Imported", result.describe())
        return True

    # ------------------------------------------------------------------------------------------- report

    def _report_box(self) -> QGroupBox:
        box = QGroupBox("Report for your clinician")
        v = QVBoxLayout(box)
        v.addWidget(plain_label("A PDF to take to an appointment: your IGF-1 results with units and ranges, your "
                           "habits against them, and your safety screen answers.", muted=True))
        row = QHBoxLayout()
        self.report_button = QPushButton("Report for your clinician\u2026")
        self.report_button.setObjectName("reportButton")
        self.report_button.clicked.connect(lambda: dd.make_clinician_report(self.ctx, self))
        row.addWidget(self.report_button)
        row.addStretch(1)
        v.addLayout(row)
        return box
