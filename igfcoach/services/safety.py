"""The safety screen's answers (with history), the target band, and the coaching policy they decide.

The rules live in :mod:`igfcoach.core.safety`; this module only reads what they need from the database:
the latest screen answers, the target band (settings ``target_low_ng`` / ``target_high_ng``), and the latest
IGF-1 result with its lab range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from igfcoach.core import igf1
from igfcoach.core.igf1 import DEFAULT_TARGET_BAND, Issue, Severity, TargetBand, Unit
from igfcoach.core.safety import (
    LatestResult,
    Policy,
    ScreenAnswers,
    coaching_policy,
)
from igfcoach.core.safety import habit_allowed as _core_habit_allowed
from igfcoach.services import settings
from igfcoach.store.models import ScreenAnswerRecord

if TYPE_CHECKING:
    from igfcoach.core.habits import HabitSpec
    from igfcoach.services.context import AppContext

__all__ = [
    "ScreenRecord",
    "TargetBandError",
    "answers_history",
    "current_answers",
    "current_policy",
    "habit_allowed",
    "has_answers",
    "record_answers",
    "set_target_band",
    "target_band",
]

TARGET_LOW_KEY = "target_low_ng"
TARGET_HIGH_KEY = "target_high_ng"


@dataclass(frozen=True)
class ScreenRecord:
    """One stored version of the screen's answers."""

    id: int
    recorded_at: datetime
    answers: ScreenAnswers


def _answers_of(row: ScreenAnswerRecord) -> ScreenAnswers:
    return ScreenAnswers(
        age=row.age,
        sex=row.sex,
        active_cancer=bool(row.active_cancer),
        endocrine_disorder=bool(row.endocrine_disorder),
        pregnant=bool(row.pregnant),
        under_18=bool(row.under_18),
    )


def _latest_row(s) -> ScreenAnswerRecord | None:  # noqa: ANN001 (Session)
    return s.scalar(
        select(ScreenAnswerRecord).order_by(ScreenAnswerRecord.recorded_at.desc(), ScreenAnswerRecord.id.desc())
    )


def current_answers(ctx: AppContext) -> ScreenAnswers:
    """The latest answers; all "no" and no age or sex when the screen was never answered."""
    with ctx.db.transaction() as s:
        row = _latest_row(s)
        return _answers_of(row) if row is not None else ScreenAnswers()


def has_answers(ctx: AppContext) -> bool:
    """Whether the screen has been answered at least once."""
    with ctx.db.transaction() as s:
        return bool(s.scalar(select(func.count()).select_from(ScreenAnswerRecord)))


def record_answers(ctx: AppContext, answers: ScreenAnswers) -> bool:
    """Store new answers as the current ones (one history row per change).

    Returns False, storing nothing, when they equal the current answers (and the screen was answered before).
    """
    with ctx.db.transaction() as s:
        return record_answers_in(s, ctx.clock.now(), answers)


def record_answers_in(s: Session, now: datetime, answers: ScreenAnswers) -> bool:
    """`record_answers` inside a caller's transaction."""
    if not isinstance(answers, ScreenAnswers):
        raise TypeError("answers must be a ScreenAnswers")
    latest = _latest_row(s)
    if latest is not None and _answers_of(latest) == answers:
        return False
    s.add(ScreenAnswerRecord(
        recorded_at=now,
        age=answers.age,
        sex=answers.sex,
        active_cancer=answers.active_cancer,
        endocrine_disorder=answers.endocrine_disorder,
        pregnant=answers.pregnant,
        under_18=answers.under_18,
    ))
    return True


def answers_history(ctx: AppContext) -> list[ScreenRecord]:
    """Every stored version of the answers, newest first."""
    with ctx.db.transaction() as s:
        rows = s.scalars(
            select(ScreenAnswerRecord).order_by(ScreenAnswerRecord.recorded_at.desc(), ScreenAnswerRecord.id.desc())
        )
        return [ScreenRecord(r.id, r.recorded_at, _answers_of(r)) for r in rows]


# --------------------------------------------------------------------------------------------------- target band

class TargetBandError(ValueError):
    """A refused target band; ``issues`` name the field ("target band")."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(i.message for i in issues))


def target_band(ctx: AppContext) -> TargetBand:
    """The person's target band in ng/mL (default 120–160, the guide's healthy mid-range)."""
    values = settings.get_many(ctx)
    low, high = values.get(TARGET_LOW_KEY), values.get(TARGET_HIGH_KEY)
    if low is None or high is None:
        return DEFAULT_TARGET_BAND
    try:
        return TargetBand(float(low), float(high))
    except (TypeError, ValueError):
        return DEFAULT_TARGET_BAND


def set_target_band(ctx: AppContext, low: object, high: object, unit: str | Unit = Unit.NG_ML) -> TargetBand:
    """Validate and store a new target band given in ``unit``; raises TargetBandError naming the field."""
    issues = igf1.validate_target_band(low, high, unit)
    if issues:
        raise TargetBandError(issues)
    try:
        band = TargetBand.from_unit(igf1.parse_value(low), igf1.parse_value(high), unit)
    except ValueError as exc:  # only reachable through float edge cases after conversion
        raise TargetBandError([Issue("target band", Severity.ERROR, str(exc))]) from exc
    settings.put(ctx, **{TARGET_LOW_KEY: band.low_ng, TARGET_HIGH_KEY: band.high_ng})
    return band


def reset_target_band(ctx: AppContext) -> TargetBand:
    """Back to the default 120–160 ng/mL."""
    settings.put(ctx, **{TARGET_LOW_KEY: None, TARGET_HIGH_KEY: None})
    return DEFAULT_TARGET_BAND


# --------------------------------------------------------------------------------------------------- policy

def current_policy(ctx: AppContext, *, unit: str | Unit | None = None) -> Policy:
    """What the coaching does now: from the screen, the latest result, the target band and the ranges.

    The range for the clinician prompt is the latest result's lab range when it has one, else the built-in
    interval for the screen's age and sex. ``unit`` (default: the profile's lab unit) only affects how numbers
    in the clinician reason are shown.
    """
    from igfcoach.services import labs

    answers = current_answers(ctx)
    latest = labs.latest_result(ctx)
    if unit is None:
        unit = _preferred_unit(ctx)
    return coaching_policy(
        answers,
        LatestResult(latest.value_ng, latest.drawn_on) if latest is not None else None,
        target_band(ctx),
        latest.lab_range if latest is not None else None,
        igf1.builtin_interval(answers.age, answers.sex),
        unit=unit,
    )


def _preferred_unit(ctx: AppContext) -> Unit:
    try:
        return igf1.parse_unit(settings.get(ctx, "lab_unit") or Unit.NG_ML)
    except ValueError:
        return Unit.NG_ML


def habit_allowed(ctx_or_policy: AppContext | Policy, spec: HabitSpec | frozenset[str]) -> bool:
    """Whether a habit (and its reminders) is available under the current policy.

    Pass a Policy you already have (cheap), or the context to compute it now.
    """
    policy = ctx_or_policy if isinstance(ctx_or_policy, Policy) else current_policy(ctx_or_policy)
    flags = spec if isinstance(spec, frozenset) else spec.flags
    return _core_habit_allowed(flags, policy)
