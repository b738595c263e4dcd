"""The reminder engine: timers built from the database rules, decisions, delivery and the user's answer.

* One APScheduler job per active rule (``RuleTrigger``, coalesce, the rule's grace as ``misfire_grace_time``)
  on ``QtTimerScheduler`` (one QTimer). Jobs are rebuilt from the database whenever settings, habits or labs
  change, and when the time zone changes.
* When a job fires the engine asks ``reminder_rules.decide`` (habit already done today, quiet hours, pause,
  snooze, grace) using the injected clock, and sends through the ``Deliverer``. A deferral (quiet hours or a
  pause ending inside the grace window) becomes a one-off job.
* "Done" ticks the habit (``checklist.record(..., source="reminder")``) and emits ``checkoffs_changed``;
  "Snooze" stores the snooze and schedules a one-off job.
* ``WallClockWatch`` reports suspend/resume, clock jumps and offset changes: the engine then catches up with
  ``reminder_rules.catch_up`` (at most one late reminder per rule, inside its grace; never a burst) and
  re-plans. At start it catches up from the last time it ran (the app may have been closed at bedtime).
* The only periodic timer is the once-a-minute wall-clock check.
"""

from __future__ import annotations

import logging
import time as _time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from igfcoach.core.clock import SystemClock
from igfcoach.core.reminder_rules import Decision, Outcome, catch_up, decide, next_fire, previous_fire
from igfcoach.reminders.delivery import (
    ACTION_DONE,
    ACTION_OPEN,
    ACTION_SNOOZE,
    Deliverer,
    Notice,
)
from igfcoach.reminders.scheduler import QtTimerScheduler, RuleTrigger, WallClockWatch
from igfcoach.services import reminders as svc

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

__all__ = ["ReminderEngine"]

log = logging.getLogger(__name__)

UTC = timezone.utc


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


class ReminderEngine(QObject):
    """Schedules, decides and delivers reminders for one ``AppContext``.

    ``hub`` is the application's signal hub (``CoachApp``) or None; the engine listens to its
    ``settings_changed``, ``habits_changed``, ``labs_changed`` and ``checkoffs_changed`` and emits its
    ``checkoffs_changed`` after a "Done". ``run_scheduler=False`` keeps the QTimer-driven scheduler stopped
    (tests drive ``handle()`` and ``catch_up_since()`` with a fake clock instead).
    """

    decided = Signal(int, str)  # rule id, Outcome value
    sent = Signal(int, str)  # rule id, back-end name ("" when nothing could show it)
    checkoffs_changed = Signal()  # a habit was ticked from a reminder
    open_requested = Signal()  # the user clicked a reminder message: show the app

    def __init__(
        self,
        ctx: AppContext,
        deliverer: Deliverer,
        *,
        hub: QObject | None = None,
        monotonic: Callable[[], float] = _time.monotonic,
        listen_logind: bool = True,
        tick_msec: int = 60_000,
        run_scheduler: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reminderEngine")
        self.ctx = ctx
        self.deliverer = deliverer
        self.hub = hub
        self.run_scheduler = run_scheduler
        self.scheduler = QtTimerScheduler(
            timezone=UTC,
            parent=self,
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        self.watch = WallClockWatch(
            ctx.clock, monotonic=monotonic, interval_msec=tick_msec, listen_logind=listen_logind, parent=self
        )
        self.watch.jumped.connect(self._on_jump)
        self.watch.sleeping.connect(self._on_sleeping)
        # The one periodic timer: refresh the named zone, then compare wall and monotonic clocks.
        self._tick = QTimer(self)
        self._tick.setObjectName("ReminderEngine.minute")
        self._tick.setInterval(tick_msec)
        self._tick.timeout.connect(self.tick)
        self._notices: dict[str, tuple[int, datetime]] = {}  # our notice id -> (rule id, occurrence)
        self._zone_name = self._zone_key(self.zone())
        self.started = False
        deliverer.action.connect(self.on_action)
        self._hub_links: list[tuple[Any, Callable[..., None]]] = []
        if hub is not None:
            for name in ("settings_changed", "habits_changed", "labs_changed"):
                signal = getattr(hub, name, None)
                if signal is not None:
                    self._hub_links.append((signal, self.rebuild))
            checkoffs = getattr(hub, "checkoffs_changed", None)
            if checkoffs is not None:
                self._hub_links.append((checkoffs, self._on_checkoffs_changed))
            for signal, slot in self._hub_links:
                signal.connect(slot)

    # -- time ----------------------------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.ctx.clock.now()

    def zone(self) -> tzinfo:
        zone = self.now().tzinfo
        assert zone is not None
        return zone

    @staticmethod
    def _zone_key(zone: tzinfo) -> str:
        return getattr(zone, "key", None) or str(zone)

    def _refresh_system_zone(self) -> None:
        """Pick up a change of the machine's time zone (the real clock keeps a named zone)."""
        clock = self.ctx.clock
        if not isinstance(clock, SystemClock):
            return
        try:
            import tzlocal

            _time.tzset()
            zone = tzlocal.reload_localzone()
        except Exception:  # an unreadable zone must not stop reminders; the fixed offset still works
            log.debug("could not re-read the local time zone", exc_info=True)
            return
        if clock.zone is None or self._zone_key(zone) != self._zone_key(clock.zone):
            log.info("local time zone is now %s", zone)
            clock.zone = zone

    # -- life cycle ------------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Create missing default rules, plan every rule, catch up from the last run, start the timers."""
        if self.started:
            return
        self.started = True
        svc.ensure_default_rules(self.ctx)
        self.rebuild()
        if self.run_scheduler:
            self.scheduler.start()
        self.watch.reset()
        self._tick.start()
        now = self.now()
        last = svc.last_check(self.ctx)
        if last is not None:
            self.catch_up_since(last, now, reason="start")
        self._rearm_snoozes(now)
        svc.touch(self.ctx, now)
        log.info("reminders started; %d rule(s) planned", len(self.planned()))

    def stop(self) -> None:
        """Stop the timers and remember when reminders were last looked at."""
        if not self.started:
            return
        self.started = False
        for signal, slot in self._hub_links:
            try:
                signal.disconnect(slot)
            except (RuntimeError, RuntimeWarning, TypeError):  # already gone with the app
                pass
        self._hub_links = []
        self._tick.stop()
        self.watch.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        try:
            svc.touch(self.ctx)
        except Exception:  # the database may already be closed at shutdown
            log.debug("could not record the last check", exc_info=True)

    # -- planning --------------------------------------------------------------------------------------------------

    @Slot()
    def rebuild(self) -> None:
        """Re-create the jobs from the database (rules, availability, lab date, time zone)."""
        if not self.started:
            return
        svc.ensure_default_rules(self.ctx)
        records = svc.list_rules(self.ctx)
        last_result = svc.last_result_date(self.ctx)
        zone = self.zone()
        self._zone_name = self._zone_key(zone)
        wanted = {f"rule-{rec.id}": rec for rec in records if rec.active}
        for job in self.scheduler.get_jobs():
            if job.id.startswith("rule-") and job.id not in wanted:
                self.scheduler.remove_job(job.id)
        for job_id, rec in wanted.items():
            if self.scheduler.get_job(job_id) is not None:
                self.scheduler.remove_job(job_id)
            self.scheduler.add_job(
                self._fire_scheduled,
                trigger=RuleTrigger(rec.rule, zone, last_result=last_result),
                id=job_id,
                name=f"{rec.kind}: {rec.title}",
                args=[rec.id],
                misfire_grace_time=max(1, int(rec.grace.total_seconds())),
                coalesce=True,
            )
        # A deferral may be over now (pause resumed, quiet hours changed): look at those again.
        for job in list(self.scheduler.get_jobs()):
            if job.id.startswith("defer-"):
                self.scheduler.remove_job(job.id)
                self.handle(int(job.id.removeprefix("defer-")), "deferred")
        log.debug("planned %d reminder job(s) in %s", len(wanted), self._zone_name)

    def planned(self) -> dict[int, datetime]:
        """Each active rule's next occurrence after now, from the database and the injected clock."""
        now = self.now()
        last_result = svc.last_result_date(self.ctx)
        out: dict[int, datetime] = {}
        for rec in svc.list_rules(self.ctx):
            when = next_fire(rec.rule, now, self.zone(), last_result=last_result)
            if when is not None:
                out[rec.id] = when
        return out

    def pending_one_offs(self) -> dict[str, datetime]:
        """Snooze and deferral jobs: job id -> when (UTC)."""
        return {
            job.id: job.trigger.run_date  # DateTrigger
            for job in self.scheduler.get_jobs()
            if job.id.startswith(("snooze-", "defer-"))
        }

    def _one_off(self, job_id: str, when: datetime, rule_id: int, reason: str, grace: timedelta) -> None:
        self.scheduler.add_job(
            self._fire_one_off,
            trigger="date",
            run_date=_utc(when),
            id=job_id,
            args=[rule_id, reason],
            replace_existing=True,
            misfire_grace_time=max(1, int(grace.total_seconds())),
            coalesce=True,
        )

    def _drop_job(self, job_id: str) -> None:
        if self.scheduler.get_job(job_id) is not None:
            self.scheduler.remove_job(job_id)

    def _rearm_snoozes(self, now: datetime) -> None:
        for rule_id, state in svc.all_states(self.ctx).items():
            if state.snoozed_until is not None and state.last_sent_for is not None:
                try:
                    rec = svc.get_rule(self.ctx, rule_id)
                except svc.UnknownRule:
                    continue
                when = max(_utc(state.snoozed_until), _utc(now))
                self._one_off(f"snooze-{rule_id}", when, rule_id, "snooze", rec.grace)

    # -- firing ------------------------------------------------------------------------------------------------

    def _fire_scheduled(self, rule_id: int) -> None:
        self.handle(rule_id, "scheduled")

    def _fire_one_off(self, rule_id: int, reason: str) -> None:
        self.handle(rule_id, reason)

    def handle(self, rule_id: int, reason: str = "scheduled") -> Decision | None:
        """Decide about the rule's due occurrence now and act on it (send, defer, skip).

        ``reason`` "snooze" re-fires the occurrence that was snoozed; anything else looks at the rule's latest
        occurrence at or before now.
        """
        now = self.now()
        try:
            rec = svc.get_rule(self.ctx, rule_id)
        except svc.UnknownRule:
            for prefix in ("rule-", "snooze-", "defer-"):
                self._drop_job(f"{prefix}{rule_id}")
            return None
        state = svc.get_state(self.ctx, rule_id)
        snoozed: datetime | None = None
        if reason == "snooze":
            if state.snoozed_until is None or state.last_sent_for is None:
                return None
            scheduled = state.last_sent_for
            snoozed = state.snoozed_until
        else:
            found = previous_fire(rec.rule, now, self.zone(), last_result=svc.last_result_date(self.ctx))
            if found is None:
                return None
            scheduled = found
            if state.snoozed_until is not None and state.last_sent_for is not None and _utc(scheduled) > _utc(
                state.last_sent_for
            ):
                # a new occurrence replaces an old snooze
                svc.clear_snooze(self.ctx, rule_id)
                self._drop_job(f"snooze-{rule_id}")
        return self._decide_and_act(rec, scheduled, now, state.last_sent_for, snoozed, reason)

    def _decide_and_act(
        self,
        rec: svc.RuleRecord,
        scheduled: datetime,
        now: datetime,
        last_sent: datetime | None,
        snoozed: datetime | None,
        reason: str,
    ) -> Decision:
        decision = decide(
            rec.rule,
            scheduled,
            now,
            habit_done=svc.habit_done_today(self.ctx, rec),
            quiet=svc.quiet_hours(self.ctx),
            paused_until=svc.paused_until(self.ctx, now),
            snoozed_until=snoozed,
            last_sent=last_sent,
            tz=self.zone(),
            grace=rec.grace,
        )
        log.info(
            "reminder %s (%s) for %s [%s]: %s %s",
            rec.id, rec.kind, scheduled.astimezone(self.zone()).isoformat(timespec="minutes"), reason,
            decision.outcome.value, decision.reason,
        )
        if decision.outcome is Outcome.SEND:
            self._deliver(rec, scheduled)
        elif decision.when is not None:
            if decision.outcome is Outcome.DEFER_SNOOZED:
                self._one_off(f"snooze-{rec.id}", decision.when, rec.id, "snooze", rec.grace)
            else:
                self._one_off(f"defer-{rec.id}", decision.when, rec.id, "deferred", rec.grace)
        elif reason == "snooze":
            svc.clear_snooze(self.ctx, rec.id)
        self.decided.emit(rec.id, decision.outcome.value)
        return decision

    def _deliver(self, rec: svc.RuleRecord, scheduled: datetime) -> None:
        title, body = svc.notice_text(self.ctx, rec)
        actions: list[tuple[str, str]] = []
        if svc.can_mark_done(self.ctx, rec):
            actions.append((ACTION_DONE, "Done"))
        actions.append((ACTION_SNOOZE, svc.snooze_label(svc.snooze_minutes(self.ctx))))
        notice = Notice(title, body, tuple(actions), group=f"rule-{rec.id}")
        # an older notice of this rule is superseded (the D-Bus back-end replaces it in place)
        for old_id, (rule_id, _) in list(self._notices.items()):
            if rule_id == rec.id:
                del self._notices[old_id]
        self._notices[notice.id] = (rec.id, scheduled)
        delivery = self.deliverer.send(notice)
        svc.mark_sent(self.ctx, rec.id, scheduled)
        if delivery.ok:
            log.info("reminder %s sent through %s", rec.id, delivery.backend)
        else:
            log.warning("reminder %s could not be shown: %s", rec.id, delivery.text)
        self.sent.emit(rec.id, delivery.backend or "")

    # -- the user's answer -------------------------------------------------------------------------------------

    def notice_for_rule(self, rule_id: int) -> str | None:
        """The id of the open notice of a rule (tests, diagnostics)."""
        return next((nid for nid, (rid, _) in self._notices.items() if rid == rule_id), None)

    @Slot(str, str)
    def on_action(self, notice_id: str, action: str) -> None:
        entry = self._notices.get(notice_id) if self.started else None
        if entry is None:
            log.debug("action %r for unknown notice %s", action, notice_id)
            return
        rule_id, _occurrence = entry
        try:
            rec = svc.get_rule(self.ctx, rule_id)
        except svc.UnknownRule:
            self._notices.pop(notice_id, None)
            return
        if action == ACTION_DONE:
            self._notices.pop(notice_id, None)
            self._drop_job(f"snooze-{rule_id}")
            if svc.mark_done(self.ctx, rec):
                log.info("reminder %s: habit %s ticked from the notification", rule_id, rec.habit_key)
                self.checkoffs_changed.emit()
                hub_signal = getattr(self.hub, "checkoffs_changed", None)
                if hub_signal is not None:
                    hub_signal.emit()
            self.deliverer.close(notice_id)
        elif action == ACTION_SNOOZE:
            self._notices.pop(notice_id, None)
            until = svc.snooze(self.ctx, rule_id)
            self._one_off(f"snooze-{rule_id}", until, rule_id, "snooze", rec.grace)
            log.info("reminder %s snoozed until %s", rule_id, until.isoformat(timespec="seconds"))
            self.deliverer.close(notice_id)
        elif action == ACTION_OPEN:
            self.open_requested.emit()
            banner = self.deliverer.backend("banner")
            if banner is not None and banner.available() and self.deliverer._sent_with.get(notice_id) is not banner:
                # the message had no buttons (tray balloon): offer Done / Snooze in the window
                title, body = svc.notice_text(self.ctx, rec)
                actions = [(ACTION_DONE, "Done")] if svc.can_mark_done(self.ctx, rec) else []
                actions.append((ACTION_SNOOZE, svc.snooze_label(svc.snooze_minutes(self.ctx))))
                again = Notice(title, body, tuple(actions), group=f"rule-{rule_id}", id=notice_id)
                if banner.send(again):
                    self.deliverer._sent_with[notice_id] = banner

    @Slot()
    def _on_checkoffs_changed(self) -> None:
        """The user ticked something in the app: take away reminders whose habit is now done."""
        if not self.started:
            return
        for notice_id, (rule_id, _) in list(self._notices.items()):
            try:
                rec = svc.get_rule(self.ctx, rule_id)
            except svc.UnknownRule:
                self._notices.pop(notice_id, None)
                continue
            if svc.habit_done_today(self.ctx, rec):
                self._notices.pop(notice_id, None)
                self._drop_job(f"snooze-{rule_id}")
                svc.clear_snooze(self.ctx, rule_id)
                self.deliverer.close(notice_id)

    # -- suspend, clock jumps, time zones ------------------------------------------------------------------------

    def catch_up_since(self, since: datetime, now: datetime | None = None, *, reason: str = "catch-up") -> list[Decision]:
        """Handle what fell due in ``(since, now]``: at most one late occurrence per rule, inside its grace."""
        now = now or self.now()
        zone = self.zone()
        last_result = svc.last_result_date(self.ctx)
        states = svc.all_states(self.ctx)
        decisions: list[Decision] = []
        due: list[tuple[svc.RuleRecord, datetime]] = []
        for rec in svc.list_rules(self.ctx):
            if not rec.active:
                continue
            state = states.get(rec.id)
            last_sent = state.last_sent_for if state else None
            for _rule, occurrence in catch_up(
                [(rec.rule, last_sent)], since, now, zone, last_result=last_result, grace={rec.kind: rec.grace}
            ):
                due.append((rec, occurrence))
        due.sort(key=lambda pair: _utc(pair[1]))
        for rec, occurrence in due:
            state = states.get(rec.id)
            decisions.append(
                self._decide_and_act(rec, occurrence, now, state.last_sent_for if state else None, None, reason)
            )
        return decisions

    @Slot(object, object)
    def _on_jump(self, old_wall: datetime, new_wall: datetime) -> None:
        if self._zone_key(self.zone()) != self._zone_name or old_wall.utcoffset() != new_wall.utcoffset():
            log.info("time zone or offset changed (%s -> %s): re-planning", old_wall.tzinfo, new_wall.tzinfo)
            self.rebuild()
        self.catch_up_since(old_wall, new_wall)
        svc.touch(self.ctx, new_wall)
        self.scheduler.wakeup()  # the QTimer counted monotonic time: let APScheduler look at the clock again

    @Slot()
    def _on_sleeping(self) -> None:
        try:
            svc.touch(self.ctx)
        except Exception:
            log.debug("could not record the last check before sleep", exc_info=True)

    @Slot()
    def tick(self) -> None:
        """Once a minute: notice a changed system time zone, then compare the wall and monotonic clocks."""
        self._refresh_system_zone()
        if self._zone_key(self.zone()) != self._zone_name:
            old = self._zone_name
            self.rebuild()
            log.info("time zone changed from %s to %s", old, self._zone_name)
        self.watch.check()

    def describe(self) -> Any:
        return self.deliverer.describe()
