"""The catalogue and the enrolment rules, without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from hiddengems.cases.models import Activity
from hiddengems.extensions import db
from hiddengems.intake.models import IntakeProfile, LanguageSkill
from hiddengems.skills import profile
from hiddengems.skills.models import CaseSkill
from hiddengems.skills.starter import load_starter
from hiddengems.timeutil import helsinki_today
from hiddengems.training import queries, recommendations, services
from hiddengems.training.models import Enrolment, Programme, ProgrammeSkill
from hiddengems.training.services import TrainingError
from tests.training.helpers import occupation_with_skills, programme, values


@pytest.fixture
def ctx(app):
    # A POST, as in the routes: its transactions take SQLite's write lock.
    with app.test_request_context(method="POST"):
        yield


def spouses(f, adviser, n: int):
    return [f.assign(f.user("spouse", name=f"Spouse {i}"), adviser, "training") for i in range(n)]


def test_end_before_start_and_capacity_out_of_range_are_refused(app, f):
    adviser = f.user("adviser")
    today = helsinki_today()
    with pytest.raises(TrainingError) as refused:
        programme(adviser, starts_on=today, ends_on=today - timedelta(days=1))
    assert (refused.value.code, refused.value.field) == ("end_before_start", "ends_on")
    assert services.programme_problems(values(capacity=-1))["capacity"] == "capacity_range"
    # Ongoing (no end) and one-day programmes are fine.
    assert services.programme_problems(values(ends_on=None)) == {}
    assert services.programme_problems(values(starts_on=today, ends_on=today)) == {}


def test_applications_fill_the_places_then_the_waitlist(app, f, ctx):
    adviser = f.user("adviser")
    course = programme(adviser, capacity=2)
    cases = spouses(f, adviser, 3)
    enrolments = [services.apply(case, course, actor=adviser) for case in cases]
    assert {e.status for e in enrolments} == {"applied"}
    statuses = [services.confirm(e, actor=adviser) for e in enrolments]
    db.session.commit()
    assert statuses == ["enrolled", "enrolled", "waitlisted"]
    assert db.session.get(Programme, course.id).enrolled == 2
    assert queries.waitlist_place(enrolments[2]) == 1


def test_a_freed_place_goes_to_the_first_on_the_waitlist_who_gets_an_email(app, f, ctx):
    adviser = f.user("adviser")
    course = programme(adviser, capacity=1, auto_confirm=True, title="Finnish for work A2")
    first, second, third = spouses(f, adviser, 3)
    held = services.apply(first, course, actor=adviser)
    waiting = services.apply(second, course, actor=adviser)
    later = services.apply(third, course, actor=adviser)
    db.session.commit()
    assert (held.status, waiting.status, later.status) == ("enrolled", "waitlisted", "waitlisted")

    services.end(held, "dropped", actor=adviser)
    db.session.commit()
    assert db.session.get(Enrolment, waiting.id).status == "enrolled"
    assert db.session.get(Enrolment, later.id).status == "waitlisted"
    assert db.session.get(Programme, course.id).enrolled == 1
    mail = f.outbox("training_moved_up")
    assert len(mail) == 1
    assert mail[0].user_id == second.spouse_id
    assert "Finnish for work A2" in mail[0].subject and f"/training/programmes/{course.id}" in mail[0].body


def test_raising_the_capacity_moves_the_waitlist_up_and_lowering_it_below_the_enrolled_is_refused(app, f, ctx):
    adviser = f.user("adviser")
    course = programme(adviser, capacity=1, auto_confirm=True)
    cases = spouses(f, adviser, 3)
    for case in cases:
        services.apply(case, course, actor=adviser)
    db.session.commit()
    services.update_programme(course, values(title=course.title, capacity=2), skill_ids=[], actor=adviser)
    db.session.commit()
    assert db.session.get(Programme, course.id).enrolled == 2
    assert len(f.outbox("training_moved_up")) == 1
    with pytest.raises(TrainingError) as refused:
        services.update_programme(course, values(capacity=1), skill_ids=[], actor=adviser)
    assert refused.value.code == "below_enrolled"


def test_the_database_refuses_more_enrolled_than_places(app, f):
    course = programme(f.user("adviser"), capacity=1)
    with pytest.raises(IntegrityError):
        db.session.execute(update(Programme).where(Programme.id == course.id).values(enrolled=2))
        db.session.flush()
    db.session.rollback()


def test_applying_twice_or_to_a_closed_or_ended_programme_is_refused(app, f, ctx):
    adviser = f.user("adviser")
    (case,) = spouses(f, adviser, 1)
    course = programme(adviser)
    services.apply(case, course, actor=adviser)
    with pytest.raises(TrainingError) as twice:
        services.apply(case, course, actor=adviser)
    assert twice.value.code == "already"
    closed = programme(adviser, open_for_signup=False)
    with pytest.raises(TrainingError) as refused:
        services.apply(case, closed, actor=adviser)
    assert refused.value.code == "closed"
    today = helsinki_today()
    ended = programme(adviser, starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1))
    with pytest.raises(TrainingError):
        services.apply(case, ended, actor=adviser)
    case.stage = "closed"
    with pytest.raises(TrainingError) as closed_case:
        services.apply(case, programme(adviser), actor=adviser)
    assert closed_case.value.code == "case_closed"


def test_after_dropping_a_spouse_may_apply_again(app, f, ctx):
    adviser = f.user("adviser")
    (case,) = spouses(f, adviser, 1)
    course = programme(adviser, auto_confirm=True)
    enrolment = services.apply(case, course, actor=adviser)
    services.end(enrolment, "dropped", actor=adviser)
    assert services.apply(case, course, actor=adviser).status == "enrolled"
    assert db.session.scalar(select(db.func.count()).select_from(Enrolment)) == 1


def test_completion_adds_the_skills_as_evidence_waiting_for_validation_and_shows_on_the_timeline(app, f, ctx):
    load_starter()
    adviser = f.user("adviser")
    (case,) = spouses(f, adviser, 1)
    _occupation, skills = occupation_with_skills(3)
    profile.add_skill(case, skills[0].id, level="advanced", source="work", actor=adviser)
    course = programme(adviser, auto_confirm=True, skill_ids=[s.id for s in skills[:3]], title="Data analysis basics")
    enrolment = services.apply(case, course, actor=adviser)
    with pytest.raises(TrainingError):  # a place at once: nothing left to confirm
        services.confirm(enrolment, actor=adviser)
    done = services.complete(enrolment, certificate="Certificate 123", grade="4/5", actor=adviser)
    db.session.commit()
    assert sorted(done.skills_added) == sorted(s.id for s in skills[1:3])
    rows = {row.skill_id: row for row in db.session.scalars(select(CaseSkill).where(CaseSkill.case_id == case.id))}
    assert rows[skills[0].id].source == "work"  # what they had stays as it was
    for skill in skills[1:3]:
        assert rows[skill.id].source == "training" and rows[skill.id].validated_at is None
    note = db.session.scalar(select(Activity).where(Activity.case_id == case.id, Activity.kind == "note"))
    assert "Data analysis basics" in note.text and "4/5" in note.text and note.shared_with_spouse
    with pytest.raises(TrainingError):
        services.complete(enrolment, certificate="", grade="", actor=adviser)


def test_only_an_enrolled_spouse_completes_and_attendance_waits_for_the_event(app, f, ctx):
    adviser = f.user("adviser")
    (case,) = spouses(f, adviser, 1)
    event = programme(adviser, kind="event", capacity=5)
    enrolment = services.apply(case, event, actor=adviser)
    with pytest.raises(TrainingError):
        services.complete(enrolment, certificate="", grade="", actor=adviser)
    services.confirm(enrolment, actor=adviser)
    with pytest.raises(TrainingError) as early:
        services.record_attendance(enrolment, True, actor=adviser)
    assert early.value.code == "not_yet"
    services.record_attendance(enrolment, True, actor=adviser, today=event.starts_on)
    assert enrolment.attended is True


def test_a_copy_is_the_next_round_with_the_same_skills_and_no_dates(app, f):
    load_starter()
    adviser = f.user("adviser")
    _occupation, skills = occupation_with_skills(2)
    course = programme(adviser, skill_ids=[skills[0].id, skills[1].id], capacity=12)
    copy = services.copy_programme(course, actor=adviser)
    db.session.commit()
    assert (copy.title, copy.capacity, copy.copied_from_id) == (course.title, 12, course.id)
    assert copy.starts_on is None and copy.ends_on is None and not copy.open_for_signup and copy.enrolled == 0
    taught = set(db.session.scalars(select(ProgrammeSkill.skill_id).where(ProgrammeSkill.programme_id == copy.id)))
    assert taught == {skills[0].id, skills[1].id}


def _speaks(case, **levels):
    intake = db.session.scalar(select(IntakeProfile).where(IntakeProfile.case_id == case.id))
    if intake is None:
        intake = IntakeProfile(case_id=case.id)
        db.session.add(intake)
        db.session.flush()
    for language, level in levels.items():
        db.session.add(LanguageSkill(profile_id=intake.id, language=language, level=level))
    db.session.commit()


def test_recommendations_rank_by_gap_skills_taught_and_say_why(app, f, ctx):
    load_starter()
    adviser = f.user("adviser")
    (case,) = spouses(f, adviser, 1)
    occupation, skills = occupation_with_skills(4)
    profile.add_target(case, occupation.id, actor=adviser)
    profile.add_skill(case, skills[0].id, level="advanced", source="work", actor=adviser)
    _speaks(case, en="C1", fi="A2")
    missing = len(skills) - 1
    best = programme(adviser, skill_ids=[s.id for s in skills[1:4]], title="Three skills")
    one = programme(adviser, skill_ids=[skills[1].id], title="One skill")
    finnish = programme(
        adviser, skill_ids=[s.id for s in skills[1:4]], language="fi", min_finnish="B2", title="Suomeksi"
    )
    programme(adviser, skill_ids=[skills[0].id], title="Only what they hold")
    programme(adviser, skill_ids=[s.id for s in skills[1:4]], open_for_signup=False, title="Closed")

    found = recommendations.for_case(case.id, today=helsinki_today())
    titles = [item.programme.title for item in found.items]
    assert titles == ["Three skills", "Suomeksi", "One skill"]
    first = found.items[0]
    assert first.reasons == [
        f"teaches 3 of the {missing} skills missing for {occupation.preferred_label}",
        "taught in English",
    ]
    assert found.items[1].reasons[1] == "needs Finnish B2"
    assert best.id != one.id != finnish.id


def test_a_hand_recommendation_comes_first_with_its_note_and_applied_ones_drop_out(app, f, ctx):
    load_starter()
    adviser = f.user("adviser")
    (case,) = spouses(f, adviser, 1)
    occupation, skills = occupation_with_skills(2)
    profile.add_target(case, occupation.id, actor=adviser)
    taught = programme(adviser, skill_ids=[skills[0].id], title="Teaches one")
    mentoring = programme(adviser, kind="mentoring", title="Mentoring circle")
    services.recommend(case, mentoring, note="Meet Sanna, she worked in your field.", actor=adviser)
    db.session.commit()
    found = recommendations.for_case(case.id, today=helsinki_today())
    assert [item.programme.title for item in found.items] == ["Mentoring circle", "Teaches one"]
    assert found.items[0].by_hand.note == "Meet Sanna, she worked in your field."

    services.apply(case, taught, actor=adviser)
    services.apply(case, mentoring, actor=adviser)
    db.session.commit()
    assert recommendations.for_case(case.id, today=helsinki_today()).items == []
    with pytest.raises(TrainingError):
        services.recommend(case, mentoring, note="again", actor=adviser)


def test_language_levels_the_spouse_does_not_meet_are_listed(app, f):
    adviser = f.user("adviser")
    (case,) = spouses(f, adviser, 1)
    _speaks(case, fi="A2", en="B2")
    course = programme(adviser, language="fi", min_finnish="B1", min_english="B1")
    assert queries.language_shortfalls(course, queries.spouse_levels(case.id)) == [("fi", "B1", "A2")]
