"""The "Reminders" settings: which reminders, when, quiet hours, how they are delivered, start at login.

Every change is saved at once (one transaction each) and announced with ``settings_changed`` so the running
reminder engine re-plans from the database.
"""

from __future__ import annotations

import logging
from datetime import datetime, time

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from igfcoach.core.reminder_rules import next_fire
from igfcoach.reminders.delivery import Deliverer, Delivery, Notice
from igfcoach.services import autostart
from igfcoach.services import reminders as svc
from igfcoach.services.context import AppContext
from igfcoach.ui.plain import tooltip

log = logging.getLogger(__name__)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Checked days must stand out clearly from unchecked ones in both themes (not only a shade of grey).
DAY_BUTTON_STYLE = """
QToolButton {
    border: 1px solid palette(mid);
    border-radius: 4px;
    padding: 3px 4px;
    background: palette(base);
    color: palette(text);
}
QToolButton:checked {
    background: palette(highlight);
    border-color: palette(highlight);
    color: palette(highlighted-text);
    font-weight: 600;
}
QToolButton:disabled { color: palette(mid); }
QToolButton:focus { border: 2px solid palette(highlight); }
"""
TEST_TITLE = "IGF Coach test notification"
TEST_BODY = "Reminders will reach you like this."


def _label(text: str = "", *, muted: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if muted:
        label.setProperty("class", "muted")
    return label


def _qtime(at: time) -> QTime:
    return QTime(at.hour, at.minute)


def _time_edit(at: time, name: str) -> QTimeEdit:
    edit = QTimeEdit(_qtime(at))
    edit.setDisplayFormat("HH:mm")
    edit.setAccessibleName(name)
    edit.setKeyboardTracking(False)
    return edit


def format_next(when: datetime | None, now: datetime) -> str:
    if when is None:
        return ""
    local = when.astimezone(now.tzinfo)
    days = (local.date() - now.date()).days
    if days == 0:
        return f"Next: today {local:%H:%M}"
    if days == 1:
        return f"Next: tomorrow {local:%H:%M}"
    if days < 7:
        return f"Next: {local:%a %H:%M}"
    return f"Next: {local:%d %b %Y, %H:%M}"


class WeekdayPicker(QWidget):
    """Seven toggle buttons, Monday first. At least one day stays on."""

    def __init__(self, days: frozenset[int], subject: str, on_change, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weekdayPicker")
        self.setAccessibleName(f"{subject} days")
        self.setStyleSheet(DAY_BUTTON_STYLE)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(3)
        self.buttons: list[QToolButton] = []
        every = not days
        for i, name in enumerate(DAY_NAMES):
            b = QToolButton()
            b.setText(name[:2])
            b.setCheckable(True)
            b.setChecked(every or i in days)
            b.setToolTip(name)
            b.setAccessibleName(f"{subject} on {name}")
            b.setMinimumWidth(32)
            b.toggled.connect(lambda checked, i=i: self._toggled(i, checked))
            row.addWidget(b)
            self.buttons.append(b)
        row.addStretch(1)
        self._on_change = on_change

    def set_days(self, days: frozenset[int]) -> None:
        for i, b in enumerate(self.buttons):
            b.blockSignals(True)
            b.setChecked(not days or i in days)
            b.blockSignals(False)

    def days(self) -> frozenset[int]:
        return frozenset(i for i, b in enumerate(self.buttons) if b.isChecked())

    def _toggled(self, index: int, checked: bool) -> None:
        if not checked and not self.days():
            self.buttons[index].blockSignals(True)
            self.buttons[index].setChecked(True)
            self.buttons[index].blockSignals(False)
            self._on_change(None)
            return
        self._on_change(self.days())


class ReminderSettings(QWidget):
    """The Reminders tab."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        svc.ensure_default_rules(ctx)
        self._own_deliverer: Deliverer | None = None
        self.rows: dict[int, dict[str, QWidget]] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setObjectName("remindersScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        body.setObjectName("remindersContent")
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 16, 16, 16)
        layout.setSpacing(16)

        intro = _label(
            "Reminders come at these times on the days you choose. A reminder is not sent when its habit is "
            "already ticked that day, and a notification's Done button ticks it for you.",
            muted=True,
        )
        layout.addWidget(intro)
        self.status = _label()
        self.status.setObjectName("remindersStatus")
        self.status.setAccessibleName("Reminder settings status")
        self.status.hide()
        layout.addWidget(self.status)

        self._rules_box = self._build_rules()
        layout.addWidget(self._rules_box)
        self._layout = layout
        layout.addWidget(self._build_quiet())
        layout.addWidget(self._build_delivery())
        layout.addWidget(self._build_login())
        layout.addStretch(1)
        self.refresh_next()

    # -- rules -------------------------------------------------------------------------------------------------

    def _build_rules(self) -> QGroupBox:
        box = QGroupBox("Your reminders")
        box.setAccessibleName("Your reminders")
        grid = QGridLayout(box)
        grid.setContentsMargins(14, 14, 14, 14)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(10)
        for col, text in enumerate(("Reminder", "Time", "Days", "")):
            head = _label(text, muted=True, wrap=False)
            grid.addWidget(head, 0, col)
        r = 1
        for rec in svc.list_rules(self.ctx):
            subject = rec.title if rec.kind == "supplements" else rec.kind_label
            check = QCheckBox(subject)
            check.setChecked(rec.enabled)
            check.setAccessibleName(f"{subject} reminder")
            check.setToolTip(tooltip(f"{rec.title}\n{rec.body}".strip()))  # user text: shown as typed
            check.toggled.connect(lambda on, rid=rec.id: self._save(rid, enabled=on))
            edit = _time_edit(rec.time, f"{subject} time")
            edit.editingFinished.connect(lambda rid=rec.id, e=edit: self._time_changed(rid, e))
            if rec.kind == "lab_retest":
                days: QWidget = QSpinBox()
                days.setRange(1, svc.MAX_LAB_WEEKS)
                days.setValue(rec.weeks_after)
                days.setSuffix(" weeks after the last result")
                days.setAccessibleName("Weeks after the last IGF-1 result")
                days.setKeyboardTracking(False)
                days.valueChanged.connect(lambda v, rid=rec.id: self._save(rid, weeks_after=int(v)))
            else:
                days = WeekdayPicker(rec.weekdays, subject, lambda d, rid=rec.id: self._days_changed(rid, d))
            note = _label(muted=True)
            note.setMinimumWidth(150)
            note.setAccessibleName(f"{subject} next reminder")
            if not rec.available:
                for w in (check, edit, days):
                    w.setEnabled(False)
            grid.addWidget(check, r, 0)
            grid.addWidget(edit, r, 1)
            grid.addWidget(days, r, 2)
            grid.addWidget(note, r, 3)
            self.rows[rec.id] = {"check": check, "time": edit, "days": days, "note": note}
            r += 1
        bedtime = svc.derived_bedtime(self.ctx)
        hint = _label(
            f"Bedtime {bedtime:%H:%M} comes from your wake time and sleep goal (Profile); wind-down is "
            f"{svc.WIND_DOWN_MINUTES} minutes earlier. Both follow the profile unless you set your own time here.",
            muted=True,
        )
        grid.addWidget(hint, r, 0, 1, 4)
        grid.setColumnStretch(3, 1)
        return box

    def _save(self, rule_id: int, **changes) -> bool:
        try:
            svc.update_rule(self.ctx, rule_id, **changes)
        except svc.ReminderError as exc:
            self._show_status(str(exc), error=True)
            return False
        self._show_status("")
        self._announce()
        return True

    def _time_changed(self, rule_id: int, edit: QTimeEdit) -> None:
        t = edit.time()
        current = svc.get_rule(self.ctx, rule_id).time
        wanted = time(t.hour(), t.minute())
        if wanted != current:
            self._save(rule_id, time=wanted)

    def _days_changed(self, rule_id: int, days: frozenset[int] | None) -> None:
        if days is None:
            self._show_status("A reminder needs at least one day; switch it off instead.", error=True)
            return
        self._save(rule_id, weekdays=days)

    def reload(self) -> None:
        """Show what the database holds now (the profile or the checklist may have changed elsewhere)."""
        svc.ensure_default_rules(self.ctx)
        records = svc.list_rules(self.ctx)
        same_rules = [r.id for r in records] == list(self.rows) and all(
            self.rows[r.id]["check"].isEnabled() == r.available for r in records
        )
        if not same_rules:
            self.rows = {}
            fresh = self._build_rules()
            self._layout.replaceWidget(self._rules_box, fresh)
            self._rules_box.hide()
            self._rules_box.setParent(None)  # out of the tab at once (deleted when Python lets go of it)
            self._rules_box = fresh
        else:
            for rec in records:
                row = self.rows[rec.id]
                for widget in row.values():
                    widget.blockSignals(True)
                row["check"].setChecked(rec.enabled)  # type: ignore[attr-defined]
                row["time"].setTime(_qtime(rec.time))  # type: ignore[attr-defined]
                days = row["days"]
                if isinstance(days, QSpinBox):
                    days.setValue(rec.weeks_after)
                elif isinstance(days, WeekdayPicker):
                    days.set_days(rec.weekdays)
                for widget in row.values():
                    widget.blockSignals(False)
        self.refresh_next()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self.rows:
            self.reload()

    def refresh_next(self) -> None:
        now = self.ctx.clock.now()
        last = svc.last_result_date(self.ctx)
        for rec in svc.list_rules(self.ctx):
            row = self.rows.get(rec.id)
            if row is None:
                continue
            note: QLabel = row["note"]  # type: ignore[assignment]
            if not rec.available:
                note.setText(rec.unavailable_reason)
            elif not rec.enabled:
                note.setText("Off")
            elif rec.kind == "lab_retest" and last is None:
                note.setText("Starts after your first IGF-1 result")
            else:
                note.setText(format_next(next_fire(rec.rule, now, now.tzinfo, last_result=last), now))

    # -- quiet hours -------------------------------------------------------------------------------------------

    def _build_quiet(self) -> QGroupBox:
        box = QGroupBox("Quiet hours")
        box.setAccessibleName("Quiet hours")
        col = QVBoxLayout(box)
        col.setContentsMargins(14, 14, 14, 14)
        row = QHBoxLayout()
        current = svc.quiet_hours(self.ctx)
        self.quiet_on = QCheckBox("No reminders between")
        self.quiet_on.setAccessibleName("Quiet hours on")
        self.quiet_on.setChecked(current is not None)
        self.quiet_start = _time_edit(current.start if current else time(22, 0), "Quiet hours start")
        self.quiet_end = _time_edit(current.end if current else time(7, 0), "Quiet hours end")
        and_label = _label("and", wrap=False)
        and_label.setBuddy(self.quiet_end)
        row.addWidget(self.quiet_on)
        row.addWidget(self.quiet_start)
        row.addWidget(and_label)
        row.addWidget(self.quiet_end)
        row.addStretch(1)
        col.addLayout(row)
        col.addWidget(_label(
            "A reminder that falls in quiet hours comes when they end, if it is still useful then. Pause "
            "reminders for an hour or until tomorrow from the tray icon's menu.",
            muted=True,
        ))
        self.quiet_on.toggled.connect(self._quiet_changed)
        self.quiet_start.editingFinished.connect(self._quiet_changed)
        self.quiet_end.editingFinished.connect(self._quiet_changed)
        self._sync_quiet_enabled()
        return box

    def _sync_quiet_enabled(self) -> None:
        on = self.quiet_on.isChecked()
        self.quiet_start.setEnabled(on)
        self.quiet_end.setEnabled(on)

    def _quiet_changed(self, *_args) -> None:
        self._sync_quiet_enabled()
        try:
            if self.quiet_on.isChecked():
                s, e = self.quiet_start.time(), self.quiet_end.time()
                svc.set_quiet_hours(self.ctx, time(s.hour(), s.minute()), time(e.hour(), e.minute()))
            else:
                svc.set_quiet_hours(self.ctx, None, None)
        except svc.ReminderError as exc:
            self._show_status(str(exc), error=True)
            return
        self._show_status("")
        self._announce()

    # -- delivery ----------------------------------------------------------------------------------------------

    def _build_delivery(self) -> QGroupBox:
        box = QGroupBox("How reminders reach you")
        box.setAccessibleName("How reminders reach you")
        col = QVBoxLayout(box)
        col.setContentsMargins(14, 14, 14, 14)
        col.setSpacing(8)
        self.path_label = _label()
        self.path_label.setAccessibleName("Delivery path")
        col.addWidget(self.path_label)
        row = QHBoxLayout()
        self.test_button = QPushButton("Send a test notification")
        self.test_button.setAccessibleName("Send a test notification")
        self.test_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.test_button.clicked.connect(self.send_test)
        row.addWidget(self.test_button)
        row.addStretch(1)
        col.addLayout(row)
        self.test_result = _label()
        self.test_result.setObjectName("testResult")
        self.test_result.setAccessibleName("Test notification result")
        col.addWidget(self.test_result)
        col.addWidget(_label(
            "Tried in this order: the desktop's notification service (with Done and Snooze buttons), a "
            "message from the tray icon, a banner at the top of this window.",
            muted=True,
        ))
        self.update_path()
        return box

    def deliverer(self) -> Deliverer:
        """The running engine's back-ends, or (without one, e.g. in tests) a chain of our own."""
        from igfcoach.ui.reminders import build_deliverer, running_engine

        engine = running_engine()
        if engine is not None:
            return engine.deliverer
        window = self.window()
        banner = getattr(window, "banner", None)
        if self._own_deliverer is None or (banner is not None and self._own_deliverer.backend("banner") is None):
            self._own_deliverer = build_deliverer(self, tray=None, banner=banner, window=window if banner else None)
        return self._own_deliverer

    def update_path(self) -> Delivery:
        found = self.deliverer().describe()
        if found.ok:
            extra = f" ({found.detail})" if found.detail else ""
            self.path_label.setText(f"On this desktop: {found.text[0].lower()}{found.text[1:]}{extra}.")
        else:
            self.path_label.setText(found.text)
        return found

    def send_test(self) -> Delivery:
        result = self.deliverer().send(Notice(TEST_TITLE, TEST_BODY, (), group="test"))
        if result.ok:
            extra = f" ({result.detail})" if result.detail else ""
            self.test_result.setText(f"{result.text}{extra}.")
        else:
            self.test_result.setText(result.text)
        self.update_path()
        return result

    # -- start at login ----------------------------------------------------------------------------------------

    def _build_login(self) -> QGroupBox:
        box = QGroupBox("Start at login")
        box.setAccessibleName("Start at login")
        col = QVBoxLayout(box)
        col.setContentsMargins(14, 14, 14, 14)
        self.autostart = QCheckBox("Start IGF Coach in the tray when I log in")
        self.autostart.setAccessibleName("Start at login")
        self.autostart.setChecked(autostart.is_enabled())
        self.autostart.toggled.connect(self._autostart_changed)
        col.addWidget(self.autostart)
        col.addWidget(_label(
            "Reminders only arrive while IGF Coach is running. This adds it to your desktop's startup "
            "programs, with this entry:",
            muted=True,
        ))
        path = _label(str(autostart.entry_path()), muted=True)
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        path.setAccessibleName("Autostart entry file")
        col.addWidget(path)
        return box

    def _autostart_changed(self, on: bool) -> None:
        try:
            if on:
                autostart.enable(self.ctx.paths.data_dir)
            else:
                autostart.disable()
        except OSError as exc:
            self._show_status(f"Start at login: could not change {autostart.entry_path()}: {exc.strerror}",
                              error=True)
            self.autostart.blockSignals(True)
            self.autostart.setChecked(autostart.is_enabled())
            self.autostart.blockSignals(False)
            return
        self._show_status("")

    # -- helpers -----------------------------------------------------------------------------------------------

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("tone", "danger" if error else "")
        self.status.setVisible(bool(text))

    def _announce(self) -> None:
        app = QApplication.instance()
        signal = getattr(app, "settings_changed", None)
        if signal is not None:
            signal.emit()
        self.refresh_next()
