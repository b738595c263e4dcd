"""Benchmark of the Charts page with ten years of demo data (issue 7; the charts rows of issue 9's table).

    .venv/bin/python benchmarks/bench_charts.py [--years 10] [--runs 5] [--data-dir DIR] [--rebuild]

Builds a demo data dir (``igfcoach demo-data``) in a temporary folder, or reuses the one from an earlier run
(kept under the system temp dir, keyed by years and seed), then prints the median of repeated runs:

- demo data: writing the history (once);
- load: reading everything the charts need from the database (one transaction);
- analysis: every habit's due/done flags and strength series, the daily adherence, its 7- and 28-day averages,
  and the before-each-test windows with the correlation, from the loaded rows (target < 50 ms);
- load + analysis: both, for reference (the target is for the analysis, which issue 9 defines as computing);
- first open: a fresh process with the main window on its Today page; from the click on Charts until the main
  chart has painted, the pyqtgraph and numpy imports included (target < 600 ms);
- range switch: one range button to the painted chart (target < 50 ms);
- pan frame: one step of dragging the chart sideways to the painted chart (smooth when well under 16 ms).

The GUI figures run on Qt's offscreen platform unless --display is given. No assertions: this prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"analysis": 50.0, "first open": 600.0, "range switch": 50.0, "pan frame": 16.0}


# --------------------------------------------------------------------------------------------------- child: GUI


def _child(data_dir: str) -> None:
    """Runs in a fresh process: open the app window, then time Charts' first opening, range switches, panning."""
    t_start = time.perf_counter()
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from igfcoach.services.context import open_context
    from igfcoach.ui.app import CoachApp
    from igfcoach.ui.main_window import MainWindow
    from igfcoach.ui.theme import apply_theme

    app = CoachApp([sys.argv[0]])
    apply_theme(app, "light")
    ctx = open_context(data_dir)
    window = MainWindow(ctx)
    window.resize(1000, 680)
    window.show()
    for _ in range(5):
        app.processEvents()
    already = sorted(m for m in ("pyqtgraph", "numpy") if m in sys.modules)

    class Painted(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, obj, event):  # noqa: N802, ANN001
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    watcher = Painted()
    app.installEventFilter(watcher)  # the chart is created inside show_page: watch every paint
    t0 = time.perf_counter()
    window.show_page("charts")
    page = window.page("charts")
    viewport = page.chart.viewport()
    watcher.seen = False
    app.removeEventFilter(watcher)
    viewport.installEventFilter(watcher)
    deadline = time.perf_counter() + 5
    while not watcher.seen and time.perf_counter() < deadline:
        app.processEvents()
    first_open = (time.perf_counter() - t0) * 1000

    switches: list[float] = []
    for _ in range(6):
        for key in ("30d", "90d", "1y", "all"):
            t = time.perf_counter()
            page.set_range(key)
            viewport.repaint()
            switches.append((time.perf_counter() - t) * 1000)
    page.set_range("1y")
    app.processEvents()
    frames: list[float] = []
    step = 3 * 86400.0
    for i in range(60):
        t = time.perf_counter()
        page.chart.vb.translateBy(x=-step if i < 30 else step)
        viewport.repaint()
        frames.append((time.perf_counter() - t) * 1000)
    print(json.dumps({
        "first_open": first_open, "switches": switches, "frames": frames, "preloaded": already,
        "page_timings": page.timings, "process_to_window_ms": (t0 - t_start) * 1000,
    }))
    QApplication.quit()


# --------------------------------------------------------------------------------------------------- parent


def _data_dir(years: float, seed: int, given: str | None, rebuild: bool) -> tuple[Path, float | None]:
    """The data dir to measure, and how long writing its demo data took (None when it was reused).

    A --data-dir that already holds data is used as it is (unless --rebuild); the cached temporary one is
    written again when it was made for other years, another seed or another day.
    """
    from igfcoach.services import demo_data, settings
    from igfcoach.services.context import open_context

    path = Path(given) if given else Path(tempfile.gettempdir()) / f"igfcoach-bench-{years:g}y-seed{seed}"
    ctx = open_context(str(path))
    try:
        if given and demo_data.existing_data(ctx) and not rebuild:
            return path, None
        marker = settings.get(ctx, demo_data.DEMO_MARKER) or {}
        fresh = (marker.get("years") == years and marker.get("seed") == seed
                 and marker.get("end") == ctx.today().isoformat())
        if fresh and not rebuild:
            return path, None
        t = time.perf_counter()
        demo_data.generate(ctx, years, seed=seed, force=True)
        return path, (time.perf_counter() - t) * 1000
    finally:
        ctx.close()


def _analysis(path: Path, runs: int) -> tuple[list[float], list[float], dict]:
    from igfcoach.services import chart_data
    from igfcoach.services.context import open_context

    ctx = open_context(str(path))
    loads: list[float] = []
    analyses: list[float] = []
    info: dict = {}
    try:
        chart_data.load(ctx)  # warm: SQLAlchemy compiles its statements once per process
        for _ in range(max(5, runs)):
            t0 = time.perf_counter()
            raw = chart_data._fetch(ctx)
            t1 = time.perf_counter()
            data = chart_data.compute(raw, chart_data._today(ctx, raw.settings))
            data.rolling_short, data.rolling_long  # noqa: B018 (computed on first use)
            windows = data.windows(8)
            corr = data.correlation(8)
            t2 = time.perf_counter()
            loads.append((t1 - t0) * 1000)
            analyses.append((t2 - t1) * 1000)
        info = {"days": data.days, "habits": len(data.habits), "labs": len(data.labs),
                "checkoffs": int(raw.checkoffs.shape[0]), "windows": len(windows), "r": corr.r, "n": corr.n}
    finally:
        ctx.close()
    return loads, analyses, info


def _gui(path: Path, runs: int, display: bool) -> list[dict]:
    env = dict(os.environ)
    if not display:
        env["QT_QPA_PLATFORM"] = "offscreen"
    out = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, __file__, "--child", str(path)], env=env, capture_output=True,
                              text=True, timeout=300, cwd=str(ROOT))
        if done.returncode != 0:
            raise SystemExit(f"the GUI run failed:\n{done.stderr}")
        out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


def _row(name: str, values: list[float], target: float | None) -> str:
    med = statistics.median(values)
    verdict = "" if target is None else ("ok" if med < target else "OVER")
    tgt = "" if target is None else f"< {target:g}"
    return f"| {name:<14} | {med:9.1f} | {min(values):8.1f} | {max(values):8.1f} | {len(values):4d} | {tgt:>7} | {verdict:4} |"


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import numpy
    import pyqtgraph
    import PySide6

    return (f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; Python "
            f"{platform.python_version()}, PySide6 {PySide6.__version__}, pyqtgraph {pyqtgraph.__version__}, "
            f"numpy {numpy.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes for the first opening (default 5)")
    parser.add_argument("--data-dir", help="use (or fill) this data dir instead of a temporary one")
    parser.add_argument("--rebuild", action="store_true", help="write the demo data again even if it is there")
    parser.add_argument("--display", action="store_true", help="use the real display instead of offscreen")
    parser.add_argument("--child", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return

    path, built_ms = _data_dir(args.years, args.seed, args.data_dir, args.rebuild)
    loads, analyses, info = _analysis(path, args.runs)
    gui = _gui(path, args.runs, args.display)
    first = [g["first_open"] for g in gui]
    switches = [v for g in gui for v in g["switches"]]
    frames = [v for g in gui for v in g["frames"]]

    print(f"Charts benchmark: {args.years:g} years of demo data (seed {args.seed}) in {path}")
    print(f"  {info['days']:,} days, {info['habits']} habits, {info['checkoffs']:,} check-offs, "
          f"{info['labs']} IGF-1 results (r = {info['r']:.2f}, n = {info['n']})")
    print(f"  machine: {_machine()}")
    print(f"  GUI: {'real display' if args.display else 'Qt offscreen platform'}; "
          f"modules loaded before Charts was opened: {gui[0]['preloaded'] or 'neither pyqtgraph nor numpy'}")
    print()
    print("| figure (ms)    |    median |      min |      max |    n |  target |      |")
    print("|----------------|-----------|----------|----------|------|---------|------|")
    if built_ms is not None:
        print(_row("demo data", [built_ms], None))
    print(_row("load", loads, None))
    print(_row("analysis", analyses, TARGETS["analysis"]))
    print(_row("load+analysis", [a + b for a, b in zip(loads, analyses, strict=True)], None))
    print(_row("first open", first, TARGETS["first open"]))
    print(_row("range switch", switches, TARGETS["range switch"]))
    print(_row("pan frame", frames, TARGETS["pan frame"]))


if __name__ == "__main__":
    main()
