"""Each role's home page, and the floor page, makes a fixed number of SQL queries.

The counts are measured on a small world, then again after it has grown (more
spouses, cases in every stage, advisers, audit events, e-mails): they must not
change, and must equal the numbers below, so that an N+1 or an extra query is
noticed here and not in production. If a change adds a query on purpose,
update the number and say why in the commit. The timings are in `make bench`.
"""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from hiddengems.audit.services import record
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from hiddengems.orgs.models import Organisation
from hiddengems.skills import profile
from hiddengems.skills.models import Occupation, Skill
from hiddengems.skills.starter import load_starter
from hiddengems.timeutil import utcnow
from hiddengems.vocab import STAGES

FLOOR = "/account/password"
# (role, url): queries, counted as in bench/ (BEGIN/COMMIT/PRAGMA/SAVEPOINT excluded).
EXPECTED: dict[tuple[str, str], int] = {
    ("spouse", FLOOR): 1,
    ("adviser", FLOOR): 1,
    ("lead", FLOOR): 1,
    ("hr", FLOOR): 1,
    ("admin", FLOOR): 1,
    # the user; the case with its adviser; upcoming meetings; entries shared with them;
    # open follow-ups shown to them (a registered spouse adds one: how far the intake got);
    # the skills counted with the targets and their fit (the closest target: one query);
    # their training; their introductions
    ("spouse", "/home"): 8,
    # the user (their e-mail choice is on the account row)
    ("spouse", "/account"): 1,
    # the user; stage counts of mine and of the queue; my next follow-ups; my cases with
    # skills to validate; training applications waiting for my confirmation; today's meetings
    ("adviser", "/desk"): 7,
    # ... plus the team's counts and the cases of deactivated advisers
    ("lead", "/desk"): 10,  # the programme figures panel reads the latest snapshot
    # the user; stage counts of the organisation
    ("hr", "/hr"): 3,  # the account, the day's figures, the organisation's name
    # the user; users by role, outbox, organisations, latest audit events
    ("admin", "/admin/"): 5,
    # the user; the page's rows and the total
    ("admin", "/admin/users"): 3,
    ("admin", "/admin/organisations"): 2,
    ("admin", "/admin/outbox/"): 3,
    # ... and the names of the page's actors and objects (one UNION ALL)
    ("admin", "/admin/audit"): 4,
}


def _world(f) -> dict:
    org = f.org("Home University")
    people = {
        "adviser": f.user("adviser"),
        "lead": f.user("adviser", lead=True),
        "hr": f.user("hr", organisation=org),
        "admin": f.user("admin"),
        "spouse": f.user("spouse", organisation=org),
    }
    case = f.assign(people["spouse"], people["adviser"], stage="skills")
    load_starter()
    _map_skills(case, people["spouse"], skills=3, targets=1)
    return people


def _map_skills(case, spouse, *, skills: int, targets: int) -> None:
    """A skills profile: the first skills of the taxonomy, the first occupations as targets."""
    for skill_id in db.session.scalars(select(Skill.id).order_by(Skill.id).limit(skills)):
        profile.add_skill(case, skill_id, level="basic", source="work", actor=spouse)
    for occupation_id in db.session.scalars(select(Occupation.id).order_by(Occupation.id).limit(targets)):
        profile.add_target(case, occupation_id, actor=spouse)
    db.session.commit()


def _grow(f, people: dict, n: int = 40) -> None:
    """More of everything the pages read, spread over several advisers and organisations."""
    orgs = [f.org() for _ in range(3)]
    gone = f.user("adviser", active=False)
    advisers = [people["adviser"], people["lead"], f.user("adviser"), gone]
    for i in range(n):
        hr_org = db.session.get(Organisation, people["hr"].organisation_id)
        spouse = f.user("spouse", organisation=orgs[i % len(orgs)] if i % 4 else hr_org)
        adviser = None if i % 5 == 0 else advisers[i % len(advisers)]
        case = f.assign(spouse, adviser, stage=STAGES[i % len(STAGES)])
        _map_skills(case, spouse, skills=i % 7, targets=i % 4)
    # The spouse's own profile grows too: more skills, three targets.
    own = db.session.scalar(select(Case).where(Case.spouse_id == people["spouse"].id))
    _map_skills_more(own, people["spouse"])
    for i in range(n):
        f.user(("hr", "adviser", "admin")[i % 3], organisation=orgs[i % len(orgs)] if i % 3 == 0 else None)
    actors = [people["admin"], gone, *advisers]
    for i in range(60):
        record("test.event", actor=actors[i % len(actors)], object_type="user", object_id=i)
    now = utcnow()
    for i in range(60):
        db.session.add(
            OutboxMessage(
                to_address=f"someone{i}@example.org",
                subject="Hello",
                body="body",
                kind="test",
                sent_at=now if i % 3 == 0 else None,
                failed_at=now if i % 3 == 1 else None,
            )
        )
    db.session.commit()


def _map_skills_more(case, spouse) -> None:
    held = profile.held_skill_ids(case.id)
    for skill_id in db.session.scalars(select(Skill.id).order_by(Skill.id.desc()).limit(12)):
        if skill_id not in held:
            profile.add_skill(case, skill_id, level="expert", source="study", actor=spouse)
    targets = set(profile.target_occupation_ids(case.id))
    for occupation_id in db.session.scalars(select(Occupation.id).order_by(Occupation.id.desc()).limit(2)):
        if occupation_id not in targets:
            profile.add_target(case, occupation_id, actor=spouse)
    db.session.commit()


def _count(clients: dict[str, FlaskClient], queries) -> dict[tuple[str, str], int]:
    counts = {}
    for role, url in EXPECTED:
        clients[role].get(url)  # warm: the first request after login may differ
        with queries:
            response = clients[role].get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        counts[role, url] = queries.count
    return counts


def test_pages_make_a_fixed_number_of_queries(app, f, queries):
    people = _world(f)
    clients = {}
    for role, person in people.items():
        clients[role] = app.test_client()
        assert f.login(clients[role], person).status_code == 302

    small = _count(clients, queries)
    _grow(f, people)
    large = _count(clients, queries)

    assert large == small, "a page's query count grows with the data (N+1?)"
    assert small == EXPECTED
