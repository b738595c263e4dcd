"""`igfcoach install-desktop [--remove]` from a terminal, in a temporary XDG data home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from igfcoach.appinfo import APP_ID
from igfcoach.services.desktop_integration import exec_value, launch_command


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("FLATPAK_ID", "SNAP", "SNAP_NAME")}
    environ.update(XDG_DATA_HOME=str(tmp_path / "xdg"), XDG_DATA_DIRS=str(tmp_path / "none"), **env)
    return subprocess.run([sys.executable, "-m", "igfcoach", "--data-dir", str(tmp_path / "data"), *args],
                          capture_output=True, text=True, env=environ, timeout=60)


def test_help_lists_the_command(tmp_path):
    r = run(tmp_path, "--help")
    assert r.returncode == 0 and "install-desktop" in r.stdout
    r = run(tmp_path, "install-desktop", "--help")
    assert r.returncode == 0 and "--remove" in r.stdout and "XDG" in r.stdout


def test_install_then_remove(tmp_path):
    xdg = tmp_path / "xdg"
    r = run(tmp_path, "install-desktop")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "Added IGF Coach to the application menu (13 files written)."
    # the subprocess runs the same interpreter as this test, so it picks the same command
    assert lines[1] == f"The menu entry starts: {' '.join(launch_command())}"
    desktop = xdg / "applications" / f"{APP_ID}.desktop"
    assert f"  wrote   {desktop}" in lines
    assert f"Exec={exec_value(launch_command())}\n" in desktop.read_text(encoding="utf-8")

    r = run(tmp_path, "install-desktop", "--remove")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "Removed IGF Coach from the application menu (13 files deleted)."
    assert list(xdg.iterdir()) == []

    r = run(tmp_path, "install-desktop", "--remove")
    assert r.returncode == 0 and "nothing to remove" in r.stdout


def test_inside_a_flatpak_it_refuses_in_one_line(tmp_path):
    r = run(tmp_path, "install-desktop", FLATPAK_ID=APP_ID)
    assert r.returncode == 2
    assert r.stderr == ("igfcoach install-desktop: error: this copy runs as a Flatpak, "
                        "which already puts it in the application menu\n")
    assert not (tmp_path / "xdg").exists()


def test_an_unwritable_data_home_is_exit_2_with_the_path(tmp_path):
    (tmp_path / "xdg").mkdir()
    (tmp_path / "xdg" / "applications").write_text("not a folder")
    r = run(tmp_path, "install-desktop")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("igfcoach install-desktop: error: cannot write ")
    assert str(tmp_path / "xdg" / "applications") in r.stderr
