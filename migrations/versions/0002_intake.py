"""intake: the spouse's intake profile, work history and languages

Revision ID: 0002_intake
Revises: 0001_foundation
Create Date: 2026-11-27 11:06:25.163699

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0002_intake"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('intake_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('contact_language', sa.String(length=12), nullable=True),
    sa.Column('partner_unit', sa.String(length=200), nullable=True),
    sa.Column('arrival_date', sa.Date(), nullable=True),
    sa.Column('stay_length', sa.String(length=20), nullable=True),
    sa.Column('right_to_work', sa.String(length=20), nullable=True),
    sa.Column('permit_type', sa.String(length=30), nullable=True),
    sa.Column('permit_expires', sa.Date(), nullable=True),
    sa.Column('education_level', sa.Integer(), nullable=True),
    sa.Column('education_field', sa.String(length=2), nullable=True),
    sa.Column('degree_recognition', sa.String(length=20), nullable=True),
    sa.Column('career_goals', sa.Text(), nullable=True),
    sa.Column('target_occupations', sa.String(length=500), nullable=True),
    sa.Column('availability', sa.String(length=10), nullable=True),
    sa.Column('available_from', sa.Date(), nullable=True),
    sa.Column('gender', sa.String(length=20), nullable=True),
    sa.Column('age_group', sa.String(length=10), nullable=True),
    sa.Column('labour_status', sa.String(length=20), nullable=True),
    sa.Column('completed_steps', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('education_level BETWEEN 0 AND 8', name=op.f('ck_intake_profile_education_level')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_intake_profile_case_id_case_file')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_intake_profile_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_profile')),
    sa.UniqueConstraint('case_id', name=op.f('uq_intake_profile_case_id'))
    )
    op.create_table('language_skill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('level', sa.String(length=6), nullable=False),
    sa.CheckConstraint("level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native')", name=op.f('ck_language_skill_level')),
    sa.ForeignKeyConstraint(['profile_id'], ['intake_profile.id'], name=op.f('fk_language_skill_profile_id_intake_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_language_skill')),
    sa.UniqueConstraint('profile_id', 'language', name=op.f('uq_language_skill_profile_id_language'))
    )
    op.create_table('work_experience',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=False),
    sa.Column('employer', sa.String(length=200), nullable=True),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('years', sa.Integer(), nullable=True),
    sa.CheckConstraint('years BETWEEN 0 AND 60', name=op.f('ck_work_experience_years')),
    sa.ForeignKeyConstraint(['profile_id'], ['intake_profile.id'], name=op.f('fk_work_experience_profile_id_intake_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_experience'))
    )
    with op.batch_alter_table('work_experience', schema=None) as batch_op:
        batch_op.create_index('ix_work_experience_profile', ['profile_id', 'position'], unique=False)


def downgrade():
    with op.batch_alter_table('work_experience', schema=None) as batch_op:
        batch_op.drop_index('ix_work_experience_profile')

    op.drop_table('work_experience')
    op.drop_table('language_skill')
    op.drop_table('intake_profile')
