"""The reminders service: default rules from the profile and habits, edits with field-named errors, next fire
times, the state the engine keeps (sent, snoozed, last check), "Done" ticking the habit, and autostart."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from igfcoach.core.reminder_rules import KINDS
from igfcoach.core.safety import ScreenAnswers
from igfcoach.services import autostart, checklist, habits, profile, settings
from igfcoach.services import reminders as svc
from igfcoach.services.context import open_context
from igfcoach.store.models.reminders import RULE_KINDS

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc
TODAY = date(2026, 11, 25)  # the `clock` fixture's day (Wednesday), 09:00 Berlin


@pytest.fixture
def seeded(ctx):
    habits.seed_from_catalog(ctx, weight_kg=80)
    svc.ensure_default_rules(ctx)
    return ctx


def by_kind(ctx):
    return {r.kind: r for r in svc.list_rules(ctx) if r.kind != "supplements"}


def test_store_kinds_match_the_core_kinds():
    assert RULE_KINDS == KINDS


def test_default_rules_follow_the_profile_and_are_created_once(ctx):
    profile.save(ctx, profile.Profile(bedtime=time(21, 30), wake_time=time(6, 0), sleep_goal_h=8.5, onboarded=True))
    assert svc.ensure_default_rules(ctx) == 7
    assert svc.ensure_default_rules(ctx) == 0
    rules = by_kind(ctx)
    assert list(rules) == ["wind_down", "bedtime", "hiit", "resistance", "breathing", "protein", "lab_retest"]
    assert rules["bedtime"].time == time(21, 30)  # 06:00 minus 8.5 h
    assert rules["wind_down"].time == time(20, 45)  # 45 minutes earlier
    assert "Screens off" in rules["wind_down"].body and "cool and dark" in rules["wind_down"].body
    assert rules["hiit"].weekdays == {1, 5} and rules["resistance"].weekdays == {0, 2, 4}
    assert rules["lab_retest"].weeks_after == 12
    on = {k for k, r in rules.items() if r.enabled}
    assert on == {"wind_down", "bedtime", "hiit", "resistance", "lab_retest"}


def test_sleep_rules_move_with_the_profile_unless_the_user_set_a_time(ctx):
    svc.ensure_default_rules(ctx)
    profile.save(ctx, profile.Profile(bedtime=time(23, 0), wake_time=time(7, 0), sleep_goal_h=8.0, onboarded=True))
    svc.ensure_default_rules(ctx)
    rules = by_kind(ctx)
    assert rules["bedtime"].time == time(23, 0) and rules["wind_down"].time == time(22, 15)
    assert "23:00" in rules["wind_down"].body
    svc.update_rule(ctx, rules["bedtime"].id, time="22:40")  # the user's own time
    profile.save(ctx, profile.Profile(bedtime=time(22, 0), wake_time=time(6, 0), sleep_goal_h=8.0, onboarded=True))
    svc.ensure_default_rules(ctx)
    rules = by_kind(ctx)
    assert rules["bedtime"].time == time(22, 40)
    assert rules["wind_down"].time == time(21, 15)


def test_supplement_reminders_only_when_enabled_and_allowed(ctx):
    habits.seed_from_catalog(ctx)
    svc.ensure_default_rules(ctx)
    assert not [r for r in svc.list_rules(ctx) if r.kind == "supplements"]  # not on the checklist
    habits.seed_from_catalog(ctx, enable_optional=["mucuna"])
    svc.ensure_default_rules(ctx)
    [supp] = [r for r in svc.list_rules(ctx) if r.kind == "supplements"]
    assert supp.habit_key == "mucuna" and not supp.enabled and supp.available
    svc.set_enabled(ctx, supp.id, True)
    assert svc.get_rule(ctx, supp.id).rule.enabled

    from igfcoach.services import safety

    safety.record_answers(ctx, ScreenAnswers(age=40, active_cancer=True))
    blocked = svc.get_rule(ctx, supp.id)
    assert not blocked.available and "safety" in blocked.unavailable_reason
    assert not blocked.rule.enabled  # the scheduler sees it switched off
    assert dict((r.id, w) for r, w in svc.next_fires(ctx))[supp.id] is None

    safety.record_answers(ctx, ScreenAnswers(age=40))
    habits.set_status(ctx, "mucuna", habits.PAUSED)
    paused = svc.get_rule(ctx, supp.id)
    assert not paused.available and "paused" in paused.unavailable_reason


def test_update_validates_with_field_named_messages(seeded):
    rid = by_kind(seeded)["hiit"].id
    cases = [
        (dict(time="25:00"), "time:"),
        (dict(time="7"), "time:"),
        (dict(weekdays="1,9"), "weekdays:"),
        (dict(weekdays="mon"), "weekdays:"),
        (dict(title="  "), "title:"),
        (dict(grace_minutes=-1), "grace_minutes:"),
        (dict(enabled="yes"), "enabled:"),
        (dict(weeks_after=4), "weeks_after:"),  # only the lab rule counts weeks
    ]
    for changes, field in cases:
        with pytest.raises(svc.ReminderError, match=f"^{field}"):
            svc.update_rule(seeded, rid, **changes)
    lab = by_kind(seeded)["lab_retest"].id
    for bad in (0, 105, 2.5, True):
        with pytest.raises(svc.ReminderError, match="^weeks_after:"):
            svc.update_rule(seeded, lab, weeks_after=bad)
    with pytest.raises(svc.UnknownRule, match="^rule:"):
        svc.update_rule(seeded, 999, enabled=False)
    assert svc.get_rule(seeded, rid) == by_kind(seeded)["hiit"]  # nothing changed


def test_update_is_saved_and_survives_a_restart(seeded, tmp_path, clock):
    rid = by_kind(seeded)["hiit"].id
    svc.update_rule(seeded, rid, time=time(7, 15), weekdays=[0, 3], grace_minutes=45)
    svc.set_lab_weeks(seeded, 16)
    seeded.close()
    again = open_context(str(tmp_path / "data"), clock=clock)
    try:
        rec = svc.get_rule(again, rid)
        assert (rec.time, rec.weekdays, rec.grace) == (time(7, 15), {0, 3}, timedelta(minutes=45))
        assert by_kind(again)["lab_retest"].weeks_after == 16
    finally:
        again.close()


def test_next_fires_are_local_and_respect_days(seeded):
    fires = {r.kind: w for r, w in svc.next_fires(seeded) if r.kind != "supplements"}
    assert fires["wind_down"] == datetime(2026, 11, 25, 21, 45, tzinfo=BERLIN)
    assert fires["resistance"] == datetime(2026, 11, 25, 18, 0, tzinfo=BERLIN)  # Wednesday
    assert fires["hiit"] == datetime(2026, 11, 28, 18, 0, tzinfo=BERLIN)  # next Saturday
    assert fires["breathing"] is None  # off by default
    assert fires["lab_retest"] is None  # no result yet


def test_lab_retest_fires_weeks_after_the_last_result(seeded):
    from igfcoach.services import labs

    labs.add_result(seeded, labs.LabInput(drawn_on=date(2026, 10, 1), value=140))
    fires = {r.kind: w for r, w in svc.next_fires(seeded)}
    assert fires["lab_retest"] == datetime(2026, 12, 24, 9, 0, tzinfo=BERLIN)  # 12 weeks later
    svc.set_lab_weeks(seeded, 8)
    fires = {r.kind: w for r, w in svc.next_fires(seeded)}
    assert fires["lab_retest"] == datetime(2026, 11, 26, 9, 0, tzinfo=BERLIN)
    title, body = svc.notice_text(seeded, by_kind(seeded)["lab_retest"])
    assert "01 Oct 2026" in body and "8 weeks" in body


def test_state_sent_snooze_and_last_check_round_trip_in_utc(seeded, clock):
    rid = by_kind(seeded)["bedtime"].id
    assert svc.get_state(seeded, rid) == svc.RuleState(rid)
    sent_for = datetime(2026, 11, 24, 22, 30, tzinfo=BERLIN)
    svc.mark_sent(seeded, rid, sent_for)
    state = svc.get_state(seeded, rid)
    assert state.last_sent_for == sent_for and state.last_sent_for.tzinfo is not None
    assert state.last_check == clock.now()
    until = svc.snooze(seeded, rid)
    assert until == clock.now() + timedelta(minutes=10)
    assert svc.get_state(seeded, rid).snoozed_until == until
    settings.put(seeded, snooze_minutes=0.05)
    assert svc.snooze(seeded, rid) == clock.now() + timedelta(seconds=3)
    assert svc.snooze_label(0.05) == "Snooze 3 s" and svc.snooze_label(10) == "Snooze 10 min"
    svc.mark_sent(seeded, rid, sent_for)
    assert svc.get_state(seeded, rid).snoozed_until is None  # sending ends the snooze
    clock.advance(timedelta(hours=2))
    svc.touch(seeded)
    assert svc.last_check(seeded) == clock.now()


def test_done_ticks_the_habit_with_source_reminder(seeded):
    rules = by_kind(seeded)
    assert not svc.habit_done_today(seeded, rules["wind_down"])
    assert svc.mark_done(seeded, rules["wind_down"])
    assert svc.habit_done_today(seeded, rules["wind_down"])
    item = checklist.item(seeded, "screens_off", TODAY)
    assert item.done
    from sqlalchemy import select

    from igfcoach.store.models import CheckOff

    with seeded.db.transaction() as s:
        assert s.scalar(select(CheckOff.source)) == "reminder"
    # a measured habit gets its target amount
    svc.set_enabled(seeded, rules["breathing"].id, True)
    assert svc.mark_done(seeded, rules["breathing"])
    assert checklist.item(seeded, "breathing", TODAY).value == 10
    # the lab reminder has no habit to tick
    assert not svc.mark_done(seeded, rules["lab_retest"])


def test_quiet_hours_and_pause_settings(seeded, clock):
    assert svc.quiet_hours(seeded) is None
    q = svc.set_quiet_hours(seeded, "22:00", time(7, 0))
    assert svc.quiet_hours(seeded) == q and q.contains(datetime(2026, 11, 25, 23, 0, tzinfo=BERLIN))
    with pytest.raises(svc.ReminderError, match="^quiet_end:"):
        svc.set_quiet_hours(seeded, "22:00", "22:00")
    with pytest.raises(svc.ReminderError, match="^quiet_end:"):
        svc.set_quiet_hours(seeded, "22:00", None)
    svc.set_quiet_hours(seeded, None, None)
    assert svc.quiet_hours(seeded) is None
    # the tray's "Pause reminders" writes an ISO instant; an expired pause reads as none
    until = clock.now() + timedelta(hours=1)
    settings.put(seeded, reminders_paused_until=until.isoformat())
    assert svc.paused_until(seeded) == until
    clock.advance(timedelta(hours=2))
    assert svc.paused_until(seeded) is None


# -- autostart ------------------------------------------------------------------------------------------------


def test_autostart_entry_respects_xdg_config_home_and_quotes_exec(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = autostart.entry_path()
    assert path == tmp_path / "cfg" / "autostart" / "io.github.igfcoach.IGFCoach.desktop"
    assert not autostart.is_enabled()
    data = tmp_path / "my data $dir"
    autostart.enable(data, python="/opt/py thon/bin/python3")
    text = path.read_text()
    assert text.startswith("[Desktop Entry]\nType=Application\n")
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    # value-unescaped, then Exec-quoted: "\\$" in the file is \$ in the value, which is $ in the argument
    assert exec_line == (
        f'Exec="/opt/py thon/bin/python3" -m igfcoach --minimized --data-dir "{tmp_path}/my data \\\\$dir"'
    )
    assert autostart.is_enabled()
    autostart.disable()
    assert not path.exists() and not autostart.is_enabled()
    autostart.disable()  # nothing to remove: fine


def test_autostart_without_xdg_config_home_and_with_default_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert autostart.entry_path() == tmp_path / ".config" / "autostart" / "io.github.igfcoach.IGFCoach.desktop"
    autostart.enable(autostart.default_data_dir(), python="/usr/bin/python3")
    assert "Exec=/usr/bin/python3 -m igfcoach --minimized\n" in autostart.entry_path().read_text()
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")  # not absolute: the spec says ignore it
    assert autostart.entry_path().parent.parent == tmp_path / ".config"
