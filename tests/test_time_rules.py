"""Every "today" rule follows the injectable clock: midnight, a 03:00 start of day, both DST changes, a time-zone
change and the clock jumping backwards -- in the services (ctx.today(), the checklist, recording a tick) and on the
Today page while it is open. A check-off recorded before a jump is never lost or duplicated.

The last test reads the igfcoach package (AST, not regexes) and fails listing every direct wall-clock read
(``datetime.now()``, ``date.today()``, ``time.time()``, Qt's current date/time, ...) outside the clock itself,
the context that builds the system clock and the start-up profiler, except for an allow-list where the real wall
clock is needed, each entry with its reason.
"""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from igfcoach.core.clock import FakeClock
from igfcoach.core.habits import HabitSpec, Schedule
from igfcoach.services import checklist, habits, settings
from igfcoach.services.checklist import CheckError
from igfcoach.services.context import open_context

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC = timezone.utc
PACKAGE = Path(__file__).resolve().parents[1] / "igfcoach"


@pytest.fixture
def clock() -> FakeClock:  # overrides the shared one: each test sets its own moment
    return FakeClock(datetime(2026, 11, 25, 12, 0), tz=BERLIN)


@pytest.fixture
def ctx(tmp_path, clock):
    context = open_context(str(tmp_path / "data"), clock=clock)
    yield context
    context.close()


def add_habit(ctx, title: str = "Lights out") -> str:
    return habits.add_habit(ctx, HabitSpec(key="new", category="sleep", title=title, why="", details="",
                                           kind="check", target=None, schedule=Schedule.daily()))


def done_on(ctx, key: str, day: date | None = None) -> bool:
    """Whether the habit shows as done in the checklist for ``day`` (default: what the checklist calls today)."""
    items = {i.spec.key: i for i in checklist.day_checklist(ctx, day)}
    return items[key].done


def stored_days(ctx, key: str) -> list[date]:
    """The days holding a record for the habit, read back from the database (duplicates would show twice)."""
    return [r.day for r in checklist.history(ctx, key)]


def at(clock: FakeClock, *args: int, fold: int = 0) -> None:
    clock.set(datetime(*args, tzinfo=clock.tz, fold=fold))  # type: ignore[misc]


# ------------------------------------------------------------------------------------------------ services


def test_midnight_moves_today_the_checklist_and_the_default_record_day(ctx, clock):
    key = add_habit(ctx)
    at(clock, 2026, 11, 25, 23, 59, 59)
    assert ctx.today() == date(2026, 11, 25)
    before = checklist.record(ctx, key, done=True)  # no day given: today
    assert before.day == date(2026, 11, 25)
    assert done_on(ctx, key)
    clock.advance(1)
    assert ctx.today() == date(2026, 11, 26)
    assert not done_on(ctx, key)  # a new, empty day
    assert done_on(ctx, key, date(2026, 11, 25))
    assert checklist.record(ctx, key, done=True).day == date(2026, 11, 26)
    assert stored_days(ctx, key) == [date(2026, 11, 25), date(2026, 11, 26)]


def test_a_3am_start_of_day_keeps_the_small_hours_in_yesterday(ctx, clock):
    key = add_habit(ctx)
    settings.put(ctx, day_start="03:00")
    at(clock, 2026, 11, 26, 2, 59, 59)
    assert ctx.today() == date(2026, 11, 25)
    assert checklist.record(ctx, key, done=True).day == date(2026, 11, 25)  # a late tick counts for "tonight"
    assert done_on(ctx, key)
    with pytest.raises(CheckError, match="future"):
        checklist.record(ctx, key, date(2026, 11, 26), done=True)  # the calendar day has not begun yet
    clock.advance(1)
    assert ctx.today() == date(2026, 11, 26)
    assert not done_on(ctx, key)
    assert stored_days(ctx, key) == [date(2026, 11, 25)]


@pytest.mark.parametrize("day_start", ["00:00", "02:30", "03:00"])
def test_spring_forward_in_berlin(ctx, clock, day_start: str):
    """2026-03-29: 02:00 CET jumps to 03:00 CEST. A start of day inside the gap begins when the clocks jump."""
    key = add_habit(ctx)
    settings.put(ctx, day_start=day_start)
    if day_start == "00:00":
        at(clock, 2026, 3, 28, 23, 59, 59)
    else:
        at(clock, 2026, 3, 29, 1, 59, 59)
    assert ctx.today() == date(2026, 3, 28)
    assert checklist.record(ctx, key, done=True).day == date(2026, 3, 28)
    clock.advance(1)  # one real second later
    if day_start != "00:00":
        assert clock.now().hour == 3 and clock.now().utcoffset() == timedelta(hours=2)
    assert ctx.today() == date(2026, 3, 29)
    assert not done_on(ctx, key)
    assert done_on(ctx, key, date(2026, 3, 28))
    checklist.record(ctx, key, done=True)
    # the logical 29th lasts 23 h (midnight to midnight), 23.5 h (03:00 CEST to 02:30) or 24 h (03:00 to 03:00)
    length = {"00:00": timedelta(hours=23), "02:30": timedelta(hours=23.5), "03:00": timedelta(hours=24)}[day_start]
    clock.advance(length - timedelta(seconds=1))
    assert ctx.today() == date(2026, 3, 29)
    clock.advance(1)
    assert ctx.today() == date(2026, 3, 30)
    assert stored_days(ctx, key) == [date(2026, 3, 28), date(2026, 3, 29)]


def test_fall_back_in_berlin_with_a_3am_start(ctx, clock):
    """2026-10-25: 03:00 CEST goes back to 02:00 CET; the repeated hour stays in the day it began in."""
    key = add_habit(ctx)
    settings.put(ctx, day_start="03:00")
    at(clock, 2026, 10, 25, 2, 30)  # first 02:30 (CEST)
    assert clock.now().utcoffset() == timedelta(hours=2)
    assert ctx.today() == date(2026, 10, 24)
    checklist.record(ctx, key, done=True)
    clock.advance(timedelta(hours=1))  # second 02:30 (CET)
    assert clock.now().utcoffset() == timedelta(hours=1) and clock.now().hour == 2
    assert ctx.today() == date(2026, 10, 24)
    assert done_on(ctx, key)  # still the same logical day, still ticked
    checklist.record(ctx, key, done=True)  # ticking again in the repeated hour changes nothing
    clock.advance(timedelta(minutes=30))  # 03:00 CET
    assert ctx.today() == date(2026, 10, 25)
    assert not done_on(ctx, key)
    assert stored_days(ctx, key) == [date(2026, 10, 24)]


def test_fall_back_with_a_start_of_day_in_the_repeated_hour_never_steps_back(ctx, clock):
    settings.put(ctx, day_start="02:30")
    at(clock, 2026, 10, 25, 2, 29)  # CEST
    assert ctx.today() == date(2026, 10, 24)
    clock.advance(60)  # the first 02:30 begins the 25th
    assert ctx.today() == date(2026, 10, 25)
    seen = set()
    for _ in range(12):  # through the repeated hour (02:00-02:59 CET happens after it)
        clock.advance(timedelta(minutes=10))
        seen.add(ctx.today())
    assert seen == {date(2026, 10, 25)}


def test_a_time_zone_change_moves_today_and_loses_nothing(ctx, clock):
    key = add_habit(ctx)
    at(clock, 2026, 11, 26, 3, 30)  # Berlin, the 26th
    checklist.record(ctx, key, done=True, note="before the flight")
    clock.set_timezone(NEW_YORK)  # same instant: 21:30 on the 25th in New York
    assert clock.now().hour == 21
    assert ctx.today() == date(2026, 11, 25)
    assert not done_on(ctx, key)  # today is the 25th again, and nothing was ticked for it
    checklist.record(ctx, key, done=True)
    assert stored_days(ctx, key) == [date(2026, 11, 25), date(2026, 11, 26)]
    clock.advance(timedelta(hours=2, minutes=31))  # 00:01 on the 26th in New York
    assert ctx.today() == date(2026, 11, 26)
    assert done_on(ctx, key)  # the tick from Berlin is there
    item = checklist.item(ctx, key, date(2026, 11, 26))
    assert item.note == "before the flight"
    checklist.record(ctx, key, done=True)
    assert stored_days(ctx, key) == [date(2026, 11, 25), date(2026, 11, 26)]


def test_a_backwards_jump_of_two_hours_loses_and_duplicates_nothing(ctx, clock):
    key = add_habit(ctx)
    at(clock, 2026, 11, 26, 0, 30)
    checklist.record(ctx, key, done=True, note="late")
    assert stored_days(ctx, key) == [date(2026, 11, 26)]
    clock.advance(timedelta(hours=-2))  # NTP, a wrong RTC, or the user fixing the time
    assert clock.now() == datetime(2026, 11, 25, 22, 30, tzinfo=BERLIN)
    assert ctx.today() == date(2026, 11, 25)
    assert not done_on(ctx, key)
    checklist.record(ctx, key, done=True)
    checklist.record(ctx, key, date(2026, 11, 24), done=True)  # and fills in the day before
    assert stored_days(ctx, key) == [date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]
    assert checklist.item(ctx, key, date(2026, 11, 26)).note == "late"
    clock.advance(timedelta(hours=2, minutes=1))
    assert ctx.today() == date(2026, 11, 26)
    assert done_on(ctx, key)
    checklist.record(ctx, key, done=True)  # ticking it again
    assert stored_days(ctx, key) == [date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]
    checklist.record(ctx, key, done=False)  # unticking keeps the note
    item = checklist.item(ctx, key, date(2026, 11, 26))
    assert (item.done, item.note) == (False, "late")
    assert stored_days(ctx, key) == [date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]


# ------------------------------------------------------------------------------------------------ Today page


@pytest.fixture
def page(qtbot, ctx):
    from igfcoach.ui.pages.today import TodayPage

    def make() -> TodayPage:
        p = TodayPage(ctx)
        qtbot.addWidget(p)
        p.resize(1000, 680)
        p.show()
        qtbot.waitExposed(p)
        return p

    return make


def test_the_open_page_follows_midnight_and_a_time_zone_change(ctx, clock, page):
    key = add_habit(ctx)
    at(clock, 2026, 11, 25, 23, 59)
    today = page()
    assert today.day == date(2026, 11, 25)
    today.change(key, done=True)
    assert today.items[key].done
    clock.advance(61)
    today.check_rollover()  # what the rollover timer does
    assert (today.today, today.day) == (date(2026, 11, 26), date(2026, 11, 26))
    assert not today.items[key].done and not today.row(key).check.isChecked()
    today.change(key, done=True)
    clock.set_timezone(NEW_YORK)  # 18:00 on the 25th there
    today.check_rollover()
    assert (today.today, today.day) == (date(2026, 11, 25), date(2026, 11, 25))
    assert today.items[key].done  # the 25th's tick, shown again
    assert not today.next_button.isEnabled()  # the 26th is in the future now
    clock.advance(timedelta(hours=6, minutes=1))
    today.check_rollover()
    assert today.day == date(2026, 11, 26) and today.items[key].done
    assert stored_days(ctx, key) == [date(2026, 11, 25), date(2026, 11, 26)]


def test_the_open_page_survives_the_clock_going_back(ctx, clock, page):
    key = add_habit(ctx)
    at(clock, 2026, 11, 26, 0, 30)
    today = page()
    today.change(key, done=True)
    clock.advance(timedelta(hours=-2))
    today.check_rollover()
    assert (today.today, today.day) == (date(2026, 11, 25), date(2026, 11, 25))  # the 26th is not reachable
    assert not today.items[key].done
    assert today.next_rollover_at is not None
    assert today.next_rollover_at.astimezone(UTC) == datetime(2026, 11, 25, 23, 0, tzinfo=UTC)  # midnight again
    clock.advance(timedelta(hours=2, minutes=1))
    today.check_rollover()
    assert today.day == date(2026, 11, 26) and today.items[key].done
    assert stored_days(ctx, key) == [date(2026, 11, 26)]


@pytest.mark.parametrize(
    ("now", "day_start", "rollover_utc"),
    [
        # spring forward: 01:55 CET, the day starts at 03:00 CEST -- 5 real minutes away (65 on the wall clock)
        (datetime(2026, 3, 29, 1, 55, tzinfo=BERLIN), "03:00", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        # fall back: the first 02:55 (CEST), the day starts at 03:00 CET -- 65 real minutes away (5 on the wall)
        (datetime(2026, 10, 25, 2, 55, tzinfo=BERLIN), "03:00", datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
        # an ordinary night
        (datetime(2026, 11, 25, 23, 55, tzinfo=BERLIN), "00:00", datetime(2026, 11, 25, 23, 0, tzinfo=UTC)),
    ],
)
def test_the_rollover_timer_waits_real_time_not_wall_time(ctx, clock, page, now, day_start, rollover_utc):
    settings.put(ctx, day_start=day_start)
    clock.set(now)
    today = page()
    assert today.next_rollover_at.astimezone(UTC) == rollover_utc
    real_ms = (rollover_utc - now.astimezone(UTC)).total_seconds() * 1000
    expected = min(real_ms + 500, 10 * 60 * 1000)  # the page never waits more than 10 minutes
    assert abs(today.rollover_timer.interval() - expected) <= 50, (today.rollover_timer.interval(), expected)


# ------------------------------------------------------------------------------------------------ the source

#: Modules that may read the wall clock directly.
ALLOWED_MODULES = {
    "igfcoach/core/clock.py": "the Clock itself: SystemClock.now() is the one place the app reads the time",
    "igfcoach/services/context.py": "builds the SystemClock for the running app",
    "igfcoach/ui/startup_profile.py": "start-up profiling measures real elapsed time since the process started",
}

#: (module, forbidden name) -> why the real wall clock is right there.
ALLOWED_USES = {
    ("igfcoach/store/backup.py", "datetime.datetime.now"): (
        "file-name stamp of a safety copy taken before any AppContext (and so any Clock) exists: the migration "
        "backup on open and the damaged-start restore; every service call passes ctx.clock.now()"
    ),
}

FORBIDDEN = {
    "datetime.datetime.now",
    "datetime.datetime.today",
    "datetime.datetime.utcnow",
    "datetime.date.today",
    "time.time",
    "time.time_ns",
    "time.localtime",
    "time.gmtime",
    "time.ctime",
    "time.asctime",
    "PySide6.QtCore.QDateTime.currentDateTime",
    "PySide6.QtCore.QDateTime.currentDateTimeUtc",
    "PySide6.QtCore.QDateTime.currentMSecsSinceEpoch",
    "PySide6.QtCore.QDateTime.currentSecsSinceEpoch",
    "PySide6.QtCore.QDate.currentDate",
    "PySide6.QtCore.QTime.currentTime",
}


def _imports(tree: ast.AST) -> dict[str, str]:
    """Local name -> fully qualified name, from the module's imports (any scope)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    names[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.AST) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


def wall_clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, qualified name) of every reference to a forbidden wall-clock function, called or not."""
    tree = ast.parse(source)
    names = _imports(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts = _dotted(node)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            parts = [node.id]
        else:
            continue
        if not parts or parts[0] not in names:
            continue
        qualified = ".".join([names[parts[0]], *parts[1:]])
        if qualified in FORBIDDEN:
            found.append((node.lineno, qualified))
    return found


def test_the_source_scan_finds_what_it_must() -> None:
    sample = (
        "import time as _t\nfrom datetime import date, datetime as DT\nimport datetime\n"
        "from PySide6.QtCore import QDate\n"
        "a = DT.now()\nb = date.today()\nc = _t.time()\nd = datetime.datetime.utcnow()\n"
        "e = QDate.currentDate()\nf = DT.fromtimestamp(0)\ng = _t.monotonic()\n"
        "def k(default=DT.now):\n    from time import time\n    return time()\n"
    )
    assert [name for _, name in wall_clock_reads(sample)] == [
        "datetime.datetime.now", "datetime.date.today", "time.time", "datetime.datetime.utcnow",
        "PySide6.QtCore.QDate.currentDate", "datetime.datetime.now", "time.time",
    ]


def test_no_direct_wall_clock_reads_outside_the_clock() -> None:
    offenders = []
    used_allowances = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        if rel in ALLOWED_MODULES:
            continue
        for line, name in wall_clock_reads(path.read_text(encoding="utf-8")):
            if (rel, name) in ALLOWED_USES:
                used_allowances.add((rel, name))
                continue
            offenders.append(f"{rel}:{line}: {name}")
    assert not offenders, (
        "read the time from the injected clock (ctx.clock.now(), ctx.today()) instead of:\n  "
        + "\n  ".join(offenders)
    )
    stale = set(ALLOWED_USES) - used_allowances
    assert not stale, f"allow-list entries no longer needed: {sorted(stale)}"
