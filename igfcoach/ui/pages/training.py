"""The Training page: a HIIT interval timer with plans, and a resistance log with a rest timer.

HIIT: pick or edit a plan, Start (Space), Pause/Resume (Space), Stop (Esc). A large countdown shows the phase
and the round; a cue sounds at every change and 3-2-1 before work and rest end; the tray tooltip shows the
phase. At the end (or on Stop after at least one finished round) it asks for the effort (RPE 1–10) and logs.

Resistance: choose an exercise (last time's numbers appear beside the inputs), enter reps × load in the
profile's unit, tick "to failure" when it was, Add set (Enter). The rest timer starts after each set (90 s by
default) and cues when it is over (Esc skips it). The session's volume is shown as it grows.

Every log ticks the checklist (services/autotick.py) and emits ``checkoffs_changed``; deletes offer Undo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core import intervals
from igfcoach.core.intervals import IntervalPlan, Phase, PracticeInputError
from igfcoach.services import checklist, training
from igfcoach.services.autotick import MEAL_KEY, Logged
from igfcoach.services.context import AppContext
from igfcoach.services.habits import HabitError
from igfcoach.services.training import HiitEntry, ResistanceEntry, SetEntry
from igfcoach.ui.practice import (
    CountdownDisplay,
    DurationSpin,
    FormError,
    MuteButton,
    PracticePage,
    add_history,
    announce_delete,
    changes_text,
    fill_row,
    history_table,
    hub,
    plain_label,
    plural,
    practice_style,
    pydate,
    qdate,
    section_title,
    selected_data,
    shortcut,
)
from igfcoach.ui.sounds import CuePlayer
from igfcoach.ui.timers import FINISHED, PAUSED, RUNNING, STOPPED, CuedRun
from igfcoach.ui.undo_bar import UndoBar

CUSTOM_PLAN = "Custom"


# --- dialogs -------------------------------------------------------------------------------------------


class SavingDialog(QDialog):
    """A dialog whose Save runs ``on_save``; a refused input shows its message and keeps the dialog open."""

    error: FormError

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.on_save: Callable[[], None] | None = None

    def accept(self) -> None:
        if self.on_save is not None:
            try:
                self.on_save()
            except (PracticeInputError, HabitError) as exc:
                self.error.show_error(str(exc))
                return
        super().accept()


class RpeDialog(QDialog):
    """'How hard was it?': effort 1–10 (optional), notes, and Log / Don't log."""

    def __init__(self, rounds_done: int, rounds: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("How hard was it?")
        self.setObjectName("rpeDialog")
        self.setAccessibleName("Rate the session's effort")
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        done = (f"You finished all {rounds} rounds." if rounds_done >= rounds
                else f"You finished {rounds_done} of {rounds} rounds.")
        layout.addWidget(plain_label(done))
        layout.addWidget(plain_label(
            "Rate the effort (RPE): 1 is very easy, 10 the hardest you could possibly go. For HIIT the work "
            "intervals should feel like 8 or more.", muted=True))
        row = QHBoxLayout()
        row.setSpacing(4)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[int, QToolButton] = {}
        for n in range(1, 11):
            b = QToolButton()
            b.setText(str(n))
            b.setCheckable(True)
            b.setObjectName("choiceButton")
            b.setMinimumSize(34, 30)
            b.setAccessibleName(f"Effort {n} of 10")
            self.group.addButton(b, n)
            self.buttons[n] = b
            row.addWidget(b)
        layout.addLayout(row)
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("Notes (optional)")
        self.notes.setAccessibleName("Notes")
        layout.addWidget(self.notes)
        box = QDialogButtonBox()
        self.log_button = box.addButton("Log session", QDialogButtonBox.ButtonRole.AcceptRole)
        self.discard_button = box.addButton("Don't log", QDialogButtonBox.ButtonRole.RejectRole)
        self.log_button.setDefault(True)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def rpe(self) -> int | None:
        n = self.group.checkedId()
        return n if n > 0 else None

    def set_rpe(self, n: int) -> None:
        self.buttons[n].setChecked(True)


class HiitEditDialog(SavingDialog):
    """Edit a logged HIIT session (date, plan, rounds finished, effort, notes)."""

    def __init__(self, entry: HiitEntry, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setWindowTitle("Edit HIIT session")
        self.setObjectName("hiitEditDialog")
        form = QFormLayout(self)
        self.date = QDateEdit(qdate(entry.day))
        self.date.setCalendarPopup(True)
        self.date.setMaximumDate(qdate(today))
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setAccessibleName("Date")
        form.addRow("Date", self.date)
        p = entry.plan
        self.warmup = DurationSpin(*intervals.WARM_COOL_RANGE, 30, p.warmup_s)
        self.work = DurationSpin(*intervals.WORK_RANGE, 5, p.work_s)
        self.rest = DurationSpin(*intervals.REST_RANGE, 5, p.rest_s)
        self.rounds = QSpinBox()
        self.rounds.setRange(*intervals.ROUNDS_RANGE)
        self.rounds.setValue(p.rounds)
        self.cooldown = DurationSpin(*intervals.WARM_COOL_RANGE, 30, p.cooldown_s)
        self.completed = QSpinBox()
        self.completed.setRange(0, intervals.ROUNDS_RANGE[1])
        self.completed.setValue(entry.rounds_done)
        self.rpe = QSpinBox()
        self.rpe.setRange(0, 10)
        self.rpe.setSpecialValueText("not rated")
        self.rpe.setValue(entry.rpe or 0)
        self.notes = QLineEdit(entry.notes)
        for label, w in (("Warm-up", self.warmup), ("Work", self.work), ("Rest", self.rest), ("Rounds", self.rounds),
                         ("Cool-down", self.cooldown), ("Rounds finished", self.completed),
                         ("Effort (RPE)", self.rpe), ("Notes", self.notes)):
            w.setAccessibleName(label)
            form.addRow(label, w)
        self.error = FormError()
        form.addRow(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def value(self) -> HiitEntry:
        plan = IntervalPlan(self.warmup.value(), self.work.value(), self.rest.value(), self.rounds.value(),
                            self.cooldown.value())
        return HiitEntry(day=pydate(self.date.date()), plan=plan, completed_rounds=self.completed.value(),
                         rpe=self.rpe.value() or None, notes=self.notes.text(), started_at=self.entry.started_at,
                         plan_name=self.entry.plan_name)


class ResistanceEditDialog(SavingDialog):
    """Edit a logged resistance session: its date, notes and sets (reps, load, unit, to failure)."""

    COLUMNS = ("Exercise", "Reps", "Load", "Unit", "To failure")

    def __init__(self, entry: ResistanceEntry, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setWindowTitle("Edit resistance session")
        self.setObjectName("resistanceEditDialog")
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.date = QDateEdit(qdate(entry.day))
        self.date.setCalendarPopup(True)
        self.date.setMaximumDate(qdate(today))
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setAccessibleName("Date")
        form.addRow("Date", self.date)
        self.notes = QLineEdit(entry.notes)
        self.notes.setAccessibleName("Notes")
        form.addRow("Notes", self.notes)
        layout.addLayout(form)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("editSets")
        self.table.setAccessibleName("Sets")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for x in entry.sets:
            self._add_row(x)
        layout.addWidget(self.table, 1)
        remove = QPushButton("Remove set")
        remove.setAccessibleName("Remove the selected set")
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()) if self.table.currentRow() >= 0
                               else None)
        row = QHBoxLayout()
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        self.error = FormError()
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def _add_row(self, x: SetEntry) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, 0, QTableWidgetItem(x.exercise))
        self.table.setItem(r, 1, QTableWidgetItem(str(x.reps)))
        self.table.setItem(r, 2, QTableWidgetItem(f"{x.load:g}"))
        self.table.setItem(r, 3, QTableWidgetItem(x.unit))
        fail = QTableWidgetItem("")
        fail.setFlags(fail.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        fail.setCheckState(Qt.CheckState.Checked if x.to_failure else Qt.CheckState.Unchecked)
        self.table.setItem(r, 4, fail)
        self.table.item(r, 0).setData(Qt.ItemDataRole.UserRole, x)

    def value(self) -> ResistanceEntry:
        """The edited session; raises PracticeInputError naming the row and field."""
        sets = []
        for r in range(self.table.rowCount()):
            old: SetEntry = self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
            text = [self.table.item(r, c).text().strip() if self.table.item(r, c) else "" for c in range(4)]
            try:
                reps = int(text[1])
            except ValueError:
                raise PracticeInputError(f"set {r + 1} reps", f"{text[1]!r} is not a whole number") from None
            try:
                load = float(text[2].replace(",", "."))
            except ValueError:
                raise PracticeInputError(f"set {r + 1} load", f"{text[2]!r} is not a number") from None
            failure = self.table.item(r, 4).checkState() == Qt.CheckState.Checked
            sets.append(SetEntry(text[0], reps, load, text[3].lower(), failure, old.rest_s if old else None))
        return ResistanceEntry(pydate(self.date.date()), tuple(sets), self.notes.text(), self.entry.started_at)


# --- HIIT ------------------------------------------------------------------------------------------------


class HiitPanel(QWidget):
    logged = Signal(object)  # Logged
    message = Signal(str)
    undoable = Signal(str, object)  # text, undo callable

    HISTORY_COLUMNS = ("Date", "Plan", "Rounds", "Effort", "Notes")

    def __init__(self, ctx: AppContext, cues: CuePlayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("hiitPanel")
        self.setAccessibleName("HIIT interval timer")
        self.run = CuedRun(ctx.clock, cues, self, name="HIIT",
                           countdown_kinds=(intervals.WARMUP, intervals.WORK, intervals.REST))
        self.run.timer.phase_changed.connect(self._on_phase)
        self.run.timer.ticked.connect(self._on_tick)
        self.run.timer.state_changed.connect(self._on_state)
        self.run.timer.finished.connect(self._on_finished)
        self.rpe_dialog: RpeDialog | None = None
        self.edit_dialog: HiitEditDialog | None = None
        self._running_plan: tuple[str | None, IntervalPlan] | None = None
        self._started_at = None
        self._day: date | None = None
        self._loading_plan = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 12, 0, 0)
        outer.setSpacing(12)
        top = QHBoxLayout()
        top.setSpacing(16)
        outer.addLayout(top)

        # plan editor
        self.plan_box = QGroupBox("Plan")
        self.plan_box.setObjectName("planBox")
        form = QFormLayout(self.plan_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        self.plan_combo = QComboBox()
        self.plan_combo.setAccessibleName("Plan preset")
        self.plan_combo.setMinimumContentsLength(16)
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        form.addRow("Preset", self.plan_combo)
        self.warmup = DurationSpin(*intervals.WARM_COOL_RANGE, 30, 300)
        self.work = DurationSpin(*intervals.WORK_RANGE, 5, 30)
        self.rest = DurationSpin(*intervals.REST_RANGE, 5, 90)
        self.rounds = QSpinBox()
        self.rounds.setRange(*intervals.ROUNDS_RANGE)
        self.rounds.setValue(8)
        self.rounds.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.rounds.setMinimumWidth(84)
        self.cooldown = DurationSpin(*intervals.WARM_COOL_RANGE, 30, 180)
        for label, w, tip in (("Warm-up", self.warmup, "Easy movement to get warm (m:ss)"),
                              ("Work", self.work, "Each hard interval (m:ss): near-maximal effort"),
                              ("Rest", self.rest, "Easy recovery between work intervals (m:ss)"),
                              ("Rounds", self.rounds, "How many work intervals"),
                              ("Cool-down", self.cooldown, "Easy movement at the end (m:ss)")):
            w.setAccessibleName(label)
            w.setToolTip(tip)
            form.addRow(label, w)
            w.valueChanged.connect(self._plan_edited)
        self.total_label = plain_label("", muted=True, name="planTotal")
        form.addRow(self.total_label)
        plan_buttons = QHBoxLayout()
        self.save_plan_button = QPushButton("Save as…")
        self.save_plan_button.setAccessibleName("Save this plan under a name")
        self.save_plan_button.clicked.connect(self.save_plan)
        self.delete_plan_button = QPushButton("Delete plan")
        self.delete_plan_button.setAccessibleName("Delete the chosen saved plan")
        self.delete_plan_button.clicked.connect(self.delete_plan)
        plan_buttons.addWidget(self.save_plan_button)
        plan_buttons.addWidget(self.delete_plan_button)
        plan_buttons.addStretch(1)
        form.addRow(plan_buttons)
        self.plan_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        top.addWidget(self.plan_box, 2)

        # countdown and controls
        right = QVBoxLayout()
        right.setSpacing(8)
        self.display = CountdownDisplay(name="HIIT")
        right.addWidget(self.display, 1)
        controls = QHBoxLayout()
        controls.setSpacing(8)
        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("primaryButton")
        self.start_button.setAccessibleName("Start or pause the session")
        self.start_button.setToolTip("Start (Space); Space again pauses and resumes")
        self.start_button.clicked.connect(self.start_or_pause)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setAccessibleName("Stop the session")
        self.stop_button.setToolTip("Stop (Esc)")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        controls.addStretch(1)
        controls.addWidget(self.start_button)
        controls.addWidget(self.stop_button)
        controls.addStretch(1)
        right.addLayout(controls)
        top.addLayout(right, 3)

        # history
        add_history(self, outer, columns=self.HISTORY_COLUMNS, name="HIIT history",
                    placeholder="No HIIT sessions yet. Press Start to run a plan: it is logged when it ends.",
                    edit_label="Edit…", edit_accessible="Edit the selected HIIT session",
                    delete_accessible="Delete the selected HIIT session")

        self._shortcuts = [shortcut(self, Qt.Key.Key_Space, self.start_or_pause),
                           shortcut(self, Qt.Key.Key_Escape, self.stop),
                           shortcut(self, QKeySequence.StandardKey.Delete, self.delete_selected)]
        self.plan_combo.currentIndexChanged.connect(self._plan_chosen)
        self.reload_plans()
        self.refresh()
        self._show_ready()

    # --- plans ---------------------------------------------------------------------------------------

    def current_plan(self) -> IntervalPlan:
        return IntervalPlan(self.warmup.value(), self.work.value(), self.rest.value(), self.rounds.value(),
                            self.cooldown.value())

    def reload_plans(self, select: str | None = None) -> None:
        self._plans = {p.name: p for p in training.list_plans(self.ctx)}
        self._loading_plan = True
        self.plan_combo.clear()
        for p in self._plans.values():
            self.plan_combo.addItem(p.name + ("" if p.builtin else "  (yours)"), p.name)
        self.plan_combo.addItem(CUSTOM_PLAN, None)
        self._loading_plan = False
        index = self.plan_combo.findData(select) if select else 0
        self.plan_combo.setCurrentIndex(max(0, index))
        self._plan_chosen()

    def _plan_chosen(self, *_args) -> None:
        if self._loading_plan:
            return
        name = self.plan_combo.currentData()
        named = self._plans.get(name) if name else None
        if named is not None:
            self._loading_plan = True
            p = named.plan
            self.warmup.setValue(p.warmup_s)
            self.work.setValue(p.work_s)
            self.rest.setValue(p.rest_s)
            self.rounds.setValue(p.rounds)
            self.cooldown.setValue(p.cooldown_s)
            self._loading_plan = False
        self.delete_plan_button.setEnabled(named is not None and not named.builtin)
        self._update_total()

    def _plan_edited(self, *_args) -> None:
        if self._loading_plan:
            return
        name = self.plan_combo.currentData()
        if name and self._plans[name].plan != self.current_plan():
            self._loading_plan = True
            self.plan_combo.setCurrentIndex(self.plan_combo.count() - 1)  # Custom
            self._loading_plan = False
            self.delete_plan_button.setEnabled(False)
        self._update_total()

    def _update_total(self) -> None:
        plan = self.current_plan()
        self.total_label.setText(f"Total time {intervals.format_clock(plan.total_s)}")
        if self.run.state not in (RUNNING, PAUSED):
            self._show_ready()

    def _show_ready(self) -> None:
        plan = self.current_plan()
        self.display.show_idle("Ready", f"{plan.label} · Space to start", plan.total_s)

    def save_plan(self, name: str | None = None) -> None:
        if name is None:
            current = self.plan_combo.currentData()
            suggested = current if current and not self._plans[current].builtin else ""
            name, ok = QInputDialog.getText(self, "Save plan", "Name for this plan:", text=suggested)
            if not ok:
                return
        try:
            saved = training.save_plan(self.ctx, name, self.current_plan())
        except PracticeInputError as exc:
            self.message.emit(f"Plan not saved. {exc}")
            return
        self.reload_plans(select=saved.name)
        self.message.emit(f"Saved the plan “{saved.name}”.")

    def delete_plan(self) -> None:
        name = self.plan_combo.currentData()
        if not name or self._plans[name].builtin:
            return
        gone = training.delete_plan(self.ctx, name)
        self.reload_plans()

        def undo() -> None:
            training.save_plan(self.ctx, gone.name, gone.plan)
            self.reload_plans(select=gone.name)

        self.undoable.emit(f"Deleted the plan “{gone.name}”.", undo)

    # --- running ----------------------------------------------------------------------------------

    def start_or_pause(self) -> None:
        if self.run.state in (RUNNING, PAUSED):
            self.run.toggle()
            return
        try:
            plan = intervals.validate_plan(self.current_plan())
        except PracticeInputError as exc:
            self.message.emit(str(exc))
            return
        self._running_plan = (self.plan_combo.currentData(), plan)
        self._started_at = self.ctx.clock.now()
        self._day = self.ctx.today()
        self.run.start(intervals.hiit_phases(plan))
        self.start_button.setFocus()  # the plan editor is disabled now; keep Space and Esc working here

    def stop(self) -> None:
        if self.run.state not in (RUNNING, PAUSED):
            return
        self.run.stop()
        assert self._running_plan is not None
        plan = self._running_plan[1]
        done = intervals.completed_rounds_at(intervals.hiit_phases(plan), self.run.timer.elapsed())
        if done < 1:
            self.message.emit("Stopped before the first work interval ended, so nothing was logged.")
            self._show_ready()
            return
        self.ask_effort(done)

    def _on_phase(self, p: Phase) -> None:
        self.display.show_phase(p)

    def _on_tick(self, p: Phase) -> None:
        self.display.show_phase(p)

    def _on_state(self, state: str) -> None:
        running = state in (RUNNING, PAUSED)
        self.start_button.setText({RUNNING: "Pause", PAUSED: "Resume"}.get(state, "Start"))
        self.stop_button.setEnabled(running)
        self.plan_box.setEnabled(not running)
        if state == PAUSED:
            self.display.phase_label.setText("Paused")
        if state == STOPPED:
            self._show_ready()

    def _on_finished(self, p: Phase) -> None:
        self.display.show_phase(p)
        assert self._running_plan is not None
        self.ask_effort(self._running_plan[1].rounds)

    def ask_effort(self, rounds_done: int) -> None:
        """Open the effort dialog (window-modal, not blocking); its answer logs the session."""
        assert self._running_plan is not None
        plan = self._running_plan[1]
        self.rpe_dialog = RpeDialog(rounds_done, plan.rounds, self)
        self.rpe_dialog.finished.connect(lambda result, d=self.rpe_dialog, n=rounds_done: self._effort_given(d, n,
                                                                                                            result))
        self.rpe_dialog.open()

    def _effort_given(self, dialog: RpeDialog, rounds_done: int, result: int) -> None:
        self.rpe_dialog = None
        name, plan = self._running_plan or (None, self.current_plan())
        self._show_ready()
        if result != QDialog.DialogCode.Accepted:
            self.message.emit("The session was not logged.")
            return
        entry = HiitEntry(day=self._day or self.ctx.today(), plan=plan, completed_rounds=rounds_done,
                          rpe=dialog.rpe(), notes=dialog.notes.text(), started_at=self._started_at, plan_name=name)
        try:
            result_ = training.log_hiit(self.ctx, entry)
        except (PracticeInputError, HabitError) as exc:
            self.message.emit(f"Not logged. {exc}")
            return
        self.refresh()
        self.logged.emit(result_)
        rounds = f"{rounds_done} of {plan.rounds} rounds" if rounds_done < plan.rounds else f"{plan.rounds} rounds"
        self.undoable.emit(f"Logged HIIT: {rounds}. {changes_text(result_)}".strip(),
                           lambda i=result_.id: self._undo_log(i))

    def _undo_log(self, session_id: int) -> None:
        training.delete_hiit(self.ctx, session_id)
        self.refresh()

    # --- history -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        entries = training.list_hiit(self.ctx)
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            plan = e.plan_name or e.plan.label
            tip = (f"{e.plan.label}; warm-up {intervals.format_clock(e.plan.warmup_s)}, cool-down "
                   f"{intervals.format_clock(e.plan.cooldown_s)}")
            fill_row(self.table, r, [e.day.isoformat(), plan, f"{e.rounds_done}/{e.plan.rounds}",
                                     f"{e.rpe}/10" if e.rpe else "–", e.notes], data=e.id, tips=[None, tip])
        self._selection_changed()

    def _selection_changed(self) -> None:
        has = selected_data(self.table) is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def edit_selected(self) -> None:
        sid = selected_data(self.table)
        if sid is None:
            return
        old = training.get_hiit(self.ctx, sid)
        dialog = HiitEditDialog(old, self.ctx.today(), self)

        def save() -> None:
            logged = training.update_hiit(self.ctx, sid, dialog.value())
            self.refresh()
            self.logged.emit(logged)
            self.undoable.emit("Saved the HIIT session.", lambda: self._undo_edit(old))

        dialog.on_save = save
        dialog.finished.connect(self._edit_closed)
        self.edit_dialog = dialog
        dialog.open()

    def _edit_closed(self, _result: int) -> None:
        self.edit_dialog = None

    def _undo_edit(self, old: HiitEntry) -> None:
        training.update_hiit(self.ctx, old.id, old)  # type: ignore[arg-type]
        self.refresh()

    def delete_selected(self) -> None:
        sid = selected_data(self.table)
        if sid is None:
            return
        gone = training.delete_hiit(self.ctx, sid)
        entry: HiitEntry = gone.entry  # type: ignore[assignment]
        self.refresh()
        announce_delete(self, sid, entry.day, gone.changes, f"Deleted the HIIT session of {entry.day.isoformat()}.",
                        lambda: training.restore_hiit(self.ctx, entry))


# --- resistance ----------------------------------------------------------------------------------------


class ResistancePanel(QWidget):
    logged = Signal(object)
    message = Signal(str)
    undoable = Signal(str, object)

    SET_COLUMNS = ("Exercise", "Set", "Reps × load", "Rest")
    HISTORY_COLUMNS = ("Date", "Exercises", "Sets", "Volume")

    def __init__(self, ctx: AppContext, cues: CuePlayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("resistancePanel")
        self.setAccessibleName("Resistance session log")
        self.unit = training.load_unit(ctx)
        self.session_id: int | None = None
        self.edit_dialog: ResistanceEditDialog | None = None
        self.rest_run = CuedRun(ctx.clock, cues, self, name="Between sets", start_cues={}, countdown_kinds=(intervals.REST,),
                                finish_cue="work")
        self.rest_run.timer.ticked.connect(self._rest_tick)
        self.rest_run.timer.state_changed.connect(self._rest_state)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 12, 0, 0)
        outer.setSpacing(10)

        top = QHBoxLayout()
        top.setSpacing(16)
        outer.addLayout(top)
        entry_box = QGroupBox("Add a set")
        entry_box.setObjectName("setBox")
        grid = QGridLayout(entry_box)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        self.exercise = QComboBox()
        self.exercise.setEditable(True)
        self.exercise.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.exercise.setAccessibleName("Exercise")
        self.exercise.lineEdit().setPlaceholderText("Exercise")
        self.exercise.setMinimumContentsLength(14)
        self.exercise.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        grid.addWidget(QLabel("Exercise"), 0, 0)
        grid.addWidget(self.exercise, 0, 1, 1, 5)
        self.reps = QSpinBox()
        self.reps.setRange(*intervals.REPS_RANGE)
        self.reps.setValue(8)
        self.reps.setAccessibleName("Reps")
        self.reps.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.load = QDoubleSpinBox()
        self.load.setDecimals(1)
        self.load.setSingleStep(2.5)
        self.load.setAccessibleName("Load")
        self.load.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.load.setToolTip("0 for a body-weight set")
        self.load.setMinimumWidth(110)
        grid.addWidget(QLabel("Reps"), 1, 0)
        grid.addWidget(self.reps, 1, 1)
        times = QLabel("×")
        times.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(times, 1, 2)
        grid.addWidget(self.load, 1, 3)
        self.failure = QCheckBox("Taken to failure")
        self.failure.setAccessibleName("Set taken to failure")
        grid.addWidget(self.failure, 2, 1, 1, 3)
        self.add_button = QPushButton("Add set")
        self.add_button.setObjectName("primaryButton")
        self.add_button.setAccessibleName("Add this set")
        self.add_button.setToolTip("Add the set (Enter) and start the rest timer")
        self.add_button.clicked.connect(self.add_set)
        grid.addWidget(self.add_button, 1, 4)
        self.last_label = plain_label("", muted=True, name="lastTime")
        self.last_label.setAccessibleName("Last time")
        grid.addWidget(self.last_label, 3, 0, 1, 6)
        grid.setColumnStretch(5, 1)
        self.error = FormError()
        grid.addWidget(self.error, 4, 0, 1, 6)
        entry_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        top.addWidget(entry_box, 3)

        rest_col = QVBoxLayout()
        rest_col.setSpacing(6)
        self.rest_display = CountdownDisplay(compact=True, name="Rest timer")
        rest_col.addWidget(self.rest_display)
        rest_row = QHBoxLayout()
        rest_row.addWidget(QLabel("Rest"))
        self.rest_length = DurationSpin(*intervals.REST_TIMER_RANGE, 15, intervals.DEFAULT_REST_S)
        self.rest_length.setAccessibleName("Rest between sets")
        self.rest_length.setToolTip("Rest timer length (m:ss); the guide asks for short rests")
        rest_row.addWidget(self.rest_length)
        self.skip_button = QPushButton("Skip rest")
        self.skip_button.setAccessibleName("Skip the rest timer")
        self.skip_button.setToolTip("Skip rest (Esc)")
        self.skip_button.clicked.connect(self.skip_rest)
        self.skip_button.setEnabled(False)
        rest_row.addWidget(self.skip_button)
        rest_row.addStretch(1)
        rest_col.addLayout(rest_row)
        rest_col.addStretch(1)
        top.addLayout(rest_col, 2)

        bottom = QHBoxLayout()
        bottom.setSpacing(16)
        outer.addLayout(bottom, 1)
        session_col = QVBoxLayout()
        session_col.setSpacing(6)
        bottom.addLayout(session_col, 1)
        head = QHBoxLayout()
        head.addWidget(section_title("This session"))
        head.addStretch(1)
        self.delete_set_button = QPushButton("Delete set")
        self.delete_set_button.setAccessibleName("Delete the selected set")
        self.delete_set_button.clicked.connect(self.delete_selected_set)
        self.finish_button = QPushButton("Finish")
        self.finish_button.setAccessibleName("Finish this session; new sets start a new one")
        self.finish_button.setToolTip("Finish this session: the next set starts a new one")
        self.finish_button.clicked.connect(self.finish_session)
        head.addWidget(self.delete_set_button)
        head.addWidget(self.finish_button)
        session_col.addLayout(head)
        self.sets_table = history_table(self.SET_COLUMNS, "Sets this session",
                                        "Add a set above; the rest timer starts after each one.")
        session_col.addWidget(self.sets_table, 1)
        self.volume_label = plain_label("", muted=True, name="sessionVolume", wrap=False)
        self.volume_label.setAccessibleName("Session volume")
        session_col.addWidget(self.volume_label)

        history_col = QVBoxLayout()
        history_col.setSpacing(6)
        bottom.addLayout(history_col, 1)
        add_history(self, history_col, columns=self.HISTORY_COLUMNS, name="Resistance history",
                    placeholder="Your resistance sessions will be listed here.",
                    edit_label="Edit…", edit_accessible="Edit the selected resistance session",
                    delete_accessible="Delete the selected resistance session")
        self.sets_table.itemSelectionChanged.connect(self._selection_changed)

        self._shortcuts = [shortcut(self, Qt.Key.Key_Escape, self.skip_rest),
                           shortcut(self, Qt.Key.Key_Return, self.add_set),
                           shortcut(self, Qt.Key.Key_Enter, self.add_set)]
        self.exercise.currentTextChanged.connect(self._exercise_changed)
        self.reload_exercises()
        self.set_unit(self.unit)
        self.refresh()
        self.rest_display.show_idle("Rest timer", "starts after each set", self.rest_length.value())
        self.rest_length.valueChanged.connect(lambda v: self.rest_run.state != RUNNING and self.rest_display.show_idle(
            "Rest timer", "starts after each set", v))

    # --- inputs --------------------------------------------------------------------------------------

    def set_unit(self, unit: str) -> None:
        self.unit = unit if unit in intervals.LOAD_UNITS else "kg"
        limit = intervals.MAX_LOAD_KG if self.unit == "kg" else round(intervals.convert_load(
            intervals.MAX_LOAD_KG, "kg", "lb"), 1)
        self.load.setRange(0, limit)
        self.load.setSuffix(f" {self.unit}")
        self.load.setSingleStep(2.5 if self.unit == "kg" else 5)
        self._exercise_changed(self.exercise.currentText())
        self.refresh()

    def reload_exercises(self) -> None:
        current = self.exercise.currentText()
        self.exercise.blockSignals(True)
        self.exercise.clear()
        for name, _builtin in training.list_exercises(self.ctx):
            self.exercise.addItem(name, name)
        self.exercise.setCurrentText(current or self.exercise.itemText(0))
        self.exercise.blockSignals(False)
        self._exercise_changed(self.exercise.currentText())

    def _exercise_changed(self, name: str) -> None:
        last = training.last_sets(self.ctx, name, exclude_session=self.session_id) if name.strip() else None
        if last is None:
            self.last_label.setText("Last time: no earlier sets of this exercise." if name.strip() else "")
            return
        self.last_label.setText(f"Last time ({last.day.isoformat()}): {last.label(self.unit)}")
        top = last.sets[-1]
        self.reps.setValue(top.reps)
        self.load.setValue(round(intervals.convert_load(top.load, top.unit, self.unit), 1))

    def add_set(self) -> None:
        self.error.clear()
        name = self.exercise.currentText().strip()
        item = SetEntry(name, self.reps.value(), self.load.value(), self.unit, self.failure.isChecked(),
                        self.rest_length.value())
        try:
            result = training.add_set(self.ctx, self.session_id, item)
        except (PracticeInputError, HabitError) as exc:
            self.error.show_error(str(exc))
            return
        first = self.session_id is None
        self.session_id = result.id
        self.failure.setChecked(False)
        if self.exercise.findData(name) < 0 and self.exercise.findText(name, Qt.MatchFlag.MatchFixedString) < 0:
            self.reload_exercises()
        self.refresh()
        self.logged.emit(result)
        if first or result.changes:
            text = "Started a resistance session. " + changes_text(result)
            self.message.emit(text.strip())
        self.start_rest()

    # --- rest timer ----------------------------------------------------------------------------------

    def start_rest(self) -> None:
        self.rest_run.start(intervals.rest_phases(self.rest_length.value()))

    def skip_rest(self) -> None:
        if self.rest_run.state in (RUNNING, PAUSED):
            self.rest_run.stop()

    def _rest_tick(self, p: Phase) -> None:
        if p.finished:
            self.rest_display.show_idle("Rest over", "next set when ready", 0)
        else:
            self.rest_display.show_phase(p, overall=False)

    def _rest_state(self, state: str) -> None:
        self.skip_button.setEnabled(state in (RUNNING, PAUSED))
        if state == STOPPED:
            self.rest_display.show_idle("Rest skipped", "next set when ready", self.rest_length.value())
        elif state == FINISHED:
            self.rest_display.show_idle("Rest over", "next set when ready", 0)

    # --- session and history -------------------------------------------------------------------------

    def finish_session(self) -> None:
        if self.session_id is None:
            return
        self.skip_rest()
        entry = training.get_resistance(self.ctx, self.session_id)
        self.session_id = None
        self.refresh()
        self.message.emit(f"Session finished: {plural(len(entry.sets), 'set')}, volume "
                          f"{intervals.format_load(entry.volume(self.unit), self.unit)}.")

    def refresh(self) -> None:
        if not hasattr(self, "table"):
            return
        current = None
        if self.session_id is not None:
            try:
                current = training.get_resistance(self.ctx, self.session_id)
            except PracticeInputError:
                self.session_id = None
        sets = current.sets if current else ()
        self.sets_table.setRowCount(len(sets))
        for r, x in enumerate(sets):
            fill_row(self.sets_table, r, [x.exercise, str(x.set_no), x.label(self.unit),
                                          intervals.format_clock(x.rest_s) if x.rest_s else "–"], data=x.id)
        if current:
            self.volume_label.setText(f"{plural(len(sets), 'set')} · volume "
                                      f"{intervals.format_load(current.volume(self.unit), self.unit)}")
        else:
            self.volume_label.setText("No sets yet: add one above.")
        self.finish_button.setEnabled(current is not None)
        entries = training.list_resistance(self.ctx)
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            mark = " (now)" if e.id == self.session_id else ""
            fill_row(self.table, r, [e.day.isoformat() + mark, ", ".join(e.exercises()), str(len(e.sets)),
                                     intervals.format_load(e.volume(self.unit), self.unit)], data=e.id,
                     tips=[None, "; ".join(f"{x.exercise} {x.label(self.unit)}" for x in e.sets)])
        self._selection_changed()

    def _selection_changed(self) -> None:
        has = selected_data(self.table) is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.delete_set_button.setEnabled(selected_data(self.sets_table) is not None)

    def volume(self) -> float:
        if self.session_id is None:
            return 0.0
        return training.get_resistance(self.ctx, self.session_id).volume(self.unit)

    def delete_selected_set(self) -> None:
        set_id = selected_data(self.sets_table)
        if set_id is None:
            return
        gone = training.delete_set(self.ctx, set_id)
        entry: ResistanceEntry = gone.entry  # type: ignore[assignment]
        self.refresh()

        def restore() -> None:
            training.restore_resistance(self.ctx, entry)
            if self.session_id is None:
                self.session_id = entry.id

        announce_delete(self, entry.id or 0, entry.day, gone.changes, "Deleted a set.", restore)

    def delete_selected(self) -> None:
        sid = selected_data(self.table)
        if sid is None:
            return
        gone = training.delete_resistance(self.ctx, sid)
        entry: ResistanceEntry = gone.entry  # type: ignore[assignment]
        if self.session_id == sid:
            self.session_id = None
        self.refresh()
        announce_delete(self, sid, entry.day, gone.changes,
                        f"Deleted the resistance session of {entry.day.isoformat()}.",
                        lambda: training.restore_resistance(self.ctx, entry))

    def edit_selected(self) -> None:
        sid = selected_data(self.table)
        if sid is None:
            return
        old = training.get_resistance(self.ctx, sid)
        dialog = ResistanceEditDialog(old, self.ctx.today(), self)

        def save() -> None:
            logged = training.update_resistance(self.ctx, sid, dialog.value())
            self.refresh()
            self.logged.emit(logged)

            def undo() -> None:
                training.restore_resistance(self.ctx, old)
                self.refresh()

            self.undoable.emit("Saved the resistance session.", undo)

        dialog.on_save = save
        dialog.finished.connect(self._edit_closed)
        self.edit_dialog = dialog
        dialog.open()

    def _edit_closed(self, _result: int) -> None:
        self.edit_dialog = None


# --- the page ------------------------------------------------------------------------------------------


class TrainingPage(PracticePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Training")
        self.setStyleSheet(practice_style())
        self.cues = CuePlayer(self)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 10)
        outer.setSpacing(8)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        title = plain_label("Training", name="pageTitle", wrap=False)
        titles.addWidget(title)
        titles.addWidget(plain_label(
            "HIIT intervals and resistance sessions. Logging one ticks it on your checklist.", name="pageBlurb"))
        head.addLayout(titles, 1)
        self.mute_button = MuteButton(ctx)
        self.mute_button.toggled_muted.connect(self.cues.set_muted)
        self.cues.set_muted(self.mute_button.isChecked())
        head.addWidget(self.mute_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(head)

        self.meal_card = QFrame()
        self.meal_card.setObjectName("mealPrompt")
        meal = QHBoxLayout(self.meal_card)
        meal.setContentsMargins(12, 8, 8, 8)
        self.meal_label = plain_label(
            "Training day: have a meal or snack with protein and carbohydrate after your session "
            "(for example yoghurt with fruit, or rice with chicken or beans).")
        self.meal_label.setAccessibleName("Post-training meal")
        meal.addWidget(self.meal_label, 1)
        self.meal_button = QPushButton("I had it")
        self.meal_button.setAccessibleName("Tick the post-training meal")
        self.meal_button.clicked.connect(self.tick_meal)
        self.meal_dismiss = QPushButton("Later")
        self.meal_dismiss.setAccessibleName("Hide the post-training meal reminder")
        self.meal_dismiss.clicked.connect(self.meal_card.hide)
        meal.addWidget(self.meal_button)
        meal.addWidget(self.meal_dismiss)
        self.meal_card.hide()
        self._meal_day: date | None = None

        self.tabs = QTabWidget()
        self.tabs.setObjectName("trainingTabs")
        self.tabs.setDocumentMode(True)
        self.hiit = HiitPanel(ctx, self.cues)
        self.resistance = ResistancePanel(ctx, self.cues)
        self.tabs.addTab(self.hiit, "HIIT")
        self.tabs.addTab(self.resistance, "Resistance")
        outer.addWidget(self.tabs, 1)
        outer.addWidget(self.meal_card)
        self.undo_bar = UndoBar(self)
        self.undo_bar.undo_requested.connect(self.undo)
        outer.addWidget(self.undo_bar)
        self._shortcuts = [shortcut(self, QKeySequence.StandardKey.Undo, self.undo)]

        self.connect_panels((self.hiit, self.resistance))
        self.hiit.run.status_changed.connect(self._status)
        self.resistance.rest_run.status_changed.connect(self._status)
        h = hub()
        if h is not None:
            h.settings_changed.connect(self._settings_changed)

    def _settings_changed(self) -> None:
        unit = training.load_unit(self.ctx)
        if unit != self.resistance.unit:
            self.resistance.set_unit(unit)

    def _logged(self, result: Logged) -> None:
        super()._logged(result)
        if result.meal_prompt:
            self._meal_day = result.day
            self.meal_card.show()


    def tick_meal(self) -> None:
        day = self._meal_day or self.ctx.today()
        try:
            snap = checklist.record(self.ctx, MEAL_KEY, day, done=True, source="manual")
        except HabitError as exc:
            self.undo_bar.show_message(f"Not saved. {exc}")
            return
        self.meal_card.hide()
        h = hub()
        if h is not None:
            h.checkoffs_changed.emit()
        self._offer_undo("Ticked “Protein and carbs after training”.", lambda: checklist.restore(self.ctx, snap))
