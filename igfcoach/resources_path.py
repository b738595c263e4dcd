"""Where the bundled resources are: inside the installed package, or the repo's top-level resources/."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_path(rel: str) -> Path:
    installed = _PACKAGE / "_resources" / rel
    if installed.exists():
        return installed
    return _PACKAGE.parent / "resources" / rel
