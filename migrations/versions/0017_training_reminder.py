"""reminder rules may count from a training's end (the kind training_ended)

Revision ID: 0017_training_reminder
Revises: 0016_training
Create Date: 2026-11-29 04:20:00

"""

from alembic import op

revision = "0017_training_reminder"
down_revision = "0016_training"
branch_labels = None
depends_on = None

# The kinds as this revision knows them (hiddengems/reminders/models.py RULE_KINDS).
BEFORE = ("intake_not_submitted", "intake_not_taken", "no_contact", "stage_stuck", "permit_expiring", "closed_check")
AFTER = (*BEFORE, "training_ended")


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
