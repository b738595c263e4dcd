"""The command line's own behaviour: help, version, bad arguments (exit 2, one line, no traceback)."""

from __future__ import annotations

import subprocess
import sys

from igfcoach import __version__


def run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "igfcoach", *args], capture_output=True, text=True, env=env,
                          timeout=60)


def test_help_reads_well():
    r = run("--help")
    assert r.returncode == 0
    assert "usage: igfcoach" in r.stdout
    assert "--data-dir DIR" in r.stdout and "--minimized" in r.stdout
    assert "Not medical advice" in r.stdout


def test_version():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"igfcoach {__version__}"


def test_bad_argument_is_one_line_and_exit_2():
    r = run("--no-such-flag")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1
    assert "unrecognized arguments: --no-such-flag" in r.stderr
    assert "Traceback" not in r.stderr


def test_unusable_data_dir_is_exit_2_with_a_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run("--data-dir", str(blocker / "sub"), "today")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert str(blocker / "sub") in r.stderr


def test_data_dir_may_follow_the_subcommand(tmp_path):
    r = run("today", "--data-dir", str(tmp_path / "after"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "after" / "igfcoach.sqlite3").exists()
    r = run("lab", "list", "--data-dir", str(tmp_path / "nested"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "nested" / "igfcoach.sqlite3").exists()
