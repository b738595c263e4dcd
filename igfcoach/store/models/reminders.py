"""Reminder rules and their delivery state: the database is the source of truth for the scheduler.

Times of day are stored as "HH:MM" text (local wall time, resolved in the user's zone when scheduling);
weekdays as "0,2,4" (Monday = 0; "" means every day). Instants in ``reminder_state`` are stored in UTC.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from igfcoach.store.models.base import Base

#: The kinds a rule may have (the same list as ``igfcoach.core.reminder_rules.KINDS``; a test keeps them equal).
RULE_KINDS = ("wind_down", "bedtime", "hiit", "resistance", "breathing", "protein", "supplements", "lab_retest")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC (SQLite keeps no offset); read back as aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"an aware datetime is required, got {value!r}")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class ReminderRuleRow(Base):
    """One reminder as the user configured it."""

    __tablename__ = "reminder_rules"
    __table_args__ = (
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in RULE_KINDS) + ")", name="kind"),
        CheckConstraint("weeks_after >= 1", name="weeks_after"),
        CheckConstraint("grace_minutes IS NULL OR grace_minutes >= 0", name="grace_minutes"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    habit_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    time: Mapped[str] = mapped_column(String(5))  # "HH:MM", local wall time
    weekdays: Mapped[str] = mapped_column(String(20), default="")  # "0,2,4"; "" = every day
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    weeks_after: Mapped[int] = mapped_column(Integer, default=12)  # lab_retest only
    grace_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: the kind's default


class ReminderState(Base):
    """What happened with a rule: the occurrence last sent, a pending snooze, when it was last looked at."""

    __tablename__ = "reminder_state"

    rule_id: Mapped[int] = mapped_column(
        ForeignKey("reminder_rules.id", ondelete="CASCADE"), primary_key=True
    )
    last_sent_for: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_check: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
