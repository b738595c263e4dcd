"""Reminder tests run Qt headless (before anything imports Qt)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

DESKTOP_DIR = Path(__file__).resolve().parent.parent / "desktop"


def desktop_harness():
    """tests/desktop/harness.py (plain Python, importable from here)."""
    if str(DESKTOP_DIR) not in sys.path:
        sys.path.insert(0, str(DESKTOP_DIR))
    import harness

    return harness


@pytest.fixture(scope="module")
def dunst_session():
    """Xvfb + a private session bus + dunst (+ trayer) from the desktop harness, for real D-Bus tests here."""
    harness = desktop_harness()
    missing = harness.missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"desktop tools missing in CI: {missing}")
        pytest.skip(f"desktop tools missing: {missing}")
    with harness.Desktop() as desk:
        yield desk
