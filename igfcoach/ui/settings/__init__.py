"""Settings sections, one module each; the Settings page shows them as tabs."""
