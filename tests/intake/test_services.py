"""The intake's rules, without HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hiddengems.audit.models import AuditEvent
from hiddengems.cases.models import StageChange
from hiddengems.extensions import db
from hiddengems.intake import services
from hiddengems.intake.models import LanguageSkill, WorkExperience
from hiddengems.intake.steps import REQUIRED_STEPS


def _complete(case, actor) -> None:
    answers = {
        "contact": {"city": "Tampere", "contact_language": "en"},
        "host": {"organisation_id": case.organisation_id, "partner_unit": None},
        "arrival": {"arrival_date": date(2026, 9, 1), "stay_length": "2_4"},
        "permit": {"right_to_work": "yes", "permit_type": "family"},
        "education": {"education_level": 7, "education_field": "05", "degree_recognition": "no"},
        "work": {"rows": []},
        "languages": {"levels": {"fi": None, "sv": None, "en": "B2"}},
        "goals": {"career_goals": "Research work"},
        "availability": {"availability": "full_time", "available_from": date(2026, 12, 1)},
    }
    for step, data in answers.items():
        profile = services.load_profile(case.id)
        services.save_step(case, step, data, actor=actor, expected_version=profile.version if profile else 0)
    db.session.commit()


def test_first_save_creates_the_profile_and_marks_the_step(app, f):
    spouse = f.user("spouse")
    case = f.case_of(spouse)
    assert services.load_profile(case.id) is None
    profile = services.save_step(
        case, "contact", {"city": "Espoo", "contact_language": "fi"}, actor=spouse, expected_version=0
    )
    db.session.commit()
    assert profile.city == "Espoo"
    assert profile.completed_steps == ["contact"]
    assert services.missing_steps(profile) == [s for s in REQUIRED_STEPS if s != "contact"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "intake.step_saved"))
    assert (event.object_type, event.object_id, event.actor_id) == ("case", case.id, spouse.id)
    assert event.detail == {"step": "contact"}


def test_a_stale_version_is_refused_and_nothing_written(app, f):
    spouse = f.user("spouse")
    case = f.case_of(spouse)
    services.save_step(case, "contact", {"city": "Espoo", "contact_language": "fi"}, actor=spouse, expected_version=0)
    db.session.commit()
    version = services.load_profile(case.id).version
    services.save_step(
        case, "contact", {"city": "Vantaa", "contact_language": "fi"}, actor=spouse, expected_version=version
    )
    db.session.commit()
    with pytest.raises(services.StaleProfile):
        services.save_step(
            case, "contact", {"city": "Turku", "contact_language": "fi"}, actor=spouse, expected_version=version
        )
    db.session.rollback()
    assert services.load_profile(case.id).city == "Vantaa"


def test_rows_are_replaced_and_every_save_bumps_the_version(app, f):
    spouse = f.user("spouse")
    case = f.case_of(spouse)
    rows = [{"job_title": "Chemist", "employer": "Acme", "country": "IN", "years": 5}, {"job_title": "Teacher"}]
    profile = services.save_step(case, "work", {"rows": rows}, actor=spouse, expected_version=0)
    db.session.commit()
    version = profile.version
    profile = services.save_step(
        case, "work", {"rows": [{"job_title": "Teacher", "years": 2}]}, actor=spouse, expected_version=version
    )
    db.session.commit()
    assert profile.version == version + 1
    assert [w.job_title for w in services.load_profile(case.id).work] == ["Teacher"]
    assert db.session.scalar(select(db.func.count()).select_from(WorkExperience)) == 1


def test_languages_keep_one_row_each_and_none_means_no_row(app, f):
    spouse = f.user("spouse")
    case = f.case_of(spouse)
    levels = {"fi": "A2", "sv": None, "en": "C2", "es": "B1"}
    services.save_step(case, "languages", {"levels": levels}, actor=spouse, expected_version=0)
    db.session.commit()
    profile = services.load_profile(case.id)
    assert {(s.language, s.level) for s in profile.languages} == {("fi", "A2"), ("en", "C2"), ("es", "B1")}
    # Saving again reuses the same (profile, language) keys without tripping the unique constraint.
    services.save_step(
        case, "languages", {"levels": {**levels, "fi": "B1"}}, actor=spouse, expected_version=profile.version
    )
    db.session.commit()
    assert {s.level for s in services.load_profile(case.id).languages if s.language == "fi"} == {"B1"}


def test_the_database_refuses_a_cefr_level_that_does_not_exist(app, f):
    spouse = f.user("spouse")
    case = f.case_of(spouse)
    profile = services.save_step(case, "languages", {"levels": {"en": "B2"}}, actor=spouse, expected_version=0)
    db.session.commit()
    db.session.add(LanguageSkill(profile_id=profile.id, language="de", level="D9"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_submit_needs_every_required_step(app, f):
    spouse = f.user("spouse")
    case = f.case_of(spouse)
    profile = services.save_step(
        case, "contact", {"city": "Espoo", "contact_language": "fi"}, actor=spouse, expected_version=0
    )
    with pytest.raises(services.IncompleteIntake) as raised:
        services.submit(profile, case, actor=spouse)
    assert "contact" not in raised.value.missing and "goals" in raised.value.missing
    assert "monitoring" not in raised.value.missing  # optional
    assert case.stage == "registered"


def test_submit_moves_the_case_to_the_intake_queue_once(app, f):
    spouse = f.user("spouse")
    case = f.case_of(spouse)
    _complete(case, spouse)
    profile = services.load_profile(case.id)
    services.submit(profile, case, actor=spouse)
    db.session.commit()
    assert case.stage == "intake" and case.adviser_id is None
    assert profile.submitted_at is not None
    # Submitting again (e.g. a double click) changes no stage.
    services.submit(profile, case, actor=spouse)
    db.session.commit()
    changes = db.session.scalars(select(StageChange.to_stage).where(StageChange.case_id == case.id)).all()
    assert changes == ["registered", "intake"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "intake.submitted")).object_id == case.id


def test_submit_does_not_move_a_case_that_is_already_further(app, f):
    spouse = f.user("spouse")
    adviser = f.user("adviser")
    case = f.assign(spouse, adviser, "skills")
    _complete(case, spouse)
    services.submit(services.load_profile(case.id), case, actor=spouse)
    db.session.commit()
    assert case.stage == "skills"


def test_load_profile_makes_one_query_whatever_the_number_of_rows(app, f, queries):
    case_ids = {}
    for n in (1, 12):
        spouse = f.user("spouse")
        case = f.case_of(spouse)
        rows = [{"job_title": f"Job {i}", "years": 1} for i in range(n)]
        services.save_step(case, "work", {"rows": rows}, actor=spouse, expected_version=0)
        profile = services.load_profile(case.id)
        levels = dict.fromkeys(("fi", "en", "de", "fr", "es", "it", "pt", "ru", "zh", "ja")[:n], "B1")
        services.save_step(case, "languages", {"levels": levels}, actor=spouse, expected_version=profile.version)
        db.session.commit()
        case_ids[n] = case.id
    counts = []
    for n, case_id in case_ids.items():
        db.session.expunge_all()
        with queries:
            profile = services.load_profile(case_id)
            assert [job.job_title for job in profile.work] == [f"Job {i}" for i in range(n)]
            assert len(profile.languages) == min(n, 10)
        counts.append(queries.count)
    assert counts == [1, 1]


def test_only_the_own_adviser_or_a_lead_may_edit(app, f):
    spouse = f.user("spouse")
    own, other, lead = f.user("adviser"), f.user("adviser"), f.user("adviser", lead=True)
    case = f.assign(spouse, own, "intake")
    hr, admin = f.user("hr"), f.user("admin")
    assert case.can_edit(own)
    assert case.can_edit(lead)
    for user in (other, spouse, hr, admin):
        assert not case.can_edit(user)
