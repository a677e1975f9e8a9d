"""Bad input on the skills pages: a clear message beside the field, what was typed kept,
nothing saved, never a 500."""

from __future__ import annotations

import html as html_lib

import pytest
from sqlalchemy import func, select

from hiddengems.extensions import db
from hiddengems.skills import profile
from hiddengems.skills.models import CasePastOccupation, CaseSkill, CaseTargetOccupation
from tests.skills.pages import error_beside, mapped_world, occupation_id, skill_id


@pytest.fixture
def spouse_client(app, client, f):
    w = mapped_world(f)
    f.login(client, w.spouse)
    client.w = w
    return client


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("posted", ["999999", "99999999999999999999", "١٢", "", "abc", "-1", "0"])
def test_an_unknown_skill_is_refused_beside_the_picker_and_the_search_is_kept(spouse_client, posted):
    w = spouse_client.w
    answer = spouse_client.post(
        f"/cases/{w.case.id}/skills/add", data={"skill": posted, "level": "basic", "source": "work", "skill_q": "sql"}
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert error_beside(html, "skill-q-error") == "Choose a skill from the list."
    assert 'id="skill-q" name="skill_q" value="sql"' in html  # the search typed before is shown again
    assert f'name="skill" value="{skill_id("SQL")}"' in html  # with its results
    assert _count(CaseSkill) == 0


def test_a_duplicate_skill_and_a_level_out_of_range(spouse_client):
    w = spouse_client.w
    sql = skill_id("SQL")
    spouse_client.post(f"/cases/{w.case.id}/skills/add", data={"skill": sql, "level": "basic", "source": "work"})
    answer = spouse_client.post(
        f"/cases/{w.case.id}/skills/add", data={"skill": sql, "level": "basic", "source": "work", "skill_q": "sql"}
    )
    assert answer.status_code == 422
    assert error_beside(answer.get_data(as_text=True), "skill-q-error") == (
        "This skill is already in the profile: change its level there."
    )
    answer = spouse_client.post(
        f"/cases/{w.case.id}/skills/add",
        data={"skill": skill_id("JavaScript"), "level": "master", "source": "work", "skill_q": "javascript"},
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "Choose basic, intermediate, advanced or expert." in html
    # The held skill's own row refuses it too, beside its level, and keeps the source chosen.
    answer = spouse_client.post(f"/cases/{w.case.id}/skills/{sql}/update", data={"level": "12", "source": "study"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    row = html[html.index(f'id="skill-{sql}"') :]
    assert "Choose basic, intermediate, advanced or expert." in row[: row.index("</li>")]
    assert '<option value="study" selected>' in row[: row.index("</li>")]
    assert db.session.scalar(select(CaseSkill.level)) == "basic"


def test_a_fourth_target_and_an_occupation_that_does_not_exist(spouse_client):
    w = spouse_client.w
    for label in ("data analyst", "marketing manager", "software developer"):
        profile.add_target(w.case, occupation_id(label), actor=w.spouse)
    db.session.commit()
    answer = spouse_client.post(
        f"/cases/{w.case.id}/skills/targets",
        data={"occupation": occupation_id("secondary school teacher"), "target_q": "teacher"},
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert error_beside(html, "target-q-error") == "At most three target occupations: remove one first."
    assert 'id="target-q" name="target_q" value="teacher"' in html
    answer = spouse_client.post(f"/cases/{w.case.id}/skills/targets", data={"occupation": "2147483647"})
    assert error_beside(answer.get_data(as_text=True), "target-q-error") == "Choose an occupation from the list."
    assert _count(CaseTargetOccupation) == 3


@pytest.mark.parametrize("years", ["abc", "61", "-3", "١٢", "2.5", "99999999999999999999"])
def test_years_out_of_range_are_refused_and_kept(spouse_client, years):
    w = spouse_client.w
    answer = spouse_client.post(
        f"/cases/{w.case.id}/skills/past",
        data={"occupation": occupation_id("marketing manager"), "years": years, "job_title": "CMO", "past_q": "market"},
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Years: a whole number from 0 to 60." in html
    assert f'value="{html_lib.escape(years)}"' in html and 'value="CMO"' in html
    assert _count(CasePastOccupation) == 0


def test_a_job_title_too_long_and_script_in_it(spouse_client):
    w = spouse_client.w
    marketing = occupation_id("marketing manager")
    answer = spouse_client.post(
        f"/cases/{w.case.id}/skills/past", data={"occupation": marketing, "years": "3", "job_title": "x" * 300}
    )
    assert answer.status_code == 422 and "The job title can have at most 200 characters." in answer.get_data(True)
    spouse_client.post(
        f"/cases/{w.case.id}/skills/past",
        data={"occupation": marketing, "years": "3", "job_title": '<script>alert(1)</script>" onmouseover="x'},
    )
    html = spouse_client.get(f"/cases/{w.case.id}/skills").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a" * 10_000, "Search with at most 200 characters."),
        ("!!! ... ???", "Search with letters or digits."),
        ("-- ' OR 1=1", None),
        ("sql\x00", None),
    ],
)
def test_searches_that_cannot_run_say_why_beside_the_box(spouse_client, text, message):
    w = spouse_client.w
    for box in ("skill", "target", "past"):
        answer = spouse_client.get(f"/cases/{w.case.id}/skills", query_string={f"{box}_q": text})
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200
        if message:
            assert error_beside(html, f"{box}-q-error") == message
            assert f'name="{box}_q" value="{text[:50]}' in html.replace("&#39;", "'")


def test_buttons_on_what_the_profile_does_not_hold_say_so(spouse_client):
    w = spouse_client.w
    base = f"/cases/{w.case.id}/skills"
    for url, message in [
        (f"{base}/{skill_id('SQL')}/remove", "This skill is not in the profile."),
        (f"{base}/targets/{occupation_id('data analyst')}/remove", "Choose an occupation from the list."),
        (f"{base}/past/2147483647/remove", "Choose an occupation from the list."),
    ]:
        answer = spouse_client.post(url, follow_redirects=True)
        assert answer.status_code == 200 and message in answer.get_data(as_text=True)
    # Ids past what the database holds are not pages at all.
    assert spouse_client.post(f"{base}/99999999999/remove").status_code == 404
    assert spouse_client.get("/cases/99999999999999999999/skills").status_code == 404


def test_an_adviser_removing_a_language_not_noted(app, client, f):
    w = mapped_world(f)
    analyst = occupation_id("data analyst")
    profile.add_target(w.case, analyst, actor=w.spouse)
    db.session.commit()
    f.login(client, w.adviser)
    for language in ("fi", "xx", "%00", "a" * 300):
        answer = client.post(f"/cases/{w.case.id}/skills/targets/{analyst}/languages/{language}/remove")
        assert answer.status_code == 302
    assert "Choose a language from the list." in client.get(f"/cases/{w.case.id}/skills").get_data(as_text=True)


def test_a_row_or_a_target_that_is_not_there_says_so_above_the_page(app, client, f):
    w = mapped_world(f)
    f.login(client, w.adviser)
    answer = client.post(
        f"/cases/{w.case.id}/skills/{skill_id('SQL')}/update", data={"level": "basic", "source": "work"}
    )
    assert answer.status_code == 422 and "This skill is not in the profile." in answer.get_data(as_text=True)
    answer = client.post(
        f"/cases/{w.case.id}/skills/targets/{occupation_id('data analyst')}/languages",
        data={"language": "fi", "level": "B1"},
    )
    assert answer.status_code == 422 and "Choose an occupation from the list." in answer.get_data(as_text=True)
