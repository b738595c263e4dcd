"""Adding IGF Coach to the application menu and taking it out again, in a temporary XDG data home."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from igfcoach.appinfo import APP_ID
from igfcoach.resources_path import resource_path
from igfcoach.services import desktop_integration as di

SIZES = [16, 22, 24, 32, 48, 64, 128, 256, 512]
EXPECTED = (
    [f"applications/{APP_ID}.desktop", f"metainfo/{APP_ID}.metainfo.xml"]
    + [f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in SIZES]
    + [f"icons/hicolor/scalable/apps/{APP_ID}.svg", f"icons/hicolor/symbolic/apps/{APP_ID}-symbolic.svg"]
)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty XDG data home; the process environment points at it too, and at no packaged entries."""
    data_home = tmp_path / "xdg-data"
    data_home.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "system-share"))
    for name in ("FLATPAK_ID", "SNAP", "SNAP_NAME"):
        monkeypatch.delenv(name, raising=False)
    return data_home


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def desktop_file_validate(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("desktop-file-validate is not installed (see .ci/desktop-deps)")
        return
    r = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and not r.stdout.strip(), r.stdout + r.stderr


def test_install_writes_the_entry_metainfo_and_icons_named_by_the_app_id(home):
    report = di.install()
    assert report.action == "install" and report.data_home == home
    assert sorted(p.relative_to(home).as_posix() for p in report.written) == sorted(EXPECTED)
    assert files_under(home) == sorted(EXPECTED)
    assert (home / f"icons/hicolor/48x48/apps/{APP_ID}.png").read_bytes() == \
        resource_path("icons/hicolor/48x48.png").read_bytes()
    assert (home / f"icons/hicolor/symbolic/apps/{APP_ID}-symbolic.svg").read_bytes() == \
        resource_path("icons/igfcoach-symbolic.svg").read_bytes()
    for rel in EXPECTED:
        assert (home / rel).stat().st_mode & 0o777 == 0o644


def test_the_written_entry_validates_and_starts_this_copy(home):
    di.install()
    desktop = home / "applications" / f"{APP_ID}.desktop"
    desktop_file_validate(desktop)
    text = desktop.read_text(encoding="utf-8")
    command = di.launch_command()
    assert f"Exec={di.exec_value(command)}\n" in text
    assert f"TryExec={command[0]}\n" in text
    assert f"Icon={APP_ID}\n" in text
    assert "install-desktop --remove" in text  # says how to undo it
    state = di.status()
    assert state.installed and state.current and state.command == tuple(command)
    assert state.describe() == "In the application menu."


def test_remove_undoes_install_exactly(home):
    di.install()
    report = di.remove()
    assert sorted(p.relative_to(home).as_posix() for p in report.removed) == sorted(EXPECTED)
    assert list(home.iterdir()) == []  # and the folders it made
    again = di.remove()
    assert again.removed == () and "nothing to remove" in again.summary()
    assert not di.status().installed and di.status().describe() == "Not in the application menu."


def test_remove_leaves_other_programs_files_alone(home):
    other_entry = home / "applications" / "org.example.Other.desktop"
    other_icon = home / "icons/hicolor/48x48/apps/org.example.Other.png"
    for path in (other_entry, other_icon):
        path.parent.mkdir(parents=True)
        path.write_text("other")
    before = files_under(home)
    di.install()
    di.remove()
    assert files_under(home) == before
    assert other_icon.parent.is_dir()


def test_installing_twice_replaces_the_files(home):
    di.install(command=["/old/place/igfcoach"])
    assert di.status().current is False
    assert "starts another copy (/old/place/igfcoach)" in di.status().describe()
    di.install()
    assert files_under(home) == sorted(EXPECTED)
    assert di.status().current is True


def test_existing_caches_are_refreshed_and_none_are_created(home):
    di.install()
    assert not (home / "applications/mimeinfo.cache").exists()
    assert not (home / "icons/hicolor/icon-theme.cache").exists()
    if not (shutil.which("update-desktop-database") and shutil.which("gtk-update-icon-cache")):
        pytest.skip("update-desktop-database / gtk-update-icon-cache not installed")
    # The user already has caches (another program's icon is in the theme).
    other_icon = home / "icons/hicolor/48x48/apps/org.example.Other.png"
    shutil.copyfile(resource_path("icons/hicolor/48x48.png"), other_icon)
    (home / "applications/mimeinfo.cache").write_text("[MIME Cache]\n")
    cache = home / "icons/hicolor/icon-theme.cache"
    cache.write_bytes(b"")
    report = di.install()
    assert len(report.refreshed) == 2 and report.warnings == ()
    assert APP_ID.encode() in cache.read_bytes()  # rebuilt with our icons in it
    removed = di.remove()
    assert len(removed.refreshed) == 2 and removed.warnings == ()
    assert APP_ID.encode() not in cache.read_bytes() and b"org.example.Other" in cache.read_bytes()
    assert files_under(home) == ["applications/mimeinfo.cache", "icons/hicolor/48x48/apps/org.example.Other.png",
                                 "icons/hicolor/icon-theme.cache"]


def test_a_packaged_entry_is_reported(home, tmp_path):
    packaged = tmp_path / "system-share" / "applications" / f"{APP_ID}.desktop"
    packaged.parent.mkdir(parents=True)
    packaged.write_text("[Desktop Entry]\n")
    state = di.status()
    assert not state.installed and state.packaged == packaged
    assert "from a system package" in state.describe()


def test_inside_flatpak_the_menu_is_left_to_flatpak(home):
    with pytest.raises(di.DesktopIntegrationError, match="Flatpak"):
        di.install(environ={"FLATPAK_ID": APP_ID, "XDG_DATA_HOME": str(home)})
    with pytest.raises(di.DesktopIntegrationError, match="Flatpak"):
        di.remove(environ={"FLATPAK_ID": APP_ID, "XDG_DATA_HOME": str(home)})
    assert list(home.iterdir()) == []
    assert "installed as a Flatpak" in di.status(environ={"FLATPAK_ID": APP_ID,
                                                          "XDG_DATA_HOME": str(home)}).describe()


def test_a_folder_that_cannot_be_written_is_named(home):
    (home / "applications").write_text("a file where a folder should be")
    with pytest.raises(di.DesktopIntegrationError, match="cannot write .*applications"):
        di.install()


def test_data_home_follows_the_xdg_rules(tmp_path):
    assert di.data_home({"XDG_DATA_HOME": str(tmp_path), "HOME": "/home/u"}) == tmp_path
    assert di.data_home({"XDG_DATA_HOME": "relative/path", "HOME": "/home/u"}) == Path("/home/u/.local/share")
    assert di.data_home({"HOME": "/home/u"}) == Path("/home/u/.local/share")
    assert di.data_dirs({}) == [Path("/usr/local/share"), Path("/usr/share")]


def test_launch_command_prefers_the_frozen_binary_then_the_script_then_dash_m(tmp_path, monkeypatch):
    bindir = tmp_path / "venv" / "bin"
    bindir.mkdir(parents=True)
    python = bindir / "python"
    python.write_text("")
    monkeypatch.setattr(sys, "executable", str(python))
    assert di.launch_command() == [str(python), "-m", "igfcoach"]
    script = bindir / "igfcoach"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    assert di.launch_command() == [str(script)]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert di.launch_command() == [str(python)]


def test_an_awkward_path_is_quoted_so_the_entry_still_validates(home):
    command = ["/opt/my apps/IGF $coach/bin/python3", "-m", "igfcoach"]
    di.install(command=command)
    desktop = home / "applications" / f"{APP_ID}.desktop"
    desktop_file_validate(desktop)
    assert di.status().command == tuple(command)


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
                min_size=1, max_size=4))
def test_exec_quoting_round_trips(args):
    assert di.parse_exec(di.exec_value(args)) == args
