"""IGF Coach's performance budget (issue 9): one command, a table of medians next to a bare Qt window.

    .venv/bin/python benchmarks/run.py [--years 10] [--runs 7] [--idle-seconds 60] [--data-dir DIR]

Builds (or reuses) a 10-year demo data dir with `igfcoach demo-data`, starts a real X display with the
desktop-test harness (Xvfb, session D-Bus, dunst, trayer: tests/desktop/harness.py), then measures:

- start-up: process start to the first painted Today page (`igfcoach --profile-startup`), against a bare
  PySide6 QMainWindow with a label started the same way (benchmarks/bare_window.py);
- peak memory (max RSS of the process at that point, from wait4), against the same bare window;
- ticking a habit: click on a Today row's tick box to committed in the database and the row repainted;
- the Charts rows (first opening, range switch, analysis) from benchmarks/bench_charts.py;
- idle: CPU seconds used in a minute by the app closed to the tray with reminders armed, and by the bare
  window for reference.

Nothing here asserts: it prints figures (see benchmarks/README.md for what each one means).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "desktop"))
PY = sys.executable


def build_data(data_dir: Path, years: int) -> None:
    if (data_dir / "igfcoach.sqlite3").exists():
        return
    print(f"building {years} years of demo data in {data_dir} …", flush=True)
    subprocess.run([PY, "-m", "igfcoach", "--data-dir", str(data_dir), "demo-data", "--years", str(years)],
                   check=True, stdout=subprocess.DEVNULL)


def timed_start(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(startup ms printed by the child, its max RSS in MiB)."""
    env = {**env, "IGFCOACH_PROFILE_T0": repr(time.time())}
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = proc.stdout.read()
    proc.stdout.close()
    ms = next(float(line.split()[1]) for line in out.splitlines() if line.startswith("startup_ms"))
    return ms, usage.ru_maxrss / 1024


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_cpu(desktop, argv: list[str], env: dict[str, str], seconds: float) -> float:
    proc = desktop.spawn(argv, env=env, name="idle")
    time.sleep(5)  # let start-up work (first backup, reminders planning) finish
    before = cpu_seconds(proc.pid)
    time.sleep(seconds)
    used = cpu_seconds(proc.pid) - before
    proc.stop()
    return used * 60 / seconds


def tick_ms(data_dir: Path, runs: int) -> list[float]:
    """Run in-process offscreen: click a tick box, then wait until the database has it and the row repainted."""
    code = f"""
import os, shutil, sys, tempfile, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {str(ROOT)!r})
work = tempfile.mkdtemp()
shutil.copytree({str(data_dir)!r}, work + "/d", ignore=shutil.ignore_patterns("logs", "backups"))
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from igfcoach.ui.app import CoachApp
app = CoachApp(["bench"])
from igfcoach.services import checklist
from igfcoach.services.context import open_context
from igfcoach.ui.main_window import MainWindow
ctx = open_context(work + "/d")
window = MainWindow(ctx)
window.show()
app.processEvents()
page = window.page("today")
keys = [k for k, row in page.rows.items() if getattr(row, "check", None) is not None]
times = []
for i in range({runs}):
    key = keys[i % len(keys)]
    row = page.rows[key]
    t0 = time.perf_counter()
    QTest.mouseClick(row.check, Qt.MouseButton.LeftButton)
    row.repaint()
    app.processEvents()
    t1 = time.perf_counter()
    assert checklist.item(ctx, key, ctx.today()).done == row.check.isChecked()
    times.append((t1 - t0) * 1000)
print("ticks", " ".join(f"{{t:.2f}}" for t in times))
"""
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout
    return [float(x) for x in out.split("ticks", 1)[1].split()]


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    parser.add_argument("--data-dir", type=Path, help="reuse this demo data dir (default: a cached temp dir)")
    args = parser.parse_args()

    import harness

    data_dir = args.data_dir or Path(tempfile.gettempdir()) / f"igfcoach-bench-{args.years}y"
    build_data(data_dir, args.years)
    rows: list[tuple[str, str, str, str]] = []
    with harness.Desktop() as desktop:
        env = {**desktop.env, "IGFCOACH_SKIP_ONBOARDING": "1"}
        app_argv = [PY, "-m", "igfcoach", "--data-dir", str(data_dir), "--profile-startup"]
        bare_argv = [PY, str(ROOT / "benchmarks" / "bare_window.py")]
        timed_start(app_argv, env)  # warm caches once (bytecode, fonts)
        timed_start(bare_argv, env)
        app_runs, bare_runs, floor_runs = [], [], []
        for _ in range(args.runs):  # interleaved, so a busy moment hits all three alike
            app_runs.append(timed_start(app_argv, env))
            bare_runs.append(timed_start(bare_argv, env))
            floor_runs.append(timed_start([*bare_argv, "--with-sqlalchemy"], env))
        app_ms, bare_ms = median([r[0] for r in app_runs]), median([r[0] for r in bare_runs])
        app_mb, bare_mb = median([r[1] for r in app_runs]), median([r[1] for r in bare_runs])
        floor_ms, floor_mb = median([r[0] for r in floor_runs]), median([r[1] for r in floor_runs])
        rows.append(("start-up to first painted Today page", f"{app_ms:.0f} ms", f"{bare_ms:.0f} ms",
                     f"{app_ms / bare_ms:.2f}× (target ≤ 2.5×)"))
        rows.append(("  bare window + SQLAlchemy ORM import (the stack's floor)", f"{floor_ms:.0f} ms",
                     f"{bare_ms:.0f} ms", f"{floor_ms / bare_ms:.2f}×"))
        rows.append(("peak memory (max RSS)", f"{app_mb:.0f} MiB", f"{bare_mb:.0f} MiB",
                     f"{app_mb / bare_mb:.2f}× (target ≤ 1.6×)"))
        rows.append(("  bare window + SQLAlchemy ORM import", f"{floor_mb:.0f} MiB", f"{bare_mb:.0f} MiB",
                     f"{floor_mb / bare_mb:.2f}×"))
        ticks = tick_ms(data_dir, max(args.runs, 15))
        rows.append(("tick a habit: click → committed → repainted", f"{median(ticks):.1f} ms", "–",
                     "target < 10 ms"))
        if args.idle_seconds > 0:
            app_idle = idle_cpu(desktop, [PY, "-m", "igfcoach", "--data-dir", str(data_dir), "--minimized"], env,
                                args.idle_seconds)
            bare_idle = idle_cpu(desktop, [*bare_argv, "--stay"], env, args.idle_seconds)
            rows.append(("idle CPU, closed to the tray, reminders armed", f"{app_idle:.3f} s/min",
                         f"{bare_idle:.3f} s/min", "target < 0.1 s/min"))

    charts = subprocess.run([PY, str(ROOT / "benchmarks" / "bench_charts.py"), "--data-dir", str(data_dir),
                             "--runs", str(min(args.runs, 5))], capture_output=True, text=True)

    print()
    print(f"IGF Coach benchmarks — {args.years} years of demo data, median of {args.runs} runs")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'IGF Coach':>12}  {'bare window':>12}  ratio / target")
    for name, ours, bare, note in rows:
        print(f"{name:<{width}}  {ours:>12}  {bare:>12}  {note}")
    print()
    print("Charts (benchmarks/bench_charts.py):")
    print(charts.stdout.strip() or charts.stderr.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
