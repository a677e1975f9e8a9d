"""The follow-up of the rule "Six-month result after closing" asks for the spouse's
situation six months after the close; marking it done records that on the close's outcome
(for the funder's figures) and says it on the case's timeline."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hiddengems.audit.models import AuditEvent
from hiddengems.cases import services as cases
from hiddengems.cases.models import Activity, CaseOutcome
from hiddengems.extensions import db
from hiddengems.reminders.models import FollowUp, ReminderFiring
from hiddengems.timeutil import helsinki_today
from tests.at_once import at_once
from tests.reminders.rulekit import rule

QUESTION = "situation six months after the close"


def closed(case, adviser, outcome="employed_part_time"):
    job = (
        {"employer": "Nokia", "occupation": "Analyst", "start_date": helsinki_today()} if "employed" in outcome else {}
    )
    cases.close_case(case, actor=adviser, outcome=outcome, reason=None, version=case.version, **job)
    db.session.commit()
    return case


def six_month_follow_up(case, adviser) -> FollowUp:
    check = rule("closed_check", days=183)
    firing = ReminderFiring(
        rule_id=check.id, case_id=case.id, occasion=helsinki_today(), due_on=helsinki_today() + timedelta(days=1)
    )
    db.session.add(firing)
    db.session.flush()
    made = FollowUp(
        case_id=case.id,
        assignee_id=adviser.id,
        due_on=firing.due_on,
        title="Six months since the close: record the spouse's situation",
        firing_id=firing.id,
    )
    db.session.add(made)
    db.session.commit()
    return made


def url(fu: FollowUp, action: str = "") -> str:
    return f"/cases/{fu.case_id}/follow-ups/{fu.id}" + (f"/{action}" if action else "")


def outcomes(case_id: int) -> list[tuple[str, str | None]]:
    db.session.expire_all()
    stmt = select(CaseOutcome.outcome, CaseOutcome.six_month_result).where(CaseOutcome.case_id == case_id)
    return [tuple(row) for row in db.session.execute(stmt.order_by(CaseOutcome.id))]


def test_the_adviser_records_the_result_and_the_timeline_says_it(app, f, client, desk):
    case = closed(desk.case, desk.adviser)
    fu = six_month_follow_up(case, desk.adviser)
    f.login(client, desk.adviser)
    page = client.get(url(fu)).get_data(as_text=True)
    assert QUESTION in page and "In education or training" in page
    answer = client.post(
        url(fu, "done"), data={"done-six_month_result": "education_training", "done-back": "follow_up"}
    )
    assert answer.status_code == 302
    assert outcomes(case.id) == [("employed_part_time", "education_training")]
    note = db.session.scalar(select(Activity.text).where(Activity.case_id == case.id).order_by(Activity.id.desc()))
    assert "Six months after the close: In education or training" in note
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == case.id)).all()
    assert "case.six_month_result" in actions
    timeline = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Six months after the close: In education or training" in timeline


def test_an_ordinary_follow_up_neither_asks_nor_records_it(app, f, client, desk):
    case = closed(desk.case, desk.adviser)
    fu = f.follow_up(case, desk.adviser, title="Send the course link")
    f.login(client, desk.adviser)
    assert QUESTION not in client.get(url(fu)).get_data(as_text=True)
    client.post(url(fu, "done"), data={"done-six_month_result": "employed", "done-back": "follow_up"})
    assert outcomes(case.id) == [("employed_part_time", None)]
    assert db.session.get(FollowUp, fu.id).done_at is not None


def test_a_value_not_on_the_list_is_refused_beside_the_field_and_the_note_is_kept(app, f, client, desk):
    case = closed(desk.case, desk.adviser)
    fu = six_month_follow_up(case, desk.adviser)
    f.login(client, desk.adviser)
    for bad in ("hired\x00", "employed" * 10, "١"):
        answer = client.post(
            url(fu, "done"), data={"done-six_month_result": bad, "done-note": "Met at the library", "done-back": "x"}
        )
        assert answer.status_code in (200, 400)
        if answer.status_code == 200:
            page = answer.get_data(as_text=True)
            assert "Not a valid choice" in page and "Met at the library" in page
    assert outcomes(case.id) == [("employed_part_time", None)]
    assert db.session.get(FollowUp, fu.id).done_at is None


def test_it_goes_on_the_last_close_of_a_case_closed_twice(app, f, client, desk):
    case = closed(desk.case, desk.adviser, outcome="studying")
    cases.reopen_case(case, actor=desk.adviser, to_stage="skills", reason="Came back", version=case.version)
    db.session.commit()
    closed(case, desk.adviser, outcome="employed_full_time")
    fu = six_month_follow_up(case, desk.adviser)
    f.login(client, desk.adviser)
    client.post(url(fu, "done"), data={"done-six_month_result": "employed", "done-back": "follow_up"})
    assert outcomes(case.id) == [("studying", None), ("employed_full_time", "employed")]


def test_twenty_clicks_at_once_record_it_once(app, f, desk):
    case = closed(desk.case, desk.adviser)
    fu = six_month_follow_up(case, desk.adviser)
    clients = []
    for _ in range(20):
        client = app.test_client()
        assert f.login(client, desk.adviser).status_code == 302
        clients.append(client)
    # Read before the commit: reading after it would begin a transaction that holds SQLite's lock.
    done, data = url(fu, "done"), {"done-six_month_result": "job_searching", "done-back": "follow_up"}
    db.session.commit()
    answers = at_once(20, lambda i: str(clients[i].post(done, data=data).status_code))
    assert sorted(set(answers)) == ["302"]
    assert outcomes(case.id) == [("employed_part_time", "job_searching")]
    recorded = select(AuditEvent).where(AuditEvent.action == "case.six_month_result", AuditEvent.object_id == case.id)
    assert len(db.session.scalars(recorded).all()) == 1
