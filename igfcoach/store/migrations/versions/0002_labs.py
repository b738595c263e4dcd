"""Labs: IGF-1 results and the safety screen's answers (one row per change).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lab_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("drawn_on", sa.Date(), nullable=False),
        sa.Column("drawn_at_time", sa.String(5), nullable=True),
        sa.Column("value_ng", sa.Float(), nullable=False),
        sa.Column("entered_value", sa.Float(), nullable=False),
        sa.Column("entered_unit", sa.String(16), nullable=False),
        sa.Column("lab_low_ng", sa.Float(), nullable=True),
        sa.Column("lab_high_ng", sa.Float(), nullable=True),
        sa.Column("lab_name", sa.Text(), nullable=True),
        sa.Column("assay", sa.Text(), nullable=True),
        sa.Column("fasting", sa.Boolean(), nullable=True),
        sa.Column("biotin_72h", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("value_ng > 0", name="ck_lab_results_value_positive"),
        sa.CheckConstraint("entered_unit IN ('ng/mL', 'nmol/L')", name="ck_lab_results_entered_unit"),
    )
    op.create_index("ix_lab_results_drawn_on", "lab_results", ["drawn_on"])
    op.create_table(
        "screen_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("sex", sa.String(8), nullable=True),
        sa.Column("active_cancer", sa.Boolean(), nullable=False),
        sa.Column("endocrine_disorder", sa.Boolean(), nullable=False),
        sa.Column("pregnant", sa.Boolean(), nullable=False),
        sa.Column("under_18", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_screen_answers_recorded_at", "screen_answers", ["recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_screen_answers_recorded_at", table_name="screen_answers")
    op.drop_table("screen_answers")
    op.drop_index("ix_lab_results_drawn_on", table_name="lab_results")
    op.drop_table("lab_results")
