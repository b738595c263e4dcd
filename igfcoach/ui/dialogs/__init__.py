"""Dialogs opened from the pages (lab results, the habit editor, manage habits)."""
