"""HR sees aggregates of their own organisation only, never a figure that identifies a
person (issue 6's promises, kept by the dashboard)."""

from __future__ import annotations

import pytest
from flask_login import login_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden

from hiddengems.audit.models import AuditEvent
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.reports.queries import NoOrganisation, organisation_name
from hiddengems.reports.routes import hr_home
from tests import factories as f
from tests.reports.people import at, cohort, figures

MARCH = (2026, 3)


def test_hr_sees_their_organisation_only_and_small_counts_are_marked(app, client):
    mine, other = f.org("Mine"), f.org("Other")
    hr = f.user("hr", organisation=mine)
    cohort(mine, 20, at(MARCH))
    intake = cohort(mine, 2, at(MARCH), ("intake",))
    cohort(mine, 9, at(MARCH), ("intake", "skills"))
    cohort(other, 9, at(MARCH))
    f.login(client, hr)
    page = client.get("/hr").get_data(as_text=True)
    assert "Programme figures for Mine" in page
    # 20 registered, 2 intake, 9 skills: the 2 is "<5"; the first large count hides too,
    # and 20 + 2 leaves enough room for the total to be shown.
    assert figures(page, "stages") == ["–", "&lt;5", "9", "0", "0", "0", "–", "31"]
    assert "hidden, so that a small number cannot be worked out" in page
    for spouse in intake:
        assert spouse.name not in page and spouse.email not in page


def test_a_single_participant_shows_no_stage_at_all(app, client):
    mine = f.org("Tiny")
    hr = f.user("hr", organisation=mine)
    cohort(mine, 1, at(MARCH))
    f.login(client, hr)
    page = client.get("/hr").get_data(as_text=True)
    assert figures(page, "stages") == ["–"] * 8
    assert "Fewer than 5 participants in all" in page


def test_unverified_registrations_are_not_counted(app, client):
    mine = f.org("Mine")
    hr = f.user("hr", organisation=mine)
    cohort(mine, 6, at(MARCH))
    cohort(mine, 5, at(MARCH), verified=False)  # anyone can register with an invented address
    strays = cohort(mine, 2, at(MARCH), verified=False)
    for stray in strays:  # however an unconfirmed account's case got past "registered"
        case = db.session.scalars(select(Case).where(Case.spouse_id == stray.id)).one()
        case.stage = "intake"
    db.session.commit()
    f.login(client, hr)
    page = client.get("/hr").get_data(as_text=True)
    assert figures(page, "stages")[0] == "6" and figures(page, "stages")[-1] == "6"
    assert "confirmed their e-mail address" in page


def test_the_report_refuses_to_run_without_an_organisation(app):
    with pytest.raises(NoOrganisation):
        organisation_name(None)


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
