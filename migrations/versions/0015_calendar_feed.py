"""the advisers' daily digest (one per adviser and day) and their secret calendar feeds

Revision ID: 0015_calendar_feed
Revises: 0011_unverified_index
Create Date: 2026-11-29 04:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015_calendar_feed"
down_revision = "0011_unverified_index"
branch_labels = None
depends_on = None


def upgrade():
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
    op.drop_table("calendar_feed")
    op.drop_table("digest_sent")
