"""Matching, both ways: for an opening the spouses ranked, for a spouse the openings
ranked, each score explained in words a person can check.

The score, in points (the same both ways):

- each required skill the spouse holds: 2, and 1 more when an adviser validated it;
- each nice-to-have skill held: 1;
- each CEFR step short of a required language level: −2;
- the opening's occupation among the spouse's targets: 2;
- available (intake) by the deadline, or today when there is none: 1.

The ranking is one SQL statement whatever the number of spouses: the skills matched
are counted in the database (case_skill by its skill index), the language levels are
joined from the intake for the holders who can still reach the list (spouses_for), and
only the best ``limit`` rows come back to be explained.
Closed cases never appear; nor do spouses who have opted out of being considered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Integer, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.employers.models import Employer, MatchOptOut, Opening, OpeningSkill
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, LanguageSkill
from hiddengems.skills.models import CaseSkill, CaseTargetOccupation
from hiddengems.ui.formatting import local_date as day
from hiddengems.vocab import CEFR_LEVELS, OPEN_STAGES, language_name

LIMIT = 50
LANGUAGES = (("fi", "min_finnish"), ("en", "min_english"))


def _rank(column):
    """A CEFR level as a number (A1 = 1 … native = 7; none = 0), in SQL."""
    return func.coalesce(case({code: n for n, code in enumerate(CEFR_LEVELS, start=1)}, value=column), 0)


def level_rank(code: str | None) -> int:
    return CEFR_LEVELS.index(code) + 1 if code in CEFR_LEVELS else 0


@dataclass
class Match:
    """One ranked row with what its score is made of."""

    score: int
    case_id: int
    name: str
    opening_id: int | None = None
    opening_title: str = ""
    employer_name: str = ""
    essential: int = 0
    essential_total: int = 0
    validated: int = 0
    nice: int = 0
    nice_total: int = 0
    target: bool = False
    available_from: date | None = None
    available: bool = False
    shortfalls: list[tuple[str, str, str | None]] = field(default_factory=list)


def _opening_totals(opening: Opening) -> tuple[int, int]:
    essential = sum(1 for s in opening.skills if s.essential)
    return essential, len(opening.skills) - essential


def _short(level_column, needed: int):
    """−2 points a CEFR step short of ``needed`` (a number; 0: nothing asked), in SQL."""
    if not needed:
        return literal(0, Integer)
    rank = _rank(level_column)
    return case((rank < needed, 2 * (needed - rank)), else_=0)


def _available(available_from, by):
    return case((and_(available_from.is_not(None), available_from <= by), 1), else_=0)


def _skill_counts():
    """Per (case, opening): required held, required validated, nice held."""
    return (
        func.coalesce(func.sum(case((OpeningSkill.essential, 1), else_=0)), 0),
        func.coalesce(
            func.sum(case((and_(OpeningSkill.essential, CaseSkill.validated_at.is_not(None)), 1), else_=0)), 0
        ),
        func.coalesce(func.sum(case((OpeningSkill.essential, 0), else_=1)), 0),
    )


# The most points a spouse can add to those of their skills: the target (2), availability (1).
BONUS = 3
# How many of the best holders by skills alone are scored first, to find the bar.
SAMPLE = 500


def _scored(opening: Opening, by: date, source, *, organisation_id: int | None, stage: str | None):
    """SELECT the eligible cases (open, not opted out, in the filters) of ``source`` (a
    selectable of case_id, ess, val, nice; None: every case, holding nothing) with their
    availability, language levels, target and points."""
    fi, en, target_row = aliased(LanguageSkill), aliased(LanguageSkill), aliased(CaseTargetOccupation)
    if source is None:
        ess = val = nice = literal(0, Integer)
        stmt = select(Case.id.label("case_id"))
    else:
        ess, val, nice = source.c.ess, source.c.val, source.c.nice
        stmt = select(Case.id.label("case_id")).select_from(source).join(Case, Case.id == source.c.case_id)
    if opening.occupation_id is not None:
        target = case((target_row.case_id.is_not(None), 1), else_=0)
        stmt = stmt.outerjoin(
            target_row, and_(target_row.case_id == Case.id, target_row.occupation_id == opening.occupation_id)
        )
    else:
        target = literal(0, Integer)
    points = 2 * ess + val + nice + 2 * target + _available(IntakeProfile.available_from, by)
    for language, attribute in LANGUAGES:
        points = points - _short((fi if language == "fi" else en).level, level_rank(getattr(opening, attribute)))
    stmt = (
        stmt.add_columns(
            Case.spouse_id,
            IntakeProfile.available_from,
            fi.level.label("fi"),
            en.level.label("en"),
            ess.label("ess"),
            val.label("val"),
            nice.label("nice"),
            target.label("target"),
            points.label("points"),
        )
        .outerjoin(IntakeProfile, IntakeProfile.case_id == Case.id)
        .outerjoin(fi, and_(fi.profile_id == IntakeProfile.id, fi.language == "fi"))
        .outerjoin(en, and_(en.profile_id == IntakeProfile.id, en.language == "en"))
        .where(_unindexed(Case.stage).in_(OPEN_STAGES), ~exists().where(MatchOptOut.case_id == Case.id))
    )
    if organisation_id is not None:
        stmt = stmt.where(_unindexed(Case.organisation_id) == organisation_id)
    if stage:
        stmt = stmt.where(_unindexed(Case.stage) == stage)
    return stmt


def _unindexed(column):
    """The column as an expression no index answers: the candidates are looked up by id,
    and SQLite would otherwise walk every open case by the stage index to find them."""
    return func.coalesce(column, column)


def spouses_for(
    opening: Opening, *, today: date, organisation_id: int | None = None, stage: str | None = None, limit: int = LIMIT
) -> list[Match]:
    """The spouses ranked for an opening (load it with its skills), best first; one query.

    Only the holders of the opening's skills are candidates (case_skill read from its
    skill index alone, counted with GROUP BY), and most of them cannot reach the list:
    the best ``SAMPLE`` by skills alone are scored first, the ``limit``-th best of their
    points is the bar, and only the holders whose skills plus ``BONUS`` reach the bar
    are looked up (case, languages, target) and scored. The bar is a score some
    ``limit`` spouses reach, so whoever is left out could not be among the best: the
    list is the one that scoring every holder gives. With fewer than ``limit`` eligible
    in the sample there is no bar and every holder is scored."""
    filters = {"organisation_id": organisation_id, "stage": stage}
    by = opening.deadline or today
    if not opening.skills:
        ranked = _scored(opening, by, None, **filters).subquery("ranked")
    else:
        counts = [c.label(n) for c, n in zip(_skill_counts(), ("ess", "val", "nice"), strict=True)]
        matched = (
            select(CaseSkill.case_id, *counts, (2 * counts[0] + counts[1] + counts[2]).label("skill_points"))
            .join(OpeningSkill, OpeningSkill.skill_id == CaseSkill.skill_id)
            .where(OpeningSkill.opening_id == opening.id)
            .group_by(CaseSkill.case_id)
            .cte("matched")
            .prefix_with("MATERIALIZED")
        )
        sample = (
            select(matched).order_by(matched.c.skill_points.desc(), matched.c.case_id).limit(SAMPLE).subquery("sample")
        )
        sampled = _scored(opening, by, sample, **filters).subquery("sampled")
        bar = select(sampled.c.points).order_by(sampled.c.points.desc()).limit(1).offset(limit - 1).scalar_subquery()
        reach = select(matched).where(matched.c.skill_points + BONUS >= func.coalesce(bar, -(10**6)))
        ranked = _scored(opening, by, reach.subquery("reach"), **filters).subquery("ranked")
    best = select(ranked).order_by(ranked.c.points.desc(), ranked.c.case_id).limit(limit).subquery("best")
    stmt = (
        select(
            best.c.case_id,
            User.name,
            best.c.available_from,
            best.c.fi,
            best.c.en,
            best.c.ess,
            best.c.val,
            best.c.nice,
            best.c.target,
            best.c.points,
        )
        .join(User, User.id == best.c.spouse_id)
        .order_by(best.c.points.desc(), best.c.case_id)
    )
    essential_total, nice_total = _opening_totals(opening)
    matches = []
    for case_id, name, available_from, fi_level, en_level, e, v, n, t, score in db.session.execute(stmt):
        levels = {"fi": fi_level, "en": en_level}
        matches.append(
            Match(
                score=int(score),
                case_id=case_id,
                name=name,
                essential=int(e),
                essential_total=essential_total,
                validated=int(v),
                nice=int(n),
                nice_total=nice_total,
                target=bool(t),
                available_from=available_from,
                available=available_from is not None and available_from <= by,
                shortfalls=shortfalls(opening, levels),
            )
        )
    return matches


def shortfalls(opening: Opening, levels: dict[str, str | None]) -> list[tuple[str, str, str | None]]:
    """The required levels the spouse does not reach: (language, asked, theirs or None)."""
    short = []
    for language, attribute in LANGUAGES:
        asked = getattr(opening, attribute)
        if asked and level_rank(levels.get(language)) < level_rank(asked):
            short.append((language, asked, levels.get(language)))
    return short


def openings_for(case_id: int, *, today: date, levels: dict[str, str | None], limit: int = LIMIT) -> list[Match]:
    """The open openings ranked for a spouse, best first; two queries (the spouse's
    availability and targets, then the ranking). Openings past their deadline, closed or
    asking for nothing the spouse holds and no language are left out only when nothing
    at all matches: an opening without skills is ranked by languages alone."""
    profile = db.session.execute(
        select(IntakeProfile.available_from).where(IntakeProfile.case_id == case_id)
    ).scalar_one_or_none()
    held = (
        select(
            OpeningSkill.opening_id,
            *(c.label(n) for c, n in zip(_skill_counts(), ("ess", "val", "nice"), strict=True)),
        )
        .join(CaseSkill, and_(CaseSkill.skill_id == OpeningSkill.skill_id, CaseSkill.case_id == case_id))
        .group_by(OpeningSkill.opening_id)
        .subquery()
    )
    totals = (
        select(
            OpeningSkill.opening_id,
            func.sum(case((OpeningSkill.essential, 1), else_=0)).label("ess_total"),
            func.sum(case((OpeningSkill.essential, 0), else_=1)).label("nice_total"),
        )
        .group_by(OpeningSkill.opening_id)
        .subquery()
    )
    ess, val, nice = (func.coalesce(held.c[n], 0) for n in ("ess", "val", "nice"))
    target = exists().where(
        CaseTargetOccupation.case_id == case_id, CaseTargetOccupation.occupation_id == Opening.occupation_id
    )
    by = func.coalesce(Opening.deadline, today)
    available = literal(0, Integer) if profile is None else case((literal(profile) <= by, 1), else_=0)
    points = 2 * ess + val + nice + case((target, 2), else_=0) + available
    for language, attribute in LANGUAGES:
        rank = level_rank(levels.get(language))
        needed = _rank(getattr(Opening, attribute))
        points = points - case((needed > rank, 2 * (needed - rank)), else_=0)
    stmt = (
        select(
            Opening,
            Employer.name,
            ess,
            val,
            nice,
            func.coalesce(totals.c.ess_total, 0),
            func.coalesce(totals.c.nice_total, 0),
            target,
            points.label("points"),
        )
        .join(Employer, Employer.id == Opening.employer_id)
        .outerjoin(held, held.c.opening_id == Opening.id)
        .outerjoin(totals, totals.c.opening_id == Opening.id)
        .where(Opening.status == "open", or_(Opening.deadline.is_(None), Opening.deadline >= today))
        .where(or_(held.c.opening_id.is_not(None), totals.c.opening_id.is_(None)))
        .order_by(points.desc(), Opening.deadline.is_(None), Opening.deadline, Opening.id)
        .limit(limit)
    )
    matches = []
    for opening, employer_name, e, v, n, e_total, n_total, t, score in db.session.execute(stmt):
        matches.append(
            Match(
                score=int(score),
                case_id=case_id,
                name="",
                opening_id=opening.id,
                opening_title=opening.title,
                employer_name=employer_name,
                essential=int(e),
                essential_total=int(e_total),
                validated=int(v),
                nice=int(n),
                nice_total=int(n_total),
                target=bool(t),
                available_from=profile,
                available=profile is not None and profile <= (opening.deadline or today),
                shortfalls=shortfalls(opening, levels),
            )
        )
    return matches


def explain(match: Match) -> str:
    """The score in words a person can check: "6 of 8 required skills, 4 validated;
    Finnish A2 where B1 is asked"."""
    parts = []
    if match.essential_total:
        parts.append(
            _("%(held)d of %(total)d required skills, %(validated)d validated")
            % {"held": match.essential, "total": match.essential_total, "validated": match.validated}
        )
    if match.nice_total:
        parts.append(_("%(held)d of %(total)d nice-to-have") % {"held": match.nice, "total": match.nice_total})
    for language, asked, theirs in match.shortfalls:
        if theirs:
            parts.append(
                _("%(language)s %(theirs)s where %(asked)s is asked")
                % {"language": language_name(language), "theirs": theirs, "asked": asked}
            )
        else:
            parts.append(
                _("no %(language)s where %(asked)s is asked") % {"language": language_name(language), "asked": asked}
            )
    if match.target:
        parts.append(_("looking for work in this occupation"))
    if match.available:
        parts.append(_("available in time"))
    elif match.available_from:
        parts.append(_("available only from %(day)s") % {"day": day(match.available_from)})
    return "; ".join(parts) or _("no requirement to compare")


def set_considered(case: Case, considered: bool, *, actor) -> None:
    """Opt in to (or out of) being considered for openings. Flush, never commit."""
    row = db.session.get(MatchOptOut, case.id)
    if considered and row is not None:
        db.session.delete(row)
    elif not considered and row is None:
        db.session.add(MatchOptOut(case_id=case.id))
    else:
        return
    db.session.flush()
    record(
        "employers.matching_" + ("opt_in" if considered else "opt_out"),
        actor=actor,
        object_type="case",
        object_id=case.id,
    )


def is_considered(case_id: int) -> bool:
    return db.session.get(MatchOptOut, case_id) is None
