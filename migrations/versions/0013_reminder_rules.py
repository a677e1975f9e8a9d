"""reminder rules as data, their firings (one per rule, case and occasion), the follow-up a firing made

Revision ID: 0013_reminder_rules
Revises: 0012_unverified_index
Create Date: 2026-11-29 03:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013_reminder_rules"
down_revision = "0012_unverified_index"
branch_labels = None
depends_on = None

KINDS = ("intake_not_submitted", "intake_not_taken", "no_contact", "stage_stuck", "permit_expiring", "closed_check")


def upgrade():
    op.create_table(
        "reminder_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=6), nullable=False),
        sa.Column("make_follow_up", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("follow_up_title", sa.String(length=200), nullable=True),
        sa.Column("email_spouse", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("email_templates", sa.JSON(), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("effective_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(f"kind IN ({', '.join(repr(k) for k in KINDS)})", name=op.f("ck_reminder_rule_kind")),
        sa.CheckConstraint("direction IN ('after', 'before')", name=op.f("ck_reminder_rule_direction")),
        sa.CheckConstraint("days >= 0 AND days <= 730", name=op.f("ck_reminder_rule_days")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user_account.id"], name=op.f("fk_reminder_rule_updated_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_rule")),
        sa.UniqueConstraint("key", name=op.f("uq_reminder_rule_key")),
    )
    op.create_table(
        "reminder_firing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("occasion", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_reminder_firing_case_id_case_file")),
        sa.ForeignKeyConstraint(
            ["outbox_message_id"],
            ["outbox_message.id"],
            name=op.f("fk_reminder_firing_outbox_message_id_outbox_message"),
        ),
        sa.ForeignKeyConstraint(["rule_id"], ["reminder_rule.id"], name=op.f("fk_reminder_firing_rule_id_reminder_rule")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_firing")),
        sa.UniqueConstraint(
            "rule_id", "case_id", "occasion", name=op.f("uq_reminder_firing_rule_id_case_id_occasion")
        ),
    )
    op.create_index("ix_reminder_firing_case", "reminder_firing", ["case_id", "fired_at"])
    # A plain ADD COLUMN on SQLite too (a batch rebuild of the table is not needed for it).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE follow_up ADD COLUMN firing_id INTEGER REFERENCES reminder_firing (id)")
    else:
        op.add_column("follow_up", sa.Column("firing_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_follow_up_firing_id_reminder_firing"), "follow_up", "reminder_firing", ["firing_id"], ["id"]
        )
    op.create_index(op.f("ix_follow_up_firing_id"), "follow_up", ["firing_id"])


def downgrade():
    op.drop_index(op.f("ix_follow_up_firing_id"), table_name="follow_up")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("follow_up") as batch_op:
            batch_op.drop_column("firing_id")
    else:
        op.drop_constraint(op.f("fk_follow_up_firing_id_reminder_firing"), "follow_up", type_="foreignkey")
        op.drop_column("follow_up", "firing_id")
    op.drop_index("ix_reminder_firing_case", table_name="reminder_firing")
    op.drop_table("reminder_firing")
    op.drop_table("reminder_rule")
