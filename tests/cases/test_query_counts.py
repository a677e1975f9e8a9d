"""The case pages make a fixed number of SQL queries, whatever the size of the caseload
or the length of a case's history. The numbers are exact: a new query must be deliberate."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hiddengems.extensions import db
from hiddengems.timeutil import helsinki_today, utcnow

# the user; organisations for the filter; the page's rows, each with the total (one list's
# cases are few: lists.query counts them in the page's query; a page past the end, or an
# empty list, counts them apart)
CASELOAD = 3
# ... plus the advisers for the filter and the reassign form, and the deactivated advisers' open cases
# (and the total apart: the lead's whole list is walked a page at a time, not counted on the way)
ALL_CASES = 6
# ... a narrow filter of the lead's list (an adviser, a name, the cases needing reassignment) counts
# in the page's query, as the caseload
ALL_CASES_NARROW = ALL_CASES - 1
# the user; the page's rows; the total; the organisations and the languages to filter by; the
# page's intakes with their languages, for triage (one query: intake/panels.py queue_triage)
QUEUE = 6
# the user; the page's rows; the total
REGISTERED = 3
# the user; the case with spouse, adviser, organisation; the timeline page (one UNION ALL of activities
# and stage changes); the open follow-ups; the intake profile with its work history and languages
# (one query: intake/services.py load_profile); the audit row of the view; the skills counted with
# the targets and their fit (one query: skills/panels.py); the training history
# (training/panels.py); the introductions (introductions/panels.py). Why the reminder rules
# fired or not is a page of its own (reminders.why), linked from the follow-ups.
CASE_FILE = 9
# ... and as many when the skills profile has targets (their fit comes with them)
CASE_FILE_WITH_TARGETS = CASE_FILE
# the user; the case with its adviser; upcoming meetings; shared entries; open follow-ups shown
# to the spouse; their training; their introductions
SPOUSE_HOME_BASE = 7
# ... plus, once the intake is sent, the skills counted with the targets (none here): one query
SPOUSE_HOME = SPOUSE_HOME_BASE + 1
# ... or, before the intake is sent, how far it got (saved steps, no answers)
SPOUSE_HOME_REGISTERED = SPOUSE_HOME_BASE + 1
# the user; stage counts of mine and the queue; today's meetings; my next follow-ups; my cases
# with skills to validate; training applications to confirm
ADVISER_HOME = 7


def _grow_caseload(f, desk, n: int) -> None:
    now = utcnow()
    for i in range(n):
        case = f.assign(f.user("spouse", organisation=desk.org), desk.adviser, ("skills", "training")[i % 2])
        f.activity(case, desk.adviser, kind="call", at=now - timedelta(days=i + 1))
        f.follow_up(case, desk.adviser, due_on=helsinki_today() + timedelta(days=i - 3))
        f.assign(f.user("spouse"), desk.other, "introductions")
        f.assign(f.user("spouse"), None, "intake")
        f.user("spouse", organisation=desk.org)  # registered, intake not sent
        f.activity(case, desk.adviser, kind="meeting", at=now + timedelta(minutes=i + 1))


def _count(app, f, queries, user, url: str) -> int:
    client = app.test_client()
    f.login(client, user)
    path, _, search = url.partition("#search=")
    if search:  # a name search is posted, never put in the URL
        client.post(path.split("?")[0], data={"q": search})
        url = path
    with queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return queries.count


@pytest.mark.parametrize(
    ("who", "url", "expected"),
    [
        ("adviser", "/cases/", CASELOAD),
        ("adviser", "/cases/?sort=last_contact&desc=1&overdue=y#search=example", CASELOAD),
        ("adviser", "/cases/queue", QUEUE),
        ("adviser", "/cases/registered", REGISTERED),
        ("lead", "/cases/all", ALL_CASES),
        ("lead", "/cases/all?sort=days&needs_reassignment=y", ALL_CASES_NARROW),
        # the team workload's "without contact for 30 days", as any other filter of the whole list
        ("lead", "/cases/all?quiet=y&sort=last_contact", ALL_CASES),
        ("adviser", "/desk", ADVISER_HOME),
    ],
)
def test_lists_do_not_grow_with_the_caseload(app, f, desk, queries, who, url, expected):
    user = getattr(desk, who)
    _grow_caseload(f, desk, 2)  # 3 cases of mine
    small = _count(app, f, queries, user, url)
    _grow_caseload(f, desk, 27)  # 30 cases of mine: more than a page
    large = _count(app, f, queries, user, url)
    assert (small, large) == (expected, expected), queries.statements


def test_case_file_does_not_grow_with_the_history(app, f, desk, queries):
    from hiddengems.extensions import db
    from hiddengems.intake.models import IntakeProfile
    from hiddengems.reminders.rules import seed_defaults

    db.session.add(IntakeProfile(case_id=desk.case.id))
    seed_defaults()
    db.session.commit()
    now = utcnow()

    def add(n: int) -> None:
        for i in range(n):
            f.activity(desk.case, desk.adviser, kind=("note", "call", "meeting")[i % 3], at=now - timedelta(hours=i))
        f.follow_up(desk.case, desk.adviser)

    add(3)
    small = _count(app, f, queries, desk.adviser, f"/cases/{desk.case.id}")
    add(97)
    large = _count(app, f, queries, desk.adviser, f"/cases/{desk.case.id}")
    older = _count(app, f, queries, desk.adviser, f"/cases/{desk.case.id}?page=2")
    assert (small, large, older) == (CASE_FILE, CASE_FILE, CASE_FILE), queries.statements


def test_spouse_home_does_not_grow(app, f, desk, queries):
    now = utcnow()

    def add(n: int, follow_ups: int) -> None:
        for i in range(n):
            f.activity(desk.case, desk.adviser, shared=True, at=now - timedelta(hours=i + 1))
            f.activity(desk.case, desk.adviser, kind="meeting", at=now + timedelta(days=i + 1))
        for i in range(follow_ups):
            due = helsinki_today() + timedelta(days=i - 2)  # some overdue
            f.follow_up(desk.case, desk.adviser, title=f"Bring paper {i}", due_on=due, shared=True)
            f.follow_up(desk.case, desk.adviser, title=f"Internal {i}", shared=False)

    add(3, follow_ups=1)
    small = _count(app, f, queries, desk.spouse, "/home")
    add(50, follow_ups=19)
    large = _count(app, f, queries, desk.spouse, "/home")
    assert (small, large) == (SPOUSE_HOME, SPOUSE_HOME), queries.statements


def test_registered_spouse_home_does_not_grow(app, f, queries):
    from hiddengems.intake.models import IntakeProfile

    spouse = f.user("spouse")
    assert _count(app, f, queries, spouse, "/home") == SPOUSE_HOME_REGISTERED, queries.statements
    db.session.add(IntakeProfile(case_id=f.case_of(spouse).id, completed_steps=["contact", "host"]))
    db.session.commit()
    assert _count(app, f, queries, spouse, "/home") == SPOUSE_HOME_REGISTERED, queries.statements


def test_case_file_with_a_skills_profile_does_not_grow_with_it(app, f, desk, queries):
    from sqlalchemy import select

    from hiddengems.intake.models import IntakeProfile
    from hiddengems.reminders.rules import seed_defaults
    from hiddengems.skills import profile
    from hiddengems.skills.models import Occupation, Skill
    from hiddengems.skills.starter import load_starter

    db.session.add(IntakeProfile(case_id=desk.case.id))
    seed_defaults()  # as every install has them (the reminders panel reads them)
    load_starter()
    skills = db.session.scalars(select(Skill.id).order_by(Skill.id).limit(30)).all()
    occupations = db.session.scalars(select(Occupation.id).order_by(Occupation.id).limit(3)).all()

    def add(skill_ids, occupation_ids) -> None:
        for skill_id in skill_ids:
            profile.add_skill(desk.case, skill_id, level="basic", source="work", actor=desk.spouse)
        for occupation_id in occupation_ids:
            profile.add_target(desk.case, occupation_id, actor=desk.spouse)
        db.session.commit()

    add(skills[:2], occupations[:1])
    small = _count(app, f, queries, desk.adviser, f"/cases/{desk.case.id}")
    add(skills[2:], occupations[1:])
    large = _count(app, f, queries, desk.adviser, f"/cases/{desk.case.id}")
    assert (small, large) == (CASE_FILE_WITH_TARGETS, CASE_FILE_WITH_TARGETS), queries.statements


# the user; the case with its header; the entry; its earlier versions
CORRECTION = 4


def test_the_correction_page_does_not_grow_with_the_earlier_versions(app, f, desk, queries):
    entry = f.activity(desk.case, desk.adviser, text="Version 0")
    url = f"/cases/{desk.case.id}/activities/{entry.id}/edit"
    client = app.test_client()
    f.login(client, desk.adviser)

    def correct(times: int, start: int) -> None:
        for i in range(start, start + times):
            assert client.post(url, data={"text": f"Version {i + 1}"}).status_code == 302

    correct(1, 0)
    small = _count(app, f, queries, desk.adviser, url)
    correct(20, 1)
    large = _count(app, f, queries, desk.adviser, url)
    assert (small, large) == (CORRECTION, CORRECTION), queries.statements


def test_case_file_binds_none_of_our_codes(app, f, desk):
    """Codes and constants of our own (stages, statuses, a skill's relation, the timeline's
    sources, LIMIT 1, the intake's branch numbers) are written into the case file's SQL
    when a statement is compiled: each view binds only what varies (the case, the user,
    the page, the time), instead of sending and converting forty constants again."""
    from sqlalchemy import event

    from hiddengems.intake.models import IntakeProfile
    from hiddengems.reminders.rules import seed_defaults
    from hiddengems.vocab import STAGES

    # A case whose id is none of the constants (LIMIT 1, the intake's branches 1 and 2).
    case = f.assign(f.user("spouse", organisation=desk.org), desk.adviser, "skills")
    assert case.id > 2
    db.session.add(IntakeProfile(case_id=case.id))
    seed_defaults()
    db.session.commit()
    f.activity(case, desk.adviser)
    client = app.test_client()
    f.login(client, desk.adviser)
    bound: list[tuple[str, object]] = []

    def collect(conn, cursor, statement, parameters, context, executemany):
        values = parameters.values() if isinstance(parameters, dict) else parameters
        bound.extend((statement, value) for value in values)

    event.listen(db.engine, "before_cursor_execute", collect)
    try:
        # The case file, and its reminder rules' "why" a click away (the same constants).
        assert client.get(f"/cases/{case.id}").status_code == 200
        assert client.get(f"/cases/{case.id}/reminders").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", collect)
    codes = {*STAGES, "enrolled", "essential", "activity", "stage"}
    assert [(s[:60], v) for s, v in bound if isinstance(v, str) and v in codes] == []
    # The statements that bound constants in their tens: the case is the only value they
    # bind (SQLite takes it once per mention, and an OFFSET 0 with each LIMIT, as
    # SQLAlchemy writes a LIMIT there).
    for marker in ("FROM reminder_rule", "AS held", "intake_profile.phone"):
        values = [v for s, v in bound if marker in s]
        assert values and {v for v in values if v != 0} == {case.id}, (marker, values)
