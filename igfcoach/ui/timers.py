"""Timers on the Qt event loop: a phase sequence (HIIT plan, rest timer, breathing pattern) driven by an
injectable clock and one QTimer.

The QTimer only says "look again"; where the sequence stands always comes from the clock (elapsed time
since start, minus pauses), so a late or skipped tick never makes the timer drift, it keeps time while the
window is in the background, and a test runs a 20-minute plan in milliseconds by advancing a FakeClock and
calling ``tick()``.

``PhaseTimer`` is the bare sequence; ``CuedRun`` adds the sound cues (a cue at each phase change, a
3-2-1 countdown before the end of long enough phases, a finish cue) and a one-line status for the tray.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from igfcoach.core import intervals
from igfcoach.core.clock import Clock
from igfcoach.core.intervals import Phase, PhaseSpec
from igfcoach.ui.sounds import CuePlayer

IDLE, RUNNING, PAUSED, FINISHED, STOPPED = "idle", "running", "paused", "finished", "stopped"


class PhaseTimer(QObject):
    """Runs a phase sequence against a clock.

    Signals: ``phase_changed(Phase)`` once for every phase entered, in order (also for phases a long
    tick skipped past, e.g. after a suspend) and once more with ``finished`` set at the end;
    ``ticked(Phase)`` on every tick while running; ``state_changed(str)``; ``finished(Phase)``.
    """

    phase_changed = Signal(object)
    ticked = Signal(object)
    state_changed = Signal(str)
    finished = Signal(object)

    def __init__(self, clock: Clock, parent: QObject | None = None, *, interval_ms: int = 100) -> None:
        super().__init__(parent)
        self.clock = clock
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)
        self.phases: list[PhaseSpec] = []
        self.state = IDLE
        self._index = -1
        self._banked = 0.0  # seconds run before the current stretch (pauses excluded)
        self._since = None  # when the current running stretch began

    # --- control ---------------------------------------------------------------------------------

    def start(self, phases: Sequence[PhaseSpec]) -> None:
        if not phases:
            raise ValueError("nothing to run: the sequence has no phases")
        self.timer.stop()
        self.phases = list(phases)
        self._index = -1
        self._banked = 0.0
        self._since = self.clock.now()
        self._set_state(RUNNING)
        self.timer.start()
        self.tick()

    def pause(self) -> None:
        if self.state != RUNNING:
            return
        self._banked = self.elapsed()
        self._since = None
        self.timer.stop()
        self._set_state(PAUSED)

    def resume(self) -> None:
        if self.state != PAUSED:
            return
        self._since = self.clock.now()
        self._set_state(RUNNING)
        self.timer.start()
        self.tick()

    def toggle(self) -> None:
        if self.state == RUNNING:
            self.pause()
        elif self.state == PAUSED:
            self.resume()

    def stop(self) -> Phase | None:
        """Stop early; returns where it stood (None when nothing was running)."""
        if self.state not in (RUNNING, PAUSED):
            return None
        where = self.phase()
        self._banked = self.elapsed()
        self._since = None
        self.timer.stop()
        self._set_state(STOPPED)
        return where

    # --- state -----------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.state in (RUNNING, PAUSED)

    def elapsed(self) -> float:
        """Seconds run so far, pauses excluded (a clock stepping backwards counts as no time)."""
        if self._since is None:
            return self._banked
        delta = (self.clock.now() - self._since).total_seconds()
        return self._banked + max(0.0, delta)

    def phase(self) -> Phase | None:
        if not self.phases:
            return None
        return intervals.phase_at(self.phases, self.elapsed())

    def tick(self) -> None:
        """Look at the clock and report (the QTimer's slot; tests call it directly)."""
        if self.state != RUNNING:
            return
        now = intervals.phase_at(self.phases, self.elapsed())
        if now.index != self._index:
            starts = intervals.phase_starts(self.phases)
            for i in range(self._index + 1, now.index):  # phases a long tick skipped past
                spec = self.phases[i]
                self.phase_changed.emit(Phase(i, spec.kind, spec.round, now.rounds, starts[i], spec.duration_s,
                                              starts[i], now.total_s))
            self._index = now.index
            self.phase_changed.emit(now)
        self.ticked.emit(now)
        if now.finished:
            self.timer.stop()
            self._banked, self._since = now.total_s, None
            self._set_state(FINISHED)
            self.finished.emit(now)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)


#: The cue for entering each kind of phase.
START_CUES = {
    intervals.WARMUP: "phase",
    intervals.WORK: "work",
    intervals.REST: "rest",
    intervals.COOLDOWN: "phase",
    intervals.INHALE: "breathe_in",
    intervals.EXHALE: "breathe_out",
}
COUNTDOWN_FROM = 3
COUNTDOWN_MIN_PHASE_S = 6  # no 3-2-1 in phases shorter than this


class CuedRun(QObject):
    """A PhaseTimer with sound cues and a status line.

    ``start_cues`` maps phase kinds to the cue for entering them (a kind missing is silent);
    ``countdown_kinds`` get 3-2-1 ticks before they end; ``finish_cue`` plays at the end.
    ``events`` records ("phase", kind, round) for every phase change and ("cue", name) for every cue,
    in order -- what the tests check.
    """

    status_changed = Signal(str)  # "" when not running

    def __init__(self, clock: Clock, cues: CuePlayer, parent: QObject | None = None, *, name: str,
                 start_cues: dict[str, str] | None = None, countdown_kinds: Sequence[str] = (),
                 finish_cue: str | None = "finish", interval_ms: int = 100) -> None:
        super().__init__(parent)
        self.name = name
        self.cues = cues
        self.start_cues = dict(START_CUES if start_cues is None else start_cues)
        self.countdown_kinds = frozenset(countdown_kinds)
        self.finish_cue = finish_cue
        self.timer = PhaseTimer(clock, self, interval_ms=interval_ms)
        self.events: list[tuple] = []
        self._counted: int | None = None  # last 3-2-1 number played in this phase
        self._status = ""
        self._status_second: int | None = None
        self.timer.phase_changed.connect(self._on_phase)
        self.timer.ticked.connect(self._on_tick)
        self.timer.state_changed.connect(self._on_state)

    # control passes through
    def start(self, phases: Sequence[PhaseSpec]) -> None:
        self.events.clear()
        self.cues.preload()
        self.timer.start(phases)

    def pause(self) -> None:
        self.timer.pause()

    def resume(self) -> None:
        self.timer.resume()

    def toggle(self) -> None:
        self.timer.toggle()

    def stop(self) -> Phase | None:
        return self.timer.stop()

    def tick(self) -> None:
        self.timer.tick()

    @property
    def state(self) -> str:
        return self.timer.state

    def phase(self) -> Phase | None:
        return self.timer.phase()

    def cue(self, name: str) -> None:
        self.events.append(("cue", name))
        self.cues.play(name)

    def _on_phase(self, p: Phase) -> None:
        self._counted = None
        if p.finished:
            self.events.append(("phase", "finished", 0))
            if self.finish_cue:
                self.cue(self.finish_cue)
            return
        self.events.append(("phase", p.kind, p.round))
        cue = self.start_cues.get(p.kind)
        if cue:
            self.cue(cue)

    def _on_tick(self, p: Phase) -> None:
        if not p.finished and p.kind in self.countdown_kinds and p.duration_s >= COUNTDOWN_MIN_PHASE_S:
            left = math.ceil(p.remaining_s - 1e-9)
            if 1 <= left <= COUNTDOWN_FROM and (self._counted is None or left < self._counted):
                self._counted = left
                self.cue("countdown")
        self._update_status(p)

    def _on_state(self, state: str) -> None:
        if state in (FINISHED, STOPPED, IDLE):
            self._set_status("")
        elif state == PAUSED:
            p = self.timer.phase()
            self._set_status(f"{self.name} paused" + (f" · {self.describe(p)}" if p else ""))

    def describe(self, p: Phase) -> str:
        parts = [p.title]
        if p.round and p.rounds and p.kind in (intervals.WORK, intervals.REST):
            parts.append(f"round {p.round}/{p.rounds}")
        parts.append(intervals.format_clock(p.remaining_s))
        return " · ".join(parts)

    def _update_status(self, p: Phase) -> None:
        second = math.ceil(p.remaining_s - 1e-9)
        if p.finished or (second == self._status_second and self._status):
            return
        self._status_second = second
        self._set_status(f"{self.name}: {self.describe(p)}")

    def _set_status(self, text: str) -> None:
        if text != self._status:
            self._status = text
            if not text:
                self._status_second = None
            self.status_changed.emit(text)
