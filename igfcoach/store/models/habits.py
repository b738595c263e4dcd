"""Habits on the checklist and their daily check-offs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    JSON,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from igfcoach.store.models.base import Base


class Habit(Base):
    """A checklist item: from the catalog (catalog_key set) or the user's own."""

    __tablename__ = "habits"
    __table_args__ = (
        CheckConstraint("kind IN ('check', 'measured')", name="kind"),
        CheckConstraint("status IN ('active', 'paused', 'archived')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    catalog_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    category: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    why: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default="check")
    unit: Mapped[str | None] = mapped_column(String(16), nullable=True)
    target_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_direction: Mapped[str | None] = mapped_column(String(16), nullable=True)
    target_per_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    schedule: Mapped[str] = mapped_column(String(64), default="daily")
    flags: Mapped[str] = mapped_column(String(200), default="")
    caution: Mapped[str | None] = mapped_column(Text, nullable=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    checkoffs: Mapped[list[CheckOff]] = relationship(back_populates="habit")


class CheckOff(Base):
    """What happened with one habit on one logical day: done, a measured value, a note, or skipped."""

    __tablename__ = "checkoffs"
    __table_args__ = (UniqueConstraint("habit_id", "day", name="uq_checkoffs_habit_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    habit_id: Mapped[int] = mapped_column(ForeignKey("habits.id", ondelete="RESTRICT"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(32), default="manual")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    habit: Mapped[Habit] = relationship(back_populates="checkoffs")
