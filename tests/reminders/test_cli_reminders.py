"""`igfcoach reminders` and `igfcoach notify-test`, run as a user would (a separate process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from igfcoach.services import reminders as svc
from igfcoach.services.context import open_context


def run(data, *args, env=None, timeout=30):
    base = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY")}
    base.update(TZ="Europe/Berlin", XDG_RUNTIME_DIR=str(data.parent / "runtime"), QT_QPA_PLATFORM="offscreen")
    base.update(env or {})
    return subprocess.run([sys.executable, "-m", "igfcoach", "--data-dir", str(data), *args],
                          capture_output=True, text=True, env=base, timeout=timeout)


def test_reminders_lists_rules_with_their_next_fire_time(tmp_path):
    data = tmp_path / "data"
    r = run(data, "reminders")
    assert r.returncode == 0, r.stderr
    assert "times in Europe/Berlin" in r.stdout
    def line(title):
        return next(x for x in r.stdout.splitlines() if f" {title} " in x)

    assert "every day" in line("Bedtime") and "22:30" in line("Bedtime") and " next " in line("Bedtime")
    assert line("Breathing break").rstrip().endswith("off")
    assert "after your first IGF-1 result" in line("Time to re-test your IGF-1")

    ctx = open_context(str(data))
    try:
        bed = next(x for x in svc.list_rules(ctx) if x.kind == "bedtime")
        svc.update_rule(ctx, bed.id, time="23:05", weekdays=[5, 6])
        svc.set_quiet_hours(ctx, "23:30", "06:30")
    finally:
        ctx.close()
    r = run(data, "reminders", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["time_zone"] == "Europe/Berlin" and out["quiet_hours"] == ["23:30", "06:30"]
    bed = next(x for x in out["reminders"] if x["kind"] == "bedtime")
    assert bed["time"] == "23:05" and bed["weekdays"] == [5, 6]
    assert bed["next_fire"].endswith(("+01:00", "+02:00")) and "T23:05" in bed["next_fire"]


def test_notify_test_without_any_notification_path_exits_1(tmp_path):
    r = run(tmp_path / "data", "notify-test")
    assert r.returncode == 1
    assert "no notification could be shown" in r.stderr and "no session bus" in r.stderr
    assert r.stdout == ""


@pytest.mark.desktop  # needs Xvfb, dbus-daemon and dunst (tests/desktop/harness.py)
def test_notify_test_through_the_desktop_notification_service(tmp_path, dunst_session):
    dunst_session.reset()
    r = run(tmp_path / "data", "notify-test", "--json",
            env={"DBUS_SESSION_BUS_ADDRESS": dunst_session.bus_address, "DISPLAY": dunst_session.display})
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["path"] == "dbus" and out["text"] == "Delivered through the desktop's notification service"
    assert out["detail"].startswith("dunst")
    note = dunst_session.wait_for_notification("IGF Coach test notification", timeout=5)
    assert note["appname"] == "IGF Coach" and note["body"] == "Reminders will reach you like this."
    assert not dunst_session.notify_errors()
