"""The skills pages make a fixed number of SQL queries whatever the size of the profile
(tests/test_query_counts.py does the same for the home pages; the timings are in make bench)."""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.skills import mapping, profile
from hiddengems.skills.models import Occupation, Skill
from tests.skills.pages import mapped_world

# (who, page): queries, counted as in bench/ (BEGIN/COMMIT/SAVEPOINT/PRAGMA excluded).
# The profile: the user; the case with spouse, adviser and organisation; the intake, its
# work history and languages; the skills with their concepts; the targets with their
# occupations and ISCO groups; the past occupations with theirs; who validated; the
# targets' language levels. An adviser's look adds its audit row. (The intake with its work
# history and languages is one query: intake/services.py load_profile.)
EXPECTED = {
    ("spouse", "profile"): 8,
    ("adviser", "profile"): 9,
    # with a search in each of the three boxes: one or two queries each
    ("spouse", "profile_searched"): 14,
    # The gap: the user, the case, whether the intake was sent, the skills held, the targets
    # with their occupations and ISCO groups, their language levels, the intake's language
    # levels, services.gaps (3).
    ("spouse", "gap"): 9,
    ("adviser", "gap"): 10,
    ("spouse", "print"): 8,
}


def _grow(w, n_skills: int, n_targets: int, n_past: int, *, start: int = 0) -> None:
    """Add skills (every other one validated), targets with language levels, past occupations,
    past the first ``start`` of each kind (added before)."""
    skills = db.session.scalars(select(Skill.id).order_by(Skill.id).offset(start).limit(n_skills)).all()
    occupations = db.session.scalars(
        select(Occupation.id).order_by(Occupation.id).offset(10 * start).limit(n_targets + n_past)
    ).all()
    for n, skill in enumerate(skills):
        profile.add_skill(w.case, skill, level="basic", source="work", actor=w.spouse)
        if n % 2:
            profile.validate_skill(w.case, skill, actor=w.adviser if n % 4 == 1 else w.lead)
    for occupation in occupations[:n_targets]:
        profile.add_target(w.case, occupation, actor=w.spouse)
        for language, level in (("fi", "B1"), ("en", "B2"))[: 1 + n_targets % 2]:
            mapping.set_language_requirement(w.case, occupation, language=language, level=level, actor=w.adviser)
    for occupation in occupations[n_targets:]:
        profile.set_past_occupation(w.case, occupation, years=3, job_title="Job", actor=w.spouse)
    db.session.commit()


def _counts(app, f, queries, w) -> dict:
    clients = {"spouse": app.test_client(), "adviser": app.test_client()}
    f.login(clients["spouse"], w.spouse)
    f.login(clients["adviser"], w.adviser)
    base = f"/cases/{w.case.id}/skills"
    pages = {
        "profile": (base, {}),
        "profile_searched": (base, {"skill_q": "data", "target_q": "manager", "past_q": "teacher"}),
        "gap": (f"{base}/gap", {}),
        "print": (f"{base}/print", {}),
    }
    found = {}
    for who, page in EXPECTED:
        url, args = pages[page]
        with queries:
            answer = clients[who].get(url, query_string=args)
        assert answer.status_code == 200, (who, page)
        found[who, page] = queries.count
    return found


def test_the_skills_pages_make_a_fixed_number_of_queries(app, f, queries):
    w = mapped_world(f)
    _grow(w, 2, 1, 1)
    small = _counts(app, f, queries, w)
    _grow(w, 40, 2, 6, start=2)
    grown = _counts(app, f, queries, w)
    assert grown == small, (grown, small)
    assert small == EXPECTED
