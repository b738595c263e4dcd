"""Typed SQLAlchemy models, one module per area; import them from here."""

from igfcoach.store.models.base import Base
from igfcoach.store.models.habits import CheckOff, Habit
from igfcoach.store.models.labs import LabResult, ScreenAnswerRecord
from igfcoach.store.models.reminders import ReminderRuleRow, ReminderState
from igfcoach.store.models.settings import Setting
from igfcoach.store.models.training import (
    BreathingSession, Exercise, HiitPlan, HiitSession, ResistanceSession, ResistanceSet, SleepEntry,
)

__all__ = ["Base", "CheckOff", "Habit", "LabResult", "ReminderRuleRow", "ReminderState", "ScreenAnswerRecord", "Setting",
           "BreathingSession", "Exercise", "HiitPlan", "HiitSession", "ResistanceSession", "ResistanceSet",
           "SleepEntry"]
