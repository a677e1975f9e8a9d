"""The demo has small organisations, whose HR sees suppression at work."""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.auth.models import User
from hiddengems.demo.generator import DEMO_DOMAIN, DEMO_PASSWORD, generate
from hiddengems.extensions import db
from tests import factories as f
from tests.reports.people import counts_on_page


def test_a_small_organisations_hr_sees_no_count_from_1_to_4(app, client):
    generate(150, seed=4)
    db.session.commit()
    hr = db.session.scalar(select(User).where(User.email == f"hr.small@{DEMO_DOMAIN}"))
    f.login(client, hr, DEMO_PASSWORD)
    page = client.get("/hr").get_data(as_text=True)
    cells = counts_on_page(page)
    assert "Tampere Institute for Advanced Study" in page
    assert "&lt;5" in cells or "–" in cells
    assert not [c for c in cells if c in ("1", "2", "3", "4")]
    big = db.session.scalar(select(User).where(User.email == f"hr@{DEMO_DOMAIN}"))
    other = app.test_client()
    f.login(other, big, DEMO_PASSWORD)
    page = other.get("/hr").get_data(as_text=True)
    assert "Programme figures for Tampere University" in page
    cells = counts_on_page(page)
    assert cells and not [c for c in cells if c in ("1", "2", "3", "4")]
