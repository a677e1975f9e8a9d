"""The lead's team: the workload per adviser with links to the lists it counts, the
"without contact for 30 days" filter, and reassigning a whole page or every case a
filter matches (with a confirmation that names the count)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from hiddengems.audit.models import AuditEvent
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.timeutil import helsinki_today, utcnow
from tests.at_once import at_once
from tests.cases.test_pages import logged_in


def _age(case: Case, days: int) -> None:
    case.created_at = utcnow() - timedelta(days=days)
    db.session.commit()


def _row(html: str, name: str) -> list[str]:
    """The figures of one adviser's row, as the page shows them."""
    match = re.search(rf"<tr>\s*<th scope=\"row\">{name}.*?</tr>", html, re.S)
    assert match, f"no row for {name}"
    return re.findall(r'<td class="figure-cell">(?:<a [^>]*>)?(\d+)', match.group(0))


def test_team_workload_counts_each_advisers_cases_and_links_the_lists(app, f, desk):
    # Aino: the desk's case (quiet: opened 40 days ago, last called 35 days ago, overdue)
    # and one in intake contacted yesterday; Olli: nothing yet; the queue: the desk's waiting one.
    _age(desk.case, 40)
    f.activity(desk.case, desk.adviser, kind="call", at=utcnow() - timedelta(days=35))
    f.follow_up(desk.case, desk.adviser, due_on=helsinki_today() - timedelta(days=2))
    fresh = f.assign(f.user("spouse", name="Fresh Intake"), desk.adviser, "intake")
    _age(fresh, 40)
    f.activity(fresh, desk.adviser, kind="meeting", at=utcnow() - timedelta(days=1))
    closed = f.assign(f.user("spouse"), desk.adviser, "closed")
    _age(closed, 90)
    lead = logged_in(app, f, desk.lead)

    html = lead.get("/cases/team").get_data(as_text=True)
    # open, in intake, with overdue follow-ups, without contact for 30 days; the closed case not at all
    assert _row(html, "Aino Adviser") == ["2", "1", "1", "1"]
    assert _row(html, "Olli Other") == ["0", "0", "0", "0"]
    assert f'href="/cases/all?adviser={desk.adviser.id}&amp;quiet=y"' in html
    assert 'href="/cases/queue"' in html  # the unassigned in intake: the queue
    assert 'href="/cases/team"' in html  # in the lead's navigation

    # The linked list shows exactly the quiet case.
    listed = lead.get(f"/cases/all?adviser={desk.adviser.id}&quiet=y").get_data(as_text=True)
    assert "Maria Spouse" in listed and "Fresh Intake" not in listed
    # The lead's desk leads there too; an adviser who is not a lead is refused, and their desk does not.
    assert "The team's workload" in lead.get("/desk").get_data(as_text=True)
    adviser = logged_in(app, f, desk.adviser)
    assert adviser.get("/cases/team").status_code == 403
    assert "/cases/team" not in adviser.get("/desk").get_data(as_text=True)


def test_a_deactivated_adviser_with_cases_is_on_the_team_page_to_be_reassigned(app, f, desk):
    gone = f.user("adviser", active=False, name="Gone Adviser")
    f.assign(f.user("spouse"), gone, "training")
    f.user("adviser", active=False, name="Long Gone")  # no cases: not listed
    html = logged_in(app, f, desk.lead).get("/cases/team").get_data(as_text=True)
    assert _row(html, "Gone Adviser")[0] == "1"
    assert "Needs reassignment" in html and "Long Gone" not in html


def test_team_workload_makes_the_same_queries_however_large_the_team(app, f, desk, queries):
    def count() -> int:
        client = logged_in(app, f, desk.lead)
        with queries:
            assert client.get("/cases/team").status_code == 200
        return queries.count

    small = count()
    for i in range(6):
        adviser = f.user("adviser", name=f"Adviser {i}")
        for stage in ("intake", "skills", "closed"):
            case = f.assign(f.user("spouse"), adviser, stage)
            f.follow_up(case, adviser, due_on=helsinki_today() - timedelta(days=1))
    # the user; the advisers with their figures; the unassigned cases' figures
    assert (small, count()) == (3, 3), queries.statements


def test_select_all_on_this_page_works_without_javascript(app, f, desk):
    lead = logged_in(app, f, desk.lead)
    html = lead.get("/cases/all").get_data(as_text=True)
    assert "Select all on this page" in html and " checked" not in html
    html = lead.get("/cases/all?pick=page").get_data(as_text=True)
    assert html.count('name="case_id"') == html.count(" checked>") == 2
    assert "Clear selection" in html


def _confirm_page(lead, adviser_id: int, back: str):
    return lead.post("/cases/reassign/matching", data={"adviser_id": adviser_id, "back": back})


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)


def test_reassign_all_matching_names_the_count_before_anything_changes(app, f, desk):
    gone = f.user("adviser", active=False, name="Gone Adviser")
    cases = [f.assign(f.user("spouse"), gone, "training") for _ in range(30)]  # more than a page
    closed = f.assign(f.user("spouse"), gone, "closed")
    lead = logged_in(app, f, desk.lead)
    back = f"adviser={gone.id}"

    response = _confirm_page(lead, desk.other.id, back)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give all 30 open cases matching the filter to Olli Other?" in html
    assert "Adviser: Gone Adviser" in html  # the filter, in words
    assert {db.session.get(Case, c.id).adviser_id for c in cases} == {gone.id}  # nothing yet

    digest = _hidden(html, "digest")
    response = lead.post(
        "/cases/reassign/matching",
        data={"adviser_id": desk.other.id, "back": back, "digest": digest, "confirm": "y"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/all?adviser={gone.id}")
    db.session.expire_all()
    assert {db.session.get(Case, c.id).adviser_id for c in cases} == {desk.other.id}
    assert db.session.get(Case, closed.id).adviser_id == gone.id  # a closed case stays
    moved = db.session.scalar(select(func.count()).where(AuditEvent.action == "case.reassigned"))
    assert moved == 30
    # Sent again (the back button): nothing matches the filter any more.
    response = lead.post(
        "/cases/reassign/matching",
        data={"adviser_id": desk.other.id, "back": back, "digest": digest, "confirm": "y"},
        follow_redirects=True,
    )
    assert "No open case matches the filter." in response.get_data(as_text=True)


def test_reassign_all_matching_asks_again_when_the_list_changed(app, f, desk):
    gone = f.user("adviser", active=False, name="Gone Adviser")
    f.assign(f.user("spouse"), gone, "training")
    lead = logged_in(app, f, desk.lead)
    digest = _hidden(_confirm_page(lead, desk.other.id, f"adviser={gone.id}").get_data(as_text=True), "digest")
    late = f.assign(f.user("spouse"), gone, "skills")  # arrives between the count and the click
    response = lead.post(
        "/cases/reassign/matching",
        data={"adviser_id": desk.other.id, "back": f"adviser={gone.id}", "digest": digest, "confirm": "y"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed since you asked" in html and "Give all 2 open cases" in html
    assert db.session.get(Case, late.id).adviser_id == gone.id


def test_reassign_all_matching_keeps_the_search_and_refuses_bad_input(app, f, desk):
    f.assign(f.user("spouse", name="Zed Searched"), desk.adviser, "skills")
    lead = logged_in(app, f, desk.lead)
    lead.post("/cases/all", data={"q": "Zed"})  # the search is kept in the session, not the URL
    html = _confirm_page(lead, desk.other.id, "").get_data(as_text=True)
    assert "Give 1 open case matching the filter to Olli Other?" in html
    assert "Name or e-mail contains “Zed”" in html
    # No adviser, a deactivated one, or ids past what the database holds: back to the list with a message.
    gone = f.user("adviser", active=False)
    for adviser_id in ("", gone.id, "99999999999999999999", "²"):
        response = _confirm_page(lead, adviser_id, "organisation_id=99999999999999999999&stage=\x00")
        assert response.status_code == 302 and response.headers["Location"].startswith("/cases/all")


def test_more_ticked_boxes_than_a_lead_could_tick_are_refused(app, f, desk):
    lead = logged_in(app, f, desk.lead)
    response = lead.post(
        "/cases/reassign",
        data={"case_id": list(range(1, 600)), "adviser_id": desk.other.id},
        follow_redirects=True,
    )
    assert "At most 500 cases at once" in response.get_data(as_text=True)
    assert db.session.get(Case, desk.case.id).adviser_id == desk.adviser.id


def test_twenty_identical_confirmations_move_each_case_once(app, f, desk):
    gone = f.user("adviser", active=False, name="Gone Adviser")
    cases = [f.assign(f.user("spouse"), gone, "training") for _ in range(3)]
    lead = logged_in(app, f, desk.lead)
    back = f"adviser={gone.id}"
    digest = _hidden(_confirm_page(lead, desk.other.id, back).get_data(as_text=True), "digest")
    clients = [logged_in(app, f, desk.lead) for _ in range(20)]
    data = {"adviser_id": desk.other.id, "back": back, "digest": digest, "confirm": "y"}
    db.session.commit()

    def confirm(i: int) -> str:
        return str(clients[i].post("/cases/reassign/matching", data=data).status_code)

    answers = at_once(20, confirm)
    assert set(answers) <= {"302", "409"}, answers
    db.session.expire_all()
    assert {db.session.get(Case, c.id).adviser_id for c in cases} == {desk.other.id}
    events = select(func.count()).where(AuditEvent.action == "case.reassigned")
    assert db.session.scalar(events) == 3


def test_the_quiet_filter_keeps_the_same_cases_in_every_sort(app, f, desk):
    from hiddengems.cases import lists

    quiet = []
    for i in range(4):
        case = f.assign(f.user("spouse", name=f"Quiet {i}"), desk.adviser if i % 2 else desk.other, "training")
        _age(case, 60)
        if i == 3:
            f.activity(case, desk.adviser, kind="email", at=utcnow() - timedelta(days=45))
        quiet.append(case.id)
    busy = f.assign(f.user("spouse", name="Busy"), desk.adviser, "training")
    _age(busy, 60)
    f.activity(busy, desk.adviser, kind="call", at=utcnow() - timedelta(days=3))
    f.activity(busy, desk.adviser, kind="note", at=utcnow() - timedelta(days=1))  # a note is no contact
    f.follow_up(busy, desk.adviser, due_on=helsinki_today() - timedelta(days=1))
    _age(desk.case, 60)  # no contact ever
    quiet.append(desk.case.id)
    for sort in lists.sorts():
        for desc in (False, True):
            filters = lists.CaseFilters(quiet=True, sort=sort, desc=desc)
            page = lists.paginate(lists.case_list(filters, with_adviser=True), page=1, per_page=25)
            assert sorted(c.id for c in page.items) == sorted(quiet), (sort, desc)
            assert page.total == len(quiet), (sort, desc)
            mine = lists.paginate(lists.case_list(filters, adviser_id=desk.adviser.id), page=1, per_page=25)
            assert sorted(c.id for c in mine.items) == sorted(quiet[1::2] + [desk.case.id]), (sort, desc)
