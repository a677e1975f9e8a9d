"""the languages spouses speak, indexed by language: the intake queue's language filter
lists the queue's languages by walking this index instead of every queued intake

Revision ID: 0027_language_index
Revises: 0026_report_snapshots
Create Date: 2026-11-29 15:20:00

"""

from alembic import op

revision = "0027_language_index"
down_revision = "0026_report_snapshots"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_language_skill_language", "language_skill", ["language", "profile_id"])


def downgrade():
    op.drop_index("ix_language_skill_language", table_name="language_skill")
