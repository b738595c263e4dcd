"""`igfcoach demo-data` and `igfcoach chart`: a demo history, and charts rendered to a file without a window.

`chart` draws with the same widget as the Charts page (Qt and pyqtgraph, imported only when the command runs,
on Qt's offscreen platform when there is no display).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from igfcoach.cli.errors import UsageError
from igfcoach.services.context import AppContext

RANGES = ("30d", "90d", "1y", "all")
FORMATS = (".png", ".svg")


def _positive_int(name: str, low: int, high: int):  # noqa: ANN202 (an argparse type)
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name}: {text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{name}: {value} is outside {low}–{high}")
        return value

    return parse


def _years(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"years: {text!r} is not a number") from None
    from igfcoach.services.demo_data import MAX_YEARS

    if not 0 < value <= MAX_YEARS:
        raise argparse.ArgumentTypeError(f"years: {value:g} must be above 0 and at most {MAX_YEARS:g}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo-data",
        help="fill the data dir with a realistic demo history (for trying the app, screenshots, benchmarks)",
        description="Fill the data dir with a deterministic demo history: the default habits with drifting "
                    "adherence, workouts, sleep, breathing, and an IGF-1 result every 8–16 weeks. Refuses a data "
                    "dir that already holds data unless --force (which backs it up, then replaces it). Use "
                    "--data-dir to keep it apart from your own data.",
    )
    p.add_argument("--years", type=_years, default=3.0, metavar="N", help="how many years of history (default 3)")
    p.add_argument("--seed", type=_positive_int("seed", 0, 2**31 - 1), default=1, metavar="S",
                   help="random seed: the same seed gives the same history (default 1)")
    p.add_argument("--force", action="store_true",
                   help="replace whatever the data dir holds (a backup is made first)")
    p.set_defaults(handler=cmd_demo_data)

    chart = sub.add_parser("chart", help="render a chart to a PNG or SVG file without opening a window")
    chart.add_argument("kind", choices=("adherence",),
                       help="adherence: daily adherence with 7- and 28-day averages and the IGF-1 results")
    chart.add_argument("--out", required=True, metavar="FILE", help="the file to write; .png or .svg")
    chart.add_argument("--range", dest="range_key", choices=RANGES, default="1y",
                       help="how far back to show (default 1y)")
    chart.add_argument("--width", type=_positive_int("width", 200, 8000), default=1200, metavar="PX",
                       help="image width in pixels (default 1200)")
    chart.add_argument("--height", type=_positive_int("height", 150, 8000), default=500, metavar="PX",
                       help="image height in pixels (default 500)")
    chart.add_argument("--theme", choices=("light", "dark"), default="light", help="colours (default light)")
    chart.set_defaults(handler=cmd_chart)


def cmd_demo_data(ctx: AppContext, args: argparse.Namespace) -> int:
    from igfcoach.services import demo_data

    try:
        summary = demo_data.generate(ctx, args.years, seed=args.seed, force=args.force,
                                     progress=lambda msg: print(f"  {msg}", file=sys.stderr))
    except demo_data.ExistingData as exc:
        raise UsageError(str(exc)) from None
    print(f"Demo data written to {ctx.paths.data_dir}: {summary.describe()}.")
    if summary.backup:
        print(f"The previous data was backed up to {summary.backup}.")
    print(f"Open it with: igfcoach --data-dir {ctx.paths.data_dir}")
    return 0


def cmd_chart(ctx: AppContext, args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    if out.suffix.lower() not in FORMATS:
        raise UsageError(f"--out: {out.name!r} must end in .png or .svg")
    if not out.parent.exists():
        raise UsageError(f"--out: the folder {out.parent} does not exist")
    from igfcoach.ui.charts.render import prefer_offscreen

    prefer_offscreen()  # before Qt is started
    from igfcoach.services import chart_data
    from igfcoach.ui.charts.export import ExportError
    from igfcoach.ui.charts.render import render_adherence

    data = chart_data.load(ctx)
    try:
        path = render_adherence(data, out, range_key=args.range_key, width=args.width, height=args.height,
                                theme=args.theme)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    print(f"Wrote {path} ({args.width}×{args.height}, {args.range_key}, {len(data.labs)} IGF-1 results).")
    return 0
