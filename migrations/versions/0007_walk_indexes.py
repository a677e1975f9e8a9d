"""indexes for the lead's list sorted by last contact or next follow-up (walked in time order)

Revision ID: 0007_walk_indexes
Revises: 0006_list_indexes
Create Date: 2026-11-29 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007_walk_indexes"
down_revision = "0006_list_indexes"
branch_labels = None
depends_on = None

CONTACT = "kind IN ('meeting', 'call', 'email')"
OPEN = "done_at IS NULL"


def upgrade():
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activity_contact_at",
            ["occurred_at", "case_id"],
            unique=False,
            sqlite_where=sa.text(CONTACT),
            postgresql_where=sa.text(CONTACT),
        )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(
            "ix_follow_up_open_due",
            ["due_on", "case_id"],
            unique=False,
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )


def downgrade():
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_open_due", sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_contact_at", sqlite_where=sa.text(CONTACT), postgresql_where=sa.text(CONTACT))
