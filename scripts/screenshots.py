"""Save the README's screenshots to docs/screenshots/ (1280x800 PNG).

Starts its own app on a temporary SQLite database with the demo data
(the starter taxonomy and `generate(200)`, the same as `make run`), serves it on a free local port and
drives the system Chromium (/usr/bin/chromium) through Playwright:

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only phone-caseload.png ...]

A shot named phone-*.png is taken at a phone's width (390 px).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # config.py lives at the root, beside wsgi.py

from flask_migrate import upgrade  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from hiddengems import create_app  # noqa: E402
from hiddengems.demo.generator import DEMO_DOMAIN, DEMO_PASSWORD, generate  # noqa: E402
from hiddengems.extensions import db  # noqa: E402
from hiddengems.skills.starter import load_starter  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def rule_dry_run(page: Page) -> None:
    """A lead's reminder rule, with its dry run shown."""
    page.get_by_role("link", name="No contact on an active case").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Show the dry run").click()
    page.wait_for_load_state()
    page.locator("#dry-run-title").scroll_into_view_if_needed()


def why_reminders(page: Page) -> None:
    """The caseload's first case, then why its reminder rules fire or not (from its follow-ups)."""
    page.locator("table tbody a").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Why reminders fire on this case").click()
    page.wait_for_load_state()


def make_calendar_address(page: Page) -> None:
    """The adviser's calendar page once they made their secret address (a throwaway demo's)."""
    page.get_by_role("button", name="Make my calendar address").click()
    page.wait_for_load_state()


def pick_a_skill(page: Page) -> None:
    """The spouse's skills profile, typing in the skill picker: the results as they come."""
    page.get_by_role("link", name="Build your skills profile").click()
    page.wait_for_load_state()
    page.get_by_label("Find a skill").press_sequentially("manage", delay=40)
    page.locator("#skill-results li").first.wait_for()
    page.locator("#skill-results").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -260)")


def open_the_menu(page: Page) -> None:
    """The phone's navigation, opened."""
    page.get_by_role("button", name="Menu").click()


def open_the_account_menu(page: Page) -> None:
    """The signed-in person's own links, opened from their name in the header."""
    page.get_by_role("navigation", name="Main").locator(".account-menu summary").click()


def failed_submit(page: Page) -> None:
    """A form sent empty: the error summary at the top, focused, linked to each field."""
    page.get_by_role("button", name="Change password").click()
    page.wait_for_load_state()


def employer_introductions(page: Page) -> None:
    """The first employer of the directory, scrolled to its introductions and contact history."""
    page.locator("table tbody a").first.click()
    page.wait_for_load_state()
    page.locator("#employer-introductions-title").evaluate("title => title.scrollIntoView()")
    page.evaluate("window.scrollBy(0, -20)")


def close_page(page: Page) -> None:
    """The close page of the adviser's first case (by next follow-up): what closing cancels."""
    page.locator("table tbody a").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Close the case…").click()
    page.wait_for_load_state()


def case_file_on_a_phone(page: Page) -> None:
    """The first case of the caseload at 390 px: the header first."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("table tbody a").first.click()
    page.wait_for_load_state()


def reassign_all_matching(page: Page) -> None:
    """The lead's list of one adviser's cases, all given to another: the confirmation naming the count."""
    page.locator("table tbody a").first.click()  # the first adviser's open cases
    page.wait_for_load_state()
    page.get_by_label("Give to adviser").select_option(index=2)
    page.get_by_role("button", name="matching the filter").click()
    page.wait_for_load_state()


def failed_message(page: Page) -> None:
    """A failed e-mail in the outbox, with its button to send it again."""
    page.locator("table tbody a").first.click()
    page.wait_for_load_state()


# (file name, demo login or None for anonymous, path, then a link to follow (a CSS selector)
# or what to do on the page, or None)
SHOTS = [
    ("landing.png", None, "/", None),
    ("spouse-home.png", "spouse", "/home", None),
    ("spouse-profile.png", "spouse", "/intake/", None),
    ("adviser-desk.png", "adviser", "/desk", None),
    ("caseload.png", "adviser", "/cases/", None),
    ("case-file.png", "adviser", "/cases/", "table tbody a"),
    ("admin-overview.png", "admin", "/admin/", None),
    # Skills mapping: the demo spouse's profile, its picker and gap view (from the home's
    # links), and an adviser's mapping session (from the desk's skills to validate).
    ("skills-profile.png", "spouse", "/home", "a:text-is('Build your skills profile')"),
    ("skills-picker.png", "spouse", "/home", pick_a_skill),
    ("skills-gap.png", "spouse", "/home", "a:text-is('See what is missing')"),
    ("skills-session.png", "adviser", "/desk", "#to-validate-title ~ ul a"),
    ("training-catalogue.png", "spouse", "/training/programmes", None),
    ("training-recommendations.png", "spouse", "/training/recommendations", None),
    ("training-programme.png", "spouse", "/training/recommendations", ".recommendation h2 a"),
    ("training-participants.png", "adviser", "/training/programmes/1/participants", None),
    # Reminders: the adviser's Today, the lead's rules and a rule's dry run, why they fire on a
    # case, the calendar.
    ("today.png", "adviser", "/cases/today", None),
    ("reminder-rules.png", "lead", "/cases/reminder-rules", None),
    ("reminder-dry-run.png", "lead", "/cases/reminder-rules", rule_dry_run),
    ("case-reminders.png", "adviser", "/cases/", why_reminders),
    ("calendar.png", "adviser", "/cases/calendar", make_calendar_address),
    # Employers and introductions: an employer's introductions with their outcomes and the
    # contact history; the adviser's page of the demo spouse's introduction (sent, with its
    # history); the spouse's proposal waiting for consent, blind and named profiles side by side.
    ("employer.png", "adviser", "/employers", employer_introductions),
    ("introduction.png", "adviser", "/introductions/2", None),
    ("introduction-proposal.png", "spouse", "/introductions/1/proposal", None),
    # The adviser's day (issue 13): the queue with its triage, the close page listing what
    # it cancels, the registrations whose intake is not sent, the case file on a phone.
    ("intake-queue.png", "adviser", "/cases/queue", None),
    ("close-case.png", "adviser", "/cases/", close_page),
    ("registered.png", "adviser", "/cases/registered", None),
    ("case-file-phone.png", "adviser", "/cases/", case_file_on_a_phone),
    ("account.png", "spouse", "/account", None),
    ("error-summary.png", "spouse", "/account/password", failed_submit),
    ("phone-caseload.png", "adviser", "/cases/", None),
    ("phone-menu.png", "adviser", "/cases/queue", open_the_menu),
    ("phone-intake.png", "spouse", "/intake/step/languages", None),
    # The lead's team and bulk reassignment; the admin's users, audit log, outbox retry,
    # and the new staff form that sends an invitation instead of asking for a password.
    ("team-workload.png", "lead", "/cases/team", None),
    ("account-menu.png", "lead", "/cases/team", open_the_account_menu),
    ("all-cases-select-page.png", "lead", "/cases/all?pick=page", None),
    ("reassign-all-matching.png", "lead", "/cases/team", reassign_all_matching),
    ("admin-users.png", "admin", "/admin/users", None),
    ("admin-new-staff.png", "admin", "/admin/users/new", None),
    ("audit-log.png", "admin", "/admin/audit", None),
    ("outbox-retry.png", "admin", "/admin/outbox/?status=failed", failed_message),
    # HR's figures: a large organisation, a small one whose figures are suppressed, the funder's page.
    ("hr-dashboard.png", "hr", "/hr", None),
    ("hr-dashboard-small.png", "hr.small", "/hr", None),
    ("hr-funder.png", "lead", "/hr/funder", None),
]
PHONE = {"width": 390, "height": 844}


def build_app(database: Path):
    app = create_app(
        "development",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "MAIL_BACKEND": "memory",
            "SCHEDULER_IN_PROCESS": False,
        },
    )
    with app.app_context():
        upgrade(revision="heads")
        load_starter()  # as `make run` does, before the demo data
        generate(200)
        db.session.commit()
    return app


def log_in(page: Page, base: str, local_part: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(f"{local_part}@{DEMO_DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="only these shots (file names), e.g. case-file.png")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"Chromium not found at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp) / "demo.sqlite")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        app.config["PUBLIC_URL"] = base
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                for name, login, path, follow in SHOTS:
                    if args.only and name not in args.only:
                        continue
                    # A fresh context per shot: its own cookies, nobody else's session.
                    viewport = PHONE if name.startswith("phone-") else {"width": 1280, "height": 800}
                    context = browser.new_context(viewport=viewport, locale="en-GB")
                    page = context.new_page()
                    if login:
                        log_in(page, base, login)
                    if page.url != base + path:
                        page.goto(base + path)
                    if callable(follow):
                        follow(page)
                    elif follow:
                        page.locator(follow).first.click()
                        page.wait_for_load_state()
                    target = args.out / name
                    page.screenshot(path=str(target))
                    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
                    context.close()
                browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            with app.app_context():
                db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
