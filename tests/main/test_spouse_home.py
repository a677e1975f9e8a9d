"""The spouse's home says how to reach their adviser and the programme, also once the case is
closed; every form's failed submit starts with an error summary linked to its fields."""

from __future__ import annotations

from hiddengems.cases import services as cases
from hiddengems.extensions import db


def _home(app, f, spouse) -> str:
    client = app.test_client()
    f.login(client, spouse)
    return client.get("/home").get_data(as_text=True)


def test_the_home_page_names_the_advisers_e_mail_and_the_programmes_contacts(app, f, desk):
    app.config.update(PROGRAMME_CONTACT_EMAIL="careers@uni.example", PROGRAMME_CONTACT_PHONE="+358 40 123 4567")
    html = _home(app, f, desk.spouse)
    assert "How to reach us" in html
    assert f'href="mailto:{desk.adviser.email}"' in html
    assert 'href="mailto:careers@uni.example"' in html and 'href="tel:+358401234567"' in html

    cases.close_case(desk.case, actor=desk.adviser, outcome="studying", reason=None, version=desk.case.version)
    db.session.commit()
    closed = _home(app, f, desk.spouse)
    assert f'href="mailto:{desk.adviser.email}"' in closed and 'href="mailto:careers@uni.example"' in closed
    assert "Your case is closed, but you can still write to us" in closed


def test_without_a_phone_number_none_is_shown(app, f, desk):
    app.config.update(PROGRAMME_CONTACT_PHONE="")
    assert "tel:" not in _home(app, f, desk.spouse)


def test_a_failed_submit_starts_with_an_error_summary_linked_to_the_fields(app, f, desk):
    client = app.test_client()
    f.login(client, desk.spouse)
    html = client.post("/account/password", data={"submit": "Change password"}).get_data(as_text=True)
    start = html.index('id="error-summary"')
    assert html.index("<main") < start < html.index("<form", start)
    summary = html[start : html.index("</div>", start)]
    assert 'role="alert"' in html[start - 200 : start] and "autofocus" in html[start - 200 : start]
    links = [summary.index(f'href="#{field}"') for field in ("current_password", "password", "confirm")]
    assert links == sorted(links), "the summary lists the fields in the order the page shows them"
    # A page without a failed form has none.
    assert 'id="error-summary"' not in client.get("/account/password").get_data(as_text=True)
