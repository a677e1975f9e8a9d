"""The dashboard's choices and formats: HR's own organisation only, admins and leads any or
all; a bad choice is a message (page) or a 400 with reasons (JSON); the CSV and the JSON
carry the page's figures and nothing about one person."""

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
from tests.reports.people import at, cohort, figures, participant
from tests.training.helpers import programme

MARCH, APRIL = (2026, 3), (2026, 4)
TABLES = (
    "stages",
    "funnel",
    "registrations",
    "outcomes",
    "time",
    "training",
    "introductions",
    "effort",
    "esf_entry",
    "esf_results",
)


@pytest.fixture
def world(app):
    mine, other = f.org("Mine"), f.org("Other")
    cohort(mine, 8, at((2025, 5)), ("intake", "skills"))
    cohort(mine, 10, at(MARCH), ("intake",))
    cohort(mine, 6, at(APRIL), ("intake", "skills"), outcome="employed_full_time", closed=at(APRIL, 20))
    cohort(mine, 5, at(APRIL), ("intake",), outcome="studying", closed=at(APRIL, 20))
    cohort(other, 8, at(MARCH))
    named = participant(mine, at(MARCH), ("intake",), name="Zebulon Quixotic")
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


def _rows(data: dict, table: str) -> dict:
    return {row["key"]: row["values"] for row in data["tables"][table]["rows"]}


@pytest.mark.parametrize("url", ["/hr?", "/hr/funder?", "/hr/stages.csv?", "/hr/api/v1/dashboard?"])
def test_hr_of_another_organisation_or_of_all_is_refused_everywhere(client, world, url):
    _login(client, world, "hr")
    assert client.get(f"{url}organisation={world['other'].id}").status_code == 403
    assert client.get(f"{url}organisation=0").status_code == 403
    assert client.get(f"{url}organisation={world['mine'].id}").status_code == 200
    denied = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert [e.object_id for e in denied] == [world["other"].id, 0]


@pytest.mark.parametrize("who", ["admin", "lead"])
def test_admins_and_leads_choose_any_organisation_or_all(client, world, who):
    _login(client, world, who)
    everyone = client.get("/hr").get_data(as_text=True)
    assert "Programme figures for all organisations" in everyone
    data = client.get("/hr/api/v1/dashboard").get_json()
    assert data["participants"] == 38 and data["organisation"] == {"id": None, "name": "all organisations"}
    other = client.get(f"/hr/api/v1/dashboard?organisation={world['other'].id}").get_json()
    assert other["organisation"]["name"] == "Other" and other["participants"] == 8
    assert _rows(other, "stages")["registered"] == [8]


BAD = [
    ("from_year=2026&to_year=2025", "to_year", "The period ends before it starts"),
    ("from_year=1999", "from_year", "Give a year from 2000 to this year"),
    ("to_year=2999", "to_year", "Give a year from 2000 to this year"),
    ("from_year=26", "from_year", "Give a year as four digits"),
    ("from_year=２０２６", "from_year", "Give a year as four digits"),
    ("from_year=99999999999999999999999", "from_year", "Give a year as four digits"),
    ("grouping=week", "grouping", "Group by month or by quarter"),
]


@pytest.mark.parametrize(("query", "field", "message"), BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)])
def test_a_bad_choice_is_a_clear_message_and_a_400(client, world, query, field, message):
    _login(client, world, "hr")
    page = client.get(f"/hr?{query}")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert message in text and "no figures are shown" in text
    typed = dict(pair.split("=") for pair in query.split("&"))[field]
    assert f'value="{typed}"' in text or field == "grouping"
    answer = client.get(f"/hr/api/v1/dashboard?{query}")
    assert answer.status_code == 400
    assert message in answer.get_json()["reasons"][field]
    assert client.get(f"/hr/stages.csv?{query}").status_code == 400
    assert client.get(f"/hr/funder?{query}").status_code == 400


def test_an_unknown_organisation_is_a_message_for_an_admin(client, world):
    _login(client, world, "admin")
    for value in ("99999", "abc", "9" * 30, "%C2%B2"):
        page = client.get(f"/hr?organisation={value}")
        assert page.status_code == 400 and "There is no such organisation" in page.get_data(as_text=True)
        assert client.get(f"/hr/api/v1/dashboard?organisation={value}").get_json()["reasons"]["organisation"]


def test_a_nul_in_the_query_is_no_500(client, world):
    """Control characters leave every query value where the request is parsed (ui/inputs.py)."""
    _login(client, world, "hr")
    answer = client.get("/hr/api/v1/dashboard?from_year=20%0026")
    assert answer.status_code == 200 and answer.get_json()["period"]["cohorts"] == ["2026"]
    answer = client.get("/hr/api/v1/dashboard?from_year=%00x")
    assert answer.status_code == 400 and "four digits" in answer.get_json()["reasons"]["from_year"]


def test_no_answer_carries_a_name_an_email_or_free_text(client, world):
    named = world["named"]
    _login(client, world, "hr")
    answers = [client.get("/hr").get_data(as_text=True), client.get("/hr/funder").get_data(as_text=True)]
    answers += [client.get(f"/hr/{t}.csv").get_data(as_text=True) for t in TABLES]
    answers.append(client.get("/hr/api/v1/dashboard").get_data(as_text=True))
    for answer in answers:
        assert named.name not in answer and named.email not in answer
        assert "Quixotic" not in answer and "@example.org" not in answer


def test_csv_and_json_carry_the_pages_figures(client, world):
    _login(client, world, "hr")
    page = client.get("/hr").get_data(as_text=True)
    data = client.get("/hr/api/v1/dashboard").get_json()
    assert data["version"] == 1 and data["organisation"]["name"] == "Mine"
    assert data["period"] == {"cohorts": ["2025", "2026"], "grouping": "month", "widened": False}
    for name in TABLES:
        on_page = [v.replace("&lt;", "<") for v in figures(page, name)]
        response = client.get(f"/hr/{name}.csv")
        assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))[1:]
        assert [v for row in rows for v in row[1:]] == on_page
        assert [str(v) for row in data["tables"][name]["rows"] for v in row["values"]] == on_page


def test_a_period_of_several_years_adds_its_years_up_only_where_every_year_is_shown(client, world):
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard").get_json()
    assert data["tables"]["stages"]["columns"] == ["2025", "2026", "total"]
    stages = _rows(data, "stages")
    assert stages["skills"] == [8, 0, 8]
    assert stages["total"] == [8, 22, 30]
    # 2026: 11 at intake (10 + the named one), 11 closed: shown; 2025 has none of either.
    assert stages["intake"] == [0, 11, 11] and stages["closed"] == [0, 11, 11]
    one = client.get("/hr/api/v1/dashboard?from_year=2026&to_year=2026").get_json()
    assert one["tables"]["stages"]["columns"] == ["2026"] and one["participants"] == 30


def test_outcomes_the_employment_rate_and_the_funnel(client, world):
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_year=2026").get_json()
    outcomes = _rows(data, "outcomes")
    assert outcomes["employed_full_time"] == [6] and outcomes["studying"] == [5]
    assert outcomes["employed"] == [6] and outcomes["closed"] == [11]
    assert outcomes["employment_rate"] == [55]  # 6 of 11
    funnel = _rows(data, "funnel")
    # 22 registered; everyone reached intake; the 6 employed went through skills mapping.
    assert funnel["registered"] == [22, ""] and funnel["intake"] == [22, 100]
    assert funnel["skills"] == [6, 27] and funnel["employed"] == [6, "–"]


def test_the_registrations_by_month_or_quarter(client, world):
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_year=2026").get_json()
    months = _rows(data, "registrations")
    assert months["2026-03"] == [11] and months["2026-04"] == [11] and months["2026-05"] == [0]
    assert "2026-12" not in months  # figures are as of yesterday: no month ahead
    quarters = _rows(client.get("/hr/api/v1/dashboard?from_year=2026&grouping=quarter").get_json(), "registrations")
    assert quarters == {"2026Q1": [11], "2026Q2": [11], "2026Q3": [0], "2026Q4": [0]}


def test_a_small_figure_is_never_shown_and_a_total_over_it_neither(client, world):
    cohort(world["mine"], 2, at((2025, 6)), ("intake",))  # two at intake in 2025
    _login(client, world, "hr")
    stages = _rows(client.get("/hr/api/v1/dashboard").get_json(), "stages")
    assert stages["intake"][0] == "<5"
    assert stages["intake"][2] == "–"  # "<5" + 11 would be a range, and ranges can be set against others
    assert stages["skills"][0] == "–"  # the 8 beside the 2: 10 in 2025 would give the 2 away


def test_a_year_with_a_few_registrations_is_counted_with_the_next(client, world):
    other = world["other"]
    cohort(other, 2, at((2025, 9)))
    _login(client, world, "admin")
    data = client.get(f"/hr/api/v1/dashboard?organisation={other.id}").get_json()
    assert data["period"]["cohorts"] == ["2025–2026"] and data["participants"] == 10
    widened = client.get(f"/hr/api/v1/dashboard?organisation={other.id}&from_year=2026").get_json()
    assert widened["period"] == {"cohorts": ["2025–2026"], "grouping": "month", "widened": True}
    page = client.get(f"/hr?organisation={other.id}&from_year=2026").get_data(as_text=True)
    assert "the period was widened to whole cohorts" in page


def test_a_tiny_organisation_shows_its_size_as_under_five_and_nothing_else(client, app):
    tiny = f.org("Tiny")
    cohort(tiny, 1, at(MARCH), ("intake",))
    f.login(client, f.user("hr", organisation=tiny))
    data = client.get("/hr/api/v1/dashboard").get_json()
    assert data["participants"] == "<5"
    values = [v for table in data["tables"].values() for row in table["rows"] for v in row["values"]]
    assert set(values) <= {"–", "", "<5"}


def test_the_page_draws_each_table_with_an_accessible_chart(client, world):
    _login(client, world, "hr")
    page = client.get("/hr").get_data(as_text=True)
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) == len(TABLES) == 10
    for svg in charts:
        assert "<script" not in svg and "<style" not in svg and ' style="' not in svg
        assert re.search(r'<title id="chart-\w+-title">[^<]+</title><desc id="chart-\w+-desc">[^<]+</desc>', svg)
        assert 'role="img"' in svg
    assert "/static/charts.css" in page
    # A hidden figure is labelled, never drawn as a zero bar.
    assert "(–)" in page or "(&lt;5)" in page


def test_median_days_to_each_step(client, world):
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_year=2026").get_json()
    time = _rows(data, "time")
    # Registered on the 10th, intake the next day; the employed closed on 20 April.
    assert time["intake"] == [1]
    assert time["skills"] == [2] and time["employed"] == [10]
    assert time["training"] == ["–"]  # nobody reached it: no median
    # A day at registration for all 22; a day at intake for the 6 who went on to skills,
    # nine for the 5 closed from intake on the 20th: the median of those 11 stays is 1.
    assert time["in_registered"] == [1] and time["in_intake"] == [1]
    assert time["in_skills"] == [8]  # the 6 who were closed from skills mapping on the 20th


def test_a_median_of_fewer_than_the_threshold_is_not_shown(client, world):
    cohort(world["mine"], 4, at((2025, 5)), ("intake",), outcome="self_employed", closed=at((2025, 5), 25))
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard?from_year=2025&to_year=2025").get_json()
    assert _rows(data, "time")["employed"] == ["–"]  # four people


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
    data = client.get("/hr/api/v1/dashboard?from_year=2026").get_json()
    training = _rows(data, "training")
    assert training["language_course"] == [10, 5] and training["total"] == [10, 5] and training["course"] == [0, 0]
    introductions = _rows(data, "introductions")
    assert introductions == {"none": [5], "interview": [5], "work_trial": [0], "hired": [0], "total": [10]}
    page = client.get("/hr").get_data(as_text=True)
    assert "Kaleva" not in page and "Finnish for work" not in page  # no employer, no programme named


def test_advisers_time_in_all_and_per_participant(client, world):
    adviser = f.user("adviser")
    cases = [f.case_of(s) for s in cohort(world["mine"], 6, at((2025, 3)), ("intake",))]
    for i, case in enumerate(cases):
        f.activity(case, adviser, kind="meeting", at=at(APRIL, 5), duration=60 + 30 * i)
    _login(client, world, "hr")
    data = client.get("/hr/api/v1/dashboard").get_json()
    effort = _rows(data, "effort")
    # 1, 1.5, 2, 2.5, 3 and 3.5 hours: 13.5 in all, over 2025's 14 participants.
    assert effort["2025"] == [13.5, 14, 1.0]
    assert effort["2026"] == [0, 22, 0.0] and effort["total"] == [13.5, 36, 0.4]


def test_the_funders_page_indicators_on_entry_and_results_on_leaving(client, world):
    from hiddengems.intake.models import IntakeProfile

    answers = [("unemployed", 7, "woman", "25_34"), ("employed", 3, "man", "35_44")]
    for labour, level, gender, age in answers:
        for spouse in cohort(world["mine"], 5, at((2025, 5))):
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
    data = client.get("/hr/api/v1/dashboard?from_year=2025&to_year=2025").get_json()
    entry = {key: values[0] for key, values in _rows(data, "esf_entry").items()}
    assert entry["labour:unemployed"] == 5 and entry["labour:employed"] == 5 and entry["labour:inactive"] == 0
    assert entry["labour:unknown"] == 8 and entry["total"] == 18
    assert entry["education:isced_5_8"] == 5 and entry["education:isced_3_4"] == 5
    assert entry["gender:woman"] == 5 and entry["age:35_44"] == 5
    results = _rows(client.get("/hr/api/v1/dashboard?from_year=2026").get_json(), "esf_results")
    assert results == {
        "employed": [6, 0],
        "education_training": [5, 0],
        "job_searching": ["", 0],  # not an outcome at close
        "other": [0, 0],
        "not_recorded": ["", 11],
        "total": [11, 11],
    }
    page = client.get("/hr/funder?from_year=2025&to_year=2025").get_data(as_text=True)
    assert "ESF+ indicators: Mine" in page
    assert figures(page, "esf_entry")[0] == "5" and len(re.findall(r"<svg", page)) == 2
