"""Screenshots of Today, Labs and Charts for the README and the AppStream metainfo, from demo data.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--theme light|dark]

Fills a temporary data dir with three years of deterministic demo data (`igfcoach demo-data`), opens the
main window offscreen at 1280×800 and saves each page as PNG.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("today", "labs", "charts")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="igfcoach-shots-")) / "data"
    subprocess.run([sys.executable, "-m", "igfcoach", "--data-dir", str(data), "demo-data", "--years", "3"],
                   check=True, stdout=subprocess.DEVNULL)

    from datetime import datetime

    from igfcoach.core.clock import FakeClock
    from igfcoach.services.context import open_context, system_clock
    from igfcoach.ui.app import CoachApp
    from igfcoach.ui.main_window import MainWindow
    from igfcoach.ui.theme import apply_theme

    app = CoachApp(["igfcoach"])
    apply_theme(app, args.theme)
    zone = system_clock().zone
    # The demo history ends today; take the pictures at a fixed evening time so they read the same each run.
    clock = FakeClock(datetime.now(zone).replace(hour=20, minute=30, second=0, microsecond=0), tz=zone)
    ctx = open_context(str(data), clock=clock)
    window = MainWindow(ctx)
    window.resize(1280, 800)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)
    for key in PAGES:
        window.show_page(key)
        for _ in range(5):
            app.processEvents()
        suffix = "" if args.theme == "light" else "-dark"
        path = args.out / f"{key}{suffix}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
