"""The Reminders settings tab: rules with enable boxes, times, days and lab weeks saved at once; quiet hours;
the test notification with its result line; start at login."""

from __future__ import annotations

from datetime import time

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QCheckBox, QPushButton, QSpinBox, QTimeEdit, QToolButton, QWidget

from igfcoach.reminders.delivery import Backend, Deliverer, Notice
from igfcoach.services import autostart, habits
from igfcoach.services import reminders as svc
from igfcoach.ui.settings.reminders import ReminderSettings


@pytest.fixture(autouse=True)
def no_desktop(monkeypatch, tmp_path):
    """No session bus and a private config dir: nothing here reaches the developer's desktop."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def tab(ctx, qtbot):
    habits.seed_from_catalog(ctx, weight_kg=80)
    widget = ReminderSettings(ctx)
    qtbot.addWidget(widget)
    widget.resize(820, 900)
    widget.show()
    return widget


def named(widget: QWidget, cls, name: str):
    found = [w for w in widget.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, (name, [w.accessibleName() for w in widget.findChildren(cls)])
    return found[0]


def rule(ctx, kind):
    return next(r for r in svc.list_rules(ctx) if r.kind == kind)


def test_every_rule_is_listed_with_accessible_controls(tab, ctx):
    for label in ("Wind down", "Bedtime", "HIIT session", "Resistance training", "Breathing practice",
                  "Protein check", "IGF-1 re-test"):
        box = named(tab, QCheckBox, f"{label} reminder")
        assert box.isChecked() == rule(ctx, next(k for k, v in svc.KIND_LABELS.items() if v == label)).enabled
        assert named(tab, QTimeEdit, f"{label} time").displayFormat() == "HH:mm"
    assert named(tab, QTimeEdit, "Bedtime time").time() == QTime(22, 30)
    hiit_days = [named(tab, QToolButton, f"HIIT session on {d}").isChecked()
                 for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")]
    assert hiit_days == [False, True, False, False, False, True, False]
    assert named(tab, QSpinBox, "Weeks after the last IGF-1 result").value() == 12
    assert "Next: today 21:45" in named(tab, QWidget, "Wind down next reminder").text()
    for cls in (QCheckBox, QTimeEdit, QPushButton, QSpinBox, QToolButton):
        for w in tab.findChildren(cls):
            assert w.accessibleName(), w


def test_changes_are_saved_at_once_and_announced(tab, ctx, qtbot, qapp):
    with qtbot.waitSignal(qapp.settings_changed, timeout=500):
        named(tab, QCheckBox, "Breathing practice reminder").setChecked(True)
    assert rule(ctx, "breathing").enabled
    assert "Next: today 13:00" in named(tab, QWidget, "Breathing practice next reminder").text()

    edit = named(tab, QTimeEdit, "HIIT session time")
    edit.setTime(QTime(7, 30))
    with qtbot.waitSignal(qapp.settings_changed, timeout=500):
        edit.editingFinished.emit()
    assert rule(ctx, "hiit").time == time(7, 30)

    with qtbot.waitSignal(qapp.settings_changed, timeout=500):
        named(tab, QToolButton, "HIIT session on Monday").click()
    assert rule(ctx, "hiit").weekdays == {0, 1, 5}

    with qtbot.waitSignal(qapp.settings_changed, timeout=500):
        named(tab, QSpinBox, "Weeks after the last IGF-1 result").setValue(16)
    assert rule(ctx, "lab_retest").weeks_after == 16


def test_the_last_day_cannot_be_switched_off(tab, ctx):
    svc.update_rule(ctx, rule(ctx, "hiit").id, weekdays=[1])
    fresh = ReminderSettings(ctx)
    tue = named(fresh, QToolButton, "HIIT session on Tuesday")
    tue.click()
    assert tue.isChecked()
    assert rule(ctx, "hiit").weekdays == {1}
    assert "at least one day" in fresh.status.text()
    fresh.deleteLater()


def test_quiet_hours(tab, ctx, qtbot, qapp):
    start, end = named(tab, QTimeEdit, "Quiet hours start"), named(tab, QTimeEdit, "Quiet hours end")
    assert not start.isEnabled()
    with qtbot.waitSignal(qapp.settings_changed, timeout=500):
        named(tab, QCheckBox, "Quiet hours on").setChecked(True)
    assert start.isEnabled()
    q = svc.quiet_hours(ctx)
    assert (q.start, q.end) == (time(22, 0), time(7, 0))
    end.setTime(QTime(22, 0))
    end.editingFinished.emit()
    assert "quiet_end" in tab.status.text() and not tab.status.isHidden()
    named(tab, QCheckBox, "Quiet hours on").setChecked(False)
    assert svc.quiet_hours(ctx) is None


def test_test_notification_reports_the_path_that_worked(tab, ctx, qtbot):
    # no bus, no window around the tab: nothing can show it
    result = tab.send_test()
    assert not result.ok
    assert tab.test_result.text().startswith("No way to deliver reminders")


def test_test_notification_through_the_running_engine(tab, ctx, qapp):
    from igfcoach.reminders.engine import ReminderEngine

    class Desktop(Backend):
        name = "dbus"
        delivered_text = "Delivered through the desktop's notification service"
        sent: list = []

        def available(self):
            return True

        def send(self, notice: Notice):
            self.sent.append(notice)
            return True

        def detail(self):
            return "dunst 1.9.0"

    backend = Desktop()
    engine = ReminderEngine(ctx, Deliverer([backend]), listen_logind=False, run_scheduler=False, parent=qapp)
    engine.start()
    try:
        tab.send_test()
        assert [n.title for n in backend.sent] == ["IGF Coach test notification"]
        assert tab.test_result.text() == "Delivered through the desktop's notification service (dunst 1.9.0)."
        assert tab.path_label.text().startswith("On this desktop: delivered through the desktop's notification")
    finally:
        engine.stop()
        engine.setParent(None)


def test_test_notification_falls_back_to_the_window_banner(ctx, qtbot):
    from igfcoach.ui.main_window import MainWindow

    habits.seed_from_catalog(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.page("settings")
    page.show_section("Reminders")
    tab = page.tabs.currentWidget()
    assert isinstance(tab, ReminderSettings)
    result = tab.send_test()
    assert result.backend == "banner"
    assert tab.test_result.text() == "Shown as a banner inside the IGF Coach window."
    assert window.banner.text() == "IGF Coach test notification: Reminders will reach you like this."


def test_start_at_login_writes_and_removes_the_autostart_entry(tab, ctx, tmp_path):
    box = named(tab, QCheckBox, "Start at login")
    path = tmp_path / "config" / "autostart" / "io.github.igfcoach.IGFCoach.desktop"
    assert not box.isChecked() and not path.exists()
    box.setChecked(True)
    text = path.read_text()
    assert "--minimized" in text and f"--data-dir {ctx.paths.data_dir}" in text
    assert autostart.is_enabled()
    box.setChecked(False)
    assert not path.exists()


def test_screenshot_is_readable(tab, tmp_path):
    tab.resize(780, 1000)
    image = tab.grab()
    assert image.save(str(tmp_path / "reminders.png"))
    assert tab.minimumSizeHint().width() <= 780  # fits the window's content area without clipping


def test_the_app_wires_dbus_then_tray_then_banner(ctx, qtbot, qapp):
    from igfcoach.ui.main_window import MainWindow
    from igfcoach.ui.reminders import running_engine, start_reminders

    habits.seed_from_catalog(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)

    class Tray:  # CoachTray's shape: the QSystemTrayIcon is .icon
        def __init__(self):
            from PySide6.QtWidgets import QSystemTrayIcon

            self.icon = QSystemTrayIcon()

    engine = start_reminders(qapp, ctx, window, Tray())
    try:
        assert engine is not None and engine.started and running_engine() is engine
        assert [b.name for b in engine.deliverer.backends] == ["dbus", "tray", "banner"]
        # offscreen: no bus (see no_desktop), no system tray -> the banner
        assert engine.describe().backend == "banner"
    finally:
        engine.stop()
        engine.setParent(None)
    assert running_engine() is None


def test_the_tab_shows_changes_made_elsewhere_when_shown_again(tab, ctx):
    from igfcoach.services import profile

    tab.hide()
    profile.save(ctx, profile.Profile(bedtime=time(23, 0), wake_time=time(7, 0), sleep_goal_h=8.0, onboarded=True))  # bedtime 23:00
    habits.seed_from_catalog(ctx, enable_optional=["mucuna"])  # a new supplement reminder
    tab.show()
    assert named(tab, QTimeEdit, "Bedtime time").time() == QTime(23, 0)
    assert named(tab, QCheckBox, "Mucuna pruriens (optional) reminder").isEnabled()
