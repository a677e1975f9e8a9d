"""skills: the ESCO taxonomy (ISCO groups, occupations, skills, relations, search labels) and the spouse's skills profile

The search index over taxonomy_label.normalised differs by database and is kept out of
the models (hiddengems.dbsetup.DATABASE_SPECIFIC keeps it out of the schema comparison):
- SQLite: an FTS5 table with the trigram tokenizer that reads its text from taxonomy_label
  ("external content"); the importer tells it of the labels it adds and removes
  (hiddengems/skills/search_index.py): row triggers made a first import several times slower.
- PostgreSQL: the pg_trgm extension and GIN trigram indexes (one for occupations' labels,
  one for skills'), which serve LIKE '%text%'.

Revision ID: 0010_skills
Revises: 0009_vocabulary_checks
Create Date: 2026-11-28 23:42:47.523471

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_skills"
down_revision = "0009_vocabulary_checks"
branch_labels = None
depends_on = None

FTS = "taxonomy_label_fts"
# One trigram index per kind of concept: a search is for occupations or for skills, and
# each index then holds only the labels it can return.
TRIGRAM_INDEXES = {"ix_taxonomy_label_trgm_occupation": "occupation_id", "ix_taxonomy_label_trgm_skill": "skill_id"}


def create_search_index():
    if op.get_bind().dialect.name == "postgresql":
        # A trusted extension since PostgreSQL 13: the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in TRIGRAM_INDEXES.items():
            op.execute(
                f"CREATE INDEX {name} ON taxonomy_label USING gin (normalised gin_trgm_ops) WHERE {column} IS NOT NULL"
            )
        return
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS} USING fts5("
        "normalised, content='taxonomy_label', content_rowid='id', tokenize='trigram')"
    )


def drop_search_index():
    if op.get_bind().dialect.name == "postgresql":
        # pg_trgm stays: it may have been there before, for something else.
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        return
    op.execute(f"DROP TABLE IF EXISTS {FTS}")


def upgrade():
    op.create_table('isco_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uri', sa.String(length=255), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('preferred_label', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('obsolete', sa.Boolean(), nullable=False),
    sa.CheckConstraint("length(code) BETWEEN 1 AND 4 AND ltrim(code, '0123456789') = ''", name=op.f('ck_isco_group_code_digits')),
    sa.ForeignKeyConstraint(['parent_id'], ['isco_group.id'], name=op.f('fk_isco_group_parent_id_isco_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_isco_group')),
    sa.UniqueConstraint('code', name=op.f('uq_isco_group_code')),
    sa.UniqueConstraint('uri', name=op.f('uq_isco_group_uri'))
    )
    with op.batch_alter_table('isco_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_isco_group_parent_id'), ['parent_id'], unique=False)

    op.create_table('skill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uri', sa.String(length=255), nullable=False),
    sa.Column('skill_type', sa.String(length=20), nullable=True),
    sa.Column('reuse_level', sa.String(length=20), nullable=True),
    sa.Column('preferred_label', sa.String(length=255), nullable=False),
    sa.Column('alt_labels', sa.JSON(), nullable=False),
    sa.Column('hidden_labels', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('obsolete', sa.Boolean(), nullable=False),
    sa.Column('fingerprint', sa.String(length=32), nullable=True),
    sa.CheckConstraint("reuse_level IN ('transversal', 'cross-sector', 'sector-specific', 'occupation-specific')", name=op.f('ck_skill_reuse_level')),
    sa.CheckConstraint("skill_type IN ('knowledge', 'skill/competence')", name=op.f('ck_skill_skill_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill')),
    sa.UniqueConstraint('uri', name=op.f('uq_skill_uri'))
    )
    op.create_table('occupation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uri', sa.String(length=255), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('isco_group_id', sa.Integer(), nullable=False),
    sa.Column('preferred_label', sa.String(length=255), nullable=False),
    sa.Column('alt_labels', sa.JSON(), nullable=False),
    sa.Column('hidden_labels', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('obsolete', sa.Boolean(), nullable=False),
    sa.Column('fingerprint', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['isco_group_id'], ['isco_group.id'], name=op.f('fk_occupation_isco_group_id_isco_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_occupation')),
    sa.UniqueConstraint('uri', name=op.f('uq_occupation_uri'))
    )
    with op.batch_alter_table('occupation', schema=None) as batch_op:
        batch_op.create_index('ix_occupation_isco_group', ['isco_group_id'], unique=False)

    op.create_table('skill_relation',
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('related_skill_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=10), nullable=False),
    sa.CheckConstraint("relation IN ('essential', 'optional', 'broader')", name=op.f('ck_skill_relation_relation')),
    sa.CheckConstraint('skill_id <> related_skill_id', name=op.f('ck_skill_relation_not_self')),
    sa.ForeignKeyConstraint(['related_skill_id'], ['skill.id'], name=op.f('fk_skill_relation_related_skill_id_skill')),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_skill_relation_skill_id_skill')),
    sa.PrimaryKeyConstraint('skill_id', 'related_skill_id', 'relation', name=op.f('pk_skill_relation'))
    )
    with op.batch_alter_table('skill_relation', schema=None) as batch_op:
        batch_op.create_index('ix_skill_relation_related', ['related_skill_id', 'relation'], unique=False)

    op.create_table('occupation_skill',
    sa.Column('occupation_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=10), nullable=False),
    sa.CheckConstraint("relation IN ('essential', 'optional')", name=op.f('ck_occupation_skill_relation')),
    sa.ForeignKeyConstraint(['occupation_id'], ['occupation.id'], name=op.f('fk_occupation_skill_occupation_id_occupation')),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_occupation_skill_skill_id_skill')),
    sa.PrimaryKeyConstraint('occupation_id', 'skill_id', name=op.f('pk_occupation_skill'))
    )
    with op.batch_alter_table('occupation_skill', schema=None) as batch_op:
        batch_op.create_index('ix_occupation_skill_skill', ['skill_id', 'relation'], unique=False)

    op.create_table('taxonomy_label',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occupation_id', sa.Integer(), nullable=True),
    sa.Column('skill_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('normalised', sa.String(length=255), nullable=False),
    sa.CheckConstraint("kind IN ('preferred', 'alt', 'hidden')", name=op.f('ck_taxonomy_label_kind')),
    sa.CheckConstraint('(occupation_id IS NULL) <> (skill_id IS NULL)', name=op.f('ck_taxonomy_label_one_concept')),
    sa.ForeignKeyConstraint(['occupation_id'], ['occupation.id'], name=op.f('fk_taxonomy_label_occupation_id_occupation')),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_taxonomy_label_skill_id_skill')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_taxonomy_label')),
    sa.UniqueConstraint('occupation_id', 'normalised', name=op.f('uq_taxonomy_label_occupation_id_normalised')),
    sa.UniqueConstraint('skill_id', 'normalised', name=op.f('uq_taxonomy_label_skill_id_normalised'))
    )
    with op.batch_alter_table('taxonomy_label', schema=None) as batch_op:
        batch_op.create_index('ix_taxonomy_label_normalised', ['normalised'], unique=False, postgresql_ops={'normalised': 'text_pattern_ops'})
    create_search_index()

    op.create_table('case_past_occupation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('occupation_id', sa.Integer(), nullable=False),
    sa.Column('years', sa.Integer(), nullable=True),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('years BETWEEN 0 AND 60', name=op.f('ck_case_past_occupation_years')),
    sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'], name=op.f('fk_case_past_occupation_added_by_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_past_occupation_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['occupation_id'], ['occupation.id'], name=op.f('fk_case_past_occupation_occupation_id_occupation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_past_occupation')),
    sa.UniqueConstraint('case_id', 'occupation_id', name=op.f('uq_case_past_occupation_case_id_occupation_id'))
    )
    op.create_table('case_skill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('validated_by_id', sa.Integer(), nullable=True),
    sa.Column('validated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("level IN ('basic', 'intermediate', 'advanced', 'expert')", name=op.f('ck_case_skill_level')),
    sa.CheckConstraint("source IN ('work', 'study', 'training', 'other')", name=op.f('ck_case_skill_source')),
    sa.CheckConstraint('(validated_by_id IS NULL) = (validated_at IS NULL)', name=op.f('ck_case_skill_validated_both')),
    sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'], name=op.f('fk_case_skill_added_by_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_skill_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_case_skill_skill_id_skill')),
    sa.ForeignKeyConstraint(['validated_by_id'], ['user_account.id'], name=op.f('fk_case_skill_validated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_skill')),
    sa.UniqueConstraint('case_id', 'skill_id', name=op.f('uq_case_skill_case_id_skill_id'))
    )
    with op.batch_alter_table('case_skill', schema=None) as batch_op:
        batch_op.create_index('ix_case_skill_skill', ['skill_id'], unique=False)

    op.create_table('case_target_occupation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('occupation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('position BETWEEN 1 AND 3', name=op.f('ck_case_target_occupation_position')),
    sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'], name=op.f('fk_case_target_occupation_added_by_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_target_occupation_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['occupation_id'], ['occupation.id'], name=op.f('fk_case_target_occupation_occupation_id_occupation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_target_occupation')),
    sa.UniqueConstraint('case_id', 'occupation_id', name=op.f('uq_case_target_occupation_case_id_occupation_id')),
    sa.UniqueConstraint('case_id', 'position', name=op.f('uq_case_target_occupation_case_id_position'))
    )


def downgrade():
    op.drop_table('case_target_occupation')
    with op.batch_alter_table('case_skill', schema=None) as batch_op:
        batch_op.drop_index('ix_case_skill_skill')

    op.drop_table('case_skill')
    op.drop_table('case_past_occupation')
    drop_search_index()
    with op.batch_alter_table('taxonomy_label', schema=None) as batch_op:
        batch_op.drop_index('ix_taxonomy_label_normalised', postgresql_ops={'normalised': 'text_pattern_ops'})

    op.drop_table('taxonomy_label')
    with op.batch_alter_table('occupation_skill', schema=None) as batch_op:
        batch_op.drop_index('ix_occupation_skill_skill')

    op.drop_table('occupation_skill')
    with op.batch_alter_table('skill_relation', schema=None) as batch_op:
        batch_op.drop_index('ix_skill_relation_related')

    op.drop_table('skill_relation')
    with op.batch_alter_table('occupation', schema=None) as batch_op:
        batch_op.drop_index('ix_occupation_isco_group')

    op.drop_table('occupation')
    op.drop_table('skill')
    with op.batch_alter_table('isco_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_isco_group_parent_id'))

    op.drop_table('isco_group')
