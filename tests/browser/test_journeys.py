"""Journeys through a real browser: what a person does, with CSRF on, as in production."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.browser

NAME = "Daniela Costa"
EMAIL = "daniela.costa@example.org"
PASSWORD = "lighthouse pebble orchard"


def verification_link(live_server, email: str) -> str:
    with live_server.context():
        message = db.session.scalar(
            db.select(OutboxMessage)
            .where(OutboxMessage.kind == "verify_email", OutboxMessage.to_address == email)
            .order_by(OutboxMessage.id.desc())
        )
        assert message is not None, "no verification e-mail in the outbox"
        body = message.text_to_send()
    match = re.search(re.escape(live_server.url) + r"/verify/\S+", body)
    assert match, "the verification e-mail carries no link built on PUBLIC_URL"
    return match.group(0)


def test_register_verify_login_lands_on_home(live_server, page: Page):
    with live_server.context():
        factories.org("Tampere University")

    page.goto(live_server.url + "/")
    page.get_by_role("main").get_by_role("link", name="Register").click()
    expect(page).to_have_url(live_server.url + "/register")

    page.get_by_label("Full name").fill(NAME)
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("Your partner's host organisation").select_option(label="Tampere University")
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    page.goto(verification_link(live_server, EMAIL))
    expect(page).to_have_url(live_server.url + "/login")
    expect(page.get_by_text("your e-mail address is confirmed")).to_be_visible()

    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(live_server.url + "/home")
    expect(page.get_by_role("heading", name=f"Welcome, {NAME}")).to_be_visible()
    current = page.get_by_role("list", name="Programme steps").locator("[aria-current=step]")
    expect(current).to_have_text("Registered")
    page.get_by_role("link", name="Fill in your intake form").click()
    expect(page).to_have_url(live_server.url + "/intake/step/contact")


def test_bad_field_shows_message_beside_it_and_keeps_input(live_server, page: Page):
    with live_server.context():
        factories.org("Tampere University")

    page.goto(live_server.url + "/register")
    page.get_by_label("Full name").fill(NAME)
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill("too short")
    page.get_by_label("Repeat the password").fill("too short")
    page.get_by_label("Your partner's host organisation").select_option(label="Tampere University")
    page.get_by_label("Preferred language").select_option("fi")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(live_server.url + "/register")
    password = page.get_by_label("Password", exact=True)
    expect(password).to_have_class(re.compile(r"\bis-invalid\b"))
    # Beside the field: in the same form group as the input, and shown.
    message = page.locator(".mb-3", has=page.locator("#password")).locator(".invalid-feedback")
    expect(message).to_be_visible()
    expect(message).to_contain_text("Use at least 12 characters")
    # Only the bad field is marked.
    expect(page.locator(".is-invalid")).to_have_count(1)

    expect(page.get_by_label("Full name")).to_have_value(NAME)
    expect(page.get_by_label("E-mail")).to_have_value(EMAIL)
    expect(page.get_by_label("Your partner's host organisation")).to_have_value(re.compile(r"^[1-9]\d*$"))
    expect(page.get_by_label("Preferred language")).to_have_value("fi")
    expect(page.get_by_label("I have read the privacy notice")).to_be_checked()
    with live_server.context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 0


def test_login_form_works_by_keyboard(live_server, page: Page):
    with live_server.context():
        spouse = factories.user("spouse", name="Mei Tanaka")
        email = spouse.email

    page.goto(live_server.url + "/login")
    # The first Tab reaches the skip link, as it should on every page.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()

    email_field = page.get_by_label("E-mail")
    for _ in range(15):
        if email_field.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(email_field).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(live_server.url + "/home")
    expect(page.get_by_role("heading", name="Welcome, Mei Tanaka")).to_be_visible()
