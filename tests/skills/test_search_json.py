"""The picker's JSON search, and the script that uses it (without it, the GET form)."""

from __future__ import annotations

import pytest

from tests.skills.pages import mapped_world, occupation_id, skill_id


@pytest.fixture
def spouse_client(app, client, f):
    w = mapped_world(f)
    f.login(client, w.spouse)
    client.w = w
    return client


def test_skills_and_occupations_by_any_label(spouse_client):
    answer = spouse_client.get("/skills/search.json", query_string={"kind": "skill", "q": "sql"})
    body = answer.get_json()
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert body["hits"][0]["id"] == skill_id("SQL") and body["hits"][0]["label"] == "SQL"
    assert body["problem"] is None
    body = spouse_client.get("/skills/search.json", query_string={"kind": "occupation", "q": "data analyst"}).get_json()
    first = body["hits"][0]
    assert first["id"] == occupation_id("data analyst") and first["isco_code"] and first["uri"].startswith("http")


@pytest.mark.parametrize(
    ("args", "status", "problem"),
    [
        ({"kind": "skill", "q": "x" * 10_000}, 200, "Search with at most 200 characters."),
        ({"kind": "skill", "q": "?!.,;"}, 200, "Search with letters or digits."),
        ({"kind": "skill", "q": ""}, 200, None),
        ({"kind": "skill"}, 200, None),
        ({"kind": "skill", "q": "sql", "offset": "1e309"}, 200, None),
        ({"kind": "skill", "q": "sql", "offset": "-5"}, 200, None),
        ({"kind": "skill", "q": "s\x00q\x1fl"}, 200, None),
        ({"kind": "person", "q": "maria"}, 400, "Search for a skill or an occupation."),
    ],
)
def test_bad_searches_are_answered_never_an_error(spouse_client, args, status, problem):
    answer = spouse_client.get("/skills/search.json", query_string=args)
    assert answer.status_code == status
    assert answer.get_json()["problem"] == problem


def test_the_picker_works_without_javascript_and_loads_its_script(spouse_client):
    w = spouse_client.w
    html = spouse_client.get(f"/cases/{w.case.id}/skills", query_string={"skill_q": "sql"}).get_data(as_text=True)
    # A GET form, then result forms that post with the CSRF token.
    assert f'<form method="get" action="/cases/{w.case.id}/skills#skills" role="search"' in html
    assert f'action="/cases/{w.case.id}/skills/add"' in html and 'name="csrf_token"' in html
    # The script (no inline script: the CSP forbids it) and what it reads from the page.
    assert '<script src="/static/skills-picker.js" defer></script>' in html
    assert 'data-search-url="/skills/search.json?kind=skill"' in html
    assert 'data-search-url="/skills/search.json?kind=occupation"' in html
    assert html.count("<template data-picker-template>") == 3
    script = spouse_client.get("/static/skills-picker.js")
    assert script.status_code == 200
    text = script.get_data(as_text=True)
    assert "data-picker-template" in text and "fetch(" in text and "innerHTML" not in text


def test_the_search_boxes_stop_at_the_length_the_search_reads(spouse_client):
    html = spouse_client.get(f"/cases/{spouse_client.w.case.id}/skills").get_data(as_text=True)
    assert html.count('maxlength="200"') == 3
