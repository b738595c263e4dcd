"""The schema revision this version of the app expects (tests check it matches Alembic's head)."""

HEAD_REVISION = "0001"
