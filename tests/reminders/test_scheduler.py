"""The Qt scheduler keeps exactly one pending wake-up; the wall-clock watch notices jumps and resumes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time as _time
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from apscheduler.executors.debug import DebugExecutor
from apscheduler.triggers.cron import CronTrigger
from PySide6.QtCore import QTimer

from igfcoach.core.clock import FakeClock
from igfcoach.core.reminder_rules import ReminderRule
from igfcoach.reminders.scheduler import QTIMER_MAX_MSEC, QtTimerScheduler, RuleTrigger, WallClockWatch, msec_for

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def sched(qtbot):
    s = QtTimerScheduler(timezone=UTC)
    s.start()
    yield s
    if s.running:
        s.shutdown()


def _in(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


# -- QtTimerScheduler ------------------------------------------------------------------------------------------


def test_a_hundred_reschedules_leave_one_pending_wakeup(sched: QtTimerScheduler, qtbot, monkeypatch) -> None:
    rounds = []
    original = sched._process_jobs
    monkeypatch.setattr(sched, "_process_jobs", lambda: rounds.append(1) or original())
    job = sched.add_job(lambda: None, "date", run_date=_in(3600), id="bedtime")
    for k in range(100):
        sched.reschedule_job(job.id, trigger="date", run_date=_in(3600 + k))
        assert len(sched.pending_timers()) == 1
    assert sched.timer_owner.findChildren(QTimer) == sched.pending_timers()  # one timer object, ever
    qtbot.waitUntil(lambda: bool(rounds), timeout=1000)
    qtbot.wait(30)
    assert len(rounds) == 1  # the 100 wake-up requests collapsed into one round
    assert len(sched.pending_timers()) == 1
    remaining = sched.remaining_msec()
    assert remaining is not None and 3_600_000 < remaining <= 3_700_000  # armed for the last run date


def test_stock_qtscheduler_cannot_cancel_its_wakeups(qtbot, monkeypatch) -> None:
    """Why we do not use APScheduler's QtScheduler: under PySide6 each wakeup() adds a timer it cannot stop."""
    from apscheduler.schedulers.qt import QtScheduler

    stock = QtScheduler(timezone=UTC, executors={"default": DebugExecutor()})
    rounds = []
    original = stock._process_jobs
    monkeypatch.setattr(stock, "_process_jobs", lambda: rounds.append(1) or original())
    stock.start()  # one wake-up
    for _ in range(100):
        stock.wakeup()
    assert stock._timer is None  # QTimer.singleShot returned None: nothing it could ever stop
    qtbot.waitUntil(lambda: len(rounds) == 101, timeout=2000)  # every request fired: 101 rounds, not 1
    stock.shutdown()


def test_a_job_fires_on_time_in_the_qt_thread(sched: QtTimerScheduler, qtbot) -> None:
    fired: list[tuple[float, threading.Thread]] = []
    start = _time.monotonic()
    sched.add_job(lambda: fired.append((_time.monotonic(), threading.current_thread())), "date", run_date=_in(0.15))
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    at, thread = fired[0]
    assert 0.14 <= at - start < 0.5
    assert thread is threading.main_thread()
    assert sched.pending_timers() == []  # nothing left to run: no wake-up pending


def test_job_added_by_a_running_job_runs_promptly(sched: QtTimerScheduler, qtbot) -> None:
    order: list[str] = []

    def first() -> None:
        order.append("first")
        sched.add_job(lambda: order.append("second"), "date", run_date=_in(0))

    sched.add_job(first, "date", run_date=_in(0.01))
    qtbot.waitUntil(lambda: order == ["first", "second"], timeout=1000)


def test_wakeup_from_another_thread_is_forwarded_to_the_qt_thread(sched: QtTimerScheduler, qtbot) -> None:
    ran: list[threading.Thread] = []
    worker = threading.Thread(
        target=lambda: sched.add_job(lambda: ran.append(threading.current_thread()), "date", run_date=_in(0.02))
    )
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(ran), timeout=1000)
    assert ran == [threading.main_thread()]


def test_shutdown_stops_the_timer(sched: QtTimerScheduler, qtbot) -> None:
    sched.add_job(lambda: None, "date", run_date=_in(3600))
    qtbot.waitUntil(lambda: (sched.remaining_msec() or 0) > 1000, timeout=1000)
    sched.shutdown()
    assert sched.pending_timers() == [] and sched.remaining_msec() is None
    sched.wakeup()  # late wake-up requests after shutdown do nothing
    assert sched.pending_timers() == []


def test_pause_and_resume(sched: QtTimerScheduler, qtbot) -> None:
    fired: list[int] = []
    sched.pause()
    sched.add_job(lambda: fired.append(1), "date", run_date=_in(0.01))
    qtbot.wait(60)
    assert fired == []
    sched.resume()
    qtbot.waitUntil(lambda: fired == [1], timeout=1000)


@pytest.mark.parametrize(
    ("seconds", "msec"),
    [(0, 0), (-3, 0), (0.0001, 1), (1.5, 1500), (2_147_483.647, QTIMER_MAX_MSEC), (1e12, QTIMER_MAX_MSEC),
     (threading.TIMEOUT_MAX, QTIMER_MAX_MSEC)],
)
def test_wait_is_clamped_to_qtimer_range(seconds: float, msec: int) -> None:
    assert msec_for(seconds) == msec


# -- RuleTrigger -----------------------------------------------------------------------------------------------


def _fire_times(trigger, start: datetime, n: int) -> list[datetime]:
    out, prev, now = [], None, start
    for _ in range(n):
        prev = trigger.get_next_fire_time(prev, now)
        out.append(prev.astimezone(UTC))
        now = prev
    return out


def test_rule_trigger_fires_once_on_fall_back_where_cron_fires_twice() -> None:
    rule = ReminderRule(kind="supplements", title="Supplements", time=time(1, 30))
    start = datetime(2026, 10, 31, 12, 0, tzinfo=NEW_YORK)
    ours = _fire_times(RuleTrigger(rule, NEW_YORK), start, 2)
    cron = _fire_times(CronTrigger(hour=1, minute=30, timezone=NEW_YORK), start, 2)
    assert ours == [datetime(2026, 11, 1, 5, 30, tzinfo=UTC), datetime(2026, 11, 2, 6, 30, tzinfo=UTC)]
    assert cron == [datetime(2026, 11, 1, 5, 30, tzinfo=UTC), datetime(2026, 11, 1, 6, 30, tzinfo=UTC)]  # twice


def test_rule_trigger_fires_at_the_end_of_the_spring_forward_gap() -> None:
    rule = ReminderRule(kind="supplements", title="Supplements", time=time(2, 30))
    start = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)
    assert _fire_times(RuleTrigger(rule, BERLIN), start, 1) == [datetime(2026, 3, 29, 1, 0, tzinfo=UTC)]  # 03:00
    assert _fire_times(CronTrigger(hour=2, minute=30, timezone=BERLIN), start, 1) == [
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30
    ]


def test_rule_trigger_drives_the_scheduler(sched: QtTimerScheduler) -> None:
    rule = ReminderRule(kind="bedtime", title="Bedtime", time=time(22, 30))
    job = sched.add_job(lambda: None, RuleTrigger(rule, BERLIN), id="r1")
    expected = RuleTrigger(rule, BERLIN).get_next_fire_time(None, datetime.now(UTC))
    assert job.next_run_time == expected and "22:30" in str(job.trigger)


# -- WallClockWatch --------------------------------------------------------------------------------------------


class FakeMonotonic:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def clocks() -> tuple[FakeClock, FakeMonotonic]:
    return FakeClock(datetime(2026, 5, 12, 22, 0, tzinfo=BERLIN)), FakeMonotonic()


def _watch(qtbot, clocks, **kw) -> WallClockWatch:
    clock, mono = clocks
    watch = WallClockWatch(clock, monotonic=mono, **kw)
    return watch


def test_normal_drift_is_not_a_jump(qtbot, clocks) -> None:
    clock, mono = clocks
    watch = _watch(qtbot, clocks)  # also: an absent system bus is handled without a Qt warning
    with qtbot.assertNotEmitted(watch.jumped):
        for _ in range(30):
            clock.advance(60)
            mono.value += 60.03  # NTP slewing, event-loop lateness: both clocks move together
            assert not watch.check()


def test_suspend_is_a_jump(qtbot, clocks) -> None:
    clock, mono = clocks
    watch = _watch(qtbot, clocks)
    before = clock.now()
    clock.advance(timedelta(hours=8))  # the monotonic clock stood still while the lid was closed
    mono.value += 2
    with qtbot.waitSignal(watch.jumped, timeout=100) as blocker:
        assert watch.check()
    assert blocker.args == [before, clock.now()]


def test_manual_backwards_change_is_a_jump(qtbot, clocks) -> None:
    clock, mono = clocks
    watch = _watch(qtbot, clocks)
    clock.advance(timedelta(hours=-2, seconds=60))
    mono.value += 60
    with qtbot.waitSignal(watch.jumped, timeout=100):
        assert watch.check()


def test_time_zone_change_is_a_jump(qtbot, clocks) -> None:
    clock, mono = clocks
    watch = _watch(qtbot, clocks)
    clock.advance(60)
    mono.value += 60
    clock.set_timezone(NEW_YORK)  # same instant, new offset
    with qtbot.waitSignal(watch.jumped, timeout=100) as blocker:
        assert watch.check()
    old, new = blocker.args
    assert old.utcoffset() == timedelta(hours=2) and new.utcoffset() == timedelta(hours=-4)


def test_periodic_check_runs_from_its_own_timer(qtbot, clocks) -> None:
    clock, mono = clocks
    watch = _watch(qtbot, clocks, interval_msec=20)
    watch.start()
    assert watch.is_active()
    clock.advance(timedelta(hours=3))
    with qtbot.waitSignal(watch.jumped, timeout=1000):
        pass
    watch.stop()
    assert not watch.is_active()


def test_resume_from_logind_emits_resumed_then_checks(qtbot, clocks) -> None:
    clock, mono = clocks
    watch = _watch(qtbot, clocks)
    with qtbot.waitSignal(watch.sleeping, timeout=100):
        watch.handle_prepare_for_sleep(True)
    clock.advance(timedelta(hours=1))
    with qtbot.waitSignals([watch.resumed, watch.jumped], order="strict", timeout=100):
        watch.handle_prepare_for_sleep(False)


_LOGIND_CHILD = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtCore import QCoreApplication, QTimer, qInstallMessageHandler
    from PySide6.QtDBus import QDBusConnection, QDBusMessage
    qt_messages = []
    qInstallMessageHandler(lambda kind, ctx, msg: qt_messages.append(msg))
    app = QCoreApplication([])
    from igfcoach.core.clock import SystemClock
    from igfcoach.reminders.scheduler import WallClockWatch
    watch = WallClockWatch(SystemClock())
    fake = QDBusConnection.connectToBus(os.environ["DBUS_SYSTEM_BUS_ADDRESS"], "fake-logind")
    assert fake.registerService("org.freedesktop.login1")
    got = []
    watch.sleeping.connect(lambda: got.append("sleeping"))
    watch.resumed.connect(lambda: (got.append("resumed"), app.quit()))
    def emit(going_to_sleep):
        msg = QDBusMessage.createSignal(
            "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep")
        msg.setArguments([going_to_sleep])
        fake.send(msg)
    QTimer.singleShot(50, lambda: (emit(True), emit(False)))
    QTimer.singleShot(5000, app.quit)
    app.exec()
    print(watch.logind_connected, got, qt_messages)
    """
)


@pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")
def test_logind_prepare_for_sleep_over_a_private_system_bus(tmp_path) -> None:
    """Subprocess: QDBusConnection.systemBus() is process-wide, so the fake system bus stays out of this one."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        address = daemon.stdout.readline().strip()  # type: ignore[union-attr]
        env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": address, "QT_QPA_PLATFORM": "offscreen"}
        out = subprocess.run(
            [sys.executable, "-c", _LOGIND_CHILD], env=env, capture_output=True, text=True, timeout=30, cwd=tmp_path
        )
    finally:
        daemon.terminate()
        daemon.wait(timeout=5)
        daemon.stdout.close()  # type: ignore[union-attr]
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True ['sleeping', 'resumed'] []"
