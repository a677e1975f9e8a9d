"""The introductions' rules, without HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hiddengems.employers import services as employers
from hiddengems.extensions import db
from hiddengems.introductions import services
from hiddengems.introductions.models import IntroductionEvent, IntroductionLink, LinkOpening
from hiddengems.introductions.services import IntroductionError
from hiddengems.reminders.models import FollowUp
from tests.employers.helpers import employer, opening


@pytest.fixture
def ctx(app):
    with app.test_request_context(method="POST"):
        yield


def _proposed(f):
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "introductions")
    at = employer(adviser)
    contact = employers.add_contact(at, {"name": "Riikka", "email": "riikka@ex.fi"}, actor=adviser)
    made = services.propose(case, at, opening=None, contact=contact, note="", actor=adviser)
    db.session.commit()
    return adviser, case, at, made


def test_nothing_is_sent_without_consent_and_a_withdrawal_revokes_every_link(ctx, f):
    adviser, case, _at, made = _proposed(f)
    with pytest.raises(IntroductionError, match="no_consent"):
        services.send(made, actor=adviser)
    spouse = db.session.get(type(adviser), case.spouse_id)
    services.consent(made, actor=spouse)
    first, second = services.send(made, actor=adviser), services.send(made, actor=adviser)
    services.withdraw(made, actor=spouse)
    db.session.commit()
    assert all(link.revoked_at is not None for link in (first, second))
    statuses = list(db.session.scalars(select(IntroductionEvent.status).order_by(IntroductionEvent.id)))
    assert statuses == ["proposed", "consent_requested", "consented", "introduced", "withdrawn"]
    with pytest.raises(IntroductionError):
        services.withdraw(made, actor=spouse)  # nothing left to withdraw


def test_a_closed_case_or_another_employers_opening_cannot_be_proposed(ctx, f):
    adviser = f.user("adviser")
    closed = f.assign(f.user("spouse"), adviser, "closed")
    at, elsewhere = employer(adviser), employer(adviser)
    with pytest.raises(IntroductionError, match="case_closed"):
        services.propose(closed, at, opening=None, contact=None, note="", actor=adviser)
    open_case = f.assign(f.user("spouse"), adviser, "introductions")
    job = opening(adviser, elsewhere)
    with pytest.raises(IntroductionError, match="opening_elsewhere"):
        services.propose(open_case, at, opening=job, contact=None, note="", actor=adviser)


def test_a_garbage_token_is_logged_and_shows_nothing(ctx, f):
    found, link, outcome = services.open_link("not-a-token\x00")
    assert (found, link, outcome) == (None, None, "invalid")
    assert db.session.scalar(select(LinkOpening.outcome)) == "invalid"


def test_the_employers_answer_moves_it_on_and_makes_a_follow_up_for_the_adviser(ctx, f):
    adviser, case, _at, made = _proposed(f)
    services.consent(made, actor=db.session.get(type(adviser), case.spouse_id))
    link = services.send(made, actor=adviser)
    follow_up = services.answer(made, link, interested=False, note="Maybe in spring")
    db.session.commit()
    assert made.status == "declined"
    assert db.session.get(FollowUp, follow_up.id).assignee_id == adviser.id
    assert "not now: Maybe in spring" in follow_up.title
    assert db.session.scalar(select(IntroductionLink.sent_to)) == "riikka@ex.fi"
