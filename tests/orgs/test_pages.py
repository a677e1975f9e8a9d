"""An admin manages the host organisations."""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation
from tests import factories as f


def admin_client(app):
    client = app.test_client()
    f.login(client, f.user("admin"))
    return client


def test_organisations_are_managed(app):
    client = admin_client(app)
    assert client.post("/admin/organisations/new", data={"name": "Aalto University", "active": "y"}).status_code == 302
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Aalto University"))
    page = client.post("/admin/organisations/new", data={"name": "aalto university", "active": "y"}).get_data(
        as_text=True
    )
    assert "already exists" in page
    client.post(f"/admin/organisations/{org.id}", data={"name": "Aalto University"})  # deactivate
    db.session.refresh(org)
    assert not org.active
    anonymous = app.test_client().get("/register").get_data(as_text=True)
    assert "Aalto University" not in anonymous
    assert "Aalto University" in client.get("/admin/organisations").get_data(as_text=True)
