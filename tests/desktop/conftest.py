"""Fixtures for tests that run the real app on a real (virtual) desktop.

* ``desktop_session`` (session scope): one ``harness.Desktop`` -- Xvfb, private
  session bus, dunst, trayer -- shared by all desktop tests.
* ``desktop`` (function scope): the same object, ``reset()`` before and after
  each test (spawned processes stopped, open notifications closed, older
  notifications hidden from ``notifications()``).

When tools are missing the tests are skipped with the list -- except in CI
(env ``CI`` set), where that is a failure: desktop tests must run in CI.
Install them with ``bash .ci/desktop-deps`` (or ``make desktop-deps``).

On failure the report gets a "desktop" section with process logs, windows,
tray icons and notifications; if ``DESKTOP_ARTIFACTS`` names a directory a
screenshot and the session logs are copied there too.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import harness  # noqa: E402


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item, not just ours: mark by location.
    for item in items:
        if HERE == Path(item.path).resolve().parent or HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.desktop)


@pytest.fixture(scope="session")
def desktop_session():
    missing = harness.missing_tools()
    if missing:
        message = f"desktop test tools missing: {', '.join(missing)} -- install with `bash .ci/desktop-deps`"
        if _in_ci():
            pytest.fail(f"desktop tests must run in CI; {message}", pytrace=False)
        pytest.skip(message)
    with harness.Desktop() as session:
        yield session


@pytest.fixture
def desktop(desktop_session: harness.Desktop):
    desktop_session.reset()
    yield desktop_session
    desktop_session.reset()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.failed and call.when in ("call", "setup"):
        session = getattr(item, "funcargs", {}).get("desktop_session")
        if isinstance(session, harness.Desktop) and session.tmpdir is not None:
            try:
                if not (call.excinfo and call.excinfo.errisinstance(harness.DesktopError)):
                    # (harness errors already carry the same diagnostics)
                    report.sections.append(("desktop", session.diagnostics()))
                artifacts = os.environ.get("DESKTOP_ARTIFACTS")
                if artifacts:
                    dest = Path(artifacts) / re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)
                    session.screenshot(dest / "screen.png")
                    shutil.copytree(session.log_dir, dest / "logs", dirs_exist_ok=True)
                    report.sections.append(("desktop artifacts", str(dest)))
            except Exception as exc:  # diagnostics must never hide the real failure
                report.sections.append(("desktop", f"(could not collect diagnostics: {exc!r})"))
    return report
