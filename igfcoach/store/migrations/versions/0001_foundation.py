"""Foundation: settings, habits and their daily check-offs.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=True),
    )
    op.create_table(
        "habits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("catalog_key", sa.String(64), nullable=True),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(16), nullable=True),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("target_direction", sa.String(16), nullable=True),
        sa.Column("target_per_kg", sa.Float(), nullable=True),
        sa.Column("schedule", sa.String(64), nullable=False),
        sa.Column("flags", sa.String(200), nullable=False),
        sa.Column("caution", sa.Text(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("key", name="uq_habits_key"),
        sa.CheckConstraint("kind IN ('check', 'measured')", name="ck_habits_kind"),
        sa.CheckConstraint("status IN ('active', 'paused', 'archived')", name="ck_habits_status"),
    )
    op.create_table(
        "checkoffs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "habit_id",
            sa.Integer(),
            sa.ForeignKey("habits.id", ondelete="RESTRICT", name="fk_checkoffs_habit_id_habits"),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("habit_id", "day", name="uq_checkoffs_habit_day"),
    )
    op.create_index("ix_checkoffs_habit_id", "checkoffs", ["habit_id"])
    op.create_index("ix_checkoffs_day", "checkoffs", ["day"])


def downgrade() -> None:
    op.drop_table("checkoffs")
    op.drop_table("habits")
    op.drop_table("settings")
