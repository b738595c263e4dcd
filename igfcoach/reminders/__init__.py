"""The reminders engine: scheduling on the Qt event loop and delivery to the desktop."""
