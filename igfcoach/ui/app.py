"""The application object: the one signal hub that pages, tray and reminders talk through."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication


class CoachApp(QApplication):
    """Signals are emitted by whoever changed the data, and every view that shows it listens."""

    checkoffs_changed = Signal()  # a habit was ticked, unticked, skipped or given a value
    habits_changed = Signal()  # habits added, edited, reordered, paused or archived
    labs_changed = Signal()
    settings_changed = Signal()
    day_changed = Signal()  # the logical day rolled over
    show_page_requested = Signal(str)
    status_text = Signal(str)  # a running timer's one-line status for the tray tooltip ("" = none)
