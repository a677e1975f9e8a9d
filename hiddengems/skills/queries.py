"""Search occupations and skills by any of their labels, for the pickers (and their JSON endpoint).

Every label is stored normalised (text.normalise: lower case, no accents, no punctuation but
'+' and '#'), and the typed text is normalised the same way, so the comparison is the same
on SQLite and PostgreSQL. A label matches when every typed word is in it; the results are
ranked per concept by its best label:

    0 the whole label is the text      ("nurse")
    1 the label starts with the text   ("nurse" → "nurse responsible for general care")
    2 a word of the label starts with the text ("account" → "financial accounting")
    3 every typed word starts a word of the label, in any order ("manage project")
    4 the typed words are in the label ("script" → "javascript")

then preferred labels before alternative ones before hidden ones, then shorter labels first.

Two steps keep it fast at ESCO's size (about 100,000 labels): first the exact and prefix
matches through the B-tree index on ``normalised``; when they fill the page (common with
short texts such as "man"), nothing else is needed, as they rank first. Otherwise the
candidates come from the trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL, see
migration 0009), which answers "contains" for words with three letters or digits in a row;
shorter words ("r", "c#") must start a word of the label.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    case,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    true,
)

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.dbsetup import plain_rows
from hiddengems.extensions import db
from hiddengems.skills.models import (
    CaseSkill,
    CaseTargetOccupation,
    IscoGroup,
    Occupation,
    OccupationSkill,
    Skill,
    TaxonomyLabel,
)
from hiddengems.skills.services import TargetFit, rank_fits
from hiddengems.skills.text import has_word, normalise
from hiddengems.vocab import OPEN_STAGES, one_of

# Longer than any label (ESCO's longest is about 100 characters) and than anyone types.
MAX_TEXT = 200
MAX_WORDS = 8
MAX_LIMIT = 50
# Nobody pages that far through a search; a deep offset would only cost time.
MAX_OFFSET = 500
# A word the trigram indexes can look up: three letters or digits in a row. pg_trgm
# ignores other characters, so "c++" is a short word (found as the start of a label or of
# a word: "C++", "visual c++"), the same on both databases.
_INDEXABLE = re.compile(r"[^\W_]{3}")

_FTS = table("taxonomy_label_fts", column("rowid"))
# Core tables: the search reads columns, not objects, and skips the ORM's work per call.
_LABEL = TaxonomyLabel.__table__
_OCCUPATION = Occupation.__table__
_SKILL = Skill.__table__
_ISCO = IscoGroup.__table__


@dataclass(frozen=True)
class Hit:
    id: int
    uri: str
    label: str
    # The label the text matched, when it is not the preferred one ("RN" for "nurse").
    matched: str | None
    isco_code: str | None = None
    skill_type: str | None = None


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit] = field(default_factory=list)
    has_more: bool = False
    # Why nothing was searched, in words for the person typing; None when the search ran.
    problem: str | None = None


def search_occupations(text: str | None, *, limit: int = 20, offset: int = 0) -> SearchPage:
    """Occupations (not obsolete) whose labels match ``text``, best first."""
    return _search("occupation", text, limit, offset)


def search_skills(text: str | None, *, limit: int = 20, offset: int = 0) -> SearchPage:
    """Skills (not obsolete) whose labels match ``text``, best first."""
    return _search("skill", text, limit, offset)


def _search(kind: str, text: str | None, limit: int, offset: int) -> SearchPage:
    text = text or ""
    if not text.strip():
        return SearchPage()
    if len(text) > MAX_TEXT:
        return SearchPage(problem=_("Search with at most %(count)d characters.", count=MAX_TEXT))
    query = normalise(text)
    if not has_word(query):
        return SearchPage(problem=_("Search with letters or digits."))
    words = list(dict.fromkeys(word for word in query.split() if has_word(word)))[:MAX_WORDS]
    limit = _bounded(limit, 1, MAX_LIMIT, default=20)
    offset = _bounded(offset, 0, MAX_OFFSET, default=0)
    indexable = tuple(bool(_INDEXABLE.search(word)) for word in words)
    dialect = db.session.get_bind().dialect.name
    values = _values(query, words, indexable, dialect, limit + 1, offset)
    # One letter or digit finds the labels that are just that ("R", "C"): as a prefix it
    # would match a tenth of all labels, and nobody reads those.
    first = "exact" if len(query) == 1 else "prefix"
    rows = db.session.execute(_statement(kind, first, indexable, dialect), values).all()
    if len(rows) <= limit and any(indexable):
        rows = db.session.execute(_statement(kind, "words", indexable, dialect), values).all()
    return SearchPage(hits=[_hit(kind, row) for row in rows[:limit]], has_more=len(rows) > limit)


def _bounded(value: Any, low: int, high: int, *, default: int) -> int:
    """A page size or offset as posted: a number within bounds, whatever was sent."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return max(low, min(number, high))


def _values(
    query: str, words: list[str], indexable: tuple[bool, ...], dialect: str, limit: int, offset: int
) -> dict[str, Any]:
    """The bound values of the statements below. Normalised text has no wildcard of LIKE or
    GLOB ('%', '_', '*', '?', '['), nor a double quote, so it goes in as it is."""
    values: dict[str, Any] = {
        "query": query,
        "prefix": query + ("*" if dialect == "sqlite" else "%"),
        "starts": query + "%",
        "word_start": f"% {query}%",
        "limit": limit,
        "offset": offset,
        "match": " AND ".join(f'"{word}"' for word, long in zip(words, indexable, strict=True) if long),
    }
    for n, word in enumerate(words):
        values[f"word_{n}"] = f"% {word}%"
        values[f"contains_{n}"] = f"%{word}%"
    return values


@functools.cache
def _statement(kind: str, stage: str, indexable: tuple[bool, ...], dialect: str) -> Select:
    """The search statement for one shape of search, built once: only bound values change.

    ``stage``: "exact" (the label is the text), "prefix" (it starts with the text) or
    "words" (every word is in it, through the trigram index)."""
    label = _LABEL
    concept_id = label.c.occupation_id if kind == "occupation" else label.c.skill_id
    normalised = label.c.normalised
    spaced = literal(" ") + normalised
    word_starts = [spaced.like(bindparam(f"word_{n}")) for n in range(len(indexable))]
    if stage == "exact":
        candidates = normalised == bindparam("query")
    elif stage == "prefix":
        # GLOB on SQLite, because its LIKE ignores case and so cannot use the B-tree index;
        # LIKE on PostgreSQL, through the text_pattern_ops index.
        prefix = bindparam("prefix")
        candidates = normalised.op("GLOB")(prefix) if dialect == "sqlite" else normalised.like(prefix)
    else:
        short = [start for start, long in zip(word_starts, indexable, strict=True) if not long]
        if dialect == "sqlite":
            matches = select(_FTS.c.rowid).where(literal_column("taxonomy_label_fts").op("MATCH")(bindparam("match")))
            candidates = and_(label.c.id.in_(matches), *short)
        else:
            contains = [normalised.like(bindparam(f"contains_{n}")) for n, long in enumerate(indexable) if long]
            candidates = and_(*contains, *short)
    tier = case(
        (normalised == bindparam("query"), 0),
        (normalised.like(bindparam("starts")), 1),
        (spaced.like(bindparam("word_start")), 2),
        (and_(*word_starts), 3),
        else_=4,
    )
    kind_rank = case((label.c.kind == "preferred", 0), (label.c.kind == "alt", 1), else_=2)
    length = func.length(label.c.label)
    ranked = (
        select(
            concept_id.label("concept_id"),
            label.c.label.label("matched"),
            label.c.kind.label("kind"),
            tier.label("tier"),
            kind_rank.label("kind_rank"),
            length.label("length"),
            func.row_number()
            .over(partition_by=concept_id, order_by=(tier, kind_rank, length, label.c.label))
            .label("n"),
        )
        .where(concept_id.is_not(None), candidates)
        .subquery()
    )
    concept = _OCCUPATION if kind == "occupation" else _SKILL
    extra = (_ISCO.c.code.label("isco_code"),) if kind == "occupation" else (concept.c.skill_type,)
    source = concept.join(ranked, ranked.c.concept_id == concept.c.id)
    if kind == "occupation":
        source = source.join(_ISCO, _ISCO.c.id == concept.c.isco_group_id)
    return (
        select(concept.c.id, concept.c.uri, concept.c.preferred_label, ranked.c.matched, ranked.c.kind, *extra)
        .select_from(source)
        .where(ranked.c.n == 1, concept.c.obsolete.is_(False))
        .order_by(ranked.c.tier, ranked.c.kind_rank, ranked.c.length, ranked.c.matched, concept.c.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )


def _hit(kind: str, row: Any) -> Hit:
    return Hit(
        id=row.id,
        uri=row.uri,
        label=row.preferred_label,
        matched=None if row.kind == "preferred" else row.matched,
        isco_code=row.isco_code if kind == "occupation" else None,
        skill_type=row.skill_type if kind == "skill" else None,
    )


KINDS = ("skill", "occupation")


def search_answer(kind: str | None, text: str | None, offset: str | None = None) -> tuple[dict[str, Any], int]:
    """The picker's JSON: the hits, whether there are more, or the problem with the text
    (400 for an unknown kind; skills when none is given). Whatever was sent, never an error
    of the server."""
    kind = kind or "skill"
    if kind not in KINDS:
        return {"hits": [], "has_more": False, "problem": _("Search for a skill or an occupation.")}, 400
    found = (search_skills if kind == "skill" else search_occupations)(text, limit=10, offset=offset or 0)
    hits = [
        {
            "id": hit.id,
            "uri": hit.uri,
            "label": hit.label,
            "matched": hit.matched,
            "isco_code": hit.isco_code,
            "skill_type": hit.skill_type,
        }
        for hit in found.hits
    ]
    return {"hits": hits, "has_more": found.has_more, "problem": found.problem}, 200


# --- the summaries the skills domain shows on other pages (panels.py) ---------------------


@dataclass(frozen=True)
class HeldSkills:
    """A profile's skills as the summaries need them: how many are held, how many validated."""

    count: int
    validated: int


@dataclass(frozen=True)
class AwaitingValidation:
    """An open case of the adviser's with skills the spouse added that nobody has validated."""

    case_id: int
    spouse_name: str
    stage: str
    waiting: int
    since: datetime  # when the oldest of them was added or last changed


def awaiting_validation(adviser_id: int, *, limit: int = 5) -> tuple[list[AwaitingValidation], int]:
    """The adviser's open cases with unvalidated skills, longest waiting first, and how many
    there are in all: one query (the total is a window over the grouped rows)."""
    since = func.min(CaseSkill.updated_at)
    rows = db.session.execute(
        select(
            Case.id,
            User.name,
            Case.stage,
            func.count(CaseSkill.id),
            since,
            func.count().over().label("total"),
        )
        .join(User, User.id == Case.spouse_id)
        .join(CaseSkill, and_(CaseSkill.case_id == Case.id, CaseSkill.validated_at.is_(None)))
        .where(Case.adviser_id == adviser_id, one_of(Case.stage, OPEN_STAGES))
        .group_by(Case.id, User.name, Case.stage)
        .order_by(since, Case.id)
        .limit(limit)
    ).all()
    total = rows[0].total if rows else 0
    return [AwaitingValidation(*row[:5]) for row in rows], total


def _target_fits(case_id) -> Select:
    """The case's targets with what each needs and how much of it the case holds, counted
    by the database (the skills it needs meet the case's skills in a LEFT JOIN), with the
    position the spouse gave each."""
    # Counted with FILTER, the relation written into the SQL: no value is bound but the case.
    essential = one_of(OccupationSkill.relation, ["essential"])
    optional = and_(OccupationSkill.relation.is_not(None), ~one_of(OccupationSkill.relation, ["essential"]))
    held = CaseSkill.id.is_not(None)

    def tally(condition):
        return func.count().filter(condition)

    return (
        select(
            Occupation,
            tally(essential).label("essential_total"),
            tally(and_(essential, held)).label("essential_held"),
            tally(optional).label("optional_total"),
            tally(and_(optional, held)).label("optional_held"),
            CaseTargetOccupation.position.label("target_position"),
        )
        .select_from(CaseTargetOccupation)
        .join(Occupation, Occupation.id == CaseTargetOccupation.occupation_id)
        .outerjoin(OccupationSkill, OccupationSkill.occupation_id == Occupation.id)
        .outerjoin(
            CaseSkill,
            and_(CaseSkill.case_id == CaseTargetOccupation.case_id, CaseSkill.skill_id == OccupationSkill.skill_id),
        )
        .where(CaseTargetOccupation.case_id == case_id)
        .group_by(Occupation.id, CaseTargetOccupation.position)
    )


@functools.cache
def _profile_summary_select() -> Select:
    """Built once (the case file and the spouse's home show it on every view). The counts
    of the skills held are one row, whatever the profile; the targets with their fit join
    it (ON true), so that a profile without targets still has its row."""
    case_id = bindparam("summary_case_id", type_=Integer)
    held = (
        select(func.count(CaseSkill.id).label("held"), func.count(CaseSkill.validated_at).label("validated"))
        .where(CaseSkill.case_id == case_id)
        .subquery("held")
    )
    fits = _target_fits(case_id).subquery("fits")
    return (
        select(
            held.c.held,
            held.c.validated,
            fits.c.id,
            fits.c.preferred_label,
            fits.c.essential_total,
            fits.c.essential_held,
            fits.c.optional_total,
            fits.c.optional_held,
        )
        .select_from(held)
        .outerjoin(fits, true())
        .order_by(fits.c.target_position)
    )


def profile_summary(case_id: int) -> tuple[HeldSkills, list[TargetFit]]:
    """How many skills the profile holds (and how many of them are validated), and its
    target occupations ranked closest first, as services.closest_target ranks them: one
    query, whatever the profile and the targets. Each target's occupation is its id and
    label, all the summary shows (plain rows: dbsetup.plain_rows)."""
    rows = plain_rows(db.session, _profile_summary_select(), {"summary_case_id": case_id})
    held = HeldSkills(count=rows[0].held, validated=rows[0].validated)
    fits = rank_fits(
        TargetFit(
            occupation=OccupationLabel(row.id, row.preferred_label),
            essential_total=row.essential_total,
            essential_held=row.essential_held,
            optional_total=row.optional_total,
            optional_held=row.optional_held,
        )
        for row in rows
        if row.id is not None
    )
    return held, fits


class OccupationLabel(NamedTuple):
    """An occupation as the profile's summary names it."""

    id: int
    preferred_label: str
