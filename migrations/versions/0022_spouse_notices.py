"""participants' notices: whether they want the non-essential e-mails, and e-mail attachments (invitations)

Revision ID: 0022_spouse_notices
Revises: 0021_adviser_day
Create Date: 2026-11-29 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0022_spouse_notices"
down_revision = "0021_adviser_day"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_updates", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachments", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("attachments")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("email_updates")
