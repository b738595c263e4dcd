"""Where a reminder is scheduled: APScheduler 3.x in the Qt event loop, with exactly one pending wake-up.

* ``QtTimerScheduler`` owns one real single-shot ``QTimer`` and re-arms it (stopping it first). APScheduler's own
  ``QtScheduler`` keeps the return value of the static ``QTimer.singleShot``, which is None under PySide6, so it
  can never cancel a wake-up and every re-schedule adds another timer chain.
* ``QtExecutor`` runs jobs synchronously in the scheduler's (Qt) thread, so jobs may touch Qt objects.
* ``RuleTrigger`` makes APScheduler fire at ``reminder_rules.next_fire`` times. APScheduler 3.11's
  ``CronTrigger`` fires twice on a fall-back night and 30-60 min late inside a spring-forward gap; this trigger
  keeps the rules of ``igfcoach.core.reminder_rules`` (fire once; first valid instant after a gap).
* ``WallClockWatch`` notices what a monotonic ``QTimer`` cannot: suspend/resume, a manual clock change and a
  time-zone change (periodic wall-vs-monotonic check, plus logind ``PrepareForSleep`` when the system bus is there).
"""

from __future__ import annotations

import logging
import math
import time as _time
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any

from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from PySide6.QtCore import QObject, QThread, QTimer, Qt, Signal, Slot, SLOT
from PySide6.QtDBus import QDBusConnection

from igfcoach.core.clock import Clock
from igfcoach.core.reminder_rules import ReminderRule, next_fire

__all__ = ["QtExecutor", "QtTimerScheduler", "RuleTrigger", "WallClockWatch", "msec_for"]

log = logging.getLogger(__name__)

#: QTimer takes a signed 32-bit millisecond interval (about 24.8 days).
QTIMER_MAX_MSEC = 2**31 - 1


def msec_for(wait_seconds: float) -> int:
    """APScheduler's wait (seconds, float, possibly huge) as a QTimer interval: rounded up, clamped to int32.

    Rounding up avoids waking a hair early; a clamped wait simply wakes, finds nothing due and re-arms.
    """
    if math.isnan(wait_seconds) or wait_seconds <= 0:
        return 0
    if wait_seconds * 1000 >= QTIMER_MAX_MSEC:
        return QTIMER_MAX_MSEC
    return min(math.ceil(wait_seconds * 1000), QTIMER_MAX_MSEC)


class QtExecutor(DebugExecutor):
    """Runs each job synchronously in the thread that processes jobs: the Qt thread of ``QtTimerScheduler``."""


class _TimerHost(QObject):
    """The QObject that owns the scheduler's single QTimer and carries wake-ups from other threads."""

    wake_requested = Signal()

    def __init__(self, on_wake: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_wake = on_wake
        self.wake_requested.connect(self._handle_wake, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _handle_wake(self) -> None:
        self._on_wake()


class QtTimerScheduler(BaseScheduler):
    """An APScheduler scheduler driven by ONE single-shot QTimer that it owns.

    Every wake-up request stops the timer and starts it again, so however many times jobs are added or
    re-scheduled there is at most one pending wake-up. Jobs run in the Qt thread (``QtExecutor`` by default).
    ``wakeup()`` may be called from any thread; it is forwarded to the Qt thread. Call ``wakeup()`` after the
    wall clock jumped (see ``WallClockWatch``): the QTimer counts monotonic time, which stops during suspend.
    ``parent`` parents the QObject that owns the timer; shut the scheduler down before that parent is destroyed.
    """

    def __init__(
        self, gconfig: Mapping[str, Any] | None = None, *, parent: QObject | None = None, **options: Any
    ) -> None:
        self._host = _TimerHost(self.wakeup, parent)
        self._host.setObjectName("QtTimerScheduler")
        self._timer = QTimer(self._host)
        self._timer.setObjectName("QtTimerScheduler.wakeup")
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a CoarseTimer may be 5 % late: minutes on long waits
        self._timer.timeout.connect(self._on_timeout)
        self._processing = False
        self._rewake = False
        super().__init__(dict(gconfig or {}), **options)

    # -- introspection (tests, diagnostics) --------------------------------------------------------------------

    @property
    def timer_owner(self) -> QObject:
        """The QObject that owns the scheduler's timer (parent it, or inspect its children)."""
        return self._host

    def pending_timers(self) -> list[QTimer]:
        """The active QTimers owned by this scheduler: never more than one."""
        return [t for t in self._host.findChildren(QTimer) if t.isActive()]

    def remaining_msec(self) -> int | None:
        """Milliseconds until the pending wake-up, or None when none is pending."""
        return self._timer.remainingTime() if self._timer.isActive() else None

    # -- BaseScheduler ------------------------------------------------------------------------------------------

    def shutdown(self, wait: bool = True) -> None:
        """Shut down executors and job stores and cancel the pending wake-up."""
        super().shutdown(wait)
        self._stop_timer()

    def wakeup(self) -> None:
        """Process jobs soon (from the event loop), replacing any pending wake-up."""
        if QThread.currentThread() != self._host.thread():
            self._host.wake_requested.emit()
            return
        if self.state == STATE_STOPPED:
            return
        if self._processing:  # a job added/modified jobs: look again right after this round
            self._rewake = True
            return
        self._start_timer(0)

    def _create_default_executor(self) -> QtExecutor:
        return QtExecutor()

    # -- the one timer ------------------------------------------------------------------------------------------

    def _start_timer(self, wait_seconds: float | None) -> None:
        """Stop the pending wake-up, then arm a new one (None: wait until a job is added)."""
        self._stop_timer()
        if wait_seconds is not None:
            self._timer.start(msec_for(wait_seconds))

    def _stop_timer(self) -> None:
        self._timer.stop()

    @Slot()
    def _on_timeout(self) -> None:
        if self.state == STATE_STOPPED:
            return
        self._processing, self._rewake = True, False
        try:
            wait_seconds = self._process_jobs()
        finally:
            self._processing = False
        if self.state == STATE_STOPPED:  # a job shut the scheduler down
            return
        self._start_timer(0 if self._rewake else wait_seconds)


class RuleTrigger(BaseTrigger):
    """An APScheduler trigger firing at ``reminder_rules.next_fire`` times of one rule in ``tz``.

    Fire times are returned in UTC: APScheduler compares them with ``now`` in its own zone, and two datetimes
    sharing a ZoneInfo are compared by wall time (wrong in the repeated hour of a fall-back night).
    """

    __slots__ = ("last_result", "rule", "tz")

    def __init__(self, rule: ReminderRule, tz: tzinfo, *, last_result: date | None = None) -> None:
        self.rule = rule
        self.tz = tz
        self.last_result = last_result

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        """The next occurrence after the previous fire time, or at/after ``now`` for a new job."""
        after = previous_fire_time if previous_fire_time is not None else now - timedelta(microseconds=1)
        when = next_fire(self.rule, after, self.tz, last_result=self.last_result)
        return None if when is None else when.astimezone(timezone.utc)

    def __str__(self) -> str:
        days = ",".join(str(d) for d in sorted(self.rule.weekdays)) or "*"
        return f"rule[{self.rule.kind} {self.rule.time:%H:%M} days={days} tz={self.tz}]"

    def __repr__(self) -> str:
        return f"<RuleTrigger {self}>"


_LOGIND = ("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager")


class WallClockWatch(QObject):
    """Notices wall-clock jumps that a monotonic QTimer cannot see.

    Every ``interval_msec`` (default a minute) it compares wall-clock elapsed time (``clock``) with monotonic
    elapsed time (``monotonic``, default ``time.monotonic``, which on Linux stops during suspend). A difference
    over ``threshold`` (suspend/resume, a manual clock change, an NTP step) or a change of the UTC offset
    (time-zone change, or a DST transition, which is harmless to re-plan on) emits ``jumped(old_wall, new_wall)``.
    With ``listen_logind`` it also subscribes to logind's ``PrepareForSleep`` on the system bus when there is
    one (quietly does nothing otherwise) and emits ``resumed`` after a resume, followed by a ``check()``.
    """

    jumped = Signal(object, object)  # (old wall time, new wall time), both aware datetimes
    resumed = Signal()
    sleeping = Signal()

    def __init__(
        self,
        clock: Clock,
        *,
        monotonic: Callable[[], float] = _time.monotonic,
        interval_msec: int = 60_000,
        threshold: timedelta = timedelta(seconds=5),
        listen_logind: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._monotonic = monotonic
        self._threshold = threshold.total_seconds()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_msec)
        self._timer.timeout.connect(self.check)
        self._last_wall, self._last_mono = clock.now(), monotonic()
        self.logind_connected = self._connect_logind() if listen_logind else False

    def start(self) -> None:
        """Start the periodic check (from now)."""
        self.reset()
        self._timer.start()

    def stop(self) -> None:
        """Stop the periodic check."""
        self._timer.stop()

    def is_active(self) -> bool:
        return self._timer.isActive()

    def reset(self) -> None:
        """Take the current wall and monotonic times as the new reference."""
        self._last_wall, self._last_mono = self._clock.now(), self._monotonic()

    @Slot()
    def check(self) -> bool:
        """Compare the clocks now; emit ``jumped`` and return True on a jump or an offset change."""
        wall, mono = self._clock.now(), self._monotonic()
        old_wall = self._last_wall
        wall_elapsed = (wall.astimezone(timezone.utc) - old_wall.astimezone(timezone.utc)).total_seconds()
        gap = wall_elapsed - (mono - self._last_mono)
        offset_changed = wall.utcoffset() != old_wall.utcoffset()
        self._last_wall, self._last_mono = wall, mono
        if abs(gap) > self._threshold or offset_changed:
            log.info("wall clock jumped: %s -> %s (gap %.1f s, offset changed: %s)", old_wall, wall, gap, offset_changed)
            self.jumped.emit(old_wall, wall)
            return True
        return False

    @Slot(bool)
    def handle_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        """logind's ``PrepareForSleep(bool)``: True before suspend, False after resume."""
        if going_to_sleep:
            self.sleeping.emit()
            return
        log.info("resumed from sleep")
        self.resumed.emit()
        self.check()

    def _connect_logind(self) -> bool:
        bus = QDBusConnection.systemBus()
        if not bus.isConnected():
            log.debug("no system bus (%s); relying on the periodic wall-clock check", bus.lastError().message())
            return False
        ok = bus.connect(*_LOGIND, "PrepareForSleep", self, SLOT("handle_prepare_for_sleep(bool)"))
        if not ok:
            log.debug("could not subscribe to logind PrepareForSleep: %s", bus.lastError().message())
        return bool(ok)
