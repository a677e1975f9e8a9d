"""caseload: activities, case outcomes, follow-ups

Revision ID: 0003_caseload
Revises: 0001_foundation
Create Date: 2026-11-27 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003_caseload"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

CONTACT = "kind IN ('meeting', 'call', 'email')"
OPEN = "done_at IS NULL"


def upgrade():
    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('shared_with_spouse', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_activity_author_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_activity_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_case_occurred', ['case_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_activity_contact', ['case_id', 'occurred_at'], unique=False, sqlite_where=sa.text(CONTACT), postgresql_where=sa.text(CONTACT))

    op.create_table('follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['user_account.id'], name=op.f('fk_follow_up_assignee_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_follow_up_case_id_case_file')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_follow_up_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up'))
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index('ix_follow_up_open_assignee', ['assignee_id', 'due_on'], unique=False, sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
        batch_op.create_index('ix_follow_up_open_case', ['case_id', 'due_on'], unique=False, sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))

    op.create_table('case_outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('stage_change_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('employer', sa.String(length=200), nullable=True),
    sa.Column('occupation', sa.String(length=200), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_outcome_case_id_case_file')),
    sa.ForeignKeyConstraint(['stage_change_id'], ['stage_change.id'], name=op.f('fk_case_outcome_stage_change_id_stage_change')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_outcome')),
    sa.UniqueConstraint('stage_change_id', name=op.f('uq_case_outcome_stage_change_id'))
    )
    with op.batch_alter_table('case_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_outcome_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_outcome_case_id'))
    op.drop_table('case_outcome')
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_up_open_case', sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
        batch_op.drop_index('ix_follow_up_open_assignee', sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.drop_table('follow_up')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_contact', sqlite_where=sa.text(CONTACT), postgresql_where=sa.text(CONTACT))
        batch_op.drop_index('ix_activity_case_occurred')
    op.drop_table('activity')
