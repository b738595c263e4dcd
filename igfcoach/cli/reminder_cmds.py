"""`igfcoach reminders` (the rules and when each fires next) and `igfcoach notify-test`."""

from __future__ import annotations

import argparse
import json
import os
import sys

from igfcoach.services import reminders as svc
from igfcoach.services.context import AppContext

TEST_TITLE = "IGF Coach test notification"
TEST_BODY = "Reminders will reach you like this."


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reminders", help="list the reminders with the next time each one fires (local time)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_reminders)

    p = sub.add_parser(
        "notify-test",
        help="send a test notification the way reminders are sent, and say which way worked",
        description=(
            "Tries the desktop's notification service (org.freedesktop.Notifications on the session bus), then "
            "a message from a tray icon. Exit 0 when one of them took the notification, 1 when none could."
        ),
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_notify_test)


def _days(rec: svc.RuleRecord) -> str:
    if rec.kind == "lab_retest":
        return f"{rec.weeks_after} weeks after the last IGF-1 result"
    return svc.describe_days(rec.weekdays)


def _state(rec: svc.RuleRecord) -> str:
    if not rec.available:
        return "unavailable"
    return "on" if rec.enabled else "off"


def cmd_reminders(ctx: AppContext, args: argparse.Namespace) -> int:
    svc.ensure_default_rules(ctx)
    now = ctx.clock.now()
    fires = svc.next_fires(ctx, now)
    quiet = svc.quiet_hours(ctx)
    paused = svc.paused_until(ctx, now)
    if args.json:
        print(json.dumps({
            "now": now.isoformat(timespec="seconds"),
            "time_zone": str(getattr(now.tzinfo, "key", now.tzinfo)),
            "quiet_hours": [f"{quiet.start:%H:%M}", f"{quiet.end:%H:%M}"] if quiet else None,
            "paused_until": paused.isoformat(timespec="seconds") if paused else None,
            "reminders": [
                {
                    "id": rec.id,
                    "kind": rec.kind,
                    "habit": rec.habit_key,
                    "title": rec.title,
                    "time": f"{rec.time:%H:%M}",
                    "weekdays": sorted(rec.weekdays),
                    "weeks_after": rec.weeks_after if rec.kind == "lab_retest" else None,
                    "enabled": rec.enabled,
                    "available": rec.available,
                    "unavailable_reason": rec.unavailable_reason or None,
                    "next_fire": when.isoformat(timespec="minutes") if when else None,
                }
                for rec, when in fires
            ],
        }, indent=2))
        return 0
    zone = getattr(now.tzinfo, "key", None) or now.strftime("%Z")
    print(f"Reminders (times in {zone}; now {now:%a %d %b %Y %H:%M})")
    if paused:
        print(f"Paused until {paused.astimezone(now.tzinfo):%a %H:%M}.")
    if quiet:
        print(f"Quiet hours {quiet.start:%H:%M}-{quiet.end:%H:%M}.")
    print()
    width = max((len(rec.title) for rec, _ in fires), default=10)
    days_width = max((len(_days(rec)) for rec, _ in fires), default=10)
    for rec, when in fires:
        if when is not None:
            nxt = f"next {when.astimezone(now.tzinfo):%a %d %b %H:%M}"
        elif not rec.available:
            nxt = rec.unavailable_reason
        elif not rec.enabled:
            nxt = "off"
        elif rec.kind == "lab_retest":
            nxt = "after your first IGF-1 result"
        else:
            nxt = "-"
        print(f"{rec.id:>3}  {_state(rec):<11} {rec.title:<{width}}  {rec.time:%H:%M}  {_days(rec):<{days_width}}  {nxt}")
    return 0


def _qt_app(with_widgets: bool):
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if app is not None:
        return app
    if with_widgets:
        from PySide6.QtWidgets import QApplication

        return QApplication(sys.argv[:1])
    return QCoreApplication(sys.argv[:1])


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or sys.platform != "linux"


def cmd_notify_test(ctx: AppContext, args: argparse.Namespace) -> int:
    from igfcoach.reminders.delivery import DBusNotifications, Deliverer, Notice, TrayMessage

    widgets = _has_display()
    app = _qt_app(widgets)
    app.setApplicationName("IGF Coach")
    backends = [DBusNotifications(app_icon=_icon_path())]
    tray = None
    if widgets:
        from PySide6.QtWidgets import QSystemTrayIcon

        if QSystemTrayIcon.isSystemTrayAvailable():
            from PySide6.QtGui import QIcon

            icon = QIcon(_icon_path()) if _icon_path() else QIcon()
            tray = QSystemTrayIcon(icon)
            tray.setToolTip("IGF Coach (notification test)")
            tray.show()
            backends.append(TrayMessage(tray, tray_available=QSystemTrayIcon.supportsMessages, icon=icon))
    deliverer = Deliverer(backends)
    result = deliverer.send(Notice(TEST_TITLE, TEST_BODY, (), group="test"))
    if tray is not None and result.backend == "tray":
        _run_for(app, 5000)  # the balloon lives as long as its tray icon
        tray.hide()
    if args.json:
        print(json.dumps({"delivered": result.ok, "path": result.backend, "text": result.text,
                          "detail": result.detail or None}))
    elif result.ok:
        detail = f" ({result.detail})" if result.detail else ""
        print(f"{result.text}{detail}.")
    else:
        dbus = backends[0]
        why = getattr(dbus, "last_error", "") or "no notification service"
        print(
            f"igfcoach notify-test: no notification could be shown ({why}; no system tray). "
            "The app will show reminders as a banner inside its window.",
            file=sys.stderr,
        )
    return 0 if result.ok else 1


def _run_for(app, msec: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(msec, loop.quit)
    loop.exec()


def _icon_path() -> str:
    try:
        from igfcoach.resources_path import resource_path

        return str(resource_path("icons/hicolor/128x128.png"))
    except (FileNotFoundError, ValueError):
        return ""
