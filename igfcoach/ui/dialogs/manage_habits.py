"""Manage habits: add, edit, reorder within a group, pause/resume, archive (with undo) and restore.

History is never deleted: archiving only hides a habit from the checklist, and Restore brings it back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core.habits import CATEGORIES, CATEGORY_TITLES, HabitSpec
from igfcoach.services import habits
from igfcoach.services.context import AppContext
from igfcoach.services.habits import ACTIVE, ARCHIVED, PAUSED, HabitError
from igfcoach.ui.dialogs.habit_editor import HabitEditor
from igfcoach.ui.plain import tooltip
from igfcoach.ui.undo_bar import UndoBar

KEY_ROLE = Qt.ItemDataRole.UserRole
STATUS_TEXT = {ACTIVE: "Active", PAUSED: "Paused", ARCHIVED: "Archived"}


def _kind_text(spec: HabitSpec) -> str:
    return spec.target.label if spec.target is not None else "Tick"


class ManageHabitsDialog(QDialog):
    """Every change is one service call followed by ``app.habits_changed``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editor: HabitEditor | None = None
        self._statuses: dict[str, str] = {}
        self._specs: dict[str, HabitSpec] = {}
        self._undo: list[tuple[str, str, str]] = []  # (key, previous status, what was done)
        self.setObjectName("manageHabits")
        self.setWindowTitle("Manage habits")
        self.setAccessibleName("Manage habits")
        self.resize(760, 560)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 14)
        layout.setSpacing(10)
        intro = QLabel("Add your own habits, change their schedule, or put them in the order you like. Pausing "
                       "or archiving hides a habit from the checklist and keeps its history.")
        intro.setWordWrap(True)
        intro.setProperty("class", "muted")
        layout.addWidget(intro)

        self.undo_bar = UndoBar(self)
        self.undo_bar.undo_requested.connect(self.undo)
        layout.addWidget(self.undo_bar)

        body = QHBoxLayout()
        body.setSpacing(14)
        layout.addLayout(body, 1)
        left = QVBoxLayout()
        left.setSpacing(8)
        self.tree = QTreeWidget()
        self.tree.setObjectName("habitList")
        self.tree.setAccessibleName("Habits")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Habit", "Goal", "Schedule", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setIndentation(18)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._sync_buttons)
        self.tree.itemActivated.connect(lambda item, _col: self._key_of(item) and self.edit())
        left.addWidget(self.tree, 1)
        self.show_archived = QCheckBox("Show archived habits")
        self.show_archived.setAccessibleName("Show archived habits")
        self.show_archived.toggled.connect(lambda _on: self.reload())
        left.addWidget(self.show_archived)
        body.addLayout(left, 1)

        side = QVBoxLayout()
        side.setSpacing(8)
        self.add_button = self._button("Add…", "Add a habit", self.add, side)
        self.edit_button = self._button("Edit…", "Edit the selected habit", self.edit, side)
        side.addSpacing(10)
        self.up_button = self._button("Move up", "Move the selected habit up", lambda: self.move(-1), side,
                                      "Alt+Up")
        self.down_button = self._button("Move down", "Move the selected habit down", lambda: self.move(1), side,
                                        "Alt+Down")
        side.addSpacing(10)
        self.pause_button = self._button("Pause", "Pause the selected habit", self.toggle_pause, side)
        self.archive_button = self._button("Archive", "Archive the selected habit", self.archive_or_restore,
                                           side, "Del")
        side.addStretch(1)
        body.addLayout(side)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        undo = QShortcut(QKeySequence.StandardKey.Undo, self)
        undo.activated.connect(self.undo)
        self._undo_shortcut = undo
        self.reload()

    def _button(self, text: str, name: str, slot: Callable[[], object], box: QVBoxLayout,
                shortcut: str | None = None) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        if shortcut:
            button.setToolTip(f"{name} ({shortcut})")
            sc = QShortcut(QKeySequence(shortcut), self)
            sc.activated.connect(lambda b=button: b.isEnabled() and b.click())
        box.addWidget(button)
        return button

    # --- list ----------------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        select = select or self.selected_key()
        pairs = habits.list_habits(self.ctx, include_archived=True)
        self._statuses = {spec.key: status for spec, status in pairs}
        self._specs = {spec.key: spec for spec, _ in pairs}
        show_archived = self.show_archived.isChecked()
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        bold = QFont(self.tree.font())
        bold.setBold(True)
        italic = QFont(self.tree.font())
        italic.setItalic(True)
        for spec, status in pairs:
            if status == ARCHIVED and not show_archived:
                continue
            group = groups.get(spec.category)
            if group is None:
                group = QTreeWidgetItem([CATEGORY_TITLES.get(spec.category, spec.category)])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setFont(0, bold)
                group.setFirstColumnSpanned(True)
                self.tree.addTopLevelItem(group)
                group.setFirstColumnSpanned(True)
                groups[spec.category] = group
            item = QTreeWidgetItem([spec.title, _kind_text(spec), spec.schedule.label,
                                    STATUS_TEXT.get(status, status)])
            item.setData(0, KEY_ROLE, spec.key)
            item.setToolTip(0, tooltip(spec.why))  # user text: shown as typed
            if status != ACTIVE:
                for col in range(4):
                    item.setFont(col, italic)
            group.addChild(item)
        self.tree.expandAll()
        if select is not None:
            self.select(select)
        self._sync_buttons()

    def _key_of(self, item: QTreeWidgetItem | None) -> str | None:
        return item.data(0, KEY_ROLE) if item is not None else None

    def _habit_items(self) -> list[QTreeWidgetItem]:
        found = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            found.extend(group.child(j) for j in range(group.childCount()))
        return found

    def keys_shown(self) -> list[str]:
        return [self._key_of(item) for item in self._habit_items()]

    def selected_key(self) -> str | None:
        items = self.tree.selectedItems()
        return self._key_of(items[0]) if items else None

    def select(self, key: str) -> bool:
        for item in self._habit_items():
            if self._key_of(item) == key:
                self.tree.setCurrentItem(item)
                item.setSelected(True)
                self.tree.scrollToItem(item)
                return True
        return False

    def status_of(self, key: str) -> str | None:
        return self._statuses.get(key)

    def _neighbours(self, key: str) -> list[str]:
        """Keys in the same category, in checklist order (reordering happens within a group)."""
        category = self._specs[key].category
        return [k for k in self.keys_shown() if self._specs[k].category == category]

    def _sync_buttons(self) -> None:
        key = self.selected_key()
        has = key is not None
        status = self._statuses.get(key) if has else None
        self.edit_button.setEnabled(has)
        group = self._neighbours(key) if has else []
        self.up_button.setEnabled(has and group.index(key) > 0)
        self.down_button.setEnabled(has and group.index(key) < len(group) - 1)
        self.pause_button.setEnabled(has and status in (ACTIVE, PAUSED))
        paused = status == PAUSED
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setAccessibleName("Resume the selected habit" if paused else "Pause the selected habit")
        archived = status == ARCHIVED
        self.archive_button.setEnabled(has)
        self.archive_button.setText("Restore" if archived else "Archive")
        self.archive_button.setAccessibleName(
            "Restore the selected habit" if archived else "Archive the selected habit")

    # --- actions -------------------------------------------------------------------------------------

    def _changed(self, select: str | None = None) -> None:
        app = QApplication.instance()
        if app is not None and hasattr(app, "habits_changed"):
            app.habits_changed.emit()
        self.reload(select)

    def add(self) -> HabitEditor:
        key = self.selected_key()
        category = self._specs[key].category if key else (CATEGORIES[0])
        return self._open_editor(None, category)

    def edit(self) -> HabitEditor | None:
        key = self.selected_key()
        if key is None:
            return None
        return self._open_editor(key, None)

    def _open_editor(self, key: str | None, category: str | None) -> HabitEditor:
        self.editor = HabitEditor(self.ctx, key, self, category=category)
        self.editor.saved.connect(lambda k: self.reload(k))
        self.editor.open()
        return self.editor

    def move(self, delta: int) -> None:
        key = self.selected_key()
        if key is None:
            return
        group = self._neighbours(key)
        i = group.index(key)
        j = i + delta
        if not 0 <= j < len(group):
            return
        group[i], group[j] = group[j], group[i]
        try:
            habits.reorder(self.ctx, group)
        except HabitError as exc:
            self.undo_bar.show_message(str(exc))
            return
        self._changed(key)
        self.tree.setFocus()

    def toggle_pause(self) -> None:
        key = self.selected_key()
        if key is None:
            return
        new = ACTIVE if self._statuses.get(key) == PAUSED else PAUSED
        self._set_status(key, new, "Paused" if new == PAUSED else "Resumed")

    def archive_or_restore(self) -> None:
        key = self.selected_key()
        if key is None:
            return
        if self._statuses.get(key) == ARCHIVED:
            self._set_status(key, ACTIVE, "Restored")
        else:
            self._set_status(key, ARCHIVED, "Archived")

    def _set_status(self, key: str, status: str, verb: str) -> None:
        try:
            previous = habits.set_status(self.ctx, key, status)
        except HabitError as exc:
            self.undo_bar.show_message(str(exc))
            return
        self._undo.append((key, previous, verb))
        title = self._specs[key].title
        note = " Its history is kept." if status == ARCHIVED else ""
        self.undo_bar.show_undo(f"{verb} “{title}”.{note}")
        self._changed(key)

    def undo(self) -> None:
        if not self._undo:
            self.undo_bar.show_message("Nothing to undo.")
            return
        key, previous, verb = self._undo.pop()
        try:
            habits.set_status(self.ctx, key, previous)
        except HabitError as exc:
            self.undo_bar.show_message(str(exc))
            return
        self.undo_bar.show_message(f"Undone: “{self._specs[key].title}” is {STATUS_TEXT[previous].lower()} again.")
        self._changed(key)
