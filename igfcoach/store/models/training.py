"""Training, sleep and breathing sessions, the exercise list and saved HIIT plans.

``day`` is always the logical day the session counts for (for sleep: the wake-up day). Instants
(``started_at``, ``bedtime``, ``wake``) are stored as UTC and read back as aware UTC.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from igfcoach.store.models.base import Base
from igfcoach.store.models.reminders import UTCDateTime

#: The starter list of large-muscle compound lifts (migration 0004 inserts them).
BUILTIN_EXERCISES = ("Squat", "Deadlift", "Bench press", "Overhead press", "Row", "Pull-up", "Lunge",
                     "Hip thrust")


#: Undo puts a deleted row back under its old id; AUTOINCREMENT makes sure no other row got that id meanwhile.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class HiitPlan(Base):
    """A HIIT plan the person saved under a name."""

    __tablename__ = "hiit_plans"
    __table_args__ = (CheckConstraint("rounds >= 1", name="rounds"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    warmup_s: Mapped[int] = mapped_column(Integer)
    work_s: Mapped[int] = mapped_column(Integer)
    rest_s: Mapped[int] = mapped_column(Integer)
    rounds: Mapped[int] = mapped_column(Integer)
    cooldown_s: Mapped[int] = mapped_column(Integer)


class HiitSession(Base):
    """One HIIT session: the plan as run, how many rounds were finished, and the effort (RPE 1–10)."""

    __tablename__ = "hiit_sessions"
    __table_args__ = (
        CheckConstraint("rpe IS NULL OR (rpe BETWEEN 1 AND 10)", name="rpe"),
        CheckConstraint("rounds >= 1 AND completed_rounds BETWEEN 0 AND rounds", name="rounds"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    plan_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    warmup_s: Mapped[int] = mapped_column(Integer)
    work_s: Mapped[int] = mapped_column(Integer)
    rest_s: Mapped[int] = mapped_column(Integer)
    rounds: Mapped[int] = mapped_column(Integer)
    cooldown_s: Mapped[int] = mapped_column(Integer)
    completed_rounds: Mapped[int] = mapped_column(Integer)
    rpe: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class Exercise(Base):
    """An exercise name for the picker: the built-in compound lifts plus the person's own."""

    __tablename__ = "exercises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class ResistanceSession(Base):
    __tablename__ = "resistance_sessions"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    sets: Mapped[list[ResistanceSet]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ResistanceSet.id",
    )


class ResistanceSet(Base):
    """One set: reps × load in the unit it was entered in (kg or lb)."""

    __tablename__ = "resistance_sets"
    __table_args__ = (
        CheckConstraint("reps BETWEEN 1 AND 100", name="reps"),
        CheckConstraint("load >= 0", name="load"),
        CheckConstraint("unit IN ('kg', 'lb')", name="unit"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("resistance_sessions.id", ondelete="CASCADE"), index=True)
    exercise: Mapped[str] = mapped_column(String(100), index=True)
    set_no: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int] = mapped_column(Integer)
    load: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(2))
    to_failure: Mapped[bool] = mapped_column(Boolean, default=False)
    rest_s: Mapped[int | None] = mapped_column(Integer, nullable=True)

    session: Mapped[ResistanceSession] = relationship(back_populates="sets")


class SleepEntry(Base):
    """Last night's sleep, filed under the wake-up day (one entry per day)."""

    __tablename__ = "sleep_entries"
    __table_args__ = (CheckConstraint("quality IS NULL OR (quality BETWEEN 1 AND 5)", name="quality"),
                      NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    bedtime: Mapped[datetime] = mapped_column(UTCDateTime)
    wake: Mapped[datetime] = mapped_column(UTCDateTime)
    quality: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cool_dark: Mapped[bool] = mapped_column(Boolean, default=False)
    screens_off: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class BreathingSession(Base):
    __tablename__ = "breathing_sessions"
    __table_args__ = (CheckConstraint("minutes > 0", name="minutes"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    pattern: Mapped[str] = mapped_column(String(16))
    minutes: Mapped[float] = mapped_column(Float)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
