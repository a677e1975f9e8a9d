"""reports: the day's published figures per organisation and for all of them (report_snapshot)

Revision ID: 0026_report_snapshots
Revises: 0025_six_month_result
Create Date: 2026-11-29 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0026_report_snapshots"
down_revision = "0025_six_month_result"
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


def downgrade():
    op.drop_table("report_snapshot")
