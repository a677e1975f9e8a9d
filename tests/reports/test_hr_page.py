"""HR sees aggregates of their own organisation only, as of the end of yesterday, never a
figure that identifies a person."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_login import login_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden

from hiddengems.audit.models import AuditEvent
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.reports.models import ReportSnapshot
from hiddengems.reports.queries import NoOrganisation, participants_by_stage
from hiddengems.reports.routes import hr_home
from hiddengems.timeutil import utcnow
from hiddengems.vocab import STAGES
from tests import factories as f
from tests.reports.people import at, cohort, counts_on_page, participant

MARCH = (2026, 3)
PERIOD = "?from_month=2026-01&to_month=2026-06"


def figures(page: str, table: str) -> list[str]:
    """The figure cells of one of the page's tables, in order."""
    found = re.search(rf'<table[^>]*id="table-{table}".*?</table>', page, re.S)
    return re.findall(r'<td class="figure-cell[^"]*">([^<]*)</td>', found.group(0))


def test_hr_sees_their_organisation_by_stage_and_the_funnel(app, client):
    mine, other = f.org("Mine"), f.org("Other")
    hr = f.user("hr", organisation=mine)
    cohort(mine, 20, at(MARCH))
    cohort(mine, 9, at(MARCH), ("intake", "skills"))
    cohort(other, 9, at(MARCH))
    f.login(client, hr)
    page = client.get("/hr" + PERIOD).get_data(as_text=True)
    assert "Programme figures for Mine" in page
    # registered, intake, skills, training, introductions, closed, active, total
    assert figures(page, "stages") == ["20", "0", "9", "0", "0", "0", "9", "29"]
    # the funnel: the step's count, then its share of the step before
    assert figures(page, "funnel") == ["29", "", "9", "31", "9", "100", "0", "0", "0", "–", "0", "–"]
    assert figures(page, "flow")[4:6] == ["29", "0"]  # March: 29 registrations, no closure


def test_a_tiny_organisation_shows_no_count_from_1_to_4(app, client):
    tiny = f.org("Tiny")
    hr = f.user("hr", organisation=tiny)
    participant(tiny, at(MARCH), ("intake",))
    cohort(tiny, 2, at(MARCH), ("intake", "skills"), outcome="employed_full_time")
    f.login(client, hr)
    page = client.get("/hr" + PERIOD).get_data(as_text=True)
    cells = counts_on_page(page)
    assert len(cells) > 30 and not [c for c in cells if c in ("1", "2", "3", "4")]
    assert figures(page, "stages")[-1] == "&lt;5"
    assert "Fewer than 5 participants" in page


def test_unverified_registrations_are_not_counted(app, client):
    mine = f.org("Mine")
    hr = f.user("hr", organisation=mine)
    cohort(mine, 6, at(MARCH))
    cohort(mine, 5, at(MARCH), verified=False)  # anyone can register with an invented address
    f.login(client, hr)
    page = client.get("/hr" + PERIOD).get_data(as_text=True)
    assert figures(page, "stages")[0] == "6"
    assert "confirmed their e-mail address" in page


def test_figures_are_as_of_yesterday_and_made_once_a_day(app, client):
    mine = f.org("Mine")
    hr = f.user("hr", organisation=mine)
    cohort(mine, 7, at(MARCH))
    cohort(mine, 3, utcnow() - timedelta(minutes=5))  # today: tomorrow's figures
    f.login(client, hr)
    first = client.get("/hr" + PERIOD).get_data(as_text=True)
    assert figures(first, "stages")[0] == "7"
    made = db.session.scalar(select(func.count()).select_from(ReportSnapshot))
    cohort(mine, 6, at(MARCH))  # recorded later today (a back-dated registration, say)
    again = client.get("/hr" + PERIOD).get_data(as_text=True)
    assert figures(again, "stages") == figures(first, "stages")  # asking twice a day tells nothing new
    assert db.session.scalar(select(func.count()).select_from(ReportSnapshot)) == made == 2  # all, and Mine


def test_unverified_accounts_count_nowhere_whatever_their_organisation_or_stage(app):
    mine, other = f.org("Mine"), f.org("Other")
    for _ in range(3):
        f.user("spouse", organisation=mine)
        f.user("spouse", organisation=other, verified=False)
    strays = [f.user("spouse", organisation=mine, verified=False) for _ in range(2)]
    for stray in strays:  # however an unconfirmed account's case got past "registered"
        case = db.session.scalars(select(Case).where(Case.spouse_id == stray.id)).one()
        case.stage = "intake"
    db.session.commit()
    assert participants_by_stage(mine.id) == dict.fromkeys(STAGES, 0) | {"registered": 3}
    assert participants_by_stage(other.id) == dict.fromkeys(STAGES, 0)


def test_the_report_refuses_to_run_without_an_organisation(app):
    with pytest.raises(NoOrganisation):
        participants_by_stage(None)


def test_an_hr_account_without_organisation_cannot_exist(app):
    org = f.org("Mine")
    hr = f.user("hr", organisation=org)
    hr.organisation_id = None
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_hr_page_without_organisation_fails_closed(app):
    """Such an account cannot be made (form, service and the CHECK refuse it); should one
    ever exist, its page shows nothing rather than every organisation's figures."""
    org = f.org("Mine")
    for _ in range(6):
        f.user("spouse", organisation=org)
    hr = f.user("hr", organisation=org)
    with app.test_request_context("/hr"):
        db.session.refresh(hr)
        db.session.expunge(hr)
        hr.organisation_id = None  # in memory only: the database would refuse it
        login_user(hr)
        with pytest.raises(Forbidden):
            hr_home()
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "access.denied")) is not None
