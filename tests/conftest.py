"""Shared fixtures. Widget tests run offscreen; desktop tests (tests/desktop) start a real X display."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("IGFCOACH_DATA_DIR", None)

from datetime import datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import pytest  # noqa: E402

from igfcoach.core.clock import FakeClock  # noqa: E402
from igfcoach.services.context import AppContext, open_context  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 25, 9, 0), tz=BERLIN)


@pytest.fixture
def ctx(tmp_path, clock) -> AppContext:
    context = open_context(str(tmp_path / "data"), clock=clock)
    yield context
    context.close()


@pytest.fixture(scope="session")
def qapp_cls():
    """pytest-qt builds our application class, the app's signal hub."""
    from igfcoach.ui.app import CoachApp

    return CoachApp


@pytest.fixture(scope="session")
def sound_server():
    """A private PulseAudio null sink for QSoundEffect (see tests/sound_server.py); skipped without pulseaudio,
    except in CI (env CI set), where that is a failure."""
    from sound_server import SoundServerMissing, private_sound_server

    try:
        with private_sound_server() as sock:
            yield sock
    except SoundServerMissing as exc:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"sound tests must run in CI: {exc}", pytrace=False)
        pytest.skip(f"no sound server for the sound tests: {exc}")
