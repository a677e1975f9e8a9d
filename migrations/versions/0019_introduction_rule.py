"""reminder rules may count from an introduction's last status change (the kind introduction_stalled)

Revision ID: 0019_introduction_rule
Revises: 0018_employers
Create Date: 2026-11-29 06:10:00

"""

from alembic import op

revision = "0019_introduction_rule"
down_revision = "0018_employers"
branch_labels = None
depends_on = None

# The kinds as this revision knows them (hiddengems/reminders/models.py RULE_KINDS).
BEFORE = (
    "intake_not_submitted",
    "intake_not_taken",
    "no_contact",
    "stage_stuck",
    "permit_expiring",
    "closed_check",
    "training_ended",
)
AFTER = (*BEFORE, "introduction_stalled")


def _replace(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table("reminder_rule", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reminder_rule_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_reminder_rule_kind"), f"kind IN ({', '.join(repr(k) for k in kinds)})"
        )


def upgrade():
    _replace(AFTER)


def downgrade():
    op.execute(f"DELETE FROM reminder_rule WHERE kind NOT IN ({', '.join(repr(k) for k in BEFORE)})")
    _replace(BEFORE)
