"""reports: the day's published figures per organisation and for all (report_snapshot); the six-month
result of a close (case_outcome.six_month_result)

Revision ID: 0021_report_snapshots
Revises: 0020_case_skill_cover
Create Date: 2026-11-29 06:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0021_report_snapshots"
down_revision = "0020_case_skill_cover"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scope", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_snapshot")),
        sa.UniqueConstraint("day", "scope", name="uq_report_snapshot_day_scope"),
    )


    with op.batch_alter_table("case_outcome") as batch:
        batch.add_column(sa.Column("six_month_result", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("six_month_recorded_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_check_constraint(
            "six_month_result",
            "six_month_result IS NULL OR six_month_result IN ('employed', 'education_training', 'job_searching', 'other')",
        )


def downgrade():
    with op.batch_alter_table("case_outcome") as batch:
        batch.drop_constraint("six_month_result", type_="check")
        batch.drop_column("six_month_recorded_at")
        batch.drop_column("six_month_result")
    op.drop_table("report_snapshot")
