"""IGF-1 lab results and the safety screen's answers (with their history)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from igfcoach.store.models.base import Base


class LabResult(Base):
    """One IGF-1 blood test. ``value_ng`` is always ng/mL; what the person typed is kept beside it."""

    __tablename__ = "lab_results"
    __table_args__ = (
        CheckConstraint("value_ng > 0", name="value_positive"),
        CheckConstraint("entered_unit IN ('ng/mL', 'nmol/L')", name="entered_unit"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drawn_on: Mapped[date] = mapped_column(Date, index=True)
    drawn_at_time: Mapped[str | None] = mapped_column(String(5), nullable=True)  # "HH:MM"
    value_ng: Mapped[float] = mapped_column(Float)
    entered_value: Mapped[float] = mapped_column(Float)
    entered_unit: Mapped[str] = mapped_column(String(16))
    lab_low_ng: Mapped[float | None] = mapped_column(Float, nullable=True)
    lab_high_ng: Mapped[float | None] = mapped_column(Float, nullable=True)
    lab_name: Mapped[str | None] = mapped_column(Text, nullable=True)
    assay: Mapped[str | None] = mapped_column(Text, nullable=True)
    fasting: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    biotin_72h: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScreenAnswerRecord(Base):
    """The safety screen's answers as of ``recorded_at``: one row per change, the latest is current."""

    __tablename__ = "screen_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sex: Mapped[str | None] = mapped_column(String(8), nullable=True)
    active_cancer: Mapped[bool] = mapped_column(Boolean, default=False)
    endocrine_disorder: Mapped[bool] = mapped_column(Boolean, default=False)
    pregnant: Mapped[bool] = mapped_column(Boolean, default=False)
    under_18: Mapped[bool] = mapped_column(Boolean, default=False)
