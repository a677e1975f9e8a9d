"""What the intake shows on other domains' pages (hiddengems/ui/panels.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import aliased

from hiddengems.cases.lists import (
    QueueFacts,
    QueueFilter,
    register_queue_facts,
    register_queue_filter,
    waiting_in_queue,
)
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.intake import services, summary
from hiddengems.intake.models import IntakeProfile, LanguageSkill
from hiddengems.ui.panels import once, panel
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import language_name


def _sent_profile(case) -> tuple:
    """(profile, draft): the profile of a sent intake, read once for the header and the
    profile section. Until the spouse sends it, the intake is their own draft: nobody
    else reads it."""
    profile = once(f"intake_profile:{case.id}", lambda: summary.profile_view(case.id))
    draft = profile is not None and profile.submitted_at is None
    return (None if draft else profile), draft


@panel("case_file", "intake/_panel_case_file_header.html", order=10, column="header")
def contact_and_permit(case, today, **_) -> dict:
    """The header's phone, right to work and permit expiry, from the sent intake."""
    profile, _draft = _sent_profile(case)
    return {"profile": profile, "today": today}


@panel("case_file", "intake/_panel_case_file.html", order=90, column="profile")
def profile_summary(case, **_) -> dict:
    profile, draft = _sent_profile(case)
    return {"profile": profile, "draft": draft, "case": case}


def _unsent(case) -> services.IntakeProgress | None:
    """How far the intake got, for a spouse who has not sent it; None once it is sent.
    Asked by two panels of one page: one small query, kept for the request."""
    if case is None or case.stage != "registered":
        return None
    progress = once(f"intake_progress:{case.id}", lambda: services.intake_progress(case.id))
    return None if progress.submitted else progress


@panel("spouse_home", "intake/_panel_spouse_home_status.html", order=10, column="status")
def fill_in_the_intake(case, **_) -> dict | None:
    progress = _unsent(case)
    return None if progress is None else {"progress": progress}


@panel("spouse_home", "intake/_panel_spouse_home_links.html", order=10, column="links")
def my_profile(case, **_) -> dict | None:
    return {} if case is not None and _unsent(case) is None else None


# --- the intake queue: what decides who should take a case (cases/lists/triage.py) ---------

GOALS_WORDS = 12  # the first words of the career goals a row shows


@dataclass
class Triage:
    education_level: int | None
    education_field: str | None
    right_to_work: str | None
    goals: str
    languages: list[tuple[str, str]] = field(default_factory=list)  # (code, level), in the intake's order


def _first_words(text: str | None, n: int = GOALS_WORDS) -> str:
    words = (text or "").split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def queue_triage(case_ids: list[int]) -> dict[int, Triage]:
    """The sent intakes of a page of the queue, with their languages: one query (a row per
    language, at most a dozen per intake), whatever the page's length."""
    if not case_ids:
        return {}
    stmt = (
        select(
            IntakeProfile.case_id,
            IntakeProfile.education_level,
            IntakeProfile.education_field,
            IntakeProfile.right_to_work,
            IntakeProfile.career_goals,
            LanguageSkill.language,
            LanguageSkill.level,
        )
        .outerjoin(LanguageSkill, LanguageSkill.profile_id == IntakeProfile.id)
        .where(IntakeProfile.case_id.in_(case_ids), IntakeProfile.submitted_at.is_not(None))
        .order_by(IntakeProfile.case_id, LanguageSkill.position, LanguageSkill.id)
    )
    found: dict[int, Triage] = {}
    for row in db.session.execute(stmt):
        triage = found.get(row.case_id)
        if triage is None:
            triage = found[row.case_id] = Triage(
                row.education_level, row.education_field, row.right_to_work, _first_words(row.career_goals)
            )
        if row.language:
            triage.languages.append((row.language, row.level))
    return found


def queue_languages() -> list[tuple[str, str]]:
    """The languages the queue's intakes name, by name: what the queue can be narrowed to."""
    codes = db.session.scalars(_queue_languages_statement())
    return sorted(((code, language_name(code)) for code in codes), key=lambda c: c[1])


@cache
def _queue_languages_statement() -> Select:
    """The languages anyone names are walked on their index, from each to the next (a step
    per language), and each is kept if someone in the queue speaks it (the first one found).
    A DISTINCT over the queue joined to its languages read every queued intake instead:
    70 ms a page with 15,000 in the queue on PostgreSQL. Built once, as the house's
    statements are."""
    later = aliased(LanguageSkill)
    walk = select(func.min(LanguageSkill.language).label("language")).cte("named", recursive=True)
    walk = walk.union_all(
        select(select(func.min(later.language)).where(later.language > walk.c.language).scalar_subquery()).where(
            walk.c.language.is_not(None)
        )
    )
    # A subquery with LIMIT, not EXISTS: PostgreSQL would turn EXISTS into a join with the
    # whole queue, which is what this avoids.
    someone_in_queue = (
        select(Case.id)
        .join(IntakeProfile, IntakeProfile.case_id == Case.id)
        .join(LanguageSkill, LanguageSkill.profile_id == IntakeProfile.id)
        .where(LanguageSkill.language == walk.c.language, *waiting_in_queue())
        .limit(1)
        .scalar_subquery()
    )
    return select(walk.c.language).where(walk.c.language.is_not(None), someone_in_queue.is_not(None))


def speaks(code: str):
    return exists().where(
        IntakeProfile.case_id == Case.id,
        LanguageSkill.profile_id == IntakeProfile.id,
        LanguageSkill.language == code,
    )


register_queue_facts(
    QueueFacts(_l("Languages, education, right to work, goals"), "intake/_queue_facts.html", queue_triage)
)
register_queue_filter(QueueFilter("language", _l("Speaks"), queue_languages, speaks))
