"""indexes for the case lists sorted by time in stage (the intake queue, the lead's days sort)

Revision ID: 0006_list_indexes
Revises: 0005_followup_visibility
Create Date: 2026-11-28 12:00:00

"""

from alembic import op

revision = "0006_list_indexes"
down_revision = "0005_followup_visibility"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("stage_change", schema=None) as batch_op:
        batch_op.create_index("ix_stage_change_at", ["at", "case_id"], unique=False)
        batch_op.create_index("ix_stage_change_stage_at", ["to_stage", "at", "case_id"], unique=False)


def downgrade():
    with op.batch_alter_table("stage_change", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_change_stage_at")
        batch_op.drop_index("ix_stage_change_at")
