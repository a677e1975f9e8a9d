"""employers: the employer directory, contact people, openings and the skills they ask for, matching opt-outs;
introductions with their history, signed links and every opening of them

Revision ID: 0018_employers
Revises: 0017_training_reminder
Create Date: 2026-11-29 04:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0018_employers"
down_revision = "0017_training_reminder"
branch_labels = None
depends_on = None

SIZES = ("micro", "small", "medium", "large")
WORKING_LANGUAGES = ("english_ok", "finnish_needed", "swedish_needed", "finnish_or_english")
KINDS = ("job", "internship", "work_trial", "mentoring", "meeting_talent")
STATUSES = ("draft", "open", "filled", "closed", "withdrawn")
INTRODUCTION_STATUSES = (
    "proposed",
    "consent_requested",
    "consented",
    "introduced",
    "meeting",
    "interview",
    "work_trial",
    "offer",
    "hired",
    "declined",
    "withdrawn",
    "no_response",
)
LINK_OUTCOMES = ("shown", "expired", "revoked", "invalid", "answered")
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


def _in(column, codes):
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def _times():
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade():
    op.create_table(
        "employer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("business_id", sa.String(length=9), nullable=True),
        sa.Column("sector", sa.String(length=100), nullable=False),
        sa.Column("size", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("working_language", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        *_times(),
        sa.CheckConstraint(f"size IS NULL OR {_in('size', SIZES)}", name=op.f("ck_employer_size")),
        sa.CheckConstraint(_in("working_language", WORKING_LANGUAGES), name=op.f("ck_employer_working_language")),
        sa.ForeignKeyConstraint(["merged_into_id"], ["employer.id"], name=op.f("fk_employer_merged_into_id_employer")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_employer_created_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer")),
    )
    op.create_index("ix_employer_business_id", "employer", ["business_id"], unique=True)
    op.create_index("ix_employer_name", "employer", ["merged_into_id", "name"])
    op.create_table(
        "employer_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employer.id"], name=op.f("fk_employer_contact_employer_id_employer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_contact")),
    )
    op.create_index("ix_employer_contact_employer", "employer_contact", ["employer_id", "name"])
    op.create_table(
        "opening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("occupation_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("remote", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("min_finnish", sa.String(length=6), nullable=True),
        sa.Column("min_english", sa.String(length=6), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        *_times(),
        sa.CheckConstraint(_in("kind", KINDS), name=op.f("ck_opening_kind")),
        sa.CheckConstraint(_in("status", STATUSES), name=op.f("ck_opening_status")),
        sa.CheckConstraint(f"min_finnish IS NULL OR {_in('min_finnish', CEFR)}", name=op.f("ck_opening_min_finnish")),
        sa.CheckConstraint(f"min_english IS NULL OR {_in('min_english', CEFR)}", name=op.f("ck_opening_min_english")),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"], name=op.f("fk_opening_employer_id_employer")),
        sa.ForeignKeyConstraint(["occupation_id"], ["occupation.id"], name=op.f("fk_opening_occupation_id_occupation")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_opening_created_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening")),
    )
    op.create_index("ix_opening_employer", "opening", ["employer_id", "status"])
    op.create_index("ix_opening_status_deadline", "opening", ["status", "deadline"])
    op.create_table(
        "opening_skill",
        sa.Column("opening_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("essential", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opening_id"], ["opening.id"], name=op.f("fk_opening_skill_opening_id_opening"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["skill_id"], ["skill.id"], name=op.f("fk_opening_skill_skill_id_skill")),
        sa.PrimaryKeyConstraint("opening_id", "skill_id", name=op.f("pk_opening_skill")),
    )
    op.create_index("ix_opening_skill_skill", "opening_skill", ["skill_id", "opening_id"])
    op.create_table(
        "match_opt_out",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_match_opt_out_case_id_case_file"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_match_opt_out")),
    )
    _introductions()


def _introductions():
    op.create_table(
        "introduction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("opening_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        *_times(),
        sa.CheckConstraint(_in("status", INTRODUCTION_STATUSES), name=op.f("ck_introduction_status")),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name=op.f("fk_introduction_case_id_case_file")),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"], name=op.f("fk_introduction_employer_id_employer")),
        sa.ForeignKeyConstraint(["opening_id"], ["opening.id"], name=op.f("fk_introduction_opening_id_opening")),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["employer_contact.id"], name=op.f("fk_introduction_contact_id_employer_contact")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["user_account.id"], name=op.f("fk_introduction_proposed_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction")),
    )
    op.create_index("ix_introduction_case", "introduction", ["case_id", "created_at"])
    op.create_index("ix_introduction_employer", "introduction", ["employer_id", "created_at"])
    op.create_table(
        "introduction_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introduction.id"],
            name=op.f("fk_introduction_event_introduction_id_introduction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_introduction_event_actor_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction_event")),
    )
    op.create_index("ix_introduction_event_introduction", "introduction_event", ["introduction_id", "id"])
    op.create_table(
        "introduction_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("sent_to", sa.String(length=254), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introduction.id"],
            name=op.f("fk_introduction_link_introduction_id_introduction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction_link")),
    )
    op.create_index("ix_introduction_link_introduction", "introduction_link", ["introduction_id"])
    op.create_table(
        "link_opening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("outcome", LINK_OUTCOMES), name=op.f("ck_link_opening_outcome")),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["introduction_link.id"],
            name=op.f("fk_link_opening_link_id_introduction_link"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_opening")),
    )
    op.create_index("ix_link_opening_link", "link_opening", ["link_id", "at"])


def downgrade():
    op.drop_index("ix_link_opening_link", table_name="link_opening")
    op.drop_table("link_opening")
    op.drop_index("ix_introduction_link_introduction", table_name="introduction_link")
    op.drop_table("introduction_link")
    op.drop_index("ix_introduction_event_introduction", table_name="introduction_event")
    op.drop_table("introduction_event")
    op.drop_index("ix_introduction_employer", table_name="introduction")
    op.drop_index("ix_introduction_case", table_name="introduction")
    op.drop_table("introduction")
    op.drop_table("match_opt_out")
    op.drop_index("ix_opening_skill_skill", table_name="opening_skill")
    op.drop_table("opening_skill")
    op.drop_index("ix_opening_status_deadline", table_name="opening")
    op.drop_index("ix_opening_employer", table_name="opening")
    op.drop_table("opening")
    op.drop_index("ix_employer_contact_employer", table_name="employer_contact")
    op.drop_table("employer_contact")
    op.drop_index("ix_employer_name", table_name="employer")
    op.drop_index("ix_employer_business_id", table_name="employer")
    op.drop_table("employer")
