"""Saving a chart as PNG or SVG with pyqtgraph's exporters (the format follows the file name's extension).

pyqtgraph 0.14.0's SVG exporter cannot read the "Z" (close path) command that Qt 6.8+ writes into SVG paths and
fails on every plot (pyqtgraph issue #3495, fixed after 0.14.0). While an SVG is written, each "Z" is rewritten
as a line back to the start of its sub-path, which draws the same shape, and the exporter is put back after.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtGui import QColor

FORMATS = {".png": "PNG image", ".svg": "SVG image"}


class ExportError(ValueError):
    """The file name has no supported extension, or the file could not be written."""


def _close_to_line(d: str) -> str:
    """Replace each "Z" in an SVG path with a line to its sub-path's start ("M0,0 L5,0 Z" -> "... L0,0")."""
    out: list[str] = []
    start = None
    for token in d.split():
        if token[:1] in ("Z", "z"):
            if start is not None:
                out.append("L" + start)
            continue
        if token[:1] in ("M", "m"):
            start = token[1:]
        out.append(token)
    return " ".join(out)


@contextlib.contextmanager
def _svg_close_paths_fixed() -> Iterator[None]:
    module = importlib.import_module("pyqtgraph.exporters.SVGExporter")
    original = module.correctCoordinates

    def correct(node, defs, item, options):  # noqa: ANN001 (pyqtgraph's signature)
        for path in node.getElementsByTagName("path"):
            d = path.getAttribute("d")
            if "Z" in d or "z" in d:
                path.setAttribute("d", _close_to_line(d))
        return original(node, defs, item, options)

    module.correctCoordinates = correct
    try:
        yield
    finally:
        module.correctCoordinates = original


def export_item(item: object, path: str | Path, *, width: int | None = None, height: int | None = None,
                background: QColor | None = None) -> Path:
    """Write ``item`` (a PlotItem, a GraphicsLayout or a scene) to ``path``: PNG or SVG by extension."""
    exporters = importlib.import_module("pyqtgraph.exporters")  # 45 ms: only when something is exported
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"file: {target.name!r} must end in .png or .svg")
    try:
        if suffix == ".png":
            exporter = exporters.ImageExporter(item)
            if width:
                exporter.parameters()["width"] = int(width)
            if height and not width:
                exporter.parameters()["height"] = int(height)
            if background is not None:
                exporter.parameters()["background"] = background
            ok = exporter.export(str(target))
            if ok is False:
                raise ExportError(f"file: could not write {target}")
        else:
            exporter = exporters.SVGExporter(item)
            if background is not None:
                exporter.parameters()["background"] = background
            with _svg_close_paths_fixed():
                exporter.export(str(target))
    except OSError as exc:
        raise ExportError(f"file: could not write {target}: {exc.strerror or exc}") from exc
    if not target.exists():
        raise ExportError(f"file: could not write {target}")
    return target
