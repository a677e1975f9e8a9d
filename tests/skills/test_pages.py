"""The skills profile page: the spouse builds it, the adviser maps it on the same page."""

from __future__ import annotations

from sqlalchemy import select

from hiddengems.audit.models import AuditEvent
from hiddengems.extensions import db
from hiddengems.skills.models import CasePastOccupation, CaseSkill, CaseTargetOccupation
from tests.skills.pages import mapped_world, occupation_id, send_intake, skill_id


def url(case, tail: str = "") -> str:
    return f"/cases/{case.id}/skills{tail}"


def test_a_spouse_finds_a_skill_adds_it_and_sees_it_waiting_for_validation(app, client, f):
    w = mapped_world(f)
    f.login(client, w.spouse)
    page = client.get(url(w.case), query_string={"skill_q": "sql"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "My skills profile" in html and "SQL" in html and f'name="skill" value="{skill_id("SQL")}"' in html
    answer = client.post(url(w.case, "/add"), data={"skill": skill_id("SQL"), "level": "advanced", "source": "work"})
    assert answer.status_code == 302 and answer.location.endswith(url(w.case) + "#skills")
    row = db.session.scalar(select(CaseSkill).where(CaseSkill.case_id == w.case.id))
    assert (row.skill_id, row.level, row.source, row.validated) == (skill_id("SQL"), "advanced", "work", False)
    html = client.get(url(w.case)).get_data(as_text=True)
    assert "Not validated yet" in html and "Validate" not in html


def test_before_the_intake_is_sent_the_spouse_is_sent_to_it_and_nothing_is_saved(app, client, f):
    w = mapped_world(f, sent=False)
    f.login(client, w.spouse)
    html = client.get(url(w.case)).get_data(as_text=True)
    assert "Nothing is here yet" in html and 'href="/intake/"' in html
    assert 'name="skill_q"' not in html
    answer = client.post(url(w.case, "/add"), data={"skill": skill_id("SQL"), "level": "basic", "source": "work"})
    assert answer.status_code == 422
    assert db.session.scalar(select(CaseSkill.id)) is None


def test_the_adviser_validates_corrects_and_the_spouses_change_undoes_the_validation(app, client, f):
    w = mapped_world(f)
    sql = skill_id("SQL")
    f.login(client, w.spouse)
    client.post(url(w.case, "/add"), data={"skill": sql, "level": "advanced", "source": "work"})
    adviser = app.test_client()
    f.login(adviser, w.adviser)
    html = adviser.get(url(w.case)).get_data(as_text=True)
    assert "Skills profile of Maria Spouse" in html and f"/skills/{sql}/validate" in html
    assert adviser.post(url(w.case, f"/{sql}/validate")).status_code == 302
    html = adviser.get(url(w.case)).get_data(as_text=True)
    assert "Validated" in html and "by Aino Adviser" in html
    row = db.session.scalar(select(CaseSkill))
    assert row.validated_by_id == w.adviser.id and row.validated_at is not None

    # The spouse raises the level: the adviser has not seen that, so it waits again.
    client.post(url(w.case, f"/{sql}/update"), data={"level": "expert", "source": "work"})
    db.session.expire_all()
    row = db.session.scalar(select(CaseSkill))
    assert row.level == "expert" and not row.validated
    # The adviser's correction is validated by them.
    adviser.post(url(w.case, f"/{sql}/update"), data={"level": "advanced", "source": "training"})
    db.session.expire_all()
    row = db.session.scalar(select(CaseSkill))
    assert (row.level, row.source, row.validated_by_id) == ("advanced", "training", w.adviser.id)
    adviser.post(url(w.case, f"/{sql}/remove"))
    assert db.session.scalar(select(CaseSkill.id)) is None
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == w.case.id)))
    assert {"skills.skill_added", "skills.skill_validated", "skills.skill_changed", "skills.skill_removed"} <= actions


def test_targets_and_past_occupations_from_the_intake(app, client, f):
    w = mapped_world(f)
    f.login(client, w.spouse)
    html = client.get(url(w.case)).get_data(as_text=True)
    # The intake's goals and job titles are one-click searches; nothing is created by itself.
    assert "past_q=Marketing+manager" in html and "target_q=data+analyst" in html
    assert db.session.scalar(select(CasePastOccupation.id)) is None
    html = client.get(url(w.case), query_string={"past_q": "Marketing manager", "title": "Marketing manager"}).get_data(
        as_text=True
    )
    marketing = occupation_id("marketing manager")
    assert f'name="occupation" value="{marketing}"' in html and 'name="years" inputmode="numeric" value="6"' in html
    answer = client.post(
        url(w.case, "/past"), data={"occupation": marketing, "years": "6", "job_title": "Marketing manager"}
    )
    assert answer.status_code == 302
    row = db.session.scalar(select(CasePastOccupation))
    assert (row.occupation_id, row.years, row.job_title) == (marketing, 6, "Marketing manager")
    client.post(url(w.case, "/past"), data={"occupation": marketing, "years": "7", "job_title": "CMO", "row": "1"})
    db.session.expire_all()
    assert db.session.scalar(select(CasePastOccupation.years)) == 7

    analyst = occupation_id("data analyst")
    assert client.post(url(w.case, "/targets"), data={"occupation": analyst}).status_code == 302
    html = client.get(url(w.case)).get_data(as_text=True)
    assert "1 / 3" in html and "data analyst" in html
    client.post(url(w.case, f"/targets/{analyst}/remove"))
    client.post(url(w.case, f"/past/{marketing}/remove"))
    assert db.session.scalar(select(CaseTargetOccupation.id)) is None
    assert db.session.scalar(select(CasePastOccupation.id)) is None


def test_languages_come_from_the_intake_read_only(app, client, f):
    w = mapped_world(f)
    f.login(client, w.spouse)
    html = client.get(url(w.case)).get_data(as_text=True)
    assert "English" in html and "C1 – advanced" in html and "A2 – elementary" in html
    assert 'href="/intake/step/languages"' in html


def test_another_adviser_reads_an_unassigned_case_and_changes_nothing(app, client, f):
    w = mapped_world(f)
    w.case.adviser_id = None
    db.session.commit()
    f.login(client, w.other)
    html = client.get(url(w.case)).get_data(as_text=True)
    assert "only the case" in html and "/skills/add" not in html
    answer = client.post(url(w.case, "/add"), data={"skill": skill_id("SQL"), "level": "basic", "source": "work"})
    assert answer.status_code == 403


def test_an_advisers_look_is_audited_the_spouses_own_is_not(app, client, f):
    w = mapped_world(f)
    f.login(client, w.spouse)
    client.get(url(w.case))
    adviser = app.test_client()
    f.login(adviser, w.adviser)
    adviser.get(url(w.case))
    adviser.get(url(w.case, "/gap"))
    viewed = db.session.execute(
        select(AuditEvent.actor_id, AuditEvent.detail).where(AuditEvent.action == "skills.viewed")
    ).all()
    assert [(actor, detail["page"]) for actor, detail in viewed] == [(w.adviser.id, "profile"), (w.adviser.id, "gap")]


def test_a_lead_maps_any_case_and_does_not_see_a_draft_intake(app, client, f):
    w = mapped_world(f, sent=False)
    draft = send_intake(w.case)
    draft.submitted_at = None  # started, not sent: the spouse's own draft
    db.session.commit()
    f.login(client, w.lead)
    html = client.get(url(w.case)).get_data(as_text=True)
    assert "has not sent the intake yet" in html and "Marketing manager" not in html
    answer = client.post(url(w.case, "/add"), data={"skill": skill_id("SQL"), "level": "basic", "source": "work"})
    assert answer.status_code == 302
    row = db.session.scalar(select(CaseSkill))
    assert row.validated_by_id == w.lead.id
