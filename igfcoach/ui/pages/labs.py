"""The Labs page: what the latest result means for the coaching, every result three ways, and the details.

Add (Ctrl+N), edit (Enter or double-click), delete (Delete key) with undo (the Undo button or Ctrl+Z).
Values show in the preferred unit (profile ``lab_unit``); the toggle changes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core import igf1
from igfcoach.core.igf1 import Classification, Position, Unit
from igfcoach.core.safety import Policy
from igfcoach.services import labs, safety, settings
from igfcoach.services.context import AppContext
from igfcoach.services.labs import (
    BIOTIN_NOTE,
    DeletedResult,
    LabResultData,
    ResultClassifications,
)
from igfcoach.ui.notice_card import NoticeCard, is_dark
from igfcoach.ui.plain import plain_label

COACHING_TITLE = "What your latest result means for the coaching"
CLINICIAN_TITLE = "Talk to a clinician (an endocrinologist)"
SPECIALIST_TITLE = "Specialist-directed only"
BIOTIN_YES = "yes: high-dose biotin can distort some IGF-1 assays, so read this value with care"
COLUMNS = ("Date", "Value", "vs target band", "vs lab range", "vs built-in")
_SYMBOL = {Position.BELOW: "\u25bc Below", Position.WITHIN: "\u2713 Within", Position.ABOVE: "\u25b2 Above"}


_TOGGLE_STYLE = (
    "QToolButton { padding: 4px 10px; border: 1px solid palette(mid); border-radius: 5px;"
    " background: palette(button); color: palette(button-text); }"
    " QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);"
    " border-color: palette(highlight); font-weight: 600; }"
)




def _tone_colour(widget: QWidget, tone: str) -> QColor | None:
    """Foreground for a table cell: readable on the light and the dark palette."""
    dark = is_dark(widget)
    colours = {
        "good": ("#1b7a47", "#7fdca4"),
        "watch": ("#8a5a00", "#f3c46b"),
        "alert": ("#b3261e", "#ff8a80"),
    }
    if tone not in colours:
        return None
    return QColor(colours[tone][1 if dark else 0])


def _target_tone(position: Position) -> str:
    # The target is a mid-range band: below is "keep going", above is a caution (never "higher is better").
    return {Position.BELOW: "watch", Position.WITHIN: "good", Position.ABOVE: "alert"}[position]


def _range_tone(position: Position) -> str:
    return "normal" if position is Position.WITHIN else "alert"


def _yes_no(value: bool | None) -> str:
    return "not recorded" if value is None else ("yes" if value else "no")


class LabsPage(QWidget):
    """The Labs page. ``changed`` fires after this page added, edited, deleted or restored a result."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._results: list[LabResultData] = []
        self._classes: list[ResultClassifications] = []
        self._last_deleted: DeletedResult | None = None
        self._unit = self._preferred_unit()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 20)
        outer.setSpacing(12)

        title = QLabel("Labs")
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        outer.addWidget(plain_label("Your IGF-1 blood tests, each compared with your target band, the lab's own range "
                               "and a built-in reference interval. The aim is a healthy mid-range, not the "
                               "highest number.", muted=True))

        self.coaching_card = NoticeCard("info", COACHING_TITLE, name="coachingCard")
        outer.addWidget(self.coaching_card)
        self.clinician_card = NoticeCard("danger", CLINICIAN_TITLE, name="clinicianCard")
        outer.addWidget(self.clinician_card)
        self.specialist_card = NoticeCard("caution", SPECIALIST_TITLE, name="specialistCard")
        outer.addWidget(self.specialist_card)

        # ------------------------------------------------------------------------------- toolbar
        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.add_button = QPushButton("Add result\u2026")
        self.add_button.setObjectName("addButton")
        self.add_button.setToolTip("Add an IGF-1 result (Ctrl+N)")
        self.add_button.setAccessibleName("Add result")
        self.edit_button = QPushButton("Edit\u2026")
        self.edit_button.setObjectName("editButton")
        self.edit_button.setToolTip("Edit the selected result (Enter)")
        self.edit_button.setAccessibleName("Edit result")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("deleteButton")
        self.delete_button.setToolTip("Delete the selected result (Delete); you can undo it")
        self.delete_button.setAccessibleName("Delete result")
        for b in (self.add_button, self.edit_button, self.delete_button):
            bar.addWidget(b)
        bar.addSpacing(12)

        self.undo_strip = QFrame()
        self.undo_strip.setObjectName("undoStrip")
        strip = QHBoxLayout(self.undo_strip)
        strip.setContentsMargins(0, 0, 0, 0)
        strip.setSpacing(6)
        self.undo_label = plain_label("")
        self.undo_label.setWordWrap(False)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setToolTip("Put the deleted result back (Ctrl+Z)")
        self.undo_button.setAccessibleName("Undo delete")
        strip.addWidget(self.undo_label)
        strip.addWidget(self.undo_button)
        self.undo_strip.hide()
        bar.addWidget(self.undo_strip)
        bar.addStretch(1)
        self.report_button = QPushButton("Report for your clinician\u2026")
        self.report_button.setObjectName("reportButton")
        self.report_button.setToolTip("A PDF of your results, habits and safety answers for an appointment")
        self.report_button.setAccessibleName("Report for your clinician")
        self.report_button.clicked.connect(self._clinician_report)
        bar.addWidget(self.report_button)
        bar.addSpacing(12)

        bar.addWidget(plain_label("Show in:", muted=True))
        self.unit_group = QButtonGroup(self)
        self.unit_group.setExclusive(True)
        self.unit_buttons: dict[Unit, QToolButton] = {}
        for u in (Unit.NG_ML, Unit.NMOL_L):
            b = QToolButton()
            b.setText(u.value)
            b.setCheckable(True)
            b.setObjectName(f"unit_{u.name.lower()}")
            b.setAccessibleName(f"Show values in {u.value}")
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.setMinimumWidth(64)
            b.setStyleSheet(_TOGGLE_STYLE)
            self.unit_group.addButton(b)
            self.unit_buttons[u] = b
            bar.addWidget(b)
        self.unit_buttons[self._unit].setChecked(True)
        outer.addLayout(bar)

        # ------------------------------------------------------------------------------- table + detail
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(6)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("resultsTable")
        self.table.setAccessibleName("IGF-1 results")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        left_layout.addWidget(self.table, 1)
        self.empty_label = plain_label("No results yet. Add your first IGF-1 result with \u201cAdd result\u201d "
                                  "(Ctrl+N); a baseline lets the coaching follow your own level.", muted=True)
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        left_layout.addWidget(self.empty_label)
        self.empty_spacer = QWidget()
        self.empty_spacer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        left_layout.addWidget(self.empty_spacer, 1)
        self.references_label = plain_label("", muted=True)
        self.references_label.setObjectName("referencesLabel")
        left_layout.addWidget(self.references_label)
        self.splitter.addWidget(left)

        self.detail = QWidget()
        self.detail.setObjectName("detailPane")
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(14, 4, 6, 4)
        detail_layout.setSpacing(8)
        self.detail_title = QLabel("Details")
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        f = self.detail_title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.1)
        self.detail_title.setFont(f)
        detail_layout.addWidget(self.detail_title)
        self.detail_form = QFormLayout()
        self.detail_form.setHorizontalSpacing(12)
        self.detail_form.setVerticalSpacing(6)
        self.detail_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.detail_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.detail_values: dict[str, QLabel] = {}
        for key, label in (("date", "Drawn"), ("value", "Value"), ("entered", "Entered as"),
                           ("lab_range", "Lab's range"), ("lab", "Lab"), ("assay", "Assay"),
                           ("fasting", "Fasting"), ("biotin", "Biotin (72 h)"), ("target", "vs target"),
                           ("vs_lab", "vs lab range"), ("vs_builtin", "vs built-in"), ("notes", "Notes")):
            value = plain_label("", selectable=True)
            value.setObjectName(f"detail_{key}")
            value.setAccessibleName(label)
            value.setMinimumWidth(120)
            self.detail_values[key] = value
            name = QLabel(label + ":")
            name.setProperty("class", "muted")
            self.detail_form.addRow(name, value)
        detail_layout.addLayout(self.detail_form)
        self.source_label = plain_label("", muted=True, selectable=True)
        self.source_label.setObjectName("builtinSource")
        self.source_label.setAccessibleName("Source of the built-in reference interval")
        detail_layout.addWidget(self.source_label)
        detail_layout.addStretch(1)
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setWidget(self.detail)
        self.detail_scroll.setMinimumWidth(300)
        self.splitter.addWidget(self.detail_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([620, 360])
        outer.addWidget(self.splitter, 1)

        # ------------------------------------------------------------------------------- wiring
        self.add_button.clicked.connect(self.add_result)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.undo_delete)
        self.unit_group.buttonClicked.connect(self._unit_clicked)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        ctx_shortcut = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self._shortcuts = [
            QShortcut(QKeySequence.StandardKey.New, self, activated=self.add_result, context=ctx_shortcut),
            QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, activated=self.delete_selected,
                      context=Qt.ShortcutContext.WidgetShortcut),
            QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, activated=self.edit_selected,
                      context=Qt.ShortcutContext.WidgetShortcut),
            QShortcut(QKeySequence(Qt.Key.Key_Enter), self.table, activated=self.edit_selected,
                      context=Qt.ShortcutContext.WidgetShortcut),
            QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.undo_delete, context=ctx_shortcut),
        ]
        app = QApplication.instance()
        for name in ("labs_changed", "settings_changed"):
            signal = getattr(app, name, None)
            if signal is not None:
                signal.connect(self.refresh)
        self.refresh()

    # ------------------------------------------------------------------------------------------- data

    def _preferred_unit(self) -> Unit:
        try:
            return igf1.parse_unit(settings.get(self.ctx, "lab_unit") or Unit.NG_ML)
        except ValueError:
            return Unit.NG_ML

    @property
    def unit(self) -> Unit:
        return self._unit

    def set_unit(self, unit: Unit | str) -> None:
        """Show values in ``unit`` and remember it as the preferred unit."""
        unit = igf1.parse_unit(unit)
        if unit is not self._unit:
            settings.put(self.ctx, lab_unit=unit.value)
            self._unit = unit
            self._notify_settings()
        self.refresh()

    def _unit_clicked(self, button: QToolButton) -> None:
        for unit, b in self.unit_buttons.items():
            if b is button:
                self.set_unit(unit)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self._results[rows[0].row()].id

    def select_id(self, result_id: int | None) -> None:
        for row, r in enumerate(self._results):
            if r.id == result_id:
                self.table.selectRow(row)
                return
        if self._results:
            self.table.selectRow(0)

    def refresh(self) -> None:
        """Reload everything from the database (results, coaching, unit) and keep the selection."""
        keep = self.selected_id() if self._results else None
        self._unit = self._preferred_unit()
        for unit, b in self.unit_buttons.items():
            b.blockSignals(True)
            b.setChecked(unit is self._unit)
            b.blockSignals(False)
        self._results = labs.list_results(self.ctx)
        self._classes = labs.classify_results(self.ctx, self._results, self._unit)
        self._show_policy(safety.current_policy(self.ctx, unit=self._unit))
        self._fill_table()
        self._show_references()
        self.select_id(keep)
        self._selection_changed()

    def _show_policy(self, policy: Policy) -> None:
        self.policy = policy
        self.coaching_card.set_content(COACHING_TITLE, policy.message)
        self.clinician_card.set_content(CLINICIAN_TITLE, policy.clinician_reason or "")
        self.clinician_card.setVisible(policy.see_clinician)
        if policy.specialist_only_notice:
            notice = policy.specialist_only_notice
            prefix = SPECIALIST_TITLE + ": "
            if notice.startswith(prefix):  # the card's title says it already
                notice = notice[len(prefix)].upper() + notice[len(prefix) + 1:]
            body = notice + "\n\n" + "\n".join(f"\u2022 {c}" for c in policy.contraindications)
            self.specialist_card.set_content(SPECIALIST_TITLE, body)
        self.specialist_card.setVisible(policy.specialist_only_notice is not None)

    def _cell(self, text: str, tooltip: str = "", tone: str = "normal", bold: bool = False) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        if tooltip:
            item.setToolTip(tooltip)
        colour = _tone_colour(self.table, tone)
        if colour is not None:
            item.setForeground(QBrush(colour))
        if bold:
            font = QFont(self.table.font())
            font.setBold(True)
            item.setFont(font)
        return item

    def _position_cell(self, c: Classification | None, tone_of, missing: str) -> QTableWidgetItem:
        if c is None:
            return self._cell("\u2014", missing)
        return self._cell(_SYMBOL[c.position], c.label, tone_of(c.position), bold=c.position is not Position.WITHIN)

    def _fill_table(self) -> None:
        self.table.setUpdatesEnabled(False)
        self.table.clearContents()
        self.table.setRowCount(len(self._results))
        for row, (r, c) in enumerate(zip(self._results, self._classes, strict=True)):
            when = r.drawn_on.isoformat() + (f"  {r.drawn_at_time}" if r.drawn_at_time else "")
            self.table.setItem(row, 0, self._cell(when))
            value = self._cell(igf1.format_value(r.value_ng, self._unit),
                               f"Entered as {r.entered_value:g} {r.entered_unit}")
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, value)
            self.table.setItem(row, 2, self._position_cell(c.target, _target_tone, ""))
            self.table.setItem(row, 3, self._position_cell(c.lab, _range_tone, "No lab range was entered"))
            self.table.setItem(row, 4, self._position_cell(c.builtin, _range_tone, c.builtin_reason or ""))
        self.table.setUpdatesEnabled(True)
        empty = not self._results
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self.empty_spacer.setVisible(empty)
        self.detail_scroll.setVisible(not empty)
        self.edit_button.setEnabled(not empty)
        self.delete_button.setEnabled(not empty)

    def _show_references(self) -> None:
        band = safety.target_band(self.ctx)
        parts = [f"Target band: {igf1.format_range(band.low_ng, band.high_ng, self._unit)}"]
        answers = safety.current_answers(self.ctx)
        lookup = igf1.lookup_builtin_interval(answers.age, answers.sex)
        if lookup.interval is not None:
            parts.append(f"Built-in interval (age {answers.age}, {answers.sex}): "
                         f"{igf1.format_range(lookup.interval.low, lookup.interval.high, self._unit)}")
        else:
            hint = " Add it in Settings \u203a Health & safety." if answers.age is None or answers.sex is None else ""
            if answers.under_18:
                hint = ""
            parts.append(f"Built-in interval: none. {lookup.reason}{hint}")
        self.references_label.setText("\n".join(parts))

    def _selection_changed(self) -> None:
        result_id = self.selected_id()
        has = result_id is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        if not has:
            self.detail_title.setText("Details")
            for label in self.detail_values.values():
                label.setText("")
            self.detail_values["date"].setText("Select a result to see everything about it.")
            self._show_source(self._classes[0] if self._classes else None)
            return
        row = [r.id for r in self._results].index(result_id)
        self._show_detail(self._results[row], self._classes[row])

    def _show_detail(self, r: LabResultData, c: ResultClassifications) -> None:
        other = Unit.NMOL_L if self._unit is Unit.NG_ML else Unit.NG_ML
        v = self.detail_values
        self.detail_title.setText(f"Result of {r.drawn_on:%d %B %Y}")
        v["date"].setText(r.drawn_on.isoformat() + (f" at {r.drawn_at_time}" if r.drawn_at_time else ""))
        v["value"].setText(f"{igf1.format_value(r.value_ng, self._unit)}  ({igf1.format_value(r.value_ng, other)})")
        v["entered"].setText(f"{r.entered_value:g} {r.entered_unit}")
        v["lab_range"].setText(igf1.format_range(r.lab_low_ng, r.lab_high_ng, self._unit)
                               if r.lab_range is not None else "not given")
        v["lab"].setText(r.lab_name or "\u2014")
        v["assay"].setText(r.assay or "\u2014")
        v["fasting"].setText(_yes_no(r.fasting))
        v["biotin"].setText(BIOTIN_YES if r.biotin_72h else _yes_no(r.biotin_72h))
        v["biotin"].setToolTip(BIOTIN_NOTE)
        v["target"].setText(c.target.label)
        v["vs_lab"].setText(c.lab.label if c.lab else "No lab range was entered with this result.")
        v["vs_builtin"].setText(c.builtin.label if c.builtin else (c.builtin_reason or ""))
        v["notes"].setText(r.notes or "\u2014")
        self._show_source(c)

    def _show_source(self, c: ResultClassifications | None) -> None:
        lookup = c.builtin_lookup if c is not None else None
        if lookup is not None and lookup.interval is not None:
            text = "About the built-in interval: " + lookup.interval.source
            if lookup.interval.note:
                text += " " + lookup.interval.note
        else:
            text = "About the built-in interval: " + igf1.BUILTIN_SOURCE
        self.source_label.setText(text)

    # ------------------------------------------------------------------------------------------- actions

    def _dialog(self, existing: LabResultData | None = None):
        from igfcoach.ui.dialogs.lab_result import LabResultDialog

        return LabResultDialog(self.ctx, self, existing)

    def add_result(self) -> LabResultData | None:
        dialog = self._dialog()
        return self._run_dialog(dialog)

    def edit_selected(self) -> LabResultData | None:
        result_id = self.selected_id()
        if result_id is None:
            return None
        try:
            existing = labs.get_result(self.ctx, result_id)
        except labs.UnknownResult:
            self.refresh()
            return None
        return self._run_dialog(self._dialog(existing))

    def _run_dialog(self, dialog) -> LabResultData | None:  # noqa: ANN001
        self.open_dialog = dialog
        try:
            if dialog.exec() != dialog.DialogCode.Accepted or dialog.saved_result is None:
                return None
            saved = dialog.saved_result
        finally:
            self.open_dialog = None
            dialog.deleteLater()
        self._hide_undo()
        self._after_change(saved.id)
        return saved

    def delete_selected(self) -> DeletedResult | None:
        result_id = self.selected_id()
        if result_id is None:
            return None
        row = self.table.currentRow()
        try:
            deleted = labs.delete_result(self.ctx, result_id)
        except labs.UnknownResult:
            self.refresh()
            return None
        self._last_deleted = deleted
        d = deleted.data
        self.undo_label.setText(f"Deleted the result of {d.drawn_on.isoformat()} "
                                f"({igf1.format_value(d.value_ng, self._unit)}).")
        self.undo_strip.show()
        next_id = None
        remaining = [r.id for r in self._results if r.id != result_id]
        if remaining:
            next_id = remaining[min(max(row, 0), len(remaining) - 1)]
        self._after_change(next_id)
        self.table.setFocus()
        return deleted

    def _clinician_report(self) -> None:
        from igfcoach.ui.dialogs.data_dialogs import make_clinician_report

        make_clinician_report(self.ctx, self)

    def undo_delete(self) -> LabResultData | None:
        if self._last_deleted is None:
            return None
        restored = labs.restore_result(self.ctx, self._last_deleted)
        self._hide_undo()
        self._after_change(restored.id)
        return restored

    def _hide_undo(self) -> None:
        self._last_deleted = None
        self.undo_strip.hide()

    def _after_change(self, select: int | None) -> None:
        app = QApplication.instance()
        signal = getattr(app, "labs_changed", None)
        if signal is not None:
            signal.emit()  # refreshes this page too
        else:
            self.refresh()
        self.select_id(select)
        self.changed.emit()

    def _notify_settings(self) -> None:
        signal = getattr(QApplication.instance(), "settings_changed", None)
        if signal is not None:
            signal.emit()
