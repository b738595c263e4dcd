"""Reminder text (user text: titles and bodies are editable) reaches the notification server as plain text.

The Desktop Notifications spec lets a server that advertises ``body-markup`` interpret the body as markup (dunst
does: bold, images, links). A body holding user text must then be escaped, so the person sees what they typed.
The summary is plain text by the spec and goes as it is. Uses the app's own D-Bus back-end against the harness's
private session bus and real dunst; the harness's bus monitor records exactly what was sent.
"""

from __future__ import annotations

import html

from igfcoach.reminders.delivery import DBusNotifications, Notice

MARKUP = "<b>bold</b><img src=x>&amp; <a href='file:///etc/passwd'>x</a> 3 < 4 > 2"


def test_reminder_text_reaches_the_notification_server_as_plain_text(desktop, qapp):
    from PySide6.QtDBus import QDBusConnection

    name = "igfcoach-plain-text-test"
    bus = QDBusConnection.connectToBus(desktop.bus_address, name)
    try:
        assert bus.isConnected(), bus.lastError().message()
        backend = DBusNotifications(bus, parent=qapp)
        assert backend.available(), backend.last_error
        assert "body-markup" in backend.capabilities, "dunst advertises body-markup; the test needs a server that does"
        title = f"ZQX-title {MARKUP}"
        body = f"ZQX-body {MARKUP}\nsecond line"
        assert backend.send(Notice(title, body, actions=(("done", "Done"),))), backend.last_error
        note = desktop.wait_for_notification("ZQX-title")
        assert note["summary"] == title  # the summary is plain text by the spec
        sent = note["body"]
        assert "<b>" not in sent and "<img" not in sent and "<a " not in sent, f"markup went out unescaped: {sent!r}"
        assert html.unescape(sent) == body, "escaping must be exact, so the person sees what they typed"
        backend.deleteLater()
    finally:
        QDBusConnection.disconnectFromBus(name)
