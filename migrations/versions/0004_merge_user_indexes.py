"""merge intake and caseload; indexes for the admin's user and organisation lists

Revision ID: 0004_merge_user_indexes
Revises: 0002_intake, 0003_caseload
Create Date: 2026-11-27 11:20:00

"""

from alembic import op

revision = "0004_merge_user_indexes"
down_revision = ("0002_intake", "0003_caseload")
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index("ix_user_account_organisation_id")
        batch_op.create_index("ix_user_account_org_role", ["organisation_id", "role"], unique=False)
        batch_op.create_index("ix_user_account_name_id", ["name", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index("ix_user_account_name_id")
        batch_op.drop_index("ix_user_account_org_role")
        batch_op.create_index("ix_user_account_organisation_id", ["organisation_id"], unique=False)
