"""skills: the language levels an adviser notes for a target occupation

Revision ID: 0011_target_languages
Revises: 0010_skills
Create Date: 2026-11-29 02:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_target_languages"
down_revision = "0010_skills"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_target_language',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('level', sa.String(length=6), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native')", name=op.f('ck_case_target_language_level')),
    sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'], name=op.f('fk_case_target_language_added_by_id_user_account')),
    sa.ForeignKeyConstraint(['target_id'], ['case_target_occupation.id'], name=op.f('fk_case_target_language_target_id_case_target_occupation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_target_language')),
    sa.UniqueConstraint('target_id', 'language', name=op.f('uq_case_target_language_target_id_language'))
    )


def downgrade():
    op.drop_table('case_target_language')
