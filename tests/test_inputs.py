"""What a prober types: ids past what the database holds, digits of other scripts.

Every answer is a page a person can act on (404, 400, a message beside the field),
never the 500 page."""

from __future__ import annotations

import re

import pytest

from hiddengems.access import allowed_roles
from hiddengems.auth.models import User
from hiddengems.cases.models import Activity
from hiddengems.extensions import db
from hiddengems.intake.services import load_profile
from hiddengems.timeutil import HELSINKI, utcnow
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
    """Someone each id route lets in: an admin, a lead, or a spouse for the spouse's own
    routes (applying to a programme)."""
    lead, admin, spouse = app.test_client(), app.test_client(), app.test_client()
    f.login(lead, f.user("adviser", lead=True))
    f.login(admin, f.user("admin"))
    f.login(spouse, f.user("spouse"))
    return {"lead": lead, "admin": admin, "spouse": spouse}


def _who_may(allowed) -> str:
    if "admin" in allowed:
        return "admin"
    return "lead" if {"adviser", "lead"} & set(allowed) else "spouse"


def test_every_id_in_a_url_is_bounded_to_what_the_database_holds(app, staff):
    rules = list(_int_rules(app))
    assert len(rules) >= 10  # the walk sees the routes with ids
    problems = []
    for rule, ints in rules:
        client = staff[_who_may(allowed_roles(app, rule.endpoint))]
        for value in [*BAD_IDS, LARGEST_ID]:
            url = _url(rule, ints, value)
            for who, each in (("anonymous", app.test_client()), ("staff", client)):
                status = each.open(url, method=_method(rule)).status_code
                # The largest id matches the route (anonymous is sent to log in) and is not found.
                want = (302 if who == "anonymous" else 404) if value == LARGEST_ID else 404
                if status != want:
                    problems.append(f"{_method(rule)} {url[:60]} as {who}: {status}, expected {want}")
    assert not problems, "\n".join(problems)


# --- page numbers and filter ids in query strings ------------------------------------------

NOT_PAGES = ["999999999999999999999", "2147483648", "²", "0", "-1", "abc"]


@pytest.fixture
def lists(app):
    return _lists(app)


def _lists(app):
    """Someone for every list: a lead with cases, one waiting in the queue, an admin."""
    lead = f.user("adviser", lead=True, name="Liisa Lead")
    cases = [f.assign(f.user("spouse", name=f"Spouse {n}"), lead, "skills") for n in range(3)]
    f.assign(f.user("spouse", name="Wang Waiting"), None, "intake")
    f.queued_email(app)
    clients = {"lead": app.test_client(), "admin": app.test_client()}
    f.login(clients["lead"], lead)
    f.login(clients["admin"], f.user("admin"))
    urls = {
        "lead": ["/cases/", "/cases/all", "/cases/queue", f"/cases/{cases[0].id}"],
        "admin": ["/admin/users", "/admin/audit", "/admin/outbox/"],
    }
    return clients, urls, cases


def test_a_page_number_that_is_no_page_number_is_a_400(lists):
    clients, urls, _ = lists
    for who, client in clients.items():
        for url in urls[who]:
            for page in NOT_PAGES:
                response = client.get(f"{url}?page={page}")
                assert response.status_code == 400, (url, page)
                assert "The request could not be understood" in response.text


def test_a_page_past_the_last_shows_the_last_page(make_app):
    app = make_app(PAGE_SIZE=2)
    with app.app_context():
        clients, urls, cases = _lists(app)
        for who, client in clients.items():
            for url in urls[who]:
                response = client.get(f"{url}?page=2147483647")
                assert response.status_code == 200, url
        # Three cases, two a page: page 2 of 2 holds the one the first page has no room for.
        page = clients["lead"].get("/cases/?page=2147483647&sort=name").text
        assert "Page 2 of 2" in page and "Spouse 2" in page and "Spouse 0" not in page
        page = clients["admin"].get("/admin/users?people=participants&page=999").text
        assert "Page 2 of 2" in page and "Wang Waiting" in page
        # The audit log and the outbox page by 50: everything is on page 1.
        assert "auth.login" in clients["admin"].get("/admin/audit?page=999").text
        assert "Subject" in clients["admin"].get("/admin/outbox/?page=999").text


def test_filter_ids_that_are_no_ids_get_a_message_beside_the_filter(lists):
    clients, _, _ = lists
    lead = clients["lead"]
    for value in ["%C2%B2", "999999999999999999999", "2147483648", "x"]:
        for url in ("/cases/", "/cases/all"):
            response = lead.get(f"{url}?organisation_id={value}")
            assert response.status_code == 200, (url, value)
            assert _error_beside(response.text, "organisation_id") == "Choose an organisation from the list."
            assert "Spouse 1" in response.text  # the list shows, without that filter
        response = lead.get(f"/cases/all?adviser={value}")
        assert response.status_code == 200, value
        assert _error_beside(response.text, "adviser") == "Choose an adviser from the list."
    assert "Spouse 1" not in lead.get("/cases/all?adviser=none").text
    assert "Wang Waiting" not in lead.get("/cases/all?adviser=2147483647").text


def _error_beside(html: str, field_id: str) -> str:
    match = re.search(
        rf'id="{re.escape(field_id)}"[^>]*>.*?<div class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', html, re.S
    )
    assert match, f"no error beside {field_id}"
    return " ".join(match.group(1).split())


# --- ids in forms: drop-downs and the organisation being edited ------------------------------

NOT_IDS = ["999999999999999999999", "2147483648", "²"]


def test_id_drop_downs_refuse_what_is_no_id_beside_the_field(app):
    org = f.org("Drop-down University")
    lead, admin, anonymous, spouse = (app.test_client() for _ in range(4))
    lead_user = f.user("adviser", lead=True)
    case = f.assign(f.user("spouse", name="Still Mine"), lead_user, "skills")
    f.login(lead, lead_user)
    f.login(admin, f.user("admin"))
    f.login(spouse, db.session.get(User, case.spouse_id))
    for value in NOT_IDS:
        response = spouse.post("/intake/step/host", data={"version": "0", "organisation_id": value})
        assert response.status_code == 422, value
        assert _error_beside(response.text, "organisation_id") == "Please answer this question."

        response = anonymous.post(
            "/register",
            data={"name": "Typed Name", "email": "typed@example.org", "organisation_id": value, "privacy": "y"},
        )
        assert response.status_code == 200, value
        assert _error_beside(response.text, "organisation_id") == "Please choose the organisation."
        assert 'value="Typed Name"' in response.text

        response = admin.post(
            "/admin/users/new",
            data={"name": "Hr Person", "email": "hr@example.org", "role": "hr", "organisation_id": value},
        )
        assert response.status_code == 200, value
        assert _error_beside(response.text, "organisation_id")

        for data in (
            {"case_id": [value], "adviser_id": str(lead_user.id)},
            {"case_id": [case.id], "adviser_id": value},
        ):
            response = lead.post("/cases/reassign", data=data)
            assert response.status_code == 302, (value, data)
            assert "alert-danger" in lead.get(response.location).text
    assert db.session.get(type(case), case.id).adviser_id == lead_user.id
    assert org.name in anonymous.get("/register").text


def test_the_organisation_edited_comes_from_the_url_not_from_the_form(app):
    taken = f.org("Taken University")
    admin = app.test_client()
    f.login(admin, f.user("admin"))
    # A hidden id posted with a new organisation is not read: not as a number …
    response = admin.post("/admin/organisations/new", data={"id": "²", "name": "New Institute", "active": "y"})
    assert response.status_code == 302
    # … nor as the organisation whose name may be kept.
    response = admin.post("/admin/organisations/new", data={"id": str(taken.id), "name": "Taken University"})
    assert response.status_code == 200
    assert _error_beside(response.text, "name") == "An organisation with this name already exists."
    # Saving an organisation under its own name is no clash.
    assert admin.post(f"/admin/organisations/{taken.id}", data={"name": "Taken University"}).status_code == 302


# --- dates --------------------------------------------------------------------------------


def test_a_date_and_time_outside_the_calendar_gets_a_message_beside_it(app):
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "skills")
    client = app.test_client()
    f.login(client, adviser)
    # 0001-01-01 00:00 in Helsinki is before the first day Python can hold in UTC.
    for when in ("0001-01-01T00:00", "1899-12-31T23:59", "9999-12-31T23:59"):
        data = {"activity-kind": "meeting", "activity-occurred_at": when, "activity-text": "Typed note"}
        response = client.post(f"/cases/{case.id}/activities", data=data)
        assert response.status_code == 200, when
        assert _error_beside(response.text, "activity-occurred_at") == "Give a date between 1900 and 2100.", when
        assert "Typed note" in response.text
    assert "Typed note" not in client.get(f"/cases/{case.id}").text


# --- control characters ---------------------------------------------------------------------

# NUL made PostgreSQL refuse every statement (a 500 before login even checked the password);
# SQLite stored it and the pages wrote it out raw. Tab, newline and carriage return are text.
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f"


def _local_now() -> str:
    return utcnow().astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


def _stored_text(*values) -> None:
    for value in values:
        assert value is not None
        assert not any(c in value for c in CONTROLS), repr(value)


def test_control_characters_are_dropped_from_everything_typed_and_the_rest_is_kept(app):
    org = f.org("Control University")
    anonymous = app.test_client()
    password = "maple river lantern 42"
    response = anonymous.post(
        "/register",
        data={
            "name": "Ma\x00ria\x07 Example",
            "email": "ma\x00ria@exam\x1bple.org",
            "password": password,
            "confirm": password,
            "organisation_id": str(org.id),
            "privacy": "y",
        },
    )
    assert response.status_code == 302
    spouse = db.session.scalar(db.select(User).where(User.name == "Maria Example"))
    assert spouse.email == "maria@example.org"

    # Login reads the form before the password is checked: a NUL there failed on PostgreSQL.
    assert anonymous.post("/login", data={"email": "nobody\x00@example.org", "password": "x\x00"}).status_code == 200
    spouse.email_verified_at = spouse.created_at
    adviser = f.user("adviser")
    case = f.assign(spouse, adviser, "skills")
    spouse_client = app.test_client()
    assert (
        spouse_client.post("/login", data={"email": "maria@example.org\x00", "password": password}).status_code == 302
    )

    goals = "Data\x00 work\x7f in research.\r\nAnd\tteaching."
    response = spouse_client.post("/intake/step/goals", data={"version": "0", "career_goals": goals})
    assert response.status_code == 302
    assert load_profile(case.id).career_goals == "Data work in research.\r\nAnd\tteaching."

    client = app.test_client()
    f.login(client, adviser)
    note = "First line\nsecond\x00 line\twith a tab\x1b[31m"
    response = client.post(
        f"/cases/{case.id}/activities",
        data={"activity-kind": "note", "activity-occurred_at": _local_now(), "activity-text": note},
    )
    assert response.status_code == 302
    stored = db.session.scalar(db.select(Activity.text).where(Activity.case_id == case.id))
    assert stored == "First line\nsecond line\twith a tab[31m"

    # The caseload's posted search, and the filters it carries into the URL.
    response = client.post("/cases/", data={"q": "Ma\x00ria", "stage": "skills\x00"})
    assert response.status_code == 302 and "%00" not in response.location
    page = client.get(response.location).text
    assert "Maria Example" in page and 'value="Maria"' in page and "\x00" not in page

    admin = app.test_client()
    f.login(admin, f.user("admin"))
    response = admin.get("/admin/audit?action=%00auth.register")
    assert response.status_code == 200 and "auth.register" in response.text
    _stored_text(spouse.name, spouse.email, stored, load_profile(case.id).career_goals)


def test_a_posted_search_carries_only_filters_into_the_url(app):
    client = app.test_client()
    f.login(client, f.user("adviser"))
    # url_for reads names with a leading underscore itself: a scheme, a host, an anchor.
    data = {"q": "", "stage": "skills", "_external": "1", "_scheme": "javascript", "_anchor": "x", "_method": "x"}
    response = client.post("/cases/", data=data)
    assert response.status_code == 302
    assert response.location == "/cases/?stage=skills"
