"""Typed SQLAlchemy models, one module per area; import them from here."""

from igfcoach.store.models.base import Base
from igfcoach.store.models.habits import CheckOff, Habit
from igfcoach.store.models.settings import Setting

__all__ = ["Base", "CheckOff", "Habit", "Setting"]
