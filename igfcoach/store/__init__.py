"""The store: SQLAlchemy models, sessions, migrations and backups. No Qt here."""
