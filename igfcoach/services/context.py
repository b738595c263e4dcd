"""Everything a service needs: where the data is, the open database and the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from igfcoach.core.clock import Clock, SystemClock
from igfcoach.paths import AppPaths, resolve_paths
from igfcoach.store.db import Database, open_database


@dataclass
class AppContext:
    paths: AppPaths
    db: Database
    clock: Clock = field(default_factory=SystemClock)

    def today(self) -> date:
        """The logical date now, honouring the user's start-of-day setting."""
        from igfcoach.core.days import logical_date
        from igfcoach.services import settings

        return logical_date(self.clock.now(), settings.day_start(self))

    def close(self) -> None:
        self.db.close()


def system_clock() -> SystemClock:
    """The real clock in the machine's named local zone (falls back to the fixed offset if unknown)."""
    import time

    import tzlocal

    time.tzset()
    try:
        zone = tzlocal.get_localzone()
    except (LookupError, ValueError, OSError):  # an odd /etc/localtime must not stop the app
        zone = None
    return SystemClock(zone)


def open_context(data_dir: str | None = None, clock: Clock | None = None) -> AppContext:
    paths = resolve_paths(data_dir)
    db = open_database(paths)
    return AppContext(paths=paths, db=db, clock=clock or system_clock())
