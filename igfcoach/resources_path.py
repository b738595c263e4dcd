"""Locate bundled read-only resources (coaching texts, icons).

An installed wheel carries them in ``igfcoach/_resources/`` (see ``force-include`` in pyproject.toml);
a source checkout keeps them in the repository's top-level ``resources/``.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

_PACKAGE_DIR = Path(__file__).resolve().parent

#: Where to look, in order: the installed copy first, then the source checkout.
RESOURCE_ROOTS: tuple[Path, ...] = (
    _PACKAGE_DIR / "_resources",
    _PACKAGE_DIR.parent / "resources",
)


def resource_path(rel: str | PurePosixPath) -> Path:
    """Path of a bundled resource given relative to the resources root, e.g. ``coaching/habits.toml``.

    The installed copy wins when it exists; otherwise the checkout's path is returned even if it is
    missing, so opening it reports the full path. Raises ValueError for an absolute path or one that
    climbs out with ``..``.
    """
    parts = PurePosixPath(rel)
    if parts.is_absolute() or ".." in parts.parts or not parts.parts:
        raise ValueError(f"resource path must be relative and stay inside resources/: {str(rel)!r}")
    installed, checkout = (root.joinpath(*parts.parts) for root in RESOURCE_ROOTS)
    return installed if installed.exists() else checkout
