"""The taxonomy: ISCO-08 groups, ESCO occupations and skills, their relations, and the search labels.

Concepts are keyed by their ESCO URI: an import updates the row with that URI in place,
so whatever points at a concept by id (a spouse's profile, an opening, a course) keeps
pointing at it across releases. A concept that leaves a release is marked obsolete,
never deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiddengems.extensions import db
from hiddengems.timeutil import UTCDateTime, utcnow
from hiddengems.vocab import CEFR_LEVELS, sql_in

SKILL_TYPES = ("knowledge", "skill/competence")
REUSE_LEVELS = ("transversal", "cross-sector", "sector-specific", "occupation-specific")
# How an occupation needs a skill, and how ESCO relates two skills. "broader": the related
# skill is the broader concept (from the collections' broaderConceptUri).
OCCUPATION_SKILL_RELATIONS = ("essential", "optional")
SKILL_RELATIONS = ("essential", "optional", "broader")
LABEL_KINDS = ("preferred", "alt", "hidden")

URI_LENGTH = 255
LABEL_LENGTH = 255


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class IscoGroup(db.Model):
    """An ISCO-08 group: major (1 digit), sub-major (2), minor (3) or unit group (4)."""

    __tablename__ = "isco_group"
    __table_args__ = (
        # ltrim with a set of characters exists in SQLite and PostgreSQL alike: only digits remain.
        CheckConstraint("length(code) BETWEEN 1 AND 4 AND ltrim(code, '0123456789') = ''", name="code_digits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(URI_LENGTH), unique=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("isco_group.id"), index=True)
    preferred_label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    obsolete: Mapped[bool] = mapped_column(default=False)

    parent: Mapped[IscoGroup | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<IscoGroup {self.code}>"


class Occupation(db.Model):
    __tablename__ = "occupation"
    __table_args__ = (Index("ix_occupation_isco_group", "isco_group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(URI_LENGTH), unique=True)
    # ESCO's own code: the ISCO unit group and the occupation's place below it (2512.4).
    code: Mapped[str | None] = mapped_column(String(40))
    isco_group_id: Mapped[int] = mapped_column(ForeignKey("isco_group.id"))
    preferred_label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    # As the release gives them, in its order; the search reads taxonomy_label instead.
    alt_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    hidden_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    obsolete: Mapped[bool] = mapped_column(default=False)
    # A hash of what the release said (importer._fingerprint): a re-import compares this one
    # value per concept, and reads the other columns only of concepts whose hash differs.
    fingerprint: Mapped[str | None] = mapped_column(String(32))

    isco_group: Mapped[IscoGroup] = relationship()

    def __repr__(self) -> str:
        return f"<Occupation {self.id} {self.preferred_label!r}>"


class Skill(db.Model):
    __tablename__ = "skill"
    __table_args__ = (
        CheckConstraint(_in("skill_type", SKILL_TYPES), name="skill_type"),
        CheckConstraint(_in("reuse_level", REUSE_LEVELS), name="reuse_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(URI_LENGTH), unique=True)
    skill_type: Mapped[str | None] = mapped_column(String(20))
    reuse_level: Mapped[str | None] = mapped_column(String(20))
    preferred_label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    alt_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    hidden_labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    obsolete: Mapped[bool] = mapped_column(default=False)
    fingerprint: Mapped[str | None] = mapped_column(String(32))

    def __repr__(self) -> str:
        return f"<Skill {self.id} {self.preferred_label!r}>"


class OccupationSkill(db.Model):
    """An occupation needs a skill, essentially or optionally."""

    __tablename__ = "occupation_skill"
    __table_args__ = (
        CheckConstraint(_in("relation", OCCUPATION_SKILL_RELATIONS), name="relation"),
        # Which occupations ask for a skill: training and employer matching start from a skill.
        Index("ix_occupation_skill_skill", "skill_id", "relation"),
    )

    occupation_id: Mapped[int] = mapped_column(ForeignKey("occupation.id"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True)
    relation: Mapped[str] = mapped_column(String(10))

    skill: Mapped[Skill] = relationship()


class SkillRelation(db.Model):
    """``related_skill`` is essential or optional for ``skill``, or its broader concept."""

    __tablename__ = "skill_relation"
    __table_args__ = (
        CheckConstraint(_in("relation", SKILL_RELATIONS), name="relation"),
        CheckConstraint("skill_id <> related_skill_id", name="not_self"),
        # Narrower skills are the rows pointing at a skill as their broader one.
        Index("ix_skill_relation_related", "related_skill_id", "relation"),
    )

    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True)
    related_skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True)
    relation: Mapped[str] = mapped_column(String(10), primary_key=True)


class TaxonomyLabel(db.Model):
    """Every preferred, alternative and hidden label of an occupation or a skill, for the search.

    Derived from the concepts by the importer. ``normalised`` is text.normalise(label). The
    search's own index is kept apart from the models, because it differs by database
    (migration 0009): on SQLite the FTS5 table taxonomy_label_fts, filled by triggers on this
    table; on PostgreSQL pg_trgm GIN indexes on ``normalised``, one per kind of concept.
    """

    __tablename__ = "taxonomy_label"
    __table_args__ = (
        CheckConstraint("(occupation_id IS NULL) <> (skill_id IS NULL)", name="one_concept"),
        CheckConstraint(_in("kind", LABEL_KINDS), name="kind"),
        # One row per concept and normalised text: "Nurse" and "nurse" are one label.
        UniqueConstraint("occupation_id", "normalised"),
        UniqueConstraint("skill_id", "normalised"),
        # Exact and prefix matches; on PostgreSQL text_pattern_ops so that LIKE 'abc%' uses it
        # whatever the database's collation.
        Index("ix_taxonomy_label_normalised", "normalised", postgresql_ops={"normalised": "text_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occupation_id: Mapped[int | None] = mapped_column(ForeignKey("occupation.id"))
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skill.id"))
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    normalised: Mapped[str] = mapped_column(String(LABEL_LENGTH))


# The spouse's skills profile: rows of the case, pointing at taxonomy concepts by id.

LEVELS = ("basic", "intermediate", "advanced", "expert")
SOURCES = ("work", "study", "training", "other")
MAX_TARGETS = 3


class CaseSkill(db.Model):
    """A skill the spouse holds, with a level and where it comes from; an adviser validates it."""

    __tablename__ = "case_skill"
    __table_args__ = (
        UniqueConstraint("case_id", "skill_id"),
        CheckConstraint(_in("level", LEVELS), name="level"),
        CheckConstraint(_in("source", SOURCES), name="source"),
        CheckConstraint("(validated_by_id IS NULL) = (validated_at IS NULL)", name="validated_both"),
        # Employer matching and training start from a skill: who holds it, validated or not,
        # read from the index alone (matching counts them for 100,000 spouses).
        Index("ix_case_skill_skill", "skill_id", "case_id", "validated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"))
    level: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(10))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    skill: Mapped[Skill] = relationship()

    @property
    def validated(self) -> bool:
        return self.validated_at is not None


class CaseTargetOccupation(db.Model):
    """One of the (at most three) occupations a spouse aims for, in the spouse's order."""

    __tablename__ = "case_target_occupation"
    __table_args__ = (
        UniqueConstraint("case_id", "occupation_id"),
        # Three places per case, each taken once: the database itself refuses a fourth target.
        UniqueConstraint("case_id", "position"),
        CheckConstraint(f"position BETWEEN 1 AND {MAX_TARGETS}", name="position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    occupation_id: Mapped[int] = mapped_column(ForeignKey("occupation.id"))
    position: Mapped[int]
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    occupation: Mapped[Occupation] = relationship()
    languages: Mapped[list[CaseTargetLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="CaseTargetLanguage.id", lazy="raise"
    )


class CaseTargetLanguage(db.Model):
    """A language level the adviser notes a target occupation asks for in Finland's labour
    market ("Finnish B1 for patient work"), compared on the gap view with the intake's."""

    __tablename__ = "case_target_language"
    __table_args__ = (
        UniqueConstraint("target_id", "language"),
        CheckConstraint(sql_in("level", CEFR_LEVELS), name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("case_target_occupation.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(12))
    level: Mapped[str] = mapped_column(String(6))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CasePastOccupation(db.Model):
    """An occupation the spouse has worked in, with the years in it and the title they used."""

    __tablename__ = "case_past_occupation"
    __table_args__ = (
        UniqueConstraint("case_id", "occupation_id"),
        CheckConstraint("years BETWEEN 0 AND 60", name="years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    occupation_id: Mapped[int] = mapped_column(ForeignKey("occupation.id"))
    years: Mapped[int | None]
    job_title: Mapped[str | None] = mapped_column(String(200))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    occupation: Mapped[Occupation] = relationship()
