"""Wires the window, the tray and the services together for the running app."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSystemTrayIcon

from igfcoach.appinfo import APP_NAME
from igfcoach.paths import AppPaths, resolve_paths
from igfcoach.services import settings
from igfcoach.services.context import AppContext, open_context
from igfcoach.store.health import StoreError
from igfcoach.ui.app import CoachApp
from igfcoach.ui.main_window import MainWindow
from igfcoach.ui.theme import apply_theme, follow_system
from igfcoach.ui.tray import CoachTray

log = logging.getLogger(__name__)

CLOSE_TO_TRAY_HINT = f"{APP_NAME} is still running in the tray, so your reminders keep coming. Use Quit in its menu to stop it."
NO_TRAY_NOTICE = (
    "Your desktop shows no system tray, so closing this window quits IGF Coach and reminders stop "
    "until you open it again."
)


REMINDERS_START_DELAY_MS = 300


class StartAborted(Exception):
    """The app will not start: `code` is the process exit code (0 when the person chose to stop)."""

    def __init__(self, code: int, why: str) -> None:
        super().__init__(why)
        self.code = code


def open_or_ask(paths: AppPaths, ask=None) -> AppContext | None:
    """Open the data dir; on a problem, show what is wrong and act on the person's choice (None = quit)."""
    from igfcoach.store.backup import list_backups, restore_backup
    from igfcoach.ui import damaged_start

    ask = ask or damaged_start.ask
    data_dir = paths.data_dir
    while True:
        try:
            return open_context(str(data_dir))
        except StoreError as exc:
            log.error("cannot open the database (%s): %s", exc.kind, exc)
            current = resolve_paths(str(data_dir))
            choice = ask(exc, list_backups(current.backups))
        if choice.action == "restore" and choice.path is not None:
            aside = restore_backup(choice.path, current.database)
            log.info("restored %s; the damaged file was kept as %s", choice.path, aside)
        elif choice.action == "other_dir" and choice.path is not None:
            data_dir = choice.path
        elif choice.action != "retry":
            return None


class AppController:
    def __init__(self, app: CoachApp, ctx: AppContext, window: MainWindow, tray: CoachTray | None) -> None:
        self.app = app
        self.ctx = ctx
        self.window = window
        self.tray = tray
        window.close_requested.connect(self.on_window_closed)
        if tray is not None:
            tray.open_requested.connect(self.open_window)
            tray.today_requested.connect(lambda: self.open_window("today"))
            tray.quit_requested.connect(self.quit)
            tray.pause_requested.connect(self.pause_reminders)
            app.status_text.connect(tray.set_status)
        app.show_page_requested.connect(self.open_window)
        # Automatic backups: shortly after start (not during it), then checked hourly while in the tray.
        self._backup_timer = QTimer(app)
        self._backup_timer.setInterval(60 * 60 * 1000)
        self._backup_timer.timeout.connect(self.auto_backup)
        self._backup_timer.start()
        QTimer.singleShot(5000, self.auto_backup)

    @classmethod
    def start(cls, app: CoachApp, paths: AppPaths, *, minimized: bool = False,
              profile_startup: bool = False) -> AppController:
        ctx = open_or_ask(paths)
        if ctx is None:
            raise StartAborted(2, "the database could not be opened")
        theme = settings.get(ctx, "theme")
        apply_theme(app, theme)
        follow_system(app, lambda: settings.get(ctx, "theme"))
        if not settings.get(ctx, "onboarded"):  # the wizard's module loads only on a first run
            from igfcoach.ui.onboarding import maybe_run_onboarding

            if not maybe_run_onboarding(ctx):  # first run (even --minimized); cancelled: nothing to run yet
                ctx.close()
                raise StartAborted(0, "first-run set-up cancelled")
        window = MainWindow(ctx)
        tray = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            tray = CoachTray(app)
            tray.show()
        controller = cls(app, ctx, window, tray)
        if profile_startup:
            from igfcoach.ui.startup_profile import quit_after_first_paint

            quit_after_first_paint(app, window)
        if tray is None or not minimized:
            window.show()
        if tray is None and not settings.get(ctx, "no_tray_notice_shown"):
            window.banner.show_message(NO_TRAY_NOTICE)
            settings.put(ctx, no_tray_notice_shown=True)
            log.info("told the user there is no system tray (closing the window quits)")
        # Reminders start just after the first paint: the window is not kept waiting for the scheduler, and
        # anything due in between is caught up by the engine's grace rules.
        controller.reminders = None
        QTimer.singleShot(REMINDERS_START_DELAY_MS, controller.start_reminders)
        return controller

    def start_reminders(self) -> None:
        from igfcoach.ui.reminders import start_reminders

        self.reminders = start_reminders(self.app, self.ctx, self.window, self.tray)

    def auto_backup(self) -> None:
        from igfcoach.services.backups import maybe_auto_backup

        try:
            made = maybe_auto_backup(self.ctx)
        except Exception:  # noqa: BLE001 - a failed backup is logged and retried, never fatal
            log.exception("automatic backup failed")
            return
        if made is not None:
            log.info("automatic backup written: %s", made.name)

    def open_window(self, page: str | None = None) -> None:
        if page:
            self.window.show_page(page)
        self.window.bring_to_front()

    def on_window_closed(self) -> None:
        if self.tray is None:
            self.quit()
            return
        self.window.hide()
        if not settings.get(self.ctx, "close_to_tray_hint_shown"):
            self.tray.message(APP_NAME, CLOSE_TO_TRAY_HINT)
            settings.put(self.ctx, close_to_tray_hint_shown=True)

    def pause_reminders(self, how: str) -> None:
        now = self.ctx.clock.now()
        if how == "1h":
            until: datetime | None = now + timedelta(hours=1)
        elif how == "tomorrow":
            from igfcoach.core.days import next_rollover

            until = next_rollover(now, settings.day_start(self.ctx))
        else:
            until = None
        settings.put(self.ctx, reminders_paused_until=until.isoformat() if until else None)
        if self.tray is not None:
            self.tray.set_status(f"Reminders paused until {until:%H:%M, %a}" if until else "")
        self.app.settings_changed.emit()

    def quit(self) -> None:
        # exit(), not quit(): Qt 6's quit() asks windows to close first, and ours hides instead.
        self.app.exit(0)

    def shutdown(self) -> None:
        if getattr(self, "reminders", None) is not None:
            self.reminders.stop()
        if self.tray is not None:
            self.tray.hide()
        self.ctx.close()
