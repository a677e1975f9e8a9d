"""matching reads who holds a skill from the index alone: case_skill (skill_id, case_id, validated_at)

Revision ID: 0020_case_skill_cover
Revises: 0019_introduction_rule
Create Date: 2026-11-29 06:00:00

"""

from alembic import op

revision = "0020_case_skill_cover"
down_revision = "0019_introduction_rule"
branch_labels = None
depends_on = None


def upgrade():
    # Replaces the index on skill_id alone: its leading column answers the same lookups.
    with op.batch_alter_table("case_skill", schema=None) as batch_op:
        batch_op.drop_index("ix_case_skill_skill")
        batch_op.create_index("ix_case_skill_skill", ["skill_id", "case_id", "validated_at"], unique=False)


def downgrade():
    with op.batch_alter_table("case_skill", schema=None) as batch_op:
        batch_op.drop_index("ix_case_skill_skill")
        batch_op.create_index("ix_case_skill_skill", ["skill_id"], unique=False)
