"""The skills pages' reads: who may see and change a case's skills profile, and what the
profile, the gap view and the printable profile show, each in a fixed number of queries.

The spouse builds their own profile once the intake is sent; the case's adviser (and a
lead) map it with them; other advisers see what Case.can_view lets them see. HR and
admins never see it (the routes' roles).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.cases.services import load_case
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, LanguageSkill
from hiddengems.intake.services import load_profile as load_intake
from hiddengems.skills import services
from hiddengems.skills.models import CaseSkill, CaseTargetLanguage, CaseTargetOccupation, Occupation, Skill
from hiddengems.skills.profile import ProfileError, SkillsProfile, load_profile
from hiddengems.skills.queries import Hit, SearchPage, search_occupations, search_skills
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import CEFR_LEVELS

# Enough titles to cover a long work history; each is a link, not a query.
MAX_TITLES = 10


class IntakeNotSent(ProfileError):
    field = "skill"
    message = _l("Send your intake first: the skills profile starts from it.")


@dataclass
class SkillsCase:
    """A case as its skills pages see it, with the intake's answers when they were sent."""

    # A refusal is audited against the case (access.get_for reads these names).
    audit_type = "case"
    __tablename__ = "case_file"

    case: Case
    intake: IntakeProfile | None = None
    intake_sent: bool = False

    @property
    def id(self) -> int:
        return self.case.id

    def is_spouse(self, user) -> bool:
        return (
            bool(getattr(user, "is_authenticated", False)) and user.role == "spouse" and user.id == self.case.spouse_id
        )

    def can_view(self, user) -> bool:
        return self.is_spouse(user) or self.case.can_view(user)

    def can_edit(self, user) -> bool:
        return self.is_spouse(user) or self.case.can_edit(user)

    def is_adviser_of(self, user) -> bool:
        """Whether the user maps skills on it: validates, notes language levels, records the session."""
        return self.case.can_edit(user)

    def check_open(self, user) -> None:
        """The spouse's profile starts when the intake is sent: before that, nothing to change."""
        if self.is_spouse(user) and not self.intake_sent:
            raise IntakeNotSent()


def load_skills_case(case_id: int, *, with_intake: bool = True) -> SkillsCase | None:
    """The case (with its spouse, adviser and organisation) and, for a page, its intake
    with work history and languages: one query, or four. A draft intake is not loaded:
    until the spouse sends it, it is theirs alone."""
    case = load_case(case_id)
    if case is None:
        return None
    if not with_intake:
        sent = db.session.scalar(select(IntakeProfile.submitted_at).where(IntakeProfile.case_id == case_id))
        return SkillsCase(case, None, sent is not None)
    intake = load_intake(case_id)
    sent = intake is not None and intake.submitted_at is not None
    return SkillsCase(case, intake if sent else None, sent)


@dataclass(frozen=True)
class Searches:
    """The no-JavaScript picker: what was typed in each search box, and what it found."""

    skill_q: str = ""
    target_q: str = ""
    past_q: str = ""
    skill: SearchPage = field(default_factory=SearchPage)
    target: SearchPage = field(default_factory=SearchPage)
    past: SearchPage = field(default_factory=SearchPage)


def run_searches(skill_q: str, target_q: str, past_q: str, *, pinned: dict[str, int] | None = None) -> Searches:
    """Each box that has text is searched (one or two queries each); the others are not.

    ``pinned``: the concept a refused form was posted for, by box ("skill", "target",
    "past"): it heads that box's results whatever the search, so that the message and what
    was typed are shown beside it (one query each)."""
    found = {
        "skill": search_skills(skill_q, limit=10),
        "target": search_occupations(target_q, limit=10),
        "past": search_occupations(past_q, limit=10),
    }
    for box, concept_id in (pinned or {}).items():
        hit = _hit_for(box, concept_id)
        if hit is not None and all(other.id != hit.id for other in found[box].hits):
            found[box] = replace(found[box], hits=[hit, *found[box].hits], problem=None)
    return Searches(
        skill_q=skill_q,
        target_q=target_q,
        past_q=past_q,
        skill=found["skill"],
        target=found["target"],
        past=found["past"],
    )


def _hit_for(box: str, concept_id: int) -> Hit | None:
    if not 0 < concept_id < 2**31:
        return None
    if box == "skill":
        skill = db.session.get(Skill, concept_id)
        if skill is None or skill.obsolete:
            return None
        return Hit(skill.id, skill.uri, skill.preferred_label, None, skill_type=skill.skill_type)
    occupation = db.session.get(Occupation, concept_id, options=[joinedload(Occupation.isco_group)])
    if occupation is None or occupation.obsolete:
        return None
    return Hit(occupation.id, occupation.uri, occupation.preferred_label, None, isco_code=occupation.isco_group.code)


@dataclass(frozen=True)
class JobTitle:
    """A job from the intake's work history, offered as a one-click search."""

    title: str
    years: int | None
    mapped: bool


@dataclass(frozen=True)
class ProfileView:
    profile: SkillsProfile
    languages: list[tuple[str, str]]
    job_titles: list[JobTitle]
    # The intake's free-text target occupations, offered as searches for a target.
    goal_terms: list[str]
    validated: int
    # Who validated, by user id: the profile says by whom and when.
    validators: dict[int, str]
    # The language levels noted for each target, by target id.
    target_languages: dict[int, list[CaseTargetLanguage]]


def profile_view(sc: SkillsCase) -> ProfileView:
    """The profile with what the intake pre-fills: its languages (read-only, the intake's),
    its job titles (searches for past occupations) and its target occupations (searches)."""
    profile = load_profile(sc.id)
    intake = sc.intake
    mapped_titles = {(row.job_title or "").casefold() for row in profile.past}
    titles = [
        JobTitle(job.job_title, job.years, job.job_title.casefold() in mapped_titles)
        for job in (intake.work if intake else [])[:MAX_TITLES]
        if job.job_title
    ]
    return ProfileView(
        profile=profile,
        languages=intake_languages(intake),
        job_titles=titles,
        goal_terms=goal_terms(intake.target_occupations if intake else None),
        validated=sum(row.validated for row in profile.skills),
        validators=_names({row.validated_by_id for row in profile.skills if row.validated_by_id}),
        target_languages=_target_languages([target.id for target in profile.targets]),
    )


def _target_languages(target_ids: list[int]) -> dict[int, list[CaseTargetLanguage]]:
    found: dict[int, list[CaseTargetLanguage]] = {target_id: [] for target_id in target_ids}
    if target_ids:
        rows = db.session.scalars(
            select(CaseTargetLanguage)
            .where(CaseTargetLanguage.target_id.in_(target_ids))
            .order_by(CaseTargetLanguage.id)
        )
        for row in rows:
            found[row.target_id].append(row)
    return found


def _names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def intake_languages(intake: IntakeProfile | None) -> list[tuple[str, str]]:
    """(language, CEFR level) as the intake gives them, best level first."""
    if intake is None:
        return []
    rank = {level: n for n, level in enumerate(CEFR_LEVELS)}
    return sorted(((row.language, row.level) for row in intake.languages), key=lambda pair: -rank.get(pair[1], -1))


def goal_terms(text: str | None) -> list[str]:
    """The intake's target occupations ("data analyst, UX designer; teacher") as separate terms."""
    if not text:
        return []
    parts = (part.strip() for chunk in text.replace(";", ",").splitlines() for part in chunk.split(","))
    return list(dict.fromkeys(part for part in parts if part))[:MAX_TITLES]


@dataclass(frozen=True)
class LanguageCheck:
    """A language level the adviser noted for a target, against the intake's."""

    language: str
    required: str
    held: str | None

    @property
    def met(self) -> bool:
        if self.held is None:
            return False
        return CEFR_LEVELS.index(self.held) >= CEFR_LEVELS.index(self.required)


@dataclass(frozen=True)
class TargetGap:
    target: CaseTargetOccupation
    gap: services.Gap
    languages: list[LanguageCheck]
    validated_ids: set[int]


def _sent_languages(sc: SkillsCase) -> dict[str, str]:
    """Language -> CEFR level as the sent intake gives them: from the intake when it was
    loaded, else in one query (the gap view needs nothing else of the intake)."""
    if sc.intake is not None:
        return dict(intake_languages(sc.intake))
    if not sc.intake_sent:
        return {}
    rows = db.session.execute(
        select(LanguageSkill.language, LanguageSkill.level)
        .join(IntakeProfile, IntakeProfile.id == LanguageSkill.profile_id)
        .where(IntakeProfile.case_id == sc.id)
    )
    return dict(rows.all())


def gap_view(sc: SkillsCase) -> list[TargetGap]:
    """The gap to each target, in the spouse's order: the skills held (which are validated),
    the targets with their occupations and ISCO groups, their language notes, the intake's
    language levels, then services.gaps (three queries) whatever the number of skills."""
    held = db.session.execute(
        select(CaseSkill.skill_id, CaseSkill.validated_at.is_not(None)).where(CaseSkill.case_id == sc.id)
    ).all()
    targets = db.session.scalars(
        select(CaseTargetOccupation)
        .where(CaseTargetOccupation.case_id == sc.id)
        .options(
            joinedload(CaseTargetOccupation.occupation).joinedload(Occupation.isco_group),
            selectinload(CaseTargetOccupation.languages),
        )
        .order_by(CaseTargetOccupation.position)
    ).all()
    gaps = services.gaps({skill_id for skill_id, _ in held}, [target.occupation_id for target in targets])
    held_levels = _sent_languages(sc)
    validated = {skill_id for skill_id, is_validated in held if is_validated}
    return [
        TargetGap(
            target=target,
            gap=target_gap,
            languages=[
                LanguageCheck(row.language, row.level, held_levels.get(row.language)) for row in target.languages
            ],
            validated_ids=validated,
        )
        for target, target_gap in zip(targets, gaps, strict=True)
    ]
