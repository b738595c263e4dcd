"""The main window and the app controller, offscreen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from igfcoach.services import settings
from igfcoach.ui.controller import CLOSE_TO_TRAY_HINT, NO_TRAY_NOTICE, AppController
from igfcoach.ui.main_window import MainWindow
from igfcoach.ui.tray import CoachTray

SECTIONS = ["Today", "Training", "Sleep & Stress", "Labs", "Charts", "Settings"]


def test_window_has_its_sections_in_order(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.windowTitle() == "IGF Coach"
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == SECTIONS
    assert window.current_page_key() == "today"


def test_pages_are_built_on_first_show_and_shortcuts_switch(qtbot, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert window.stack.currentWidget().objectName() == "page_today"
    assert window.stack.widget(3).objectName() != "page_labs"  # not built yet
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "labs"
    assert window.stack.currentWidget().objectName() == "page_labs"
    window.show_page("settings")
    assert window.current_page_key() == "settings"


def test_closing_with_a_tray_hides_and_hints_once(qtbot, qapp, ctx):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    tray = CoachTray()
    messages = []
    tray.message = lambda title, body, msecs=0: messages.append(body)  # observe what the user would see
    controller = AppController(qapp, ctx, window, tray)
    quits = []
    qapp.aboutToQuit.connect(lambda: quits.append(1))
    window.show()
    qtbot.waitExposed(window)
    window.close()
    assert not window.isVisible()
    assert messages == [CLOSE_TO_TRAY_HINT]
    controller.open_window()
    assert window.isVisible()
    window.close()
    assert messages == [CLOSE_TO_TRAY_HINT]  # once only, remembered in settings
    assert settings.get(ctx, "close_to_tray_hint_shown") is True
    tray.hide()


def test_closing_without_a_tray_quits(qtbot, qapp, ctx, monkeypatch):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    controller = AppController(qapp, ctx, window, None)
    with qtbot.waitSignal(qapp.aboutToQuit, timeout=1000, raising=False) as blocker:
        calls = []
        monkeypatch.setattr(qapp, "exit", lambda code=0: calls.append("quit"))
        window.close()
    assert calls == ["quit"]
    del controller, blocker


def test_pause_reminders_from_the_tray_is_stored(qtbot, qapp, ctx, clock):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    tray = CoachTray()
    AppController(qapp, ctx, window, tray)
    tray.pause_requested.emit("1h")
    assert settings.get(ctx, "reminders_paused_until") == "2026-11-25T10:00:00+01:00"
    assert "paused until 10:00" in tray.icon.toolTip()
    tray.pause_requested.emit("tomorrow")
    assert settings.get(ctx, "reminders_paused_until") == "2026-11-26T00:00:00+01:00"
    tray.pause_requested.emit("resume")
    assert settings.get(ctx, "reminders_paused_until") is None
    tray.hide()


def test_no_tray_notice_text_names_the_consequence():
    assert "closing this window quits" in NO_TRAY_NOTICE
