"""The Sleep & Stress page: last night's sleep log, and a guided breathing pacer.

Sleep: the night ending on a date (today by default), bedtime and wake-up (a bedtime after the wake time is
the evening before), quality 1–5 and the hygiene checks. Duration and the bedtime's deviation from the
profile's target update as you type; a night over 20 hours asks for confirmation. Saving ticks the sleep
items of the wake-up day; a date that already has a night is loaded and saving updates it.

Breathing: a pattern (slow 5.5/min, box 4-4-4-4, 4-7-8) and a length; Start (Space), Pause/Resume (Space),
Stop (Esc). An animated circle grows while breathing in, holds, and shrinks while breathing out, with a soft
cue at each turn. Finishing, or stopping after at least a minute, logs the minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, QTime, Signal
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
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core import intervals
from igfcoach.core.intervals import NeedsConfirmation, Phase, PracticeInputError
from igfcoach.services import breathing, sleep
from igfcoach.services.breathing import BreathingEntry
from igfcoach.services.context import AppContext
from igfcoach.services.habits import HabitError
from igfcoach.services.sleep import SleepInput, SleepRecord
from igfcoach.ui.practice import (
    FormError,
    MuteButton,
    PacerWidget,
    PracticePage,
    add_history,
    announce_delete,
    changes_text,
    fill_row,
    hub,
    plain_label,
    practice_style,
    pydate,
    pytime,
    qdate,
    selected_data,
    shortcut,
)
from igfcoach.ui.sounds import CuePlayer
from igfcoach.ui.timers import FINISHED, PAUSED, RUNNING, STOPPED, CuedRun
from igfcoach.ui.undo_bar import UndoBar

QUALITY_WORDS = {1: "very poor", 2: "poor", 3: "fair", 4: "good", 5: "very good"}


# --- sleep ---------------------------------------------------------------------------------------------


class SleepPanel(QWidget):
    logged = Signal(object)
    message = Signal(str)
    undoable = Signal(str, object)

    HISTORY_COLUMNS = ("Night ending", "Bedtime", "Woke", "Slept", "vs target", "Quality", "Cool & dark",
                       "Screens off")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("sleepPanel")
        self.setAccessibleName("Sleep log")
        self.editing: SleepRecord | None = None
        self.confirm_box: QMessageBox | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 12, 0, 0)
        outer.setSpacing(10)
        box = QGroupBox("Last night")
        box.setObjectName("sleepBox")
        outer.addWidget(box)
        columns = QHBoxLayout(box)
        columns.setSpacing(24)
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        columns.addLayout(form, 1)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd yyyy-MM-dd")
        self.date.setAccessibleName("Night ending on (the day you woke up)")
        self.date.setToolTip("The day you woke up")
        self.date.setMaximumWidth(180)
        form.addRow("Night ending", self.date)
        times = QHBoxLayout()
        times.setSpacing(8)
        self.bedtime = QTimeEdit()
        self.bedtime.setDisplayFormat("HH:mm")
        self.bedtime.setAccessibleName("Bedtime")
        self.wake = QTimeEdit()
        self.wake.setDisplayFormat("HH:mm")
        self.wake.setAccessibleName("Wake-up time")
        times.addWidget(self.bedtime)
        times.addWidget(plain_label("to", wrap=False))
        times.addWidget(self.wake)
        times.addStretch(1)
        form.addRow("Bed → woke", times)
        quality = QHBoxLayout()
        quality.setSpacing(4)
        self.quality_group = QButtonGroup(self)
        self.quality_group.setExclusive(False)  # a second click clears the rating
        self.quality_buttons: dict[int, QToolButton] = {}
        for n in range(1, 6):
            b = QToolButton()
            b.setText(str(n))
            b.setCheckable(True)
            b.setObjectName("choiceButton")
            b.setMinimumSize(34, 28)
            b.setAccessibleName(f"Quality {n} of 5, {QUALITY_WORDS[n]}")
            b.setToolTip(QUALITY_WORDS[n].capitalize())
            self.quality_group.addButton(b, n)
            self.quality_buttons[n] = b
            quality.addWidget(b)
        self.quality_word = plain_label("not rated", muted=True, wrap=False)
        quality.addSpacing(6)
        quality.addWidget(self.quality_word)
        quality.addStretch(1)
        self.quality_group.idClicked.connect(self._quality_clicked)
        form.addRow("Quality", quality)

        right = QVBoxLayout()
        right.setSpacing(6)
        columns.addLayout(right, 1)
        self.cool_dark = QCheckBox("Bedroom was cool and dark")
        self.cool_dark.setAccessibleName("Bedroom was cool and dark")
        self.screens_off = QCheckBox("Screens off before bed")
        self.screens_off.setAccessibleName("Screens off before bed")
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("Notes (optional)")
        self.notes.setAccessibleName("Notes")
        right.addWidget(self.cool_dark)
        right.addWidget(self.screens_off)
        right.addWidget(self.notes)
        right.addStretch(1)

        actions = QHBoxLayout()
        self.summary = plain_label("", name="sleepSummary")
        self.summary.setAccessibleName("Duration and bedtime")
        actions.addWidget(self.summary, 1)
        self.error = FormError()
        outer.addWidget(self.error)
        self.save_button = QPushButton("Save night")
        self.save_button.setObjectName("primaryButton")
        self.save_button.setAccessibleName("Save last night's sleep")
        self.save_button.clicked.connect(lambda: self.save())
        self.new_button = QPushButton("Clear")
        self.new_button.setAccessibleName("Clear the form")
        self.new_button.clicked.connect(lambda: self.load_day(self.ctx.today()))
        actions.addWidget(self.new_button)
        actions.addWidget(self.save_button)
        outer.addLayout(actions)

        add_history(self, outer, columns=self.HISTORY_COLUMNS, name="Sleep history",
                    placeholder="No nights logged yet. Fill in last night above and save it.",
                    edit_label="Edit", edit_accessible="Load the selected night into the form",
                    delete_accessible="Delete the selected night")

        for w in (self.bedtime, self.wake):
            w.timeChanged.connect(self.update_summary)
        self.date.dateChanged.connect(self._date_changed)
        self._shortcuts = [shortcut(self, QKeySequence.StandardKey.Delete, self.delete_selected)]
        self.load_day(ctx.today())
        self.refresh()

    # --- the form ------------------------------------------------------------------------------------

    def _quality_clicked(self, n: int) -> None:
        for k, b in self.quality_buttons.items():
            if k != n:
                b.setChecked(False)
        self._show_quality()

    def quality(self) -> int | None:
        for n, b in self.quality_buttons.items():
            if b.isChecked():
                return n
        return None

    def set_quality(self, n: int | None) -> None:
        for k, b in self.quality_buttons.items():
            b.setChecked(k == n)
        self._show_quality()

    def _show_quality(self) -> None:
        q = self.quality()
        self.quality_word.setText(QUALITY_WORDS[q] if q else "not rated")

    def form_input(self) -> SleepInput:
        return SleepInput(day=pydate(self.date.date()), bedtime=pytime(self.bedtime.time()),
                          wake_time=pytime(self.wake.time()), quality=self.quality(),
                          cool_dark=self.cool_dark.isChecked(), screens_off=self.screens_off.isChecked(),
                          notes=self.notes.text())

    def load_day(self, day: date) -> None:
        """Show the night ending on ``day``: its entry when there is one, else the profile's times."""
        from igfcoach.services import profile

        today = self.ctx.today()
        self.date.blockSignals(True)
        self.date.setMaximumDate(qdate(today))
        self.date.setDate(qdate(day))
        self.date.blockSignals(False)
        record = sleep.get_sleep(self.ctx, day)
        self.editing = record
        if record is not None:
            inp = record.to_input()
        else:
            prof = profile.load(self.ctx)
            inp = SleepInput(day, prof.bedtime, prof.wake_time)
        for w, t in ((self.bedtime, inp.bedtime), (self.wake, inp.wake_time)):
            w.blockSignals(True)
            w.setTime(QTime(t.hour, t.minute))
            w.blockSignals(False)
        self.set_quality(inp.quality)
        self.cool_dark.setChecked(inp.cool_dark)
        self.screens_off.setChecked(inp.screens_off)
        self.notes.setText(inp.notes)
        self.save_button.setText("Update night" if record is not None else "Save night")
        self.error.clear()
        self.update_summary()

    def _date_changed(self, q: QDate) -> None:
        self.load_day(pydate(q))

    def update_summary(self, *_args) -> None:
        try:
            s = sleep.summarize(self.ctx, self.form_input())
        except PracticeInputError as exc:
            self.summary.setText(str(exc)[:1].upper() + str(exc)[1:])
            return
        text = s.text()
        if s.needs_confirmation:
            text += " — unusually long: check the times."
        elif s.hours < 7:
            text += " — under the 7–9 h band."
        elif s.hours > 9:
            text += " — above the 7–9 h band."
        self.summary.setText(text)

    def save(self, *, confirm: bool = False) -> bool:
        """Save (or update) the night; a >20 h night opens a confirmation first. True when saved."""
        self.error.clear()
        inp = self.form_input()
        try:
            if self.editing is not None and self.editing.day == inp.day:
                result = sleep.update_sleep(self.ctx, self.editing.id, inp, confirm=confirm)
                before: SleepRecord | None = self.editing
            else:
                result = sleep.log_sleep(self.ctx, inp, confirm=confirm)
                before = None
        except NeedsConfirmation as exc:
            self.ask_confirmation(str(exc))
            return False
        except (PracticeInputError, HabitError) as exc:
            self.error.show_error(str(exc))
            return False
        self.load_day(inp.day)
        self.refresh()
        self.logged.emit(result)
        verb = "Updated" if before is not None else "Saved"
        text = f"{verb} the night ending {inp.day.isoformat()}. {changes_text(result)}".strip()

        def undo() -> None:
            if before is None:
                sleep.delete_sleep(self.ctx, result.id)
            else:
                sleep.update_sleep(self.ctx, before.id, before.to_input(), confirm=True)
            self.load_day(inp.day)
            self.refresh()

        self.undoable.emit(text, undo)
        return True

    def ask_confirmation(self, why: str) -> None:
        """Window-modal, not blocking: Save anyway re-saves with confirmation."""
        box = QMessageBox(QMessageBox.Icon.Question, "Unusually long sleep", why[:1].upper() + why[1:], parent=self)
        box.setObjectName("confirmLongSleep")
        yes = box.addButton("Save anyway", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Check the times", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        self.confirm_box = box

        def answered(_result: int) -> None:
            self.confirm_box = None
            if box.clickedButton() is yes:
                self.save(confirm=True)
            else:
                self.bedtime.setFocus()

        box.finished.connect(answered)
        box.open()

    # --- history -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        from igfcoach.services import profile

        target = profile.load(self.ctx).bedtime
        records = sleep.list_sleep(self.ctx)
        self.table.setRowCount(len(records))
        for r, rec in enumerate(records):
            dev = intervals.bedtime_deviation_min(rec.bedtime.time(), target)
            fill_row(self.table, r, [
                rec.day.isoformat(), f"{rec.bedtime:%H:%M}", f"{rec.wake:%H:%M}",
                intervals.format_duration(rec.duration), intervals.format_deviation(dev),
                f"{rec.quality}/5" if rec.quality else "–", "✓" if rec.cool_dark else "–",
                "✓" if rec.screens_off else "–"], data=rec.id,
                tips=[rec.notes or None])
        self._selection_changed()

    def _selection_changed(self) -> None:
        has = selected_data(self.table) is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _selected_record(self) -> SleepRecord | None:
        rid = selected_data(self.table)
        if rid is None:
            return None
        return next((r for r in sleep.list_sleep(self.ctx) if r.id == rid), None)

    def edit_selected(self) -> None:
        rec = self._selected_record()
        if rec is not None:
            self.load_day(rec.day)
            self.bedtime.setFocus()

    def delete_selected(self) -> None:
        rec = self._selected_record()
        if rec is None:
            return
        gone = sleep.delete_sleep(self.ctx, rec.id)
        record: SleepRecord = gone.entry  # type: ignore[assignment]
        self.load_day(pydate(self.date.date()))
        self.refresh()

        def restore() -> None:
            sleep.restore_sleep(self.ctx, record)
            self.load_day(pydate(self.date.date()))

        announce_delete(self, rec.id, record.day, gone.changes,
                        f"Deleted the night ending {record.day.isoformat()}.", restore)


# --- breathing -----------------------------------------------------------------------------------------


class BreathingEditDialog(QDialog):
    def __init__(self, entry: BreathingEntry, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.on_save: Callable[[], None] | None = None
        self.setWindowTitle("Edit breathing practice")
        self.setObjectName("breathingEditDialog")
        form = QFormLayout(self)
        self.date = QDateEdit(qdate(entry.day))
        self.date.setCalendarPopup(True)
        self.date.setMaximumDate(qdate(today))
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setAccessibleName("Date")
        self.pattern = QComboBox()
        for key, p in intervals.BREATH_PATTERNS.items():
            self.pattern.addItem(p.title, key)
        self.pattern.setCurrentIndex(max(0, self.pattern.findData(entry.pattern)))
        self.pattern.setAccessibleName("Pattern")
        self.minutes = QDoubleSpinBox()
        self.minutes.setRange(*intervals.BREATHING_MINUTES_RANGE)
        self.minutes.setDecimals(1)
        self.minutes.setSuffix(" min")
        self.minutes.setValue(entry.minutes)
        self.minutes.setAccessibleName("Minutes")
        form.addRow("Date", self.date)
        form.addRow("Practice", self.pattern)
        form.addRow("Minutes", self.minutes)
        self.error = FormError()
        form.addRow(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def value(self) -> BreathingEntry:
        return BreathingEntry(pydate(self.date.date()), self.minutes.value(), self.pattern.currentData(),
                              self.entry.started_at)

    def accept(self) -> None:
        if self.on_save is not None:
            try:
                self.on_save()
            except (PracticeInputError, HabitError) as exc:
                self.error.show_error(str(exc))
                return
        super().accept()


class BreathingPanel(QWidget):
    logged = Signal(object)
    message = Signal(str)
    undoable = Signal(str, object)

    HISTORY_COLUMNS = ("Date", "Practice", "Minutes")
    TICK_MS = 33  # about 30 frames a second for the pacer

    def __init__(self, ctx: AppContext, cues: CuePlayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("breathingPanel")
        self.setAccessibleName("Breathing practice")
        self.edit_dialog: BreathingEditDialog | None = None
        self.run = CuedRun(ctx.clock, cues, self, name="Breathing",
                           start_cues={intervals.INHALE: "breathe_in", intervals.EXHALE: "breathe_out"},
                           countdown_kinds=(), finish_cue="finish", interval_ms=self.TICK_MS)
        self.run.timer.ticked.connect(self._tick)
        self.run.timer.state_changed.connect(self._state)
        self.run.timer.finished.connect(self._finished)
        self._started_at = None
        self._day: date | None = None
        self._pattern = intervals.DEFAULT_PATTERN

        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 12, 0, 0)
        outer.setSpacing(20)
        left = QVBoxLayout()
        left.setSpacing(10)
        outer.addLayout(left, 5)
        box = QGroupBox("Practice")
        box.setObjectName("breathingBox")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.pattern = QComboBox()
        self.pattern.setAccessibleName("Breathing pattern")
        for key, p in intervals.BREATH_PATTERNS.items():
            self.pattern.addItem(p.title, key)
        self.pattern.currentIndexChanged.connect(self._pattern_changed)
        form.addRow("Pattern", self.pattern)
        self.description = plain_label("", muted=True)
        form.addRow(self.description)
        self.length = QSpinBox()
        self.length.setRange(*intervals.BREATHING_MINUTES_RANGE)
        self.length.setValue(10)
        self.length.setSuffix(" min")
        self.length.setAccessibleName("Length in minutes")
        self.length.setAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("Length", self.length)
        controls = QHBoxLayout()
        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("primaryButton")
        self.start_button.setAccessibleName("Start or pause the breathing practice")
        self.start_button.setToolTip("Start (Space); Space again pauses and resumes")
        self.start_button.clicked.connect(self.start_or_pause)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setAccessibleName("Stop the breathing practice")
        self.stop_button.setToolTip("Stop (Esc): a minute or more is logged")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        controls.addWidget(self.start_button)
        controls.addWidget(self.stop_button)
        controls.addStretch(1)
        form.addRow(controls)
        self.remaining = plain_label("", muted=True, name="breathingRemaining")
        self.remaining.setAccessibleName("Time left")
        form.addRow(self.remaining)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        left.addWidget(box)

        add_history(self, left, columns=self.HISTORY_COLUMNS, name="Breathing history",
                    placeholder="No practice logged yet. Press Start and follow the circle.",
                    edit_label="Edit…", edit_accessible="Edit the selected breathing practice",
                    delete_accessible="Delete the selected breathing practice")

        self.pacer = PacerWidget()
        outer.addWidget(self.pacer, 6)

        self._shortcuts = [shortcut(self, Qt.Key.Key_Space, self.start_or_pause),
                           shortcut(self, Qt.Key.Key_Escape, self.stop)]
        self._pattern_changed()
        self.refresh()

    def _pattern_changed(self, *_args) -> None:
        p = intervals.BREATH_PATTERNS[self.pattern.currentData()]
        self.description.setText(p.description)
        if self.run.state not in (RUNNING, PAUSED):
            self.pacer.set_state(0.0, "Ready", "Space to start", active=False)

    def start_or_pause(self) -> None:
        if self.run.state in (RUNNING, PAUSED):
            self.run.toggle()
            return
        self._pattern = self.pattern.currentData()
        self._started_at = self.ctx.clock.now()
        self._day = self.ctx.today()
        self.run.start(intervals.breathing_phases(self._pattern, self.length.value()))
        self.start_button.setFocus()  # the pattern and length boxes are disabled now

    def stop(self) -> None:
        if self.run.state not in (RUNNING, PAUSED):
            return
        self.run.stop()
        minutes = intervals.logged_breathing_minutes(self.run.timer.elapsed())
        if minutes is None:
            self.message.emit("Stopped within the first minute, so nothing was logged.")
            self.pacer.set_state(0.0, "Stopped", "", active=False)
            return
        self._log(minutes)

    def _finished(self, p: Phase) -> None:
        minutes = intervals.logged_breathing_minutes(p.total_s) or p.total_s / 60
        self._log(minutes)

    def _log(self, minutes: float) -> None:
        entry = BreathingEntry(self._day or self.ctx.today(), minutes, self._pattern, self._started_at)
        try:
            result = breathing.log_breathing(self.ctx, entry)
        except (PracticeInputError, HabitError) as exc:
            self.message.emit(f"Not logged. {exc}")
            return
        self.pacer.set_state(0.0, "Well done", f"{minutes:g} min logged", active=False)
        self.refresh()
        self.logged.emit(result)
        self.undoable.emit(f"Logged {minutes:g} min of breathing practice. {changes_text(result)}".strip(),
                           lambda: self._undo_log(result.id))

    def _undo_log(self, session_id: int) -> None:
        breathing.delete_breathing(self.ctx, session_id)
        self.refresh()

    def _tick(self, p: Phase) -> None:
        if p.finished:
            return
        self.pacer.set_state(intervals.breath_level(p), p.title, f"{intervals.format_clock(p.remaining_s)}")
        self.remaining.setText(f"{intervals.format_clock(p.total_remaining_s)} left · breath {p.round} of "
                               f"{p.rounds}")

    def _state(self, state: str) -> None:
        running = state in (RUNNING, PAUSED)
        self.start_button.setText({RUNNING: "Pause", PAUSED: "Resume"}.get(state, "Start"))
        self.stop_button.setEnabled(running)
        self.pattern.setEnabled(not running)
        self.length.setEnabled(not running)
        if state == PAUSED:
            p = self.run.phase()
            self.pacer.set_state(intervals.breath_level(p) if p else 0.0, "Paused", "Space to resume", active=False)
        if state in (FINISHED, STOPPED):
            self.remaining.setText("")

    # --- history -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        entries = breathing.list_breathing(self.ctx)
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            fill_row(self.table, r, [e.day.isoformat(), e.pattern_short, f"{e.minutes:g}"], data=e.id,
                     tips=[None, e.pattern_title])
        self._selection_changed()

    def _selection_changed(self) -> None:
        has = selected_data(self.table) is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _selected(self) -> BreathingEntry | None:
        sid = selected_data(self.table)
        return next((e for e in breathing.list_breathing(self.ctx) if e.id == sid), None) if sid else None

    def edit_selected(self) -> None:
        old = self._selected()
        if old is None:
            return
        dialog = BreathingEditDialog(old, self.ctx.today(), self)

        def save() -> None:
            result = breathing.update_breathing(self.ctx, old.id, dialog.value())  # type: ignore[arg-type]
            self.refresh()
            self.logged.emit(result)

            def undo() -> None:
                breathing.update_breathing(self.ctx, old.id, old)  # type: ignore[arg-type]
                self.refresh()

            self.undoable.emit("Saved the breathing practice.", undo)

        dialog.on_save = save
        dialog.finished.connect(lambda _r: setattr(self, "edit_dialog", None))
        self.edit_dialog = dialog
        dialog.open()

    def delete_selected(self) -> None:
        old = self._selected()
        if old is None:
            return
        gone = breathing.delete_breathing(self.ctx, old.id)  # type: ignore[arg-type]
        self.refresh()
        announce_delete(self, old.id or 0, old.day, gone.changes,
                        f"Deleted {old.minutes:g} min of breathing practice on {old.day.isoformat()}.",
                        lambda: breathing.restore_breathing(self.ctx, old))


# --- the page ------------------------------------------------------------------------------------------


class SleepStressPage(PracticePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Sleep and stress")
        self.setStyleSheet(practice_style())
        self.cues = CuePlayer(self)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 10)
        outer.setSpacing(8)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(plain_label("Sleep & Stress", name="pageTitle", wrap=False))
        titles.addWidget(plain_label(
            "Log last night's sleep and practise slow breathing. Both tick your checklist.", name="pageBlurb"))
        head.addLayout(titles, 1)
        self.mute_button = MuteButton(ctx)
        self.mute_button.toggled_muted.connect(self.cues.set_muted)
        self.cues.set_muted(self.mute_button.isChecked())
        head.addWidget(self.mute_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(head)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("sleepTabs")
        self.tabs.setDocumentMode(True)
        self.sleep = SleepPanel(ctx)
        self.breathing = BreathingPanel(ctx, self.cues)
        self.tabs.addTab(self.sleep, "Sleep")
        self.tabs.addTab(self.breathing, "Breathing")
        outer.addWidget(self.tabs, 1)
        self.undo_bar = UndoBar(self)
        self.undo_bar.undo_requested.connect(self.undo)
        outer.addWidget(self.undo_bar)
        self._shortcuts = [shortcut(self, QKeySequence.StandardKey.Undo, self.undo)]
        self.connect_panels((self.sleep, self.breathing))
        self.breathing.run.status_changed.connect(self._status)
        h = hub()
        if h is not None:
            h.settings_changed.connect(self._settings_changed)
            h.day_changed.connect(self._settings_changed)

    def _settings_changed(self) -> None:
        if self.sleep.editing is None:
            self.sleep.load_day(self.ctx.today() if self.sleep.date.date() == self.sleep.date.maximumDate()
                                else pydate(self.sleep.date.date()))
        self.sleep.update_summary()
        self.sleep.refresh()

