"""Reminders: rules the scheduler is built from, and per-rule delivery state.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_KINDS = ("wind_down", "bedtime", "hiit", "resistance", "breathing", "protein", "supplements", "lab_retest")


def upgrade() -> None:
    op.create_table(
        "reminder_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("habit_key", sa.String(64), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("time", sa.String(5), nullable=False),
        sa.Column("weekdays", sa.String(20), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("weeks_after", sa.Integer(), nullable=False),
        sa.Column("grace_minutes", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in _KINDS) + ")", name="ck_reminder_rules_kind"
        ),
        sa.CheckConstraint("weeks_after >= 1", name="ck_reminder_rules_weeks_after"),
        sa.CheckConstraint(
            "grace_minutes IS NULL OR grace_minutes >= 0", name="ck_reminder_rules_grace_minutes"
        ),
    )
    op.create_table(
        "reminder_state",
        sa.Column(
            "rule_id",
            sa.Integer(),
            sa.ForeignKey("reminder_rules.id", ondelete="CASCADE", name="fk_reminder_state_rule_id_reminder_rules"),
            primary_key=True,
        ),
        sa.Column("last_sent_for", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_check", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("reminder_state")
    op.drop_table("reminder_rules")
