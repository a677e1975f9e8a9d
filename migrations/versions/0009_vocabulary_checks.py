"""stages, outcomes and kinds of activity held to their codes by CHECK constraints

Revision ID: 0009_vocabulary_checks
Revises: 0008_hardening
Create Date: 2026-11-29 01:00:00

"""

from alembic import op

revision = "0009_vocabulary_checks"
down_revision = "0008_hardening"
branch_labels = None
depends_on = None

# The codes as this revision knows them (hiddengems/vocab.py): a later revision that adds
# a code replaces the constraint.
STAGES = "'registered', 'intake', 'skills', 'training', 'introductions', 'closed'"
OUTCOMES = (
    "'employed_full_time', 'employed_part_time', 'self_employed', 'studying', 'left_region', "
    "'not_participating', 'other'"
)
KINDS = "'note', 'meeting', 'call', 'email'"

CHECKS = {
    "case_file": {"stage": f"stage IN ({STAGES})", "outcome": f"outcome IS NULL OR outcome IN ({OUTCOMES})"},
    "stage_change": {
        "to_stage": f"to_stage IN ({STAGES})",
        "from_stage": f"from_stage IS NULL OR from_stage IN ({STAGES})",
    },
    "case_outcome": {"outcome": f"outcome IN ({OUTCOMES})"},
    "activity": {"kind": f"kind IN ({KINDS})"},
}


def upgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in checks.items():
                batch_op.create_check_constraint(name, condition)


def downgrade():
    for table, checks in reversed(CHECKS.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in checks:
                batch_op.drop_constraint(name, type_="check")
