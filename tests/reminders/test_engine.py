"""The reminder engine with an injected clock: sending, done-suppression, Done/Snooze, quiet hours, pause,
suspend catch-up (never a burst), restarts, DST and time-zone changes. The QTimer-driven scheduler is not
started here (``run_scheduler=False``): the tests move the fake clock and call what the timers would call.
One test at the end lets the real timer fire."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QObject, QTimer, Signal

from igfcoach.core.clock import FakeClock
from igfcoach.core.reminder_rules import Outcome
from igfcoach.reminders.delivery import ACTION_DONE, ACTION_OPEN, ACTION_SNOOZE, Backend, Deliverer, Notice
from igfcoach.reminders.engine import ReminderEngine
from igfcoach.services import checklist, habits, settings
from igfcoach.services import reminders as svc
from igfcoach.services.context import open_context

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
UTC = timezone.utc


class RecordingBackend(Backend):
    name = "recording"
    delivered_text = "Recorded"

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Notice] = []
        self.closed: list[str] = []
        self.up = True

    def available(self) -> bool:
        return self.up

    def send(self, notice: Notice) -> bool:
        self.sent.append(notice)
        return True

    def close(self, notice_id: str) -> None:
        self.closed.append(notice_id)

    def titles(self) -> list[str]:
        return [n.title for n in self.sent]


class Hub(QObject):
    """The signals of CoachApp the engine uses."""

    settings_changed = Signal()
    habits_changed = Signal()
    labs_changed = Signal()
    checkoffs_changed = Signal()


class Mono:
    """A monotonic clock that stops while the "machine sleeps" (the wall clock moves alone)."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def world(tmp_path, qapp):
    """A seeded data dir, a fake clock at Wed 25 Nov 2026 09:00 Berlin, and a factory for engines."""
    clock = FakeClock(datetime(2026, 11, 25, 9, 0), tz=BERLIN)
    ctx = open_context(str(tmp_path / "data"), clock=clock)
    habits.seed_from_catalog(ctx, weight_kg=80)
    svc.ensure_default_rules(ctx)
    engines: list[ReminderEngine] = []

    class World:
        pass

    w = World()
    w.ctx, w.clock, w.mono, w.hub, w.backend = ctx, clock, Mono(), Hub(), RecordingBackend()

    def make(start: bool = True) -> ReminderEngine:
        engine = ReminderEngine(
            ctx, Deliverer([w.backend]), hub=w.hub, monotonic=w.mono, listen_logind=False, run_scheduler=False
        )
        engines.append(engine)
        if start:
            engine.start()
        return engine

    w.make = make
    w.rule = lambda kind: next(r for r in svc.list_rules(ctx) if r.kind == kind)
    yield w
    for engine in engines:
        engine.stop()
        engine.setParent(None)
    ctx.close()


def at(w, *args) -> datetime:
    when = datetime(*args, tzinfo=w.clock.tz)
    w.clock.set(when)
    return when


# -- planning --------------------------------------------------------------------------------------------------


def test_jobs_are_built_from_the_database_and_rebuilt_on_changes(world):
    engine = world.make()
    ids = {job.id for job in engine.scheduler.get_jobs()}
    active = {f"rule-{r.id}" for r in svc.list_rules(world.ctx) if r.active}
    assert ids == active and len(ids) == 5  # wind-down, bedtime, HIIT, resistance, lab re-test
    job = engine.scheduler.get_job(f"rule-{world.rule('bedtime').id}")
    assert job.misfire_grace_time == 30 * 60 and job.coalesce
    svc.set_enabled(world.ctx, world.rule("breathing").id, True)
    svc.set_enabled(world.ctx, world.rule("hiit").id, False)
    world.hub.settings_changed.emit()
    ids = {job.id for job in engine.scheduler.get_jobs()}
    assert f"rule-{world.rule('breathing').id}" in ids and f"rule-{world.rule('hiit').id}" not in ids
    assert engine.planned()[world.rule("breathing").id] == datetime(2026, 11, 25, 13, 0, tzinfo=BERLIN)


def test_the_only_periodic_timer_runs_once_a_minute(world):
    engine = world.make()
    periodic = [t for t in engine.findChildren(QTimer) if t.isActive() and not t.isSingleShot()]
    assert [t.interval() for t in periodic] == [60_000]


# -- firing ------------------------------------------------------------------------------------------------------


def test_a_due_reminder_is_sent_once_with_done_and_snooze(world):
    engine = world.make()
    bed = world.rule("bedtime")
    at(world, 2026, 11, 25, 22, 30, 1)
    decision = engine.handle(bed.id)
    assert decision.outcome is Outcome.SEND
    [notice] = world.backend.sent
    assert (notice.title, notice.actions) == ("Bedtime", (("done", "Done"), ("snooze", "Snooze 10 min")))
    assert svc.get_state(world.ctx, bed.id).last_sent_for == datetime(2026, 11, 25, 22, 30, tzinfo=BERLIN)
    assert engine.handle(bed.id).outcome is Outcome.SKIP_SENT  # a second wake-up sends nothing
    assert len(world.backend.sent) == 1


def test_done_suppression(world):
    engine = world.make()
    checklist.record(world.ctx, "screens_off", done=True)
    at(world, 2026, 11, 25, 21, 45)
    assert engine.handle(world.rule("wind_down").id).outcome is Outcome.SKIP_DONE
    assert world.backend.sent == []


def test_done_action_ticks_the_habit_and_announces_it(world, qtbot):
    engine = world.make()
    wind = world.rule("wind_down")
    at(world, 2026, 11, 25, 21, 45)
    engine.handle(wind.id)
    notice = world.backend.sent[-1]
    with qtbot.waitSignal(world.hub.checkoffs_changed, timeout=100), qtbot.waitSignal(engine.checkoffs_changed, timeout=100):
        world.backend.action.emit(notice.id, ACTION_DONE)
    assert checklist.item(world.ctx, "screens_off", date(2026, 11, 25)).done
    assert world.backend.closed == [notice.id]
    assert engine.notice_for_rule(wind.id) is None


def test_ticking_in_the_app_takes_the_notification_away(world):
    engine = world.make()
    at(world, 2026, 11, 25, 22, 30)
    engine.handle(world.rule("bedtime").id)
    notice = world.backend.sent[-1]
    checklist.record(world.ctx, "bedtime_consistent", done=True)
    world.hub.checkoffs_changed.emit()
    assert world.backend.closed == [notice.id]


def test_snooze_brings_it_back_and_grace_counts_from_the_snooze(world):
    engine = world.make()
    bed = world.rule("bedtime")
    at(world, 2026, 11, 25, 22, 30)
    engine.handle(bed.id)
    world.backend.action.emit(world.backend.sent[-1].id, ACTION_SNOOZE)
    until = datetime(2026, 11, 25, 22, 40, tzinfo=BERLIN)
    assert svc.get_state(world.ctx, bed.id).snoozed_until == until
    assert engine.pending_one_offs() == {f"snooze-{bed.id}": until.astimezone(UTC)}
    world.clock.advance(timedelta(minutes=5))
    assert engine.handle(bed.id, "snooze").outcome is Outcome.DEFER_SNOOZED  # a timer waking early
    world.clock.set(until)
    assert engine.handle(bed.id, "snooze").outcome is Outcome.SEND
    assert world.backend.titles() == ["Bedtime", "Bedtime"]
    assert svc.get_state(world.ctx, bed.id).snoozed_until is None
    # snoozing again much later than grace after the snooze ends: dropped
    world.backend.action.emit(world.backend.sent[-1].id, ACTION_SNOOZE)
    world.clock.advance(timedelta(minutes=10 + 31))
    assert engine.handle(bed.id, "snooze").outcome is Outcome.SKIP_STALE
    assert len(world.backend.sent) == 2


def test_snooze_length_comes_from_the_setting(world):
    settings.put(world.ctx, snooze_minutes=0.05)
    engine = world.make()
    at(world, 2026, 11, 25, 22, 30)
    engine.handle(world.rule("bedtime").id)
    assert world.backend.sent[-1].actions[1] == ("snooze", "Snooze 3 s")
    world.backend.action.emit(world.backend.sent[-1].id, ACTION_SNOOZE)
    world.clock.advance(3)
    assert engine.handle(world.rule("bedtime").id, "snooze").outcome is Outcome.SEND


def test_quiet_hours_defer_while_useful_and_drop_when_not(world):
    from igfcoach.services import labs

    labs.add_result(world.ctx, labs.LabInput(drawn_on=date(2026, 9, 2), value=130))  # re-test due 25 Nov 09:00
    svc.set_quiet_hours(world.ctx, "22:00", "07:00")
    engine = world.make()
    at(world, 2026, 11, 25, 22, 30)
    assert engine.handle(world.rule("bedtime").id).outcome is Outcome.SKIP_STALE  # 07:00 is past its 30 min
    svc.set_quiet_hours(world.ctx, "08:30", "10:00")
    lab = world.rule("lab_retest")
    at(world, 2026, 11, 25, 9, 0)
    assert engine.handle(lab.id).outcome is Outcome.DEFER_QUIET  # a week of grace: wait for 10:00
    assert engine.pending_one_offs() == {f"defer-{lab.id}": datetime(2026, 11, 25, 9, 0, tzinfo=UTC)}
    assert world.backend.sent == []
    at(world, 2026, 11, 25, 10, 0)
    assert engine.handle(lab.id, "deferred").outcome is Outcome.SEND
    assert world.backend.titles() == ["Time to re-test your IGF-1"]
    assert "02 Sep 2026" in world.backend.sent[0].body


def test_pause_defers_and_resume_sends_at_once(world):
    engine = world.make()
    bed = world.rule("bedtime")
    at(world, 2026, 11, 25, 22, 20)
    settings.put(world.ctx, reminders_paused_until=(world.clock.now() + timedelta(hours=1)).isoformat())
    world.clock.advance(timedelta(minutes=10))
    assert engine.handle(bed.id).outcome is Outcome.SKIP_STALE  # pause ends 23:20: past the 30 min grace
    settings.put(world.ctx, reminders_paused_until=(world.clock.now() + timedelta(minutes=15)).isoformat())
    assert engine.handle(bed.id).outcome is Outcome.DEFER_PAUSED
    assert f"defer-{bed.id}" in engine.pending_one_offs()
    world.clock.advance(timedelta(minutes=2))
    settings.put(world.ctx, reminders_paused_until=None)  # "Resume reminders" in the tray
    world.hub.settings_changed.emit()
    assert world.backend.titles() == ["Bedtime"]
    assert engine.pending_one_offs() == {}


# -- suspend, restarts -------------------------------------------------------------------------------------------


def test_suspend_sends_one_late_reminder_within_grace_never_a_burst(world, qtbot):
    engine = world.make()
    at(world, 2026, 11, 25, 21, 30)
    engine.watch.reset()
    world.clock.advance(timedelta(minutes=80))  # asleep from 21:30 to 22:50; the monotonic clock stood still
    with qtbot.waitSignal(engine.watch.jumped, timeout=100):
        assert engine.watch.check()
    # wind-down (21:45) is 65 min late, past its 20 min grace; bedtime (22:30) is 20 min late: sent once
    assert world.backend.titles() == ["Bedtime"]
    assert engine.handle(world.rule("bedtime").id).outcome is Outcome.SKIP_SENT
    assert not engine.watch.check()
    assert world.backend.titles() == ["Bedtime"]


def test_a_three_day_suspend_sends_at_most_one_per_rule(world):
    svc.update_rule(world.ctx, world.rule("hiit").id, weekdays=range(7), grace_minutes=7 * 24 * 60)
    engine = world.make()
    at(world, 2026, 11, 25, 9, 0)
    engine.watch.reset()
    world.clock.advance(timedelta(days=3))
    engine.watch.check()
    assert world.backend.titles() == ["HIIT session today"]  # three missed sessions -> one reminder


def test_a_restart_catches_up_once(world):
    engine = world.make()
    at(world, 2026, 11, 25, 22, 0)
    engine.stop()
    world.clock.advance(timedelta(minutes=40))  # the app was closed over bedtime, reopened at 22:40
    world.make()
    assert world.backend.titles() == ["Bedtime"]
    world.make()  # and again: nothing new
    assert world.backend.titles() == ["Bedtime"]


def test_a_pending_snooze_survives_a_restart(world):
    engine = world.make()
    bed = world.rule("bedtime")
    at(world, 2026, 11, 25, 22, 30)
    engine.handle(bed.id)
    world.backend.action.emit(world.backend.sent[-1].id, ACTION_SNOOZE)
    engine.stop()
    again = world.make()
    assert f"snooze-{bed.id}" in again.pending_one_offs()
    world.clock.advance(timedelta(minutes=10))
    assert again.handle(bed.id, "snooze").outcome is Outcome.SEND


def test_backwards_clock_jump_resends_nothing(world):
    engine = world.make()
    at(world, 2026, 11, 25, 22, 31)
    engine.handle(world.rule("bedtime").id)
    engine.watch.reset()
    world.clock.advance(timedelta(hours=-1))
    assert engine.watch.check()
    world.clock.advance(timedelta(hours=1))
    engine.handle(world.rule("bedtime").id)
    assert world.backend.titles() == ["Bedtime"]


# -- DST and time zones ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "start", "expected"),
    [
        (BERLIN, datetime(2026, 3, 28, 23, 0), datetime(2026, 3, 29, 22, 30)),  # spring forward
        (BERLIN, datetime(2026, 10, 24, 23, 0), datetime(2026, 10, 25, 22, 30)),  # fall back
        (NEW_YORK, datetime(2026, 3, 7, 23, 0), datetime(2026, 3, 8, 22, 30)),
        (LORD_HOWE, datetime(2026, 4, 4, 23, 0), datetime(2026, 4, 5, 22, 30)),  # half-hour shift
    ],
)
def test_bedtime_keeps_its_wall_time_across_dst(world, zone, start, expected):
    world.clock.set_timezone(zone)
    world.clock.set(start.replace(tzinfo=zone))
    engine = world.make()
    when = engine.planned()[world.rule("bedtime").id]
    assert when.astimezone(zone).replace(tzinfo=None) == expected
    job = engine.scheduler.get_job(f"rule-{world.rule('bedtime').id}")
    assert job.trigger.tz == zone


def test_a_time_zone_change_rebuilds_the_triggers(world):
    engine = world.make()
    bed_job = f"rule-{world.rule('bedtime').id}"
    assert engine.scheduler.get_job(bed_job).trigger.tz == BERLIN
    world.clock.set_timezone(NEW_YORK)  # flew to New York: 03:00 there
    engine.tick()
    assert engine.scheduler.get_job(bed_job).trigger.tz == NEW_YORK
    assert engine.planned()[world.rule("bedtime").id] == datetime(2026, 11, 25, 22, 30, tzinfo=NEW_YORK)
    assert world.backend.sent == []  # crossing an ocean sends no stale reminders


# -- the tray message opens the app with Done / Snooze -----------------------------------------------------------


def test_clicking_a_tray_message_opens_the_app_and_offers_the_buttons(world, qtbot):
    from igfcoach.reminders.delivery import InAppBanner, TrayMessage
    from igfcoach.ui.banner import Banner

    class Tray(QObject):
        messageClicked = Signal()  # noqa: N815

        def isVisible(self):  # noqa: N802
            return True

        def showMessage(self, *a):  # noqa: N802
            pass

    tray, banner = Tray(), Banner()
    qtbot.addWidget(banner)
    deliverer = Deliverer([TrayMessage(tray), InAppBanner(banner)])
    engine = ReminderEngine(world.ctx, deliverer, monotonic=world.mono, listen_logind=False, run_scheduler=False)
    engine.start()
    try:
        at(world, 2026, 11, 25, 22, 30)
        engine.handle(world.rule("bedtime").id)
        with qtbot.waitSignal(engine.open_requested, timeout=100):
            tray.messageClicked.emit()
        assert not banner.isHidden() and banner.text().startswith("Bedtime")
        from PySide6.QtWidgets import QPushButton

        done = next(b for b in banner.findChildren(QPushButton) if b.text() == "Done")
        done.click()
        assert checklist.item(world.ctx, "bedtime_consistent", date(2026, 11, 25)).done
    finally:
        engine.stop()


# -- the real timer ------------------------------------------------------------------------------------------------


def test_the_qtimer_fires_a_due_reminder(tmp_path, qapp, qtbot):
    """With the real clock: a rule due in about a second is sent by the scheduler's own QTimer.

    Rules have minute resolution, so the test uses a fixed zone offset (with seconds) that puts the local
    wall clock just before a whole minute.
    """
    import time as _time

    from igfcoach.core.clock import SystemClock

    real = datetime.now(UTC)
    offset = timedelta(seconds=(58 - real.second) % 60, microseconds=-real.microsecond)
    zone = timezone(offset)
    ctx = open_context(str(tmp_path / "real"), clock=SystemClock(zone))
    try:
        habits.seed_from_catalog(ctx)
        svc.ensure_default_rules(ctx)
        backend = RecordingBackend()
        engine = ReminderEngine(ctx, Deliverer([backend]), listen_logind=False)
        due = (ctx.clock.now() + timedelta(seconds=30)).replace(second=0, microsecond=0)
        rid = next(r.id for r in svc.list_rules(ctx) if r.kind == "breathing")
        svc.update_rule(ctx, rid, enabled=True, time=due.time())
        engine.start()
        assert backend.sent == []
        qtbot.waitUntil(lambda: backend.titles() == ["Breathing break"], timeout=5000)
        late = _time.time() - due.timestamp()
        assert 0 <= late < 1.0, late
        engine.stop()
    finally:
        ctx.close()
