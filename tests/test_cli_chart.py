"""`igfcoach demo-data` and `igfcoach chart`, in-process and as a real headless process."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QImage

from igfcoach.cli.main import main
from igfcoach.services import context as context_module

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def run(tmp_path, clock, monkeypatch, capsys):
    """Run the CLI on a private data dir with the test clock (2026-11-25 in Berlin)."""
    real_open = context_module.open_context
    monkeypatch.setattr(context_module, "open_context",
                        lambda data_dir=None, clock_=None: real_open(data_dir, clock=clock))
    data = str(tmp_path / "data")

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", data, *args])
        out, err = capsys.readouterr()
        return code, out, err

    _run.data = data  # type: ignore[attr-defined]
    return _run


def test_demo_data_then_refusal_then_force(run):
    code, out, _err = run("demo-data", "--years", "0.5", "--seed", "4")
    assert code == 0
    assert "12 habits" in out and "lab results" in out and "seed 4" in out
    code, out, err = run("demo-data", "--years", "0.5")
    assert code == 2 and out == ""
    assert "already holds data" in err and "--force" in err
    code, out, _err = run("demo-data", "--years", "0.5", "--force")
    assert code == 0 and "backed up to" in out


def test_demo_data_rejects_bad_years(run):
    with pytest.raises(SystemExit) as info:
        run("demo-data", "--years", "0")
    assert info.value.code == 2


def test_chart_writes_a_png_and_an_svg(run, tmp_path, qapp):
    assert run("demo-data", "--years", "1")[0] == 0
    png = tmp_path / "chart.png"
    code, out, err = run("chart", "adherence", "--out", str(png), "--range", "90d", "--width", "900",
                         "--height", "400")
    assert code == 0, err
    assert png.read_bytes()[:8] == PNG_MAGIC
    image = QImage(str(png))
    assert (image.width(), image.height()) == (900, 400)
    assert "Wrote" in out and "90d" in out
    svg = tmp_path / "chart.svg"
    code, _out, err = run("chart", "adherence", "--out", str(svg), "--theme", "dark")
    assert code == 0, err
    assert ET.parse(svg).getroot().tag.endswith("svg")


def test_chart_refuses_other_extensions_and_missing_folders(run, tmp_path):
    code, _out, err = run("chart", "adherence", "--out", str(tmp_path / "chart.jpg"))
    assert code == 2 and "must end in .png or .svg" in err
    code, _out, err = run("chart", "adherence", "--out", str(tmp_path / "nowhere" / "chart.png"))
    assert code == 2 and "does not exist" in err


def test_chart_runs_headless_in_a_fresh_process(tmp_path):
    """No display and no QT_QPA_PLATFORM: the command picks the offscreen platform itself."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    data = tmp_path / "data"
    base = [sys.executable, "-m", "igfcoach", "--data-dir", str(data)]
    subprocess.run([*base, "demo-data", "--years", "0.3"], env=env, check=True, capture_output=True, timeout=120)
    out = tmp_path / "fresh.png"
    done = subprocess.run([*base, "chart", "adherence", "--out", str(out), "--range", "all"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == PNG_MAGIC
    assert "Fatal" not in done.stderr
