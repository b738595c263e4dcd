"""Opening the GUI: one instance, logging, the database, the window and the tray."""

from __future__ import annotations

import argparse
import logging
import sys

from igfcoach.appinfo import APP_ID, APP_NAME, APP_SLUG, ORG_NAME
from igfcoach.logsetup import setup_logging
from igfcoach.paths import ensure_private_dir, resolve_paths

log = logging.getLogger(__name__)


def run_gui(args: argparse.Namespace) -> int:
    paths = resolve_paths(args.data_dir)
    try:
        ensure_private_dir(paths.data_dir)
        log_file = setup_logging(paths)
    except OSError as exc:
        print(f"igfcoach: error: cannot use the data folder {paths.data_dir}: {exc.strerror}", file=sys.stderr)
        return 2

    # The data layer (SQLAlchemy and our models: some 300 modules) is imported before Qt on purpose: once
    # PySide6 is loaded, its import hook reads the source of every module imported after it, which cost
    # about 60 ms of start-up here.
    import igfcoach.services.checklist  # noqa: F401
    import igfcoach.services.context  # noqa: F401
    from igfcoach.ui.app import CoachApp
    from igfcoach.ui.errors import install_excepthook
    from igfcoach.ui.single_instance import SingleInstance

    app = CoachApp([APP_SLUG])  # argv[0] names the X11 WM_CLASS instance (StartupWMClass)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setDesktopFileName(APP_ID)
    app.setQuitOnLastWindowClosed(False)

    single = SingleInstance(paths.instance_key, paths.data_dir)
    if not single.claim():
        log.info("another copy is running for %s; asked it to show its window", paths.data_dir)
        return 0
    install_excepthook(log_file)
    from igfcoach.ui.unix_signals import QuitOnSignals

    signals = QuitOnSignals(app)
    log.info("starting %s with data in %s", APP_NAME, paths.data_dir)

    from igfcoach.ui.controller import AppController, StartAborted

    try:
        controller = AppController.start(app, paths, minimized=args.minimized, profile_startup=args.profile_startup)
    except StartAborted as stop:
        log.info("not starting: %s", stop)
        single.release()
        return stop.code
    single.activation_requested.connect(controller.open_window)
    code = app.exec()
    controller.shutdown()
    signals.close()
    single.release()
    log.info("quit with code %s", code)
    return code
