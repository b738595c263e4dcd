"""Finishing the first-run set-up: the safety screen, the checklist and the profile, saved together."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from igfcoach.core.safety import ScreenAnswers
from igfcoach.services import habits, profile, safety
from igfcoach.services.profile import Profile

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext


def finish(ctx: AppContext, answers: ScreenAnswers | None, p: Profile, enable_optional: Iterable[str] = ()) -> None:
    """Record the screen's answers, seed the checklist and save the profile (marked onboarded) in one
    transaction: an interrupted first run leaves nothing half-done and simply starts again."""
    profile.validate(p)
    old = profile.load(ctx)
    now = ctx.clock.now()
    with ctx.db.transaction() as s:
        if answers is not None:
            safety.record_answers_in(s, now, answers)
        habits.seed_from_catalog_in(s, now, weight_kg=p.weight_kg, enable_optional=enable_optional)
        profile.save_in(s, p, old)
