"""Training, sleep and breathing: HIIT plans and sessions, resistance sessions and sets, exercises
(with the built-in compound lifts), sleep entries and breathing sessions.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BUILTIN_EXERCISES = ("Squat", "Deadlift", "Bench press", "Overhead press", "Row", "Pull-up", "Lunge",
                     "Hip thrust")


def upgrade() -> None:
    op.create_table(
        "hiit_plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("warmup_s", sa.Integer(), nullable=False),
        sa.Column("work_s", sa.Integer(), nullable=False),
        sa.Column("rest_s", sa.Integer(), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("cooldown_s", sa.Integer(), nullable=False),
        sa.UniqueConstraint("name", name="uq_hiit_plans_name"),
        sa.CheckConstraint("rounds >= 1", name="ck_hiit_plans_rounds"),
    )
    op.create_table(
        "hiit_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("plan_name", sa.String(80), nullable=True),
        sa.Column("warmup_s", sa.Integer(), nullable=False),
        sa.Column("work_s", sa.Integer(), nullable=False),
        sa.Column("rest_s", sa.Integer(), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("cooldown_s", sa.Integer(), nullable=False),
        sa.Column("completed_rounds", sa.Integer(), nullable=False),
        sa.Column("rpe", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint("rpe IS NULL OR (rpe BETWEEN 1 AND 10)", name="ck_hiit_sessions_rpe"),
        sa.CheckConstraint("rounds >= 1 AND completed_rounds BETWEEN 0 AND rounds", name="ck_hiit_sessions_rounds"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_hiit_sessions_day", "hiit_sessions", ["day"])
    exercises = op.create_table(
        "exercises",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("name", name="uq_exercises_name"),
    )
    op.bulk_insert(exercises, [{"name": n, "builtin": True} for n in BUILTIN_EXERCISES])
    op.create_table(
        "resistance_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_resistance_sessions_day", "resistance_sessions", ["day"])
    op.create_table(
        "resistance_sets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "session_id",
            sa.Integer(),
            sa.ForeignKey("resistance_sessions.id", ondelete="CASCADE",
                          name="fk_resistance_sets_session_id_resistance_sessions"),
            nullable=False,
        ),
        sa.Column("exercise", sa.String(100), nullable=False),
        sa.Column("set_no", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("load", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(2), nullable=False),
        sa.Column("to_failure", sa.Boolean(), nullable=False),
        sa.Column("rest_s", sa.Integer(), nullable=True),
        sa.CheckConstraint("reps BETWEEN 1 AND 100", name="ck_resistance_sets_reps"),
        sa.CheckConstraint("load >= 0", name="ck_resistance_sets_load"),
        sa.CheckConstraint("unit IN ('kg', 'lb')", name="ck_resistance_sets_unit"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_resistance_sets_session_id", "resistance_sets", ["session_id"])
    op.create_index("ix_resistance_sets_exercise", "resistance_sets", ["exercise"])
    op.create_table(
        "sleep_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("bedtime", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wake", sa.DateTime(timezone=True), nullable=False),
        sa.Column("quality", sa.Integer(), nullable=True),
        sa.Column("cool_dark", sa.Boolean(), nullable=False),
        sa.Column("screens_off", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.UniqueConstraint("day", name="uq_sleep_entries_day"),
        sa.CheckConstraint("quality IS NULL OR (quality BETWEEN 1 AND 5)", name="ck_sleep_entries_quality"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "breathing_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("pattern", sa.String(16), nullable=False),
        sa.Column("minutes", sa.Float(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("minutes > 0", name="ck_breathing_sessions_minutes"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_breathing_sessions_day", "breathing_sessions", ["day"])


def downgrade() -> None:
    op.drop_table("breathing_sessions")
    op.drop_table("sleep_entries")
    op.drop_table("resistance_sets")
    op.drop_table("resistance_sessions")
    op.drop_table("exercises")
    op.drop_table("hiit_sessions")
    op.drop_table("hiit_plans")
