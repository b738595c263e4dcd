"""The user's profile: body weight, sleep times and preferred units, stored as settings."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from igfcoach.core.catalog import MAX_WEIGHT_KG, MIN_WEIGHT_KG
from igfcoach.services import habits, settings

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

LOAD_UNITS = ("kg", "lb")
LAB_UNITS = ("ng/mL", "nmol/L")


class ProfileError(ValueError):
    """Bad profile input; the message names the field."""


@dataclass(frozen=True)
class Profile:
    weight_kg: float | None = None
    bedtime: time = time(22, 30)
    wake_time: time = time(6, 30)
    sleep_goal_h: float = 8.0
    load_unit: str = "kg"
    lab_unit: str = "ng/mL"
    onboarded: bool = False


def load(ctx: AppContext) -> Profile:
    v = settings.get_many(ctx)
    return Profile(
        weight_kg=v.get("weight_kg"),
        bedtime=time.fromisoformat(v.get("bedtime") or "22:30"),
        wake_time=time.fromisoformat(v.get("wake_time") or "06:30"),
        sleep_goal_h=float(v.get("sleep_goal_h") or 8.0),
        load_unit=v.get("load_unit") or "kg",
        lab_unit=v.get("lab_unit") or "ng/mL",
        onboarded=bool(v.get("onboarded")),
    )


def sleep_window_hours(bedtime: time, wake: time) -> float:
    """Hours from bedtime to wake time, across midnight (23:00 → 07:00 is 8.0)."""
    minutes = ((wake.hour * 60 + wake.minute) - (bedtime.hour * 60 + bedtime.minute)) % (24 * 60)
    return minutes / 60


def validate(p: Profile) -> None:
    if p.weight_kg is not None and not MIN_WEIGHT_KG <= p.weight_kg <= MAX_WEIGHT_KG:
        raise ProfileError(
            f"body weight: {p.weight_kg:g} kg is outside {MIN_WEIGHT_KG:g}–{MAX_WEIGHT_KG:g} kg (check kg vs lb)"
        )
    window = sleep_window_hours(p.bedtime, p.wake_time)
    if not 4 <= window <= 12:
        raise ProfileError(
            f"bedtime: {p.bedtime:%H:%M} to {p.wake_time:%H:%M} leaves {window:g} h for sleep; "
            "choose times 4 to 12 hours apart"
        )
    if p.load_unit not in LOAD_UNITS:
        raise ProfileError(f"load unit: {p.load_unit!r} is not kg or lb")
    if p.lab_unit not in LAB_UNITS:
        raise ProfileError(f"lab unit: {p.lab_unit!r} is not ng/mL or nmol/L")


def save(ctx: AppContext, p: Profile) -> None:
    """Validate, store, and recompute weight-based targets (protein) when the weight changed.

    The sleep goal is the time between bedtime and wake time, so the two cannot disagree.
    """
    validate(p)
    old = load(ctx)
    with ctx.db.transaction() as s:
        save_in(s, p, old)


def save_in(s: Session, p: Profile, old: Profile) -> None:
    """`save` inside a caller's transaction (`p` already validated, `old` the stored profile)."""
    p = dataclasses.replace(p, sleep_goal_h=sleep_window_hours(p.bedtime, p.wake_time))
    settings.put_in(
        s,
        weight_kg=p.weight_kg,
        bedtime=p.bedtime.strftime("%H:%M"),
        wake_time=p.wake_time.strftime("%H:%M"),
        sleep_goal_h=p.sleep_goal_h,
        load_unit=p.load_unit,
        lab_unit=p.lab_unit,
        onboarded=p.onboarded,
    )
    if p.weight_kg is not None and p.weight_kg != old.weight_kg:
        habits.set_body_weight_in(s, p.weight_kg)
