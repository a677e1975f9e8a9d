"""follow-ups an adviser shows on the spouse's page

Revision ID: 0005_followup_visibility
Revises: 0004_merge_user_indexes
Create Date: 2026-11-28 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005_followup_visibility"
down_revision = "0004_merge_user_indexes"
branch_labels = None
depends_on = None


def upgrade():
    # Existing follow-ups were written as the adviser's own to-dos: they stay internal.
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared_with_spouse", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_column("shared_with_spouse")
