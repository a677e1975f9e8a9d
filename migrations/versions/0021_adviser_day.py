"""the adviser's day (issue 13): corrected timeline entries keep their revisions; a close cancels planned meetings

Revision ID: 0021_adviser_day
Revises: 0020_case_skill_cover
Create Date: 2026-11-29 09:00:00

"""

import sqlalchemy as sa
from alembic import op


revision = "0021_adviser_day"
down_revision = "0020_case_skill_cover"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "activity_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("old_text", sa.Text(), nullable=False),
        sa.Column("new_text", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], name=op.f("fk_activity_revision_activity_id_activity")),
        sa.ForeignKeyConstraint(["by_id"], ["user_account.id"], name=op.f("fk_activity_revision_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_revision")),
    )
    with op.batch_alter_table("activity_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_revision_activity_id"), ["activity_id"], unique=False)


def downgrade():
    with op.batch_alter_table("activity_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_revision_activity_id"))
    op.drop_table("activity_revision")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("edited_at")
