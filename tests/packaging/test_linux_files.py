"""The Linux packaging files: validators pass, and every name agrees with the one app id.

desktop-file-validate and appstreamcli come from .ci/desktop-deps (desktop-file-utils, appstream). Without them
these tests skip on a developer's machine and fail under CI.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from igfcoach import __version__
from igfcoach.appinfo import APP_ID, APP_NAME, APP_SLUG

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
FLATPAK = REPO / "packaging" / "flatpak" / f"{APP_ID}.yml"
PYINSTALLER = REPO / "packaging" / "pyinstaller"
ICON_SIZES = sorted(int(p.name.split("x")[0]) for p in (REPO / "resources" / "icons" / "hicolor").glob("*x*.png"))


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian: see .ci/desktop-deps)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def read_desktop(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",), comment_prefixes=("#",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    """What a distro package or the Flatpak installs: packaging/linux/install-tree.py --prefix /usr."""
    root = tmp_path_factory.mktemp("tree")
    r = run(sys.executable, str(LINUX / "install-tree.py"), "--prefix", "/usr", "--destdir", str(root))
    assert r.returncode == 0, r.stderr
    return root / "usr"


# --- the desktop entry ---------------------------------------------------------------------------------------


def test_desktop_file_validates():
    r = run(tool("desktop-file-validate"), str(DESKTOP))
    assert r.returncode == 0 and r.stdout.strip() == "" and r.stderr.strip() == "", r.stdout + r.stderr


def test_desktop_entry_names_the_app_id_and_starts_the_script():
    entry = read_desktop(DESKTOP)
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["Icon"] == APP_ID
    assert entry["Exec"] == APP_SLUG  # the app opens no files or URLs: no field codes
    assert entry["TryExec"] == APP_SLUG
    # Qt sets WM_CLASS to (argv[0] basename, applicationName) and the app sets applicationName = APP_NAME;
    # on Wayland and for _GTK_APPLICATION_ID it uses setDesktopFileName(APP_ID), which matches the file name.
    assert entry["StartupWMClass"] == APP_NAME
    assert entry["Terminal"] == "false"
    assert "Utility" in entry["Categories"].split(";")
    assert {"habit", "reminder", "sleep", "IGF-1"} <= set(entry["Keywords"].split(";"))


def test_the_script_the_entry_runs_is_the_one_pyproject_installs():
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert APP_SLUG in scripts


def test_qt_is_told_the_desktop_file_name():
    launch = (REPO / "igfcoach" / "ui" / "launch.py").read_text(encoding="utf-8")
    assert "setDesktopFileName(APP_ID)" in launch and "setApplicationName(APP_NAME)" in launch


# --- AppStream metainfo --------------------------------------------------------------------------------------


def test_metainfo_validates():
    r = run(tool("appstreamcli"), "validate", "--no-net", str(METAINFO))
    assert r.returncode == 0, r.stdout + r.stderr


def test_metainfo_has_no_warnings_even_when_pedantic():
    r = run(tool("appstreamcli"), "validate", "--no-net", "--pedantic", str(METAINFO))
    assert r.returncode == 0, r.stdout + r.stderr
    problems = [line for line in r.stdout.splitlines() if re.match(r"\s*[WE]:", line)]
    # Pedantic notes left on purpose: the id's upper-case letters (the app id is fixed) and, with appstream < 1.0,
    # the <developer> tag that newer validators and Flathub require.
    assert problems == [], r.stdout


def test_metainfo_content_matches_the_app():
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == APP_NAME
    assert root.findtext("summary")
    assert root.find("developer").findtext("name")
    assert root.findtext("launchable[@type='desktop-id']") == f"{APP_ID}.desktop"
    assert root.findtext("provides/binary") == APP_SLUG
    assert root.find("content_rating").get("type", "").startswith("oars-")
    assert root.find("description/p") is not None
    release = root.find("releases/release")
    assert (release.get("version"), release.get("date")) == (__version__, "2026-11-25")
    shots = [img.text for img in root.iterfind("screenshots/screenshot/image")]
    assert shots and all(re.fullmatch(r"https://\S+/docs/screenshots/[a-z0-9-]+\.png", s) for s in shots), shots
    assert root.findall("screenshots/screenshot[@type='default']")


# --- icons and the installed tree ----------------------------------------------------------------------------


def test_icon_sources_exist_in_every_size():
    assert ICON_SIZES == [16, 22, 24, 32, 48, 64, 128, 256, 512]
    for size in ICON_SIZES:
        assert png_size(REPO / "resources" / "icons" / "hicolor" / f"{size}x{size}.png") == (size, size)


def test_installed_tree_names_every_icon_by_the_app_id(staged: Path):
    files = {p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()}
    expected = {f"share/applications/{APP_ID}.desktop", f"share/metainfo/{APP_ID}.metainfo.xml",
                f"share/icons/hicolor/scalable/apps/{APP_ID}.svg",
                f"share/icons/hicolor/symbolic/apps/{APP_ID}-symbolic.svg"}
    expected |= {f"share/icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in ICON_SIZES}
    assert files == expected
    for n in ICON_SIZES:
        assert png_size(staged / f"share/icons/hicolor/{n}x{n}/apps/{APP_ID}.png") == (n, n)
    for svg in (f"scalable/apps/{APP_ID}.svg", f"symbolic/apps/{APP_ID}-symbolic.svg"):
        assert ET.parse(staged / "share/icons/hicolor" / svg).getroot().tag.endswith("svg")


def test_installed_tree_validates_as_a_whole(staged: Path):
    r = run(tool("appstreamcli"), "validate-tree", "--no-net", str(staged))
    assert r.returncode == 0, r.stdout + r.stderr
    r = run(tool("desktop-file-validate"), str(staged / f"share/applications/{APP_ID}.desktop"))
    assert r.returncode == 0 and not r.stdout.strip(), r.stdout


def test_wheel_carries_the_desktop_files():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    force = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for name in (DESKTOP.name, METAINFO.name):
        assert force.get(f"packaging/linux/{name}") == f"igfcoach/_resources/linux/{name}"


# --- Flatpak -------------------------------------------------------------------------------------------------


def test_flatpak_manifest_parses_and_asks_only_for_what_the_app_uses():
    yaml = pytest.importorskip("yaml")
    manifest = yaml.safe_load(FLATPAK.read_text(encoding="utf-8"))
    assert manifest["id"] == APP_ID
    assert manifest["command"] == APP_SLUG
    assert manifest["runtime"] == "org.kde.Platform" and manifest["base"] == "io.qt.PySide.BaseApp"
    assert str(manifest["runtime-version"]) == str(manifest["base-version"])
    assert set(manifest["finish-args"]) == {
        "--share=ipc",
        "--socket=wayland",
        "--socket=fallback-x11",
        "--device=dri",
        "--socket=pulseaudio",
        "--talk-name=org.freedesktop.Notifications",
        "--talk-name=org.kde.StatusNotifierWatcher",
        "--own-name=org.kde.StatusNotifierItem-2-1",
        "--system-talk-name=org.freedesktop.login1",
    }
    assert not any(a.startswith(("--share=network", "--filesystem", "--socket=session-bus", "--socket=system-bus",
                                 "--device=all")) for a in manifest["finish-args"])


def test_flatpak_sources_are_pinned_and_the_app_module_installs_the_tree():
    yaml = pytest.importorskip("yaml")
    manifest = yaml.safe_load(FLATPAK.read_text(encoding="utf-8"))
    modules = {m["name"]: m for m in manifest["modules"]}
    for module in modules.values():
        for source in module["sources"]:
            if source["type"] == "file":
                assert source["url"].startswith("https://files.pythonhosted.org/packages/")
                assert re.fullmatch(r"[0-9a-f]{64}", source["sha256"])
    app = modules[APP_SLUG]
    (source,) = app["sources"]
    assert source["type"] == "dir" and (FLATPAK.parent / source["path"]).resolve() == REPO
    commands = " ".join(app["build-commands"])
    assert "packaging/linux/install-tree.py --prefix ${FLATPAK_DEST}" in commands
    assert "--no-deps" in commands  # PySide6 comes from the base app


# --- PyInstaller (built by hand: packaging/pyinstaller/build.sh; these only check the files hang together) ------


def test_pyinstaller_files_hang_together():
    spec = (PYINSTALLER / "igfcoach.spec").read_text(encoding="utf-8")
    ast.parse(spec)
    assert "igfcoach_entry.py" in spec and (PYINSTALLER / "igfcoach_entry.py").is_file()
    for needed in ('"igfcoach/store/migrations"', '"igfcoach/_resources"', 'copy_metadata("APScheduler")',
                   '"PySide6.QtMultimedia"', '"PySide6.QtSvg"'):
        assert needed in spec
    for script in ("build.sh", "test-built.sh"):
        path = PYINSTALLER / script
        assert os.access(path, os.X_OK), f"{script} is not executable"
        r = run("bash", "-n", str(path))
        assert r.returncode == 0, r.stderr
