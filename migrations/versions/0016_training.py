"""training: the programme catalogue, the skills each teaches, enrolments

Revision ID: 0016_training
Revises: 0015_calendar_feed
Create Date: 2026-11-29 03:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016_training"
down_revision = "0015_calendar_feed"
branch_labels = None
depends_on = None

KINDS = ("course", "workshop", "language_course", "mentoring", "work_trial", "entrepreneurship", "event", "other")
STATUSES = ("recommended", "applied", "enrolled", "waitlisted", "completed", "dropped", "cancelled")
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


def _in(column, codes):
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def upgrade():
    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("schedule", sa.String(length=500), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("online", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("language", sa.String(length=12), nullable=False),
        sa.Column("min_finnish", sa.String(length=6), nullable=True),
        sa.Column("min_english", sa.String(length=6), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("enrolled", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("cost_cents", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("open_for_signup", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("auto_confirm", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("copied_from_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("kind", KINDS), name=op.f("ck_programme_kind")),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name=op.f("ck_programme_dates")
        ),
        sa.CheckConstraint("capacity >= 0", name=op.f("ck_programme_capacity")),
        sa.CheckConstraint("enrolled >= 0 AND enrolled <= capacity", name=op.f("ck_programme_enrolled")),
        sa.CheckConstraint("cost_cents >= 0", name=op.f("ck_programme_cost")),
        sa.CheckConstraint(f"min_finnish IS NULL OR {_in('min_finnish', CEFR)}", name=op.f("ck_programme_min_finnish")),
        sa.CheckConstraint(f"min_english IS NULL OR {_in('min_english', CEFR)}", name=op.f("ck_programme_min_english")),
        sa.ForeignKeyConstraint(
            ["copied_from_id"], ["programme.id"], name=op.f("fk_programme_copied_from_id_programme")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_programme_created_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
    )
    op.create_index("ix_programme_open_start", "programme", ["open_for_signup", "starts_on"])
    op.create_index("ix_programme_start", "programme", ["starts_on"])
    op.create_table(
        "programme_skill",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_skill_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["skill_id"], ["skill.id"], name=op.f("fk_programme_skill_skill_id_skill")),
        sa.PrimaryKeyConstraint("programme_id", "skill_id", name=op.f("pk_programme_skill")),
    )
    op.create_index("ix_programme_skill_skill", "programme_skill", ["skill_id", "programme_id"])
    op.create_table(
        "enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recommended_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("waitlisted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("certificate", sa.String(length=200), nullable=False),
        sa.Column("grade", sa.String(length=50), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("status", STATUSES), name=op.f("ck_enrolment_status")),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_enrolment_case_id_case_file")),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_enrolment_programme_id_programme")),
        sa.ForeignKeyConstraint(
            ["recommended_by_id"], ["user_account.id"], name=op.f("fk_enrolment_recommended_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
        sa.UniqueConstraint("programme_id", "case_id", name="uq_enrolment_programme_case"),
    )
    op.create_index("ix_enrolment_case", "enrolment", ["case_id", "status"])
    op.create_index("ix_enrolment_programme_status", "enrolment", ["programme_id", "status", "waitlisted_at", "id"])


def downgrade():
    op.drop_index("ix_enrolment_programme_status", table_name="enrolment")
    op.drop_index("ix_enrolment_case", table_name="enrolment")
    op.drop_table("enrolment")
    op.drop_index("ix_programme_skill_skill", table_name="programme_skill")
    op.drop_table("programme_skill")
    op.drop_index("ix_programme_start", table_name="programme")
    op.drop_index("ix_programme_open_start", table_name="programme")
    op.drop_table("programme")
