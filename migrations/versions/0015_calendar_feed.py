"""the advisers' daily digest (one per adviser and day) and their secret calendar feeds; the outbox's due index in the sender's order

Revision ID: 0015_calendar_feed
Revises: 0014_follow_up_times
Create Date: 2026-11-29 04:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015_calendar_feed"
down_revision = "0014_follow_up_times"
branch_labels = None
depends_on = None


OLD_DUE = sa.text("sent_at IS NULL")
DUE = sa.text("sent_at IS NULL AND failed_at IS NULL")


def upgrade():
    # The sender takes the waiting messages by (next_attempt_at, id): with only the first
    # column indexed, 10,000 messages queued at one moment were sorted again for each one.
    op.drop_index("ix_outbox_message_due", table_name="outbox_message")
    op.create_index(
        "ix_outbox_message_due", "outbox_message", ["next_attempt_at", "id"], sqlite_where=DUE, postgresql_where=DUE
    )
    op.create_table(
        "digest_sent",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("user_account.id", ondelete="CASCADE", name="fk_digest_sent_user_id_user_account"),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("follow_ups", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "day", name="pk_digest_sent"),
    )
    op.create_table(
        "calendar_feed",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("user_account.id", ondelete="CASCADE", name="fk_calendar_feed_user_id_user_account"),
            nullable=False,
        ),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_calendar_feed"),
        sa.UniqueConstraint("token", name="uq_calendar_feed_token"),
    )


def downgrade():
    op.drop_index("ix_outbox_message_due", table_name="outbox_message")
    op.create_index(
        "ix_outbox_message_due", "outbox_message", ["next_attempt_at"], sqlite_where=OLD_DUE, postgresql_where=OLD_DUE
    )
    op.drop_table("calendar_feed")
    op.drop_table("digest_sent")
