"""Reading and writing settings, with their defaults in one table."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from igfcoach.store.models import Setting

if TYPE_CHECKING:
    from igfcoach.services.context import AppContext

DEFAULTS: dict[str, Any] = {
    "day_start": "00:00",
    "close_to_tray_hint_shown": False,
    "no_tray_notice_shown": False,
    "theme": "system",
    # Reminders (services/reminders.py): quiet hours "HH:MM" (None = off), pause (ISO instant or None),
    # and how long "Snooze" waits (minutes; tests use a fraction of a minute).
    "quiet_start": None,
    "quiet_end": None,
    "reminders_paused_until": None,
    "snooze_minutes": 10,
}


def get(ctx: AppContext, key: str) -> Any:
    with ctx.db.transaction() as s:
        row = s.get(Setting, key)
        return row.value if row is not None else DEFAULTS.get(key)


def get_many(ctx: AppContext) -> dict[str, Any]:
    values = dict(DEFAULTS)
    with ctx.db.transaction() as s:
        for row in s.scalars(select(Setting)):
            values[row.key] = row.value
    return values


def put(ctx: AppContext, **values: Any) -> None:
    """Write several settings in one transaction."""
    with ctx.db.transaction() as s:
        put_in(s, **values)


def put_in(s: Session, **values: Any) -> None:
    """Write settings inside a caller's transaction."""
    for key, value in values.items():
        s.merge(Setting(key=key, value=value))


def day_start(ctx: AppContext) -> time:
    return time.fromisoformat(get(ctx, "day_start") or "00:00")
