"""Killing the app mid-write loses nothing it reported as saved and never corrupts the database.

A child process records check-offs (each in its own transaction) and reports every commit; we SIGKILL
it at random moments, 20+ times, then check every reported commit is there and PRAGMA integrity_check
is ok. This is what decided `synchronous=FULL` with WAL (see igfcoach/store/db.py).
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from igfcoach.paths import resolve_paths

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 24


def test_sigkill_at_random_points_loses_no_committed_write(tmp_path):
    rng = random.Random(20261125)
    data_dir = tmp_path / "data"
    reported: list[tuple[str, str]] = []
    start = 0
    for _round in range(ROUNDS):
        child = subprocess.Popen([sys.executable, str(WRITER), str(data_dir), str(start)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: list[str] = []
        reader = threading.Thread(target=lambda c=child, out=lines: out.extend(iter(c.stdout.readline, "")))
        reader.start()
        # Wait for the first commit of this round, then kill at a random moment.
        deadline = time.monotonic() + 30
        while not lines and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.005)
        assert lines, f"writer never committed: {child.stderr.read() if child.poll() is not None else ''}"
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        child.wait()
        reader.join()
        child.stdout.close()
        child.stderr.close()
        committed = [tuple(line.split()[1:3]) for line in lines if line.startswith("committed ")]
        reported.extend(committed)  # type: ignore[arg-type]
        start += len(committed) + 1  # next round writes fresh rows

    db = resolve_paths(data_dir).database
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = set(conn.execute(
            "SELECT h.key, c.day FROM checkoffs c JOIN habits h ON h.id = c.habit_id WHERE c.done"
        ).fetchall())
    finally:
        conn.close()
    missing = [r for r in reported if r not in stored]
    assert len(reported) > ROUNDS
    assert not missing, f"{len(missing)} reported commits lost, e.g. {missing[:3]}"
