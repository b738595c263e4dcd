"""The app icon, from the SVG and PNG sizes in resources/icons."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from igfcoach.resources_path import resource_path


@cache
def app_icon() -> QIcon:
    icon = QIcon()
    hicolor = resource_path("icons/hicolor")
    for png in sorted(hicolor.glob("*.png")):
        icon.addFile(str(png))
    return icon
