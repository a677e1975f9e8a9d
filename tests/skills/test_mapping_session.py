"""The adviser's mapping session on the timeline, and the language levels noted for a target."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import select

from hiddengems.cases.models import Activity, Case
from hiddengems.extensions import db
from hiddengems.skills import mapping, profile
from hiddengems.skills.models import CaseSkill, CaseTargetLanguage
from hiddengems.timeutil import utcnow
from tests.skills.pages import mapped_world, occupation_id, skill_id


def test_recording_the_session_says_what_was_done_on_the_timeline(app, client, f):
    w = mapped_world(f)
    for label in ("SQL", "JavaScript", "GDPR", "think analytically"):
        profile.add_skill(w.case, skill_id(label), level="advanced", source="work", actor=w.spouse)
    db.session.commit()
    f.login(client, w.adviser)
    base = f"/cases/{w.case.id}/skills"
    for label in ("SQL", "JavaScript", "GDPR"):
        client.post(f"{base}/{skill_id(label)}/validate")
    client.post(f"{base}/{skill_id('think analytically')}/update", data={"level": "expert", "source": "work"})
    client.post(f"{base}/add", data={"skill": skill_id("use databases"), "level": "basic", "source": "training"})
    client.post(f"{base}/targets", data={"occupation": occupation_id("data analyst")})
    answer = client.post(
        f"{base}/session", data={"kind": "meeting", "duration_minutes": "45", "note": "Went through the CV."}
    )
    assert answer.status_code == 302 and answer.location.endswith(f"{base}#session")
    activity = db.session.scalar(select(Activity).where(Activity.case_id == w.case.id))
    assert (activity.kind, activity.duration_minutes, activity.author_id) == ("meeting", 45, w.adviser.id)
    assert activity.text == (
        "Skills mapping session: 3 skills validated, 1 added, 1 corrected; target data analyst\n\nWent through the CV."
    )
    # The case file shows it; the stage stays the adviser's call.
    html = client.get(f"/cases/{w.case.id}").get_data(as_text=True)
    assert "Skills mapping session: 3 skills validated" in html
    assert db.session.get(Case, w.case.id).stage == "skills"

    # The next session counts only what came after this one.
    client.post(f"{base}/{skill_id('use databases')}/remove")
    client.post(f"{base}/session", data={"kind": "note"})
    texts = db.session.scalars(select(Activity.text).order_by(Activity.id)).all()
    assert texts[-1] == "Skills mapping session: 0 skills validated, 0 added, 1 removed; target data analyst"


def test_a_session_covers_at_most_the_last_twelve_hours(app, f):
    w = mapped_world(f)
    with time_machine.travel(utcnow().replace(microsecond=0) - mapping.SESSION_WINDOW * 2, tick=False):
        profile.add_skill(w.case, skill_id("SQL"), level="basic", source="work", actor=w.adviser)
    profile.add_skill(w.case, skill_id("GDPR"), level="basic", source="work", actor=w.adviser)
    activity = mapping.record_session(w.case, actor=w.adviser, kind="note", duration_minutes=None, note=None)
    assert activity.text == "Skills mapping session: 0 skills validated, 1 added"


def test_a_bad_session_form_is_refused_beside_its_fields(app, client, f):
    w = mapped_world(f)
    f.login(client, w.adviser)
    answer = client.post(
        f"/cases/{w.case.id}/skills/session", data={"kind": "party", "duration_minutes": "99999", "note": "kept"}
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "From 1 to 1440 minutes." in html and "Not a valid choice" in html and "kept</textarea>" in html
    assert db.session.scalar(select(Activity.id)) is None


def test_only_the_cases_adviser_records_a_session_or_notes_languages(app, f):
    w = mapped_world(f)
    profile.add_target(w.case, occupation_id("data analyst"), actor=w.spouse)
    for actor in (w.spouse, w.other):
        with pytest.raises(mapping.NotAdviser):
            mapping.record_session(w.case, actor=actor, kind="note", duration_minutes=None, note=None)
        with pytest.raises(mapping.NotAdviser):
            mapping.set_language_requirement(
                w.case, occupation_id("data analyst"), language="fi", level="B1", actor=actor
            )
    # A lead may.
    mapping.set_language_requirement(w.case, occupation_id("data analyst"), language="fi", level="B1", actor=w.lead)


def test_language_levels_for_a_target_are_noted_changed_and_removed(app, client, f):
    w = mapped_world(f)
    analyst = occupation_id("data analyst")
    profile.add_target(w.case, analyst, actor=w.spouse)
    db.session.commit()
    f.login(client, w.adviser)
    base = f"/cases/{w.case.id}/skills/targets/{analyst}/languages"
    assert client.post(base, data={"language": "fi", "level": "B1"}).status_code == 302
    assert client.post(base, data={"language": "fi", "level": "B2"}).status_code == 302
    assert db.session.execute(select(CaseTargetLanguage.language, CaseTargetLanguage.level)).all() == [("fi", "B2")]
    html = client.get(f"/cases/{w.case.id}/skills").get_data(as_text=True)
    assert "Finnish at least B2" in html
    answer = client.post(base, data={"language": "xx-nonsense", "level": "Z9"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "Choose a language from the list." in html
    assert client.post(f"{base}/fi/remove").status_code == 302
    assert db.session.scalar(select(CaseTargetLanguage.id)) is None
    # Removing the target removes its notes with it.
    client.post(base, data={"language": "sv", "level": "A2"})
    client.post(f"/cases/{w.case.id}/skills/targets/{analyst}/remove")
    assert db.session.scalar(select(CaseTargetLanguage.id)) is None


def test_validate_all_confirms_every_skill_waiting_and_the_session_counts_them(app, client, f):
    w = mapped_world(f)
    for label in ("SQL", "JavaScript", "GDPR"):
        profile.add_skill(w.case, skill_id(label), level="basic", source="work", actor=w.spouse)
    profile.validate_skill(w.case, skill_id("SQL"), actor=w.lead)
    db.session.commit()
    f.login(client, w.adviser)
    html = client.get(f"/cases/{w.case.id}/skills").get_data(as_text=True)
    assert "Validate all 2 skills not validated yet" in html
    assert client.post(f"/cases/{w.case.id}/skills/validate-all").status_code == 302
    rows = db.session.execute(select(CaseSkill.skill_id, CaseSkill.validated_by_id)).all()
    assert dict(rows) == {
        skill_id("SQL"): w.lead.id,
        skill_id("JavaScript"): w.adviser.id,
        skill_id("GDPR"): w.adviser.id,
    }
    assert "Validate all" not in client.get(f"/cases/{w.case.id}/skills").get_data(as_text=True)
    activity = mapping.record_session(w.case, actor=w.adviser, kind="meeting", duration_minutes=30, note=None)
    assert activity.text == "Skills mapping session: 2 skills validated, 0 added"
    with pytest.raises(mapping.NotAdviser):
        mapping.validate_all(w.case, actor=w.spouse)
