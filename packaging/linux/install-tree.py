#!/usr/bin/env python3
"""Install the desktop entry, AppStream metainfo and icons under a prefix, for distro packages and the Flatpak.

    python3 packaging/linux/install-tree.py --prefix /app            # Flatpak
    python3 packaging/linux/install-tree.py --prefix /usr --destdir "$pkgdir"

writes (all named by the app id, the icons taken from resources/icons, the one source of truth):

    PREFIX/share/applications/io.github.igfcoach.IGFCoach.desktop      (verbatim: Exec=igfcoach)
    PREFIX/share/metainfo/io.github.igfcoach.IGFCoach.metainfo.xml
    PREFIX/share/icons/hicolor/NxN/apps/io.github.igfcoach.IGFCoach.png   (every rendered size)
    PREFIX/share/icons/hicolor/scalable/apps/io.github.igfcoach.IGFCoach.svg
    PREFIX/share/icons/hicolor/symbolic/apps/io.github.igfcoach.IGFCoach-symbolic.svg

For a per-user install from pip use `igfcoach install-desktop` instead (its Exec points at that copy).
Needs only the standard library and this checkout.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from igfcoach.services.desktop_integration import (  # noqa: E402
    DESKTOP_NAME,
    METAINFO_NAME,
    icon_files,
    linux_file,
)


def planned() -> list[tuple[Path, str]]:
    """(source, destination relative to PREFIX/share)."""
    return [
        (linux_file(DESKTOP_NAME), f"applications/{DESKTOP_NAME}"),
        (linux_file(METAINFO_NAME), f"metainfo/{METAINFO_NAME}"),
        *icon_files(),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", required=True, help="install prefix, e.g. /usr or /app")
    parser.add_argument("--destdir", default="", help="staging root prepended to the prefix (packagers' DESTDIR)")
    args = parser.parse_args(argv)
    share = Path(args.destdir + args.prefix) / "share" if args.destdir else Path(args.prefix) / "share"
    for src, rel in planned():
        dest = share / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        dest.chmod(0o644)
        print(dest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
