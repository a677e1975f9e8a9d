"""Account rules, without HTTP."""

from __future__ import annotations

import pytest

from hiddengems.auth import services
from hiddengems.auth.passwords import verify_password
from hiddengems.extensions import db
from tests import factories as f

NEW = "granite orchard violin"


def _register(app, email: str = "new@example.org"):
    org = f.org()
    with app.test_request_context(method="POST"):
        user = services.register_spouse(
            services.Registration(
                name="New Spouse",
                email=email,
                password=NEW,
                organisation_id=org.id,
                preferred_language="en",
                privacy_accepted=True,
            )
        )
    db.session.commit()
    return user


def test_registration_opens_the_case_and_sends_the_confirmation(app):
    user = _register(app)
    case = f.case_of(user)
    assert case is not None and case.stage == "registered" and case.organisation_id == user.organisation_id
    assert [m.kind for m in f.outbox()] == ["verify_email"]


def test_a_second_registration_of_an_address_opens_nothing(app):
    first = _register(app)
    assert _register(app, email=" NEW@example.org ") is None
    assert f.case_of(first) is not None
    assert [m.kind for m in f.outbox()] == ["verify_email", "already_registered"]


def test_a_password_is_changed_only_with_the_current_one(app):
    user = f.user("adviser")
    token = user.session_token
    with app.test_request_context(method="POST"), pytest.raises(services.WrongPassword):
        services.change_password(user, "not the password", NEW)
    assert not verify_password(user.password_hash, NEW)
    with app.test_request_context(method="POST"):
        services.change_password(user, f.PASSWORD, NEW)
    db.session.commit()
    assert verify_password(user.password_hash, NEW)
    assert user.session_token != token  # every other session is out
    assert f.outbox("password_changed")


def test_a_reset_confirms_an_unconfirmed_address(app):
    user = f.user("spouse", verified=False)
    with app.test_request_context(method="POST"):
        services.reset_password(user, NEW)
    db.session.commit()
    assert user.email_verified_at is not None


def test_a_new_confirmation_link_goes_only_to_an_account_waiting_for_one(app):
    waiting = f.user("spouse", verified=False)
    confirmed = f.user("spouse")
    gone = f.user("spouse", verified=False, active=False)
    with app.test_request_context(method="POST"):
        for email in (waiting.email, confirmed.email, gone.email, "nobody@example.org"):
            services.resend_verification(email)
    db.session.commit()
    assert [m.to_address for m in f.outbox("verify_email")] == [waiting.email]


def test_only_participants_may_stay_logged_in(app):
    assert services.may_be_remembered(f.user("spouse"))
    for role in ("adviser", "hr", "admin"):
        assert not services.may_be_remembered(f.user(role))
