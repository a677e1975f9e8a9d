"""What a prober types: ids past what the database holds, digits of other scripts.

Every answer is a page a person can act on (404, 400, a message beside the field),
never the 500 page."""

from __future__ import annotations

import re

import pytest

from tests import factories as f

# Past int64 (SQLite's limit); past int32 (PostgreSQL's integer columns); zero; an
# Arabic-Indic three and a superscript two (str.isdigit() says yes, int() refuses '²');
# more digits than int() converts at all.
BAD_IDS = ["999999999999999999999", "2147483648", "0", "٣", "²", "1" * 5000, "00000000001"]
LARGEST_ID = "2147483647"


def _int_rules(app):
    for rule in app.url_map.iter_rules():
        ints = re.findall(r"<int:(\w+)>", rule.rule)
        if ints:
            yield rule, ints


def _url(rule, ints, value: str) -> str:
    # The one other kind of value in these URLs is an intake step.
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda match: value if match.group(1) in ints else "contact", rule.rule)


def _method(rule) -> str:
    return "GET" if "GET" in rule.methods else "POST"


@pytest.fixture
def staff(app):
    lead, admin = app.test_client(), app.test_client()
    f.login(lead, f.user("adviser", lead=True))
    f.login(admin, f.user("admin"))
    return {"lead": lead, "admin": admin}


def test_every_id_in_a_url_is_bounded_to_what_the_database_holds(app, staff):
    rules = list(_int_rules(app))
    assert len(rules) >= 10  # the walk sees the routes with ids
    problems = []
    for rule, ints in rules:
        client = staff["admin" if rule.endpoint.startswith(("admin.", "mail.")) else "lead"]
        for value in [*BAD_IDS, LARGEST_ID]:
            url = _url(rule, ints, value)
            for who, each in (("anonymous", app.test_client()), ("staff", client)):
                status = each.open(url, method=_method(rule)).status_code
                # The largest id matches the route (anonymous is sent to log in) and is not found.
                want = (302 if who == "anonymous" else 404) if value == LARGEST_ID else 404
                if status != want:
                    problems.append(f"{_method(rule)} {url[:60]} as {who}: {status}, expected {want}")
    assert not problems, "\n".join(problems)
