"""New staff get an invitation e-mail with a link to choose their password: the admin
never types, sees or passes on a password, nor the link."""

from __future__ import annotations

import time_machine
from sqlalchemy import select

from hiddengems.audit.models import AuditEvent
from hiddengems.auth.models import User
from hiddengems.extensions import db
from hiddengems.timeutil import utcnow
from tests import factories as f

STRONG = "granite orchard violin"
NEW = {"name": "Nina New", "email": "nina@example.org", "role": "adviser", "organisation_id": 0}


def _admin(app):
    client = app.test_client()
    f.login(client, f.user("admin", name="Ada Admin"))
    return client


def test_the_form_asks_for_no_password_and_the_invitation_sets_one(app):
    admin = _admin(app)
    form = admin.get("/admin/users/new").get_data(as_text=True)
    assert 'type="password"' not in form and "Create account and send the invitation" in form
    response = admin.post("/admin/users/new", data=NEW, follow_redirects=True)
    assert "an invitation to choose a password is on its way" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "nina@example.org"))

    (message,) = f.outbox("invitation")
    link = f.link_from(message, "/invitation/")
    # The admin's outbox shows the message but not the link.
    shown = admin.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert "Ada Admin has made you an account" in shown
    assert link not in shown and link.rsplit("/", 1)[-1] not in shown

    new = app.test_client()
    page = new.get(link).get_data(as_text=True)
    assert "Choose your password" in page and "Welcome, Nina New" in page
    mismatch = new.post(link, data={"password": STRONG, "confirm": STRONG + "x"}).get_data(as_text=True)
    assert "The passwords do not match." in mismatch
    assert new.post(link, data={"password": STRONG, "confirm": STRONG}).status_code == 302
    assert f.login(app.test_client(), user, STRONG).status_code == 302
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == user.id)))
    assert {"auth.invited", "auth.invitation_accepted"} <= actions
    # Used once: the second time it says so and offers the login.
    again = new.get(link)
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)


def test_an_invitation_expires_after_a_week_and_points_to_a_new_link(app):
    _admin(app).post("/admin/users/new", data=NEW)
    link = f.link_from(f.outbox("invitation")[0], "/invitation/")
    with time_machine.travel(utcnow().timestamp() + 6 * 24 * 3600):
        assert app.test_client().get(link).status_code == 200
    with time_machine.travel(utcnow().timestamp() + 8 * 24 * 3600):
        late = app.test_client().get(link)
    assert late.status_code == 400 and "expired" in late.get_data(as_text=True)
    assert "/password/forgot" in late.get_data(as_text=True)


def test_a_reset_link_is_no_invitation_and_a_broken_link_is_refused(app):
    from hiddengems.auth.services import make_token

    user = f.user("adviser")
    with app.test_request_context():
        reset = make_token(user, "reset")
    client = app.test_client()
    assert client.get(f"/invitation/{reset}").status_code == 400
    for token in ("x", "%00", "a" * 5000):
        assert client.get(f"/invitation/{token}").status_code in (400, 404)


def test_the_user_list_separates_staff_and_participants(app):
    admin = _admin(app)
    f.user("adviser", name="Aino Adviser")
    spouse = f.user("spouse", name="Maria Spouse")
    spouse.last_login_at = None
    db.session.commit()
    staff = admin.get("/admin/users").get_data(as_text=True)
    assert "Aino Adviser" in staff and "Maria Spouse" not in staff
    assert "Last login" in staff and "E-mail confirmed" in staff
    assert 'aria-current="page" href="/admin/users?people=staff"' in staff
    participants = admin.get("/admin/users?people=participants").get_data(as_text=True)
    assert "Maria Spouse" in participants and "Aino Adviser" not in participants
    assert "never" in participants  # Maria has not logged in
    # Ada logged in to see this: her last login shows.
    assert "never" not in staff.split("Ada Admin")[1].split("</tr>")[0]
    # Anything else is the staff list, never an error.
    assert admin.get("/admin/users?people=%00").status_code == 200


def test_a_colleague_who_has_not_come_in_can_be_sent_a_new_invitation(app):
    admin = _admin(app)
    admin.post("/admin/users/new", data=NEW)
    user = db.session.scalar(select(User).where(User.email == "nina@example.org"))
    page = admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "has not logged in yet" in page
    response = admin.post(f"/admin/users/{user.id}/invite", follow_redirects=True)
    assert "A new invitation is on its way to Nina New." in response.get_data(as_text=True)
    first, second = f.outbox("invitation")
    # Either link works until one is used; then both are spent.
    link = f.link_from(second, "/invitation/")
    assert app.test_client().post(link, data={"password": STRONG, "confirm": STRONG}).status_code == 302
    assert app.test_client().get(f.link_from(first, "/invitation/")).status_code == 400
    # Once in, no more invitations: the button is gone and a post is refused.
    assert f.login(app.test_client(), user, STRONG).status_code == 302
    assert "Send a new invitation" not in admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    refused = admin.post(f"/admin/users/{user.id}/invite", follow_redirects=True).get_data(as_text=True)
    assert "No new invitation" in refused and len(f.outbox("invitation")) == 2


def test_new_invitations_are_capped_per_hour(app):
    admin = _admin(app)
    admin.post("/admin/users/new", data=NEW)
    user = db.session.scalar(select(User).where(User.email == "nina@example.org"))
    for _ in range(10):
        admin.post(f"/admin/users/{user.id}/invite")
    assert len(f.outbox("invitation")) == app.config["MAIL_PER_ACCOUNT_PER_HOUR"]
