"""Search occupations and skills by any of their labels, for the pickers and the JSON endpoint.

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

Two steps keep it fast at ESCO's size (about 120,000 labels): first the exact and prefix
matches through the B-tree index on ``normalised``; when they fill the page (common with
short texts such as "man"), nothing else is needed, as they rank first. Otherwise the
candidates come from the trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL, see
migration 0009), which answers "contains" for words of three characters or more; shorter
words must start a word of the label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, case, column, func, literal, literal_column, select, table
from sqlalchemy.sql.elements import ColumnElement

from hiddengems.extensions import db
from hiddengems.skills.models import IscoGroup, Occupation, Skill, TaxonomyLabel
from hiddengems.skills.text import has_word, normalise

# Longer than any label (ESCO's longest is about 100 characters) and than anyone types.
MAX_TEXT = 200
MAX_WORDS = 8
MAX_LIMIT = 50
# Nobody pages that far through a search; a deep offset would only cost time.
MAX_OFFSET = 500
# The trigram index cannot look up words shorter than this.
TRIGRAM = 3

_FTS = table("taxonomy_label_fts", column("rowid"))


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
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    search = _Search(kind, query, words)
    rows = search.run(search.prefix_candidates(), limit + 1, offset)
    if len(rows) <= limit and any(len(word) >= TRIGRAM for word in words):
        rows = search.run(search.word_candidates(), limit + 1, offset)
    return SearchPage(hits=[_hit(kind, row) for row in rows[:limit]], has_more=len(rows) > limit)


class _Search:
    def __init__(self, kind: str, query: str, words: list[str]) -> None:
        self.kind = kind
        self.query = query
        self.words = words
        self.concept = TaxonomyLabel.occupation_id if kind == "occupation" else TaxonomyLabel.skill_id
        self.sqlite = db.session.get_bind().dialect.name == "sqlite"

    def _starts(self, expression: Any, prefix: str) -> ColumnElement[bool]:
        # GLOB on SQLite, because its LIKE ignores case and so cannot use the B-tree index;
        # LIKE on PostgreSQL, through the text_pattern_ops index. Normalised text has no
        # wildcard of either ('*', '?', '[', '%', '_').
        if self.sqlite:
            return expression.op("GLOB")(prefix + "*")
        return expression.like(prefix + "%")

    def prefix_candidates(self) -> ColumnElement[bool]:
        return self._starts(TaxonomyLabel.normalised, self.query)

    def word_candidates(self) -> ColumnElement[bool]:
        spaced = literal(" ") + TaxonomyLabel.normalised
        long_words = [word for word in self.words if len(word) >= TRIGRAM]
        short = [spaced.like(f"% {word}%") for word in self.words if len(word) < TRIGRAM]
        if self.sqlite:
            phrase = " AND ".join(f'"{word}"' for word in long_words)
            matches = select(_FTS.c.rowid).where(literal_column("taxonomy_label_fts").op("MATCH")(phrase))
            return and_(TaxonomyLabel.id.in_(matches), *short)
        return and_(*(TaxonomyLabel.normalised.like(f"%{word}%") for word in long_words), *short)

    def run(self, candidates: ColumnElement[bool], limit: int, offset: int) -> list[Any]:
        label = TaxonomyLabel
        spaced = literal(" ") + label.normalised
        tier = case(
            (label.normalised == self.query, 0),
            (label.normalised.like(self.query + "%"), 1),
            (spaced.like(f"% {self.query}%"), 2),
            (and_(*(spaced.like(f"% {word}%") for word in self.words)), 3),
            else_=4,
        )
        kind_rank = case((label.kind == "preferred", 0), (label.kind == "alt", 1), else_=2)
        length = func.length(label.label)
        ranked = (
            select(
                self.concept.label("concept_id"),
                label.label.label("matched"),
                label.kind.label("kind"),
                tier.label("tier"),
                kind_rank.label("kind_rank"),
                length.label("length"),
                func.row_number()
                .over(partition_by=self.concept, order_by=(tier, kind_rank, length, label.label))
                .label("n"),
            )
            .where(self.concept.is_not(None), candidates)
            .subquery()
        )
        if self.kind == "occupation":
            concept = Occupation
            extra = (IscoGroup.code.label("isco_code"),)
        else:
            concept = Skill
            extra = (Skill.skill_type,)
        statement = (
            select(concept.id, concept.uri, concept.preferred_label, ranked.c.matched, ranked.c.kind, *extra)
            .join(ranked, ranked.c.concept_id == concept.id)
            .where(ranked.c.n == 1, concept.obsolete.is_(False))
            .order_by(ranked.c.tier, ranked.c.kind_rank, ranked.c.length, ranked.c.matched, concept.id)
            .limit(limit)
            .offset(offset)
        )
        if self.kind == "occupation":
            statement = statement.join(IscoGroup, IscoGroup.id == Occupation.isco_group_id)
        return list(db.session.execute(statement))


def _hit(kind: str, row: Any) -> Hit:
    return Hit(
        id=row.id,
        uri=row.uri,
        label=row.preferred_label,
        matched=None if row.kind == "preferred" else row.matched,
        isco_code=row.isco_code if kind == "occupation" else None,
        skill_type=row.skill_type if kind == "skill" else None,
    )
