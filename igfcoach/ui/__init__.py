"""The Qt user interface on top of services and reminders."""
