"""the spouse's situation six months after a close, recorded on that close's outcome (case_outcome.six_month_result)

Revision ID: 0025_six_month_result
Revises: 0024_employer_merges
Create Date: 2026-11-29 09:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0025_six_month_result"
down_revision = "0024_employer_merges"
branch_labels = None
depends_on = None

# hiddengems/vocab.py SIX_MONTH_RESULTS as this revision knows them.
RESULTS = ("employed", "education_training", "job_searching", "other")


def upgrade():
    with op.batch_alter_table("case_outcome") as batch:
        batch.add_column(sa.Column("six_month_result", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("six_month_recorded_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_check_constraint(
            op.f("ck_case_outcome_six_month_result"),
            f"six_month_result IS NULL OR six_month_result IN ({', '.join(repr(r) for r in RESULTS)})",
        )


def downgrade():
    with op.batch_alter_table("case_outcome") as batch:
        batch.drop_constraint(op.f("ck_case_outcome_six_month_result"), type_="check")
        batch.drop_column("six_month_recorded_at")
        batch.drop_column("six_month_result")
