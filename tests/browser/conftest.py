"""Browser fixtures: the app on a real port, driven by Debian's Chromium through Playwright.

`playwright install` is never needed: the tests use the system Chromium at
/usr/bin/chromium (`apt-get install chromium`; `.ci/run` installs it). Without it
the browser tests skip, except under CI=true, where a missing browser is an error
so that CI can never go green by skipping them.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests import factories

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class LiveServer:
    app: Flask
    url: str

    @contextmanager
    def context(self) -> Iterator[None]:
        """An app context for the test's own database work (factories, reading the outbox)."""
        with self.app.app_context():
            yield


@pytest.fixture
def live_server(make_app) -> Iterator[LiveServer]:
    """The app on this test's database, served on 127.0.0.1 at a free port, with CSRF on."""
    app = make_app(WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    # Links in e-mails are built on PUBLIC_URL: point it at this server.
    app.config["PUBLIC_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, url)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM}: apt-get install chromium (the .ci/run script does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the browser tests. {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request):
    """A fresh browser context (no cookies) per test; a screenshot in test-artifacts/ if it fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def new_page(browser, request) -> Iterator[Callable]:
    """More people at once: each call opens a fresh browser context (its own cookies);
    a screenshot of each in test-artifacts/ if the test fails."""
    pages = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
        context.set_default_timeout(10_000)
        pages.append(context.new_page())
        return pages[-1]

    yield make
    report = getattr(request.node, "report_call", None)
    for n, page in enumerate(pages, start=1):
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}.png"), full_page=True)
        page.context.close()


def log_in(page, live_server, email: str) -> None:
    """Log in through the form, with the factories' password."""
    from playwright.sync_api import expect

    page.goto(live_server.url + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
