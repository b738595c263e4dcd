"""The Profile settings tab: edits are validated, saved in one go, and drive the protein target."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime

from igfcoach.services import habits, profile
from igfcoach.ui.settings.profile import ProfileSettings


def protein_target(ctx) -> float:
    return next(s.target.value for s, _ in habits.list_habits(ctx) if s.key == "protein")


def test_saving_weight_and_sleep_times(qtbot, qapp, ctx):
    habits.seed_from_catalog(ctx)
    tab = ProfileSettings(ctx)
    qtbot.addWidget(tab)
    tab.weight.setValue(80.0)
    tab.bedtime.setTime(QTime(23, 0))
    tab.wake.setTime(QTime(7, 0))
    assert "8 h 00 min" in tab.window_hint.text()
    with qtbot.waitSignal(qapp.settings_changed, timeout=1000):
        assert tab.save()
    p = profile.load(ctx)
    assert (p.weight_kg, p.bedtime, p.wake_time, p.sleep_goal_h) == (80.0, time(23, 0), time(7, 0), 8.0)
    assert protein_target(ctx) == 128.0


def test_pounds_are_converted(qtbot, ctx):
    tab = ProfileSettings(ctx)
    qtbot.addWidget(tab)
    tab.load_unit.setCurrentText("lb")
    tab.weight.setValue(176.4)
    assert tab.save()
    assert abs(profile.load(ctx).weight_kg - 80.0) < 0.05
    assert profile.load(ctx).load_unit == "lb"


def test_an_impossible_sleep_window_is_refused_and_nothing_saved(qtbot, ctx):
    tab = ProfileSettings(ctx)
    qtbot.addWidget(tab)
    before = profile.load(ctx)
    tab.weight.setValue(90.0)
    tab.bedtime.setTime(QTime(2, 0))
    tab.wake.setTime(QTime(4, 0))
    assert not tab.save()
    assert not tab.error.isHidden()
    assert tab.error.text().startswith("bedtime:") and "2 h" in tab.error.text()
    assert profile.load(ctx) == before
