"""Injectable clocks: every "now" and "today" in the app comes from a Clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from typing import Protocol


_UTC = timezone.utc


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time as an aware datetime in the user's local time zone."""
        ...


class SystemClock:
    """The real wall clock, in the machine's current local time zone as a named zone.

    A named zone (not a fixed offset) keeps "tomorrow at 03:00" right across a DST change. The zone
    comes from `local_zone`, which the app sets from tzlocal at start and again when it notices a
    time-zone change (the core itself reads no system state).
    """

    def __init__(self, zone: tzinfo | None = None) -> None:
        self.zone = zone

    def now(self) -> datetime:
        if self.zone is None:
            return datetime.now().astimezone()
        return datetime.now(self.zone)


class FakeClock:
    """A clock tests move by hand: across midnight, DST changes, suspends or backwards."""

    def __init__(self, start: datetime, tz: tzinfo | None = None) -> None:
        if start.tzinfo is None:
            if tz is None:
                raise ValueError("FakeClock needs an aware start time or a tz")
            start = start.replace(tzinfo=tz)
        self._utc = start.astimezone(_UTC)
        self.tz: tzinfo = tz or start.tzinfo  # type: ignore[assignment]

    def now(self) -> datetime:
        return self._utc.astimezone(self.tz)

    def advance(self, delta: timedelta | float) -> datetime:
        """Move forward (or backward with a negative delta) in real elapsed time."""
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        self._utc += delta
        return self.now()

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            when = when.replace(tzinfo=self.tz)
        self._utc = when.astimezone(_UTC)

    def set_timezone(self, tz: tzinfo) -> None:
        """Simulate the user moving to another time zone: the instant stays, the wall time changes."""
        self.tz = tz

