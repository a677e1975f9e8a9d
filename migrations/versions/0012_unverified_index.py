"""the few accounts with an unconfirmed e-mail, indexed for HR's figures

Revision ID: 0012_unverified_index
Revises: 0011_target_languages
Create Date: 2026-11-29 03:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012_unverified_index"
down_revision = "0011_target_languages"
branch_labels = None
depends_on = None

WHERE = sa.text("email_verified_at IS NULL")


def upgrade():
    op.create_index(
        "ix_user_account_unverified", "user_account", ["id"], sqlite_where=WHERE, postgresql_where=WHERE
    )


def downgrade():
    op.drop_index("ix_user_account_unverified", table_name="user_account")
