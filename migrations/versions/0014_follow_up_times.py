"""follow-ups: a time of day, snoozing and cancelling

Revision ID: 0014_follow_up_times
Revises: 0013_reminder_rules
Create Date: 2026-11-29 03:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014_follow_up_times"
down_revision = "0013_reminder_rules"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_time", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("snoozed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("snooze_count", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("snooze_count")
        batch_op.drop_column("snoozed_at")
        batch_op.drop_column("due_time")
