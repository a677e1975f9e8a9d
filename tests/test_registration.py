"""Registration must not tell whether an address has an account: not by its answer,
not by its timing, not when many arrive at once."""

from __future__ import annotations

from sqlalchemy import func, select

from hiddengems.auth import services
from hiddengems.auth.models import User
from hiddengems.extensions import db
from tests import factories as f

PASSWORD = "maple river lantern 42"


def registration(org, email: str) -> dict:
    return {
        "name": "Maria Example",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "organisation_id": str(org.id),
        "preferred_language": "en",
        "privacy": "y",
    }


def test_a_taken_address_costs_the_same_password_hash_as_a_new_one(app, client, monkeypatch):
    # The hash is what makes a registration slow (about 100 ms with production settings):
    # an address with an account must cost one too, or the answer's timing gives it away.
    hashed: list[str] = []
    real_hash = services.hash_password
    monkeypatch.setattr(services, "hash_password", lambda password: hashed.append(password) or real_hash(password))
    org = f.org()
    f.user("adviser", email="taken@example.org")

    for email in ("new@example.org", "taken@example.org", "new@example.org"):
        hashed.clear()
        response = client.post("/register", data=registration(org, email))
        assert response.headers["Location"].endswith("/register/sent"), email
        assert hashed == [PASSWORD], email
    # Past the cap of "someone tried to register" e-mails the answer is the same, and so is the cost.
    for _ in range(app.config["MAIL_PER_ACCOUNT_PER_HOUR"] + 1):
        hashed.clear()
        client.post("/register", data=registration(org, "taken@example.org"))
        assert hashed == [PASSWORD]
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "new@example.org")) == 1
