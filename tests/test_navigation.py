"""The main navigation marks the page one is on (aria-current), page after page and in
each language: its links are a macro imported once (templates/_macros.html nav_item),
which reads each request's own endpoint."""

from __future__ import annotations

import re

import pytest

from tests.factories import login


def _current(html: str) -> list[str]:
    nav = html[html.index("<nav") : html.index("</nav>")]
    return re.findall(r'<a class="nav-link" href="([^"]+)" aria-current="page">([^<]+)</a>', nav)


@pytest.mark.parametrize("languages", [("en",), ("fi", "en", "fi")], ids=["english", "two languages in turn"])
def test_the_navigation_marks_each_page_in_turn(client, desk, languages):
    login(client, desk.adviser)
    for language in languages:  # a template is compiled per language (ui/templating.py)
        headers = {"Accept-Language": language}
        assert _current(client.get("/cases/", headers=headers).text) == [("/cases/", "My caseload")]
        assert _current(client.get("/cases/queue", headers=headers).text) == [("/cases/queue", "Intake queue")]
        assert _current(client.get("/", headers=headers, follow_redirects=True).text) == [("/desk", "Desk")]
        assert _current(client.get(f"/cases/{desk.case.id}", headers=headers).text) == []


def test_a_link_without_values_follows_the_root_the_app_is_served_under(client, desk, app):
    # Templates keep such links per root (ui/templating.py template_url_for), which holds
    # while the app has no URL defaults, subdomains or hosts that a link could depend on.
    assert not any(app.url_default_functions.values())
    assert not app.url_map.host_matching and not app.subdomain_matching
    login(client, desk.adviser)
    for root in ("", "/programme", ""):
        html = client.get("/cases/queue", environ_overrides={"SCRIPT_NAME": root}).text
        assert _current(html) == [(f"{root}/cases/queue", "Intake queue")]
        assert f'href="{root}/cases/"' in html and f'href="{root}/desk"' in html
