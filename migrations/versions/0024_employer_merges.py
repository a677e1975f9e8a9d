"""employers merged into one that was merged itself point at the employer that stays (merges one level deep)

Revision ID: 0024_employer_merges
Revises: 0022_spouse_notices
Create Date: 2026-11-29 09:30:00

"""

from alembic import op

revision = "0024_employer_merges"
down_revision = "0022_spouse_notices"
branch_labels = None
depends_on = None

# Each pass moves every chain one step closer to its end; a chain is at most as long as
# the number of employers, and in practice a pass or two.
FLATTEN = """
UPDATE employer SET merged_into_id = (
    SELECT further.merged_into_id FROM employer AS further WHERE further.id = employer.merged_into_id
)
WHERE merged_into_id IN (SELECT id FROM employer WHERE merged_into_id IS NOT NULL)
"""


def upgrade():
    connection = op.get_bind()
    while connection.exec_driver_sql(FLATTEN).rowcount:
        pass


def downgrade():
    pass  # the flat form is also what the earlier code understood
