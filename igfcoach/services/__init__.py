"""Use cases shared by the UI and the command line. Each write is one transaction."""
