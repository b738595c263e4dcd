"""Settings > General > Application menu: the buttons add and remove the entry and the status line follows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from igfcoach.appinfo import APP_ID
from igfcoach.ui.settings.general import GeneralSettings


def _isolate(tmp_path, monkeypatch):
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "none"))
    for name in ("FLATPAK_ID", "SNAP", "SNAP_NAME"):
        monkeypatch.delenv(name, raising=False)
    return xdg


def test_add_then_remove_from_the_general_tab(qtbot, ctx, tmp_path, monkeypatch):
    xdg = _isolate(tmp_path, monkeypatch)
    page = GeneralSettings(ctx)
    qtbot.addWidget(page)
    row = page.menu_entry
    assert row.status.text() == "Not in the application menu."
    assert row.add_button.isEnabled() and not row.remove_button.isEnabled()

    qtbot.mouseClick(row.add_button, Qt.MouseButton.LeftButton)
    desktop = xdg / "applications" / f"{APP_ID}.desktop"
    assert desktop.is_file()
    assert row.status.text() == "Added to the application menu."
    assert row.status.toolTip() == str(desktop)
    assert not row.add_button.isEnabled() and row.remove_button.isEnabled()

    qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
    assert list(xdg.iterdir()) == []
    assert row.status.text() == "Removed from the application menu."
    assert row.add_button.isEnabled() and not row.remove_button.isEnabled()

    row.refresh()  # e.g. the tab built again later: the plain state
    assert row.status.text() == "Not in the application menu."


def test_an_entry_for_another_copy_offers_an_update(qtbot, ctx, tmp_path, monkeypatch):
    _isolate(tmp_path, monkeypatch)
    from igfcoach.services import desktop_integration

    desktop_integration.install(command=["/somewhere/else/igfcoach"])
    page = GeneralSettings(ctx)
    qtbot.addWidget(page)
    row = page.menu_entry
    assert row.add_button.text() == "Update menu entry" and row.add_button.isEnabled()
    assert "starts another copy (/somewhere/else/igfcoach)" in row.status.text()


def test_a_failure_is_shown_in_the_status_line(qtbot, ctx, tmp_path, monkeypatch):
    xdg = _isolate(tmp_path, monkeypatch)
    xdg.mkdir()
    (xdg / "applications").write_text("not a folder")
    page = GeneralSettings(ctx)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.menu_entry.add_button, Qt.MouseButton.LeftButton)
    assert page.menu_entry.status.text().startswith("Could not add it: cannot write ")


def test_inside_flatpak_the_buttons_are_off(qtbot, ctx, tmp_path, monkeypatch):
    _isolate(tmp_path, monkeypatch)
    monkeypatch.setenv("FLATPAK_ID", APP_ID)
    page = GeneralSettings(ctx)
    qtbot.addWidget(page)
    row = page.menu_entry
    assert not row.add_button.isEnabled() and not row.remove_button.isEnabled()
    assert row.status.text() == "IGF Coach is installed as a Flatpak, which puts it in the application menu."
