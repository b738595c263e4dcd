"""Settings > General > Application menu: add IGF Coach to the desktop's menu, or remove it, with a status line."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from igfcoach.services import desktop_integration


class MenuEntryRow(QWidget):
    """Two buttons and a status line; the work is ``igfcoach.services.desktop_integration`` (same as the CLI)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add to application menu")
        self.add_button.setAccessibleName("Add to application menu")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("Remove from menu")
        self.remove_button.setAccessibleName("Remove from application menu")
        self.remove_button.clicked.connect(self.remove)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.status = QLabel()
        self.status.setAccessibleName("Application menu status")
        self.status.setWordWrap(True)
        self.status.setProperty("class", "muted")
        column.addWidget(self.status)
        self.refresh()

    def refresh(self, message: str | None = None) -> None:
        """Show ``message`` (else the current state) and enable the buttons that can do something."""
        state = desktop_integration.status()
        usable = state.supported and state.managed_by is None
        self.add_button.setEnabled(usable and not (state.installed and state.current))
        self.add_button.setText("Update menu entry" if usable and state.installed and not state.current
                                else "Add to application menu")
        self.remove_button.setEnabled(usable and state.installed)
        self.status.setText(message or state.describe())
        self.status.setToolTip(str(state.desktop_file) if state.installed else "")

    def add(self) -> None:
        try:
            desktop_integration.install()
        except desktop_integration.DesktopIntegrationError as exc:
            self.refresh(f"Could not add it: {exc}.")
            return
        self.refresh("Added to the application menu.")

    def remove(self) -> None:
        try:
            desktop_integration.remove()
        except desktop_integration.DesktopIntegrationError as exc:
            self.refresh(f"Could not remove it: {exc}.")
            return
        self.refresh("Removed from the application menu.")
