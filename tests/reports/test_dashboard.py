"""The dashboard's choices and formats: HR's own organisation only, admins and leads any or
all; a bad period is a message (page) or a 400 with reasons (JSON); the CSV and the JSON
carry the page's marks and nothing about one person."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from hiddengems.audit.models import AuditEvent
from hiddengems.extensions import db
from hiddengems.introductions.models import Introduction, IntroductionEvent
from hiddengems.training.models import Enrolment
from tests import factories as f
from tests.employers.helpers import employer
from tests.reports.people import at, cohort, counts_on_page, participant
from tests.reports.test_hr_page import figures
from tests.training.helpers import programme

MARCH, APRIL = (2026, 3), (2026, 4)
TABLES = (
    "stages",
    "funnel",
    "flow",
    "outcomes",
    "time",
    "training",
    "introductions",
    "effort",
    "esf_entry",
    "esf_results",
)
PERIOD = "from_month=2026-01&to_month=2026-06"


@pytest.fixture
def world(app):
    mine, other = f.org("Mine"), f.org("Other")
    cohort(mine, 10, at(MARCH), ("intake",))
    cohort(mine, 6, at(APRIL), ("intake", "skills"), outcome="employed_full_time", closed=at(APRIL, 20))
    cohort(mine, 5, at(APRIL), ("intake",), outcome="studying", closed=at(APRIL, 20))
    cohort(other, 8, at(MARCH))
    named = participant(mine, at(MARCH), name="Zebulon Quixotic")
    return {
        "mine": mine,
        "other": other,
        "named": named,
        "hr": f.user("hr", organisation=mine),
        "admin": f.user("admin"),
        "lead": f.user("adviser", lead=True),
    }


def _login(client, world, who):
    f.login(client, world[who])
    return client


@pytest.mark.parametrize("url", ["/hr?", "/hr/stages.csv?", "/hr/api/v1/dashboard?"])
def test_hr_of_another_organisation_is_refused_everywhere(client, world, url):
    _login(client, world, "hr")
    assert client.get(f"{url}{PERIOD}&organisation={world['other'].id}").status_code == 403
    assert client.get(f"{url}{PERIOD}&organisation={world['mine'].id}").status_code == 200
    denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert [e.object_id for e in denied] == [world["other"].id]


@pytest.mark.parametrize("who", ["admin", "lead"])
def test_admins_and_leads_choose_any_organisation_or_all(client, world, who):
    _login(client, world, who)
    everyone = client.get(f"/hr?{PERIOD}").get_data(as_text=True)
    assert "Programme figures for all organisations" in everyone
    assert not [c for c in counts_on_page(everyone) if c in ("1", "2", "3", "4")]
    assert figures(everyone, "stages")[0] == "–"  # 1 of Mine's and 8 of Other's: Other's 8 would give the 1 away
    other = client.get(f"/hr?{PERIOD}&organisation={world['other'].id}").get_data(as_text=True)
    assert "Programme figures for Other" in other
    assert figures(other, "stages")[0] == "8"


BAD = [
    ("from_month=2026-06&to_month=2026-01", "to_month", "The period ends before it starts"),
    ("from_month=1999-12&to_month=2026-01", "from_month", "Figures start in 2000"),
    ("from_month=2026-01&to_month=2999-01", "to_month", "as of the end of yesterday"),
    ("from_month=2026-13&to_month=2026-06", "from_month", "Give a month as YYYY-MM"),
    ("from_month=２０２６-01&to_month=2026-06", "from_month", "Give a month as YYYY-MM"),
    ("from_month=2026-01&to_month=2026-06&grouping=week", "grouping", "Group by month or by quarter"),
]


@pytest.mark.parametrize(("query", "field", "message"), BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)])
def test_a_bad_period_is_a_clear_message_and_a_400(client, world, query, field, message):
    _login(client, world, "hr")
    page = client.get(f"/hr?{query}")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert message in text and "no figures are shown" in text
    typed = dict(pair.split("=") for pair in query.split("&"))[field]
    assert f'value="{typed}"' in text or f'<option selected value="{typed}"' in text or field == "grouping"
    answer = client.get(f"/hr/api/v1/dashboard?{query}")
    assert answer.status_code == 400
    assert message in answer.get_json()["reasons"][field]
    assert client.get(f"/hr/flow.csv?{query}").status_code == 400


def test_an_unknown_organisation_is_a_message_for_an_admin(client, world):
    _login(client, world, "admin")
    for value in ("99999", "abc", "9" * 30):
        page = client.get(f"/hr?{PERIOD}&organisation={value}")
        assert page.status_code == 400 and "There is no such organisation" in page.get_data(as_text=True)
        assert client.get(f"/hr/api/v1/dashboard?{PERIOD}&organisation={value}").get_json()["reasons"]["organisation"]


def test_a_nul_in_the_query_is_no_500(client, world):
    """Control characters leave every query value where the request is parsed (ui/inputs.py)."""
    _login(client, world, "hr")
    answer = client.get("/hr/api/v1/dashboard?from_month=2026-0%001&to_month=2026-06")
    assert answer.status_code == 200 and answer.get_json()["period"]["from"] == "2026-01"
    answer = client.get("/hr/api/v1/dashboard?from_month=%00x&to_month=2026-06")
    assert answer.status_code == 400 and "YYYY-MM" in answer.get_json()["reasons"]["from_month"]


def test_no_answer_carries_a_name_an_email_or_free_text(client, world):
    named = world["named"]
    _login(client, world, "hr")
    answers = [client.get(f"/hr?{PERIOD}").get_data(as_text=True)]
    answers += [
        client.get(f"/hr/{t}.csv?{PERIOD}").get_data(as_text=True) for t in ("stages", "funnel", "flow", "outcomes")
    ]
    answers.append(client.get(f"/hr/api/v1/dashboard?{PERIOD}").get_data(as_text=True))
    for answer in answers:
        assert named.name not in answer and named.email not in answer
        assert "Quixotic" not in answer and "@example.org" not in answer


def test_csv_and_json_carry_the_pages_marks(client, world):
    _login(client, world, "hr")
    page = client.get(f"/hr?{PERIOD}").get_data(as_text=True)
    data = client.get(f"/hr/api/v1/dashboard?{PERIOD}").get_json()
    assert data["version"] == 1 and data["organisation"]["name"] == "Mine"
    assert data["period"] == {"from": "2026-01", "to": "2026-06", "grouping": "month", "canonical": None}
    for name in TABLES:
        on_page = [v.replace("&lt;", "<") for v in figures(page, name)]
        response = client.get(f"/hr/{name}.csv?{PERIOD}")
        assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))[1:]
        assert [v for row in rows for v in row[1:]] == on_page
        assert [str(v) for row in data["tables"][name]["rows"] for v in row["values"]] == on_page


def test_outcomes_and_the_employment_rate(client, world):
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_month=2026-04&to_month=2026-06").get_json()
    outcomes = data["tables"]["outcomes"]
    columns = outcomes["columns"]
    april = next(row["values"] for row in outcomes["rows"] if row["key"] == "2026-04")
    values = dict(zip(columns, april, strict=True))
    assert values["employed_full_time"] == 6 and values["studying"] == 5 and values["total"] == 11
    assert values["employment_rate"] == 55  # 6 of 11
    period = dict(zip(columns, outcomes["rows"][-1]["values"], strict=True))
    assert period["total"] == 11  # April to June: every month shown, so their sum


def test_a_whole_period_figure_is_hidden_when_a_month_is(client, world):
    mine = world["mine"]
    cohort(mine, 2, at((2026, 5)))  # May: a small month
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_month=2026-04&to_month=2026-05").get_json()
    flow = {row["key"]: row["values"] for row in data["tables"]["flow"]["rows"]}
    assert flow["2026-05"][0] in ("<5", "–")  # a small month, never its count
    assert flow["period"][0] == "–"  # 11 + "<5" would be a range, and ranges can be differenced


def test_a_calendar_quarter_reads_its_own_cell(client, world):
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_month=2026-04&to_month=2026-06&grouping=quarter").get_json()
    assert data["period"]["canonical"] == "2026Q2"
    assert [row["key"] for row in data["tables"]["flow"]["rows"]] == ["2026Q2", "period"]
    widened = client.get("/hr/api/v1/dashboard?from_month=2026-05&to_month=2026-05&grouping=quarter").get_json()
    assert widened["period"]["from"] == "2026-04" and widened["period"]["to"] == "2026-06"


def test_a_rate_needs_both_counts_and_a_base_of_the_threshold(client, world):
    mine = world["mine"]
    cohort(mine, 3, at((2026, 5)), ("intake",), outcome="employed_part_time", closed=at((2026, 5), 20))
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_month=2026-05&to_month=2026-05").get_json()
    may = data["tables"]["outcomes"]["rows"][0]["values"]
    assert may[-1] == "–" and not [v for v in may if isinstance(v, int) and 0 < v < 5]


def test_the_page_draws_each_table_with_an_accessible_chart(client, world):
    _login(client, world, "hr")
    page = client.get(f"/hr?{PERIOD}").get_data(as_text=True)
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) == len(TABLES) == 10
    for svg in charts:
        assert "<script" not in svg and "<style" not in svg and ' style="' not in svg
        assert re.search(r'<title id="chart-\w+-title">[^<]+</title><desc id="chart-\w+-desc">[^<]+</desc>', svg)
        assert 'role="img"' in svg
    assert "/static/charts.css" in page


def test_median_days_in_each_stage_and_to_employment(client, world):
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_month=2026-01&to_month=2026-06").get_json()
    time = data["tables"]["time"]
    rows = {row["key"]: dict(zip(time["columns"], row["values"], strict=True)) for row in time["rows"]}
    # Registered on 10 April, intake the next day, skills the day after, employed on the 20th.
    assert rows["2026-04"] == {
        "registered": 1,
        "intake": 1,
        "skills": 8,
        "training": "–",
        "introductions": "–",
        "to_employment": 10,
    }
    assert rows["2026-03"]["registered"] == 1 and rows["2026-03"]["intake"] == "–"
    assert rows["period"]["to_employment"] == "–"  # six months are no quarter: medians do not add up
    half = client.get("/hr/api/v1/dashboard?from_month=2026-04&to_month=2026-06").get_json()
    assert half["tables"]["time"]["rows"][-1]["values"][-1] == 10  # the quarter's own median


def test_a_median_of_fewer_than_the_threshold_is_not_shown(client, world):
    cohort(world["mine"], 4, at((2026, 5)), ("intake",), outcome="self_employed", closed=at((2026, 5), 25))
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_month=2026-05&to_month=2026-05").get_json()
    may = dict(zip(data["tables"]["time"]["columns"], data["tables"]["time"]["rows"][0]["values"], strict=True))
    assert may["to_employment"] == "–" and may["registered"] == "–"  # four people


def test_training_and_introductions_and_what_they_led_to(client, world):
    adviser = f.user("adviser")
    course = programme(adviser, kind="language_course", title="Finnish for work")
    firm = employer(adviser, name="Kaleva Software Oy")
    spouses = [f.case_of(s) for s in cohort(world["mine"], 10, at(MARCH), ("intake", "skills", "training"))]
    for i, case in enumerate(spouses):
        done = i < 5
        db.session.add(
            Enrolment(
                case_id=case.id,
                programme_id=course.id,
                status="completed" if done else "enrolled",
                enrolled_at=at(APRIL, 2),
                ended_at=at(APRIL, 28) if done else None,
            )
        )
        introduction = Introduction(case_id=case.id, employer_id=firm.id, status="interview" if i < 5 else "introduced")
        db.session.add(introduction)
        db.session.flush()
        statuses = ["introduced", "interview"] if i < 5 else ["introduced"]
        for day, status in enumerate(statuses, start=3):
            db.session.add(IntroductionEvent(introduction_id=introduction.id, status=status, at=at(APRIL, day)))
    db.session.commit()
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_month=2026-04&to_month=2026-06").get_json()
    training = {row["key"]: row["values"] for row in data["tables"]["training"]["rows"]}
    assert training["language_course"] == [10, 5] and training["total"] == [10, 5] and training["course"] == [0, 0]
    introductions = data["tables"]["introductions"]
    assert introductions["columns"] == ["introduced", "interview", "work_trial", "hired"]
    april = next(row["values"] for row in introductions["rows"] if row["key"] == "2026-04")
    assert april == [10, 5, 0, 0]
    page = client.get("/hr?from_month=2026-04&to_month=2026-06").get_data(as_text=True)
    assert "Kaleva" not in page and "Finnish for work" not in page  # no employer, no programme named


def test_advisers_time_in_all_and_per_participant(client, world):
    adviser = f.user("adviser")
    cases = [f.case_of(s) for s in cohort(world["mine"], 6, at(MARCH), ("intake",))]
    for i, case in enumerate(cases):
        f.activity(case, adviser, kind="meeting", at=at(APRIL, 5), duration=60 + 30 * i)
    few = [f.case_of(s) for s in cohort(world["mine"], 2, at(MARCH), ("intake",))]
    for case in few:
        f.activity(case, adviser, kind="call", at=at((2026, 5), 5), duration=30)
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_month=2026-04&to_month=2026-06").get_json()
    rows = {row["key"]: row["values"] for row in data["tables"]["effort"]["rows"]}
    # 1, 1.5, 2, 2.5, 3 and 3.5 hours: 13.5 in all (rounded), the median 2.25 → 2.2 (to the tenth)
    assert rows["2026-04"][0] == 14 and rows["2026-04"][1] in (2.2, 2.3)
    assert rows["2026-05"] == ["–", "–"]  # two participants: neither their hours nor a median
    # The quarter holds May's two: its total would give their hours away; its median of 8 shows.
    assert rows["period"][0] == "–" and rows["period"][1] in (1.7, 1.8)


def test_the_funders_indicators_on_entry_and_results_on_leaving(client, world):
    from hiddengems.intake.models import IntakeProfile

    answers = [("unemployed", 7, "woman", "25_34"), ("employed", 3, "man", "35_44")]
    for labour, level, gender, age in answers:
        for spouse in cohort(world["mine"], 5, at((2026, 5))):
            db.session.add(
                IntakeProfile(
                    case_id=f.case_of(spouse).id,
                    labour_status=labour,
                    education_level=level,
                    gender=gender,
                    age_group=age,
                )
            )
    db.session.commit()
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_month=2026-05&to_month=2026-05").get_json()
    entry = {row["key"]: row["values"][0] for row in data["tables"]["esf_entry"]["rows"]}
    assert entry["labour:unemployed"] == 5 and entry["labour:employed"] == 5 and entry["labour:inactive"] == 0
    assert entry["education:isced_5_8"] == 5 and entry["education:isced_3_4"] == 5 and entry["education:unknown"] == 0
    assert entry["gender:woman"] == 5 and entry["age:35_44"] == 5 and entry["total"] == 10
    april = client.get("/hr/api/v1/dashboard?from_month=2026-04&to_month=2026-04").get_json()
    results = {row["key"]: row["values"] for row in april["tables"]["esf_results"]["rows"]}
    assert results == {
        "employed": [6, 0],
        "education_training": [5, 0],
        "job_searching": ["", 0],  # not an outcome at close
        "other": [0, 0],
        "total": [11, 0],  # none recorded six months after yet
    }


def test_the_six_month_result_recorded_on_its_follow_up_reaches_the_funders_table(app, client, world):
    from datetime import date

    from flask import url_for

    from hiddengems.reminders.models import FollowUp, ReminderFiring
    from tests.reminders.rulekit import rule

    adviser = f.user("adviser")
    check = rule("closed_check", days=183)
    closed = cohort(world["mine"], 5, at(MARCH), ("intake",), outcome="employed_full_time", closed=at(MARCH, 20))
    follow_ups = []
    for spouse in closed:
        case = f.case_of(spouse)
        case.adviser_id = adviser.id
        firing = ReminderFiring(rule_id=check.id, case_id=case.id, occasion=date(2026, 3, 20), due_on=date(2026, 9, 19))
        db.session.add(firing)
        db.session.flush()
        made = FollowUp(
            case_id=case.id, assignee_id=adviser.id, due_on=date(2026, 9, 19), title="Six months", firing_id=firing.id
        )
        db.session.add(made)
        db.session.flush()
        follow_ups.append((case.id, made.id))
    by_hand = f.follow_up(f.case_of(closed[0]), adviser, title="Call back")
    db.session.commit()
    f.login(client, adviser)
    with app.test_request_context():
        urls = [url_for("reminders.follow_up", case_id=c, follow_up_id=u) for c, u in follow_ups]
        plain = url_for("reminders.follow_up", case_id=by_hand.case_id, follow_up_id=by_hand.id)
    question = "situation six months after the close"
    assert question in client.get(urls[0]).get_data(as_text=True)
    assert question not in client.get(plain).get_data(as_text=True)  # a follow-up written by hand
    for url, result in zip(urls, ["job_searching"] * 4 + ["employed"], strict=True):
        answer = client.post(url + "/done", data={"done-six_month_result": result, "done-back": "follow_up"})
        assert answer.status_code == 302
    from sqlalchemy import update

    from hiddengems.cases.models import CaseOutcome

    recorded = db.session.scalars(select(CaseOutcome.six_month_result).order_by(CaseOutcome.id)).all()
    assert sorted(r for r in recorded if r) == ["employed"] + ["job_searching"] * 4
    # Recorded today, they are in tomorrow's figures: as if recorded in September.
    db.session.execute(update(CaseOutcome).values(six_month_recorded_at=at((2026, 9), 19)))
    db.session.commit()
    client.post("/logout")
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_month=2026-03&to_month=2026-03").get_json()
    results = {row["key"]: row["values"][1] for row in data["tables"]["esf_results"]["rows"]}
    # 4 looking for work, 1 employed: both under 5; the 5 recorded shown or hidden, never "1".
    assert results["employed"] in ("<5", "–") and results["job_searching"] in ("<5", "–")
    assert results["total"] in (5, "–")
    assert results["education_training"] == 0
