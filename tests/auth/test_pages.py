"""Accounts and sessions: SECURITY.md's promises, each with its test."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from hiddengems.audit.models import AuditEvent
from hiddengems.auth.models import User
from hiddengems.extensions import db
from tests import factories as f

GOOD_PASSWORD = "maple river lantern 42"


def register(client, org, **overrides):
    data = {
        "name": "Maria Example",
        "email": "maria@example.org",
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
        "organisation_id": org.id,
        "preferred_language": "en",
        "privacy": "y",
        **overrides,
    }
    return client.post("/register", data=data)


def test_register_verify_login_lands_on_spouse_home(app, client):
    org = f.org("Tampere University")
    response = register(client, org)
    assert response.status_code == 302 and response.headers["Location"].endswith("/register/sent")

    user = db.session.scalar(select(User).where(User.email == "maria@example.org"))
    assert user.role == "spouse" and user.email_verified_at is None
    assert user.privacy_notice_version == app.config["PRIVACY_NOTICE_VERSION"]
    assert user.privacy_accepted_at is not None
    assert f.case_of(user).stage == "registered"

    # Not verified yet: the right password is not enough.
    response = f.login(client, user, GOOD_PASSWORD)
    assert response.headers["Location"].endswith("/verify/resend")

    (message,) = f.outbox("verify_email")
    assert message.to_address == "maria@example.org"
    response = client.get(f.link_from(message, "/verify/"))
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email_verified_at is not None

    response = f.login(client, user, GOOD_PASSWORD)
    assert response.headers["Location"].endswith("/home")
    page = client.get("/home").get_data(as_text=True)
    assert "Welcome, Maria Example" in page
    assert "Fill in your intake form" in page


def test_registration_errors_are_shown_beside_fields_and_input_is_kept(client):
    org = f.org()
    response = register(client, org, password="short", confirm="short", email="not-an-email", privacy="")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Use at least 12 characters" in page
    assert "Invalid email address" in page
    assert "Please accept the privacy notice" in page
    assert 'value="Maria Example"' in page
    assert 'value="not-an-email"' in page
    # Screen readers hear the message with the field.
    assert 'aria-describedby="email-error" aria-invalid="true"' in page
    assert '<div class="invalid-feedback d-block" id="email-error">Invalid email address.</div>' in page
    assert db.session.scalar(select(User).where(User.name == "Maria Example")) is None


def test_common_passwords_are_refused(client):
    org = f.org()
    for password in ("password1234", "qwertyuiop123", "123456789012", "aaaaaaaaaaaaaa"):
        page = register(client, org, password=password, confirm=password).get_data(as_text=True)
        assert "most commonly used" in page, password


def test_duplicate_registration_gets_the_same_answer_and_an_email(client):
    org = f.org()
    existing = f.user("spouse", email="taken@example.org", organisation=org)
    first = register(client, org, email="new@example.org")
    second = register(client, org, email="Taken@Example.org")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    (notice,) = f.outbox("already_registered")
    assert notice.to_address == existing.email
    assert db.session.scalar(select(db.func.count()).select_from(User).where(User.email == "taken@example.org")) == 1


def test_passwords_are_hashed_with_argon2id(client):
    org = f.org()
    register(client, org)
    user = db.session.scalar(select(User).where(User.email == "maria@example.org"))
    assert user.password_hash.startswith("$argon2id$")
    assert GOOD_PASSWORD not in user.password_hash


def test_old_hash_parameters_are_upgraded_at_login(app, client):
    from argon2 import PasswordHasher

    user = f.user("adviser")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(f.PASSWORD)
    db.session.commit()
    old = user.password_hash
    assert f.login(client, user).status_code == 302
    db.session.refresh(user)
    assert user.password_hash != old and user.password_hash.startswith("$argon2id$")


def test_failed_logins_are_limited_per_account_across_clients(app):
    user = f.user("spouse")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    first = app.test_client()
    second = app.test_client()
    for attempt in range(limit):
        client = first if attempt % 2 else second
        response = client.post(
            "/login",
            data={"email": user.email, "password": "wrong password!"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{attempt}"},
        )
        assert "not right" in response.get_data(as_text=True)
    # The next attempt, from yet another address and with the RIGHT password, is refused.
    response = app.test_client().post(
        "/login", data={"email": user.email, "password": f.PASSWORD}, environ_base={"REMOTE_ADDR": "10.9.9.9"}
    )
    assert response.status_code == 200
    assert "Too many failed attempts" in response.get_data(as_text=True)


def _later(app):
    from hiddengems.timeutil import utcnow

    return utcnow() + app.config["LOGIN_FAILURE_WINDOW"] + timedelta(minutes=1)


def test_throttle_window_expires(app, client):
    user = f.user("spouse")
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        f.login(client, user, "wrong password!")
    assert "Too many failed attempts" in f.login(client, user).get_data(as_text=True)
    with time_machine.travel(_later(app), tick=False):
        assert f.login(client, user).status_code == 302


def test_failed_logins_are_limited_per_address(app):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    victim = f.user("spouse")
    client = app.test_client()
    for n in range(3):
        client.post("/login", data={"email": f"nobody{n}@example.org", "password": "wrong password!"})
    response = f.login(client, victim)
    assert "Too many failed attempts" in response.get_data(as_text=True)


def test_login_answer_does_not_reveal_whether_the_account_exists(client):
    user = f.user("spouse")
    known = client.post("/login", data={"email": user.email, "password": "wrong password!"}).get_data(as_text=True)
    unknown = client.post("/login", data={"email": "ghost@example.org", "password": "wrong password!"}).get_data(
        as_text=True
    )
    assert "The e-mail or password is not right." in known
    assert "The e-mail or password is not right." in unknown


def test_login_starts_a_fresh_session(app, client):
    user = f.user("spouse")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    f.login(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_is_a_post_and_kills_the_old_cookie(app):
    user = f.user("adviser")
    client = app.test_client()
    f.login(client, user)
    saved = client.get_cookie("session").value
    assert client.get("/desk").status_code == 200
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", saved)
    response = replay.get("/desk")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_remember_me_only_for_spouses(app):
    spouse, adviser = f.user("spouse"), f.user("adviser")
    client = app.test_client()
    response = f.login(client, spouse, remember="y")
    assert any(h.startswith("remember_token=") for h in response.headers.getlist("Set-Cookie"))
    client = app.test_client()
    response = f.login(client, adviser, remember="y")
    assert not any(h.startswith("remember_token=") for h in response.headers.getlist("Set-Cookie"))


def test_cookie_flags(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    with app.app_context():
        spouse = f.user("spouse")
        response = f.login(app.test_client(), spouse, remember="y")
    cookies = {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        flags = cookies[name].lower()
        assert "httponly" in flags and "samesite=lax" in flags and "secure" in flags, cookies[name]


def test_idle_session_expires(app, client):
    user = f.user("adviser")
    f.login(client, user)
    assert client.get("/desk").status_code == 200
    with time_machine.travel(_later_by(app.config["PERMANENT_SESSION_LIFETIME"] + timedelta(minutes=1)), tick=False):
        response = client.get("/desk")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _session_cookie_set(response) -> bool:
    return any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))


def test_the_session_cookie_is_signed_again_at_most_once_a_minute_and_keeps_an_active_user_in(app, client):
    """web.SessionCookie: pages within a minute of the cookie's signing leave it as it is;
    a later page signs it again, which moves the idle timeout on."""
    user = f.user("adviser")
    f.login(client, user)
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    assert not _session_cookie_set(client.get("/desk"))
    with time_machine.travel(_later_by(timedelta(seconds=30)), tick=False):
        assert not _session_cookie_set(client.get("/desk"))
    with time_machine.travel(_later_by(lifetime - timedelta(minutes=2)), tick=False):
        response = client.get("/desk")
        assert response.status_code == 200 and _session_cookie_set(response)
    # Idle since that page for less than the lifetime, more than it since logging in: still in.
    with time_machine.travel(_later_by(2 * lifetime - timedelta(minutes=4)), tick=False):
        assert client.get("/desk").status_code == 200


def _later_by(delta):
    from hiddengems.timeutil import utcnow

    return utcnow() + delta


def test_deactivated_user_is_out_on_next_request(app, client):
    user = f.user("adviser")
    f.login(client, user)
    assert client.get("/desk").status_code == 200
    user.active = False
    db.session.commit()
    response = client.get("/desk")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_password_change_ends_other_sessions_and_sends_email(app):
    user = f.user("spouse")
    phone, laptop = app.test_client(), app.test_client()
    f.login(phone, user)
    f.login(laptop, user)
    response = laptop.post(
        "/account/password",
        data={"current_password": f.PASSWORD, "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert laptop.get("/home").status_code == 200
    assert phone.get("/home").status_code == 302
    assert [m.to_address for m in f.outbox("password_changed")] == [user.email]


def test_password_change_wrong_current_password(client):
    user = f.user("spouse")
    f.login(client, user)
    page = client.post(
        "/account/password",
        data={"current_password": "nope nope nope", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD},
    ).get_data(as_text=True)
    assert "This is not your current password." in page


def test_password_reset_is_single_use(app, client):
    user = f.user("spouse")
    response = client.post("/password/forgot", data={"email": user.email})
    assert "If the address has an account" in response.get_data(as_text=True)
    link = f.link_from(f.outbox("reset_password")[0], "/password/reset/")
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 302
    assert f.login(client, user, GOOD_PASSWORD).status_code == 302
    # Reused link: a clear page with a way forward.
    again = app.test_client().get(link)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert "/password/forgot" in again.get_data(as_text=True)


def test_password_reset_for_unknown_address_looks_the_same(client):
    known = f.user("spouse")
    a = client.post("/password/forgot", data={"email": known.email}).get_data(as_text=True)
    b = client.post("/password/forgot", data={"email": "ghost@example.org"}).get_data(as_text=True)
    assert a == b
    assert len(f.outbox("reset_password")) == 1


def test_expired_reset_link(app, client):
    user = f.user("spouse")
    client.post("/password/forgot", data={"email": user.email})
    link = f.link_from(f.outbox("reset_password")[0], "/password/reset/")
    with time_machine.travel(_later_by(timedelta(seconds=app.config["RESET_TOKEN_MAX_AGE"] + 60)), tick=False):
        response = client.get(link)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_tampered_verification_link(client):
    response = client.get("/verify/garbage.token.here")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_verification_link_used_twice_points_to_login(client):
    org = f.org()
    register(client, org)
    link = f.link_from(f.outbox("verify_email")[0], "/verify/")
    assert client.get(link).status_code == 302
    again = client.get(link)
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)


def test_next_redirect_stays_on_this_host(client):
    user = f.user("adviser")
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post(f"/login?next={evil}", data={"email": user.email, "password": f.PASSWORD})
        assert response.headers["Location"].endswith("/desk"), evil
        client.post("/logout")
    response = client.post("/login?next=/account/password", data={"email": user.email, "password": f.PASSWORD})
    assert response.headers["Location"].endswith("/account/password")


def test_logins_and_failures_are_audited_without_emails(app, client, caplog):
    user = f.user("spouse")
    f.login(client, user, "wrong password!")
    f.login(client, user)
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "auth.login_failed" in actions and "auth.login" in actions
    for event in db.session.scalars(select(AuditEvent)):
        assert user.email not in str(event.detail or "")
    assert user.email not in caplog.text


def test_each_role_lands_on_its_home(app):
    homes = {"spouse": "/home", "adviser": "/desk", "hr": "/hr", "admin": "/admin/"}
    for role, home in homes.items():
        client = app.test_client()
        response = f.login(client, f.user(role))
        assert response.headers["Location"].endswith(home)
        assert client.get(home).status_code == 200


def test_emails_anyone_can_trigger_are_capped_per_account(app, client):
    user = f.user("spouse")
    org = f.org()
    for _ in range(5):
        response = client.post("/password/forgot", data={"email": user.email})
        assert "If the address has an account" in response.get_data(as_text=True)
        assert register(client, org, email=user.email).status_code == 302
    cap = app.config["MAIL_PER_ACCOUNT_PER_HOUR"]
    assert len(f.outbox("reset_password")) == cap
    assert len(f.outbox("already_registered")) == cap
    # An hour later the next one goes out again.
    with time_machine.travel(_later_by(timedelta(hours=1, minutes=1)), tick=False):
        client.post("/password/forgot", data={"email": user.email})
    assert len(f.outbox("reset_password")) == cap + 1
