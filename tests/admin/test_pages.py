"""An admin manages staff accounts and host organisations."""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.admin import services
from hiddengems.auth.models import User
from hiddengems.extensions import db
from tests import factories as f

STRONG = "granite orchard violin"


def admin_client(app):
    client = app.test_client()
    f.login(client, f.user("admin"))
    return client


def test_admin_creates_each_staff_role(app):
    client = admin_client(app)
    org = f.org("VTT")
    for role in ("adviser", "lead", "hr", "admin"):
        response = client.post(
            "/admin/users/new",
            data={
                "name": f"New {role}",
                "email": f"new-{role}@example.org",
                "role": role,
                "organisation_id": org.id if role == "hr" else 0,
                "password": STRONG,
            },
        )
        assert response.status_code == 302, role
        user = db.session.scalar(select(User).where(User.email == f"new-{role}@example.org"))
        assert user.role_label == role
        assert (user.organisation_id == org.id) == (role == "hr")
        # No password was typed by the admin: the new colleague chooses it from the invitation.
        (invitation,) = f.outbox("invitation")[-1:]
        assert invitation.to_address == user.email
        new = app.test_client()
        link = f.link_from(invitation, "/invitation/")
        assert new.post(link, data={"password": STRONG, "confirm": STRONG}).status_code == 302
        assert f.login(app.test_client(), user, STRONG).status_code == 302


def test_hr_needs_an_organisation_and_input_is_kept(app):
    client = admin_client(app)
    page = client.post(
        "/admin/users/new",
        data={"name": "Helga HR", "email": "helga@example.org", "role": "hr", "organisation_id": 0, "password": STRONG},
    ).get_data(as_text=True)
    assert "HR users belong to one organisation" in page
    assert 'value="Helga HR"' in page and 'value="helga@example.org"' in page


def test_duplicate_staff_email_is_refused(app):
    existing = f.user("adviser")
    page = (
        admin_client(app)
        .post(
            "/admin/users/new",
            data={
                "name": "Dup",
                "email": existing.email.upper(),
                "role": "adviser",
                "organisation_id": 0,
                "password": STRONG,
            },
        )
        .get_data(as_text=True)
    )
    assert "already exists" in page


def test_admin_deactivates_and_the_user_is_out(app):
    adviser = f.user("adviser")
    adviser_client = app.test_client()
    f.login(adviser_client, adviser)
    assert adviser_client.get("/desk").status_code == 200
    client = admin_client(app)
    response = client.post(
        f"/admin/users/{adviser.id}",
        data={"name": adviser.name, "role": "adviser", "organisation_id": 0},  # checkbox off: inactive
    )
    assert response.status_code == 302
    db.session.refresh(adviser)
    assert adviser.active is False
    assert adviser_client.get("/desk").status_code == 302
    assert f.login(app.test_client(), adviser).status_code == 200  # refused, same neutral message


def test_admin_makes_an_adviser_lead(app):
    adviser = f.user("adviser")
    admin_client(app).post(
        f"/admin/users/{adviser.id}", data={"name": adviser.name, "role": "lead", "organisation_id": 0, "active": "y"}
    )
    db.session.refresh(adviser)
    assert adviser.is_lead and adviser.role == "adviser"


def test_admin_cannot_deactivate_themselves(app):
    client = app.test_client()
    admin = f.user("admin")
    f.login(client, admin)
    page = client.post(f"/admin/users/{admin.id}", data={"name": admin.name, "role": "admin", "organisation_id": 0})
    assert "cannot deactivate your own account" in page.get_data(as_text=True)


def test_spouse_form_offers_only_activation(app):
    spouse = f.user("spouse")
    client = admin_client(app)
    page = client.get(f"/admin/users/{spouse.id}").get_data(as_text=True)
    assert 'name="role"' not in page and 'name="active"' in page
    # A forged role field is ignored: no mass assignment.
    client.post(f"/admin/users/{spouse.id}", data={"active": "y", "role": "admin"})
    db.session.refresh(spouse)
    assert spouse.role == "spouse"


def test_user_search_and_paging(app):
    for n in range(30):
        f.user("adviser", name=f"Searchable {n:02d}")
    client = admin_client(app)
    response = client.post("/admin/users", data={"q": "searchable", "role": "adviser"})
    # The searched text stays out of the URL (it would name a person); other filters stay in.
    assert response.status_code == 302 and response.location == "/admin/users?role=adviser"
    page = client.get(response.location).get_data(as_text=True)
    assert "Searchable 00" in page and "Page 1 of 2" in page
    assert 'value="searchable"' in page
    second = client.get("/admin/users?role=adviser&page=2").get_data(as_text=True)
    assert "Searchable 29" in second
    client.post("/admin/users", data={"q": "nobody-has-this"})
    assert "No users match." in client.get("/admin/users").get_data(as_text=True)
    # An empty search clears it.
    client.post("/admin/users", data={"q": ""})
    assert "No users match." not in client.get("/admin/users").get_data(as_text=True)


def test_audit_log_page_filters(app):
    client = admin_client(app)
    f.login(app.test_client(), f.user("spouse"), "wrong password!")
    page = client.get("/admin/audit?action=auth.login_failed").get_data(as_text=True)
    assert "auth.login_failed" in page and "admin.user_created" not in page


def test_first_admin_from_the_command_line(app, runner):
    result = runner.invoke(
        args=["users", "create", "--role", "admin", "--email", "root@example.org", "--password", STRONG]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "root@example.org"))
    assert user.role == "admin" and user.email_verified_at is not None
    weak = runner.invoke(args=["users", "create", "--role", "admin", "--email", "b@example.org", "--password", "short"])
    assert weak.exit_code != 0 and "at least 12" in weak.output
    hr = runner.invoke(args=["users", "create", "--role", "hr", "--email", "h@example.org", "--password", STRONG])
    assert hr.exit_code != 0 and "--organisation" in hr.output


def test_hr_without_an_organisation_is_refused_however_it_is_posted(app):
    """An empty or missing organisation once passed the form (its Optional() validator)
    and gave HR every organisation's figures."""
    client = admin_client(app)
    for organisation in ({"organisation_id": ""}, {"organisation_id": "0"}, {}):
        data = {"name": "Helga HR", "email": "helga@example.org", "role": "hr", "password": STRONG, **organisation}
        response = client.post("/admin/users/new", data=data)
        assert response.status_code == 200, organisation
    assert db.session.scalar(select(User).where(User.email == "helga@example.org")) is None
    adviser = f.user("adviser")
    page = client.post(
        f"/admin/users/{adviser.id}", data={"name": adviser.name, "role": "hr", "organisation_id": "", "active": "y"}
    ).get_data(as_text=True)
    assert "HR users belong to one organisation" in page or "Not a valid choice" in page
    db.session.refresh(adviser)
    assert adviser.role == "adviser"


def test_the_last_active_admin_cannot_demote_or_deactivate_themselves(app):
    client = app.test_client()
    admin = f.user("admin")
    f.login(client, admin)
    page = client.post(
        f"/admin/users/{admin.id}", data={"name": admin.name, "role": "adviser", "organisation_id": 0, "active": "y"}
    ).get_data(as_text=True)
    assert "This is the last active administrator" in page
    db.session.refresh(admin)
    assert admin.role == "admin"
    # With a second admin, stepping down is fine.
    f.user("admin")
    response = client.post(
        f"/admin/users/{admin.id}", data={"name": admin.name, "role": "adviser", "organisation_id": 0, "active": "y"}
    )
    assert response.status_code == 302
    db.session.refresh(admin)
    assert admin.role == "adviser"


def test_an_adviser_given_another_role_leaves_their_cases_for_reassignment(app):
    from hiddengems.cases.services import cases_needing_reassignment

    admin = f.user("admin")
    adviser = f.user("adviser", name="Former Adviser")
    spouse = f.user("spouse")
    f.assign(spouse, adviser, "skills")
    f.assign(f.user("spouse"), adviser, "closed")
    assert cases_needing_reassignment() == 0
    services.update_user(admin, adviser, name=adviser.name, role="admin", organisation_id=None, active=True)
    db.session.commit()
    assert cases_needing_reassignment() == 1  # the open one
    spouse_client = app.test_client()
    f.login(spouse_client, spouse)
    home = spouse_client.get("/home").get_data(as_text=True)
    assert "Former Adviser" not in home
    assert "Your adviser is changing" in home
    lead = app.test_client()
    f.login(lead, f.user("adviser", lead=True))
    listed = lead.get("/cases/all?needs_reassignment=y").get_data(as_text=True)
    assert spouse.name in listed and "Needs reassignment" in listed
