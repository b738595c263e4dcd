"""Reminders on a real desktop: the real app (``python -m igfcoach``) on Xvfb with dunst and trayer shows a due
reminder as a desktop notification within 2 s of its time; its Done button ticks the habit in the database,
and Snooze brings it back.

Rules have minute resolution ("HH:MM"). So that a reminder is due a few seconds after the app starts without
waiting for the next whole minute, the app runs with ``TZ`` set to a fixed POSIX offset with seconds
(e.g. ``IGF-00:00:37``): the local wall clock then reads hh:mm:52 at launch. A named zone is not needed for
this (the app falls back to the fixed offset when tzlocal cannot name the zone). The snooze is shortened with
the documented setting ``snooze_minutes`` (0.1 = 6 s).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from igfcoach.core.clock import SystemClock
from igfcoach.services import checklist, habits, settings
from igfcoach.services import reminders as svc
from igfcoach.services.context import AppContext, open_context

LEAD = 8.0  # seconds between launching the app and the reminder's time
SNOOZE_MINUTES = 0.1  # 6 s
UTC = timezone.utc


def _posix_tz(offset_seconds: int) -> str:
    """A POSIX TZ string for UTC+offset (POSIX signs are inverted: "IGF-00:00:37" is 37 s ahead of UTC)."""
    sign = "-" if offset_seconds >= 0 else "+"
    s = abs(offset_seconds)
    return f"IGF{sign}{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _plan(lead: float) -> tuple[timezone, str, datetime]:
    """A fixed zone whose wall clock reaches a whole minute ``lead`` (+0..1) seconds from now, and that minute."""
    now = datetime.now(UTC)
    offset = (60 - now.second - int(lead)) % 60
    zone = timezone(timedelta(seconds=offset))
    due = (now.astimezone(zone) + timedelta(seconds=lead + 1)).replace(second=0, microsecond=0)
    assert 0 < (due - now).total_seconds() <= lead + 1.5
    return zone, _posix_tz(offset), due


def _prepare(data: Path, zone: timezone, due: datetime) -> None:
    """A finished first run, every reminder off except wind-down and HIIT, both due at ``due``."""
    ctx = open_context(str(data), clock=SystemClock(zone))
    try:
        habits.seed_from_catalog(ctx, weight_kg=80)
        settings.put(ctx, onboarded=True, snooze_minutes=SNOOZE_MINUTES, close_to_tray_hint_shown=True)
        svc.ensure_default_rules(ctx)
        for rec in svc.list_rules(ctx):
            svc.set_enabled(ctx, rec.id, False)
        for kind in ("wind_down", "hiit"):
            rec = next(r for r in svc.list_rules(ctx) if r.kind == kind)
            svc.update_rule(ctx, rec.id, enabled=True, time=due.time(), weekdays=range(7))
    finally:
        ctx.close()


def _done_today(data: Path, zone: timezone, key: str) -> bool:
    ctx: AppContext = open_context(str(data), clock=SystemClock(zone))
    try:
        return checklist.item(ctx, key, ctx.today()).done
    finally:
        ctx.close()


def _checkoff_source(data: Path, key: str) -> str | None:
    import sqlite3

    conn = sqlite3.connect(data / "igfcoach.sqlite3")
    try:
        row = conn.execute(
            "SELECT c.source FROM checkoffs c JOIN habits h ON h.id = c.habit_id WHERE h.key = ?", (key,)
        ).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def _wait(what: str, check, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_due_reminder_is_shown_and_done_and_snooze_work(desktop, tmp_path):
    data = tmp_path / "data"
    zone, tz, due = _plan(LEAD)
    _prepare(data, zone, due)
    app = desktop.spawn(
        [sys.executable, "-m", "igfcoach", "--data-dir", str(data)],
        name="app",
        env={"IGFCOACH_SKIP_ONBOARDING": "1", "TZ": tz},
    )
    desktop.wait_for_window("IGF Coach", timeout=15)

    # 1. both reminders arrive as desktop notifications, within 2 s of their time
    wind = desktop.wait_for_notification("Time to wind down", timeout=LEAD + 10, appname="IGF Coach")
    hiit = desktop.wait_for_notification("HIIT session today", timeout=5, appname="IGF Coach")
    for note in (wind, hiit):
        late = note["received"] - due.timestamp()
        assert -0.5 <= late <= 2.0, f"{note['summary']!r} shown {late:+.2f} s from its time"
        assert note["actions"] == {"done": "Done", "snooze": "Snooze 6 s", "default": "Open"}
        assert note["hints"].get("desktop-entry") == "io.github.igfcoach.IGFCoach"
    assert "Screens off now; make the room cool and dark." in wind["body"]
    assert not desktop.notify_errors()

    # 2. Done ticks the habit (source "reminder") and the app closes the notification
    assert not _done_today(data, zone, "screens_off")
    desktop.invoke_action(wind["id"], "Done")
    _wait("screens_off to be ticked", lambda: _done_today(data, zone, "screens_off"), 5)
    assert _checkoff_source(data, "screens_off") == "reminder"
    _wait("the notification to be closed", lambda: wind["id"] in {h["id"] for h in desktop.history()}, 5)
    shown = {h["id"]: h for h in desktop.history()}[wind["id"]]
    assert shown["summary"] == "Time to wind down" and "cool and dark" in shown["body"]
    assert shown["appname"] == "IGF Coach"

    # 3. Snooze brings the other one back after the (shortened) snooze, in place of the old one
    snoozed_at = time.time()
    desktop.invoke_action(hiit["id"], "Snooze 6 s")
    assert not _done_today(data, zone, "hiit")

    def reshown():
        return [n for n in desktop.notifications() if n["summary"] == "HIIT session today" and n["state"] == "open"
                and n["received"] > snoozed_at]

    _wait("the snoozed reminder to come back", reshown, 6 + 5)
    again = reshown()[-1]
    assert 5.5 <= again["received"] - snoozed_at <= 8.5
    desktop.invoke_action(again["id"], "Done")
    _wait("hiit to be ticked", lambda: _done_today(data, zone, "hiit"), 5)

    # 4. nothing else was sent, and the app logged no error
    summaries = [n["summary"] for n in desktop.notifications()]
    assert summaries.count("Time to wind down") == 1
    assert app.running()
    code = app.stop()
    assert "Traceback" not in app.stderr(), app.stderr()
    assert code in (0, -15), app.describe()
