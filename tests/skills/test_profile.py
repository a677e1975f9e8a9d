"""The spouse's skills profile: skills with level and source, validation, targets, past occupations."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError

from hiddengems.audit.models import AuditEvent
from hiddengems.extensions import db
from hiddengems.skills import profile
from hiddengems.skills.models import CaseSkill, CaseTargetOccupation, Occupation, Skill
from hiddengems.skills.starter import load_starter


@pytest.fixture
def setup(app, f):
    load_starter()
    db.session.commit()
    spouse, adviser = f.user("spouse"), f.user("adviser")
    case = f.assign(spouse, adviser, "skills")
    return case, spouse, adviser


def skill_id(label: str) -> int:
    return db.session.scalar(select(Skill.id).where(Skill.preferred_label == label))


def occupation_id(label: str) -> int:
    return db.session.scalar(select(Occupation.id).where(Occupation.preferred_label == label))


def test_a_spouse_adds_skills_and_an_adviser_validates_them(setup):
    case, spouse, adviser = setup
    row = profile.add_skill(case, skill_id("SQL"), level="advanced", source="work", actor=spouse)
    assert not row.validated and row.added_by_id == spouse.id
    profile.validate_skill(case, skill_id("SQL"), actor=adviser)
    db.session.commit()
    row = db.session.get(CaseSkill, row.id)
    assert row.validated and row.validated_by_id == adviser.id

    # What the adviser adds is validated by them at once.
    added = profile.add_skill(case, skill_id("JavaScript"), level="basic", source="study", actor=adviser)
    assert added.validated_by_id == adviser.id
    assert profile.held_skill_ids(case.id) == {skill_id("SQL"), skill_id("JavaScript")}
    profile.remove_skill(case, skill_id("JavaScript"), actor=spouse)
    assert profile.held_skill_ids(case.id, validated_only=True) == {skill_id("SQL")}
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == case.id)).all()
    assert {"skills.skill_added", "skills.skill_validated", "skills.skill_removed"} <= set(actions)


def test_a_change_by_the_spouse_undoes_the_validation_an_advisers_correction_keeps_it(setup):
    case, spouse, adviser = setup
    sql = skill_id("SQL")
    profile.add_skill(case, sql, level="advanced", source="work", actor=spouse)
    profile.validate_skill(case, sql, actor=adviser)
    row = profile.update_skill(case, sql, level="expert", source="work", actor=spouse)
    assert not row.validated
    row = profile.update_skill(case, sql, level="intermediate", source="training", actor=adviser)
    assert (row.level, row.source, row.validated_by_id) == ("intermediate", "training", adviser.id)
    # Saving the same values changes nothing, so the validation stays.
    assert profile.update_skill(case, sql, level="intermediate", source="training", actor=spouse).validated


def test_only_an_adviser_validates(setup, f):
    case, spouse, _ = setup
    profile.add_skill(case, skill_id("SQL"), level="basic", source="other", actor=spouse)
    for actor in (spouse, f.user("hr"), f.user("admin")):
        with pytest.raises(profile.NotAllowed):
            profile.validate_skill(case, skill_id("SQL"), actor=actor)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"level": "master"}, profile.BadLevel),
        ({"level": ""}, profile.BadLevel),
        ({"source": "hobby"}, profile.BadSource),
        ({"skill": 10**6}, profile.UnknownSkill),
        ({"skill": 10**30}, profile.UnknownSkill),
        ({"skill": -1}, profile.UnknownSkill),
        ({"skill": "12"}, profile.UnknownSkill),
        ({"skill": None}, profile.UnknownSkill),
        ({"skill": True}, profile.UnknownSkill),
    ],
)
def test_bad_skill_input_gets_a_message_for_its_field(setup, change, error):
    case, spouse, _ = setup
    values = {"skill": skill_id("SQL"), "level": "basic", "source": "work", **change}
    with pytest.raises(error) as raised:
        profile.add_skill(case, values["skill"], level=values["level"], source=values["source"], actor=spouse)
    assert raised.value.field in ("skill", "level", "source") and str(raised.value).endswith(".")
    assert profile.held_skill_ids(case.id) == set()


def test_a_skill_is_held_once(setup):
    case, spouse, adviser = setup
    profile.add_skill(case, skill_id("SQL"), level="basic", source="work", actor=spouse)
    with pytest.raises(profile.DuplicateSkill):
        profile.add_skill(case, skill_id("SQL"), level="expert", source="work", actor=adviser)
    # The database says so too, whatever the code above does.
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(CaseSkill(case_id=case.id, skill_id=skill_id("SQL"), level="basic", source="work"))
    assert len(profile.load_profile(case.id).skills) == 1


def test_an_obsolete_skill_or_occupation_cannot_be_chosen(setup):
    case, spouse, _ = setup
    db.session.get(Skill, skill_id("SQL")).obsolete = True
    db.session.get(Occupation, occupation_id("accountant")).obsolete = True
    with pytest.raises(profile.UnknownSkill):
        profile.add_skill(case, skill_id("SQL"), level="basic", source="work", actor=spouse)
    with pytest.raises(profile.UnknownOccupation):
        profile.add_target(case, occupation_id("accountant"), actor=spouse)


def test_changes_to_a_skill_not_held(setup):
    case, spouse, adviser = setup
    with pytest.raises(profile.NotHeld):
        profile.update_skill(case, skill_id("SQL"), level="basic", source="work", actor=spouse)
    with pytest.raises(profile.NotHeld):
        profile.remove_skill(case, 10**30, actor=spouse)
    with pytest.raises(profile.NotHeld):
        profile.validate_skill(case, skill_id("SQL"), actor=adviser)


def test_at_most_three_targets(setup):
    case, spouse, _ = setup
    ids = [occupation_id(label) for label in ("data scientist", "data analyst", "statistician", "economist")]
    for target in ids[:3]:
        profile.add_target(case, target, actor=spouse)
    with pytest.raises(profile.TooManyTargets):
        profile.add_target(case, ids[3], actor=spouse)
    with pytest.raises(profile.DuplicateTarget):
        profile.add_target(case, ids[0], actor=spouse)
    assert profile.target_occupation_ids(case.id) == ids[:3]

    # A freed place is taken again, so the order stays the spouse's.
    profile.remove_target(case, ids[1], actor=spouse)
    profile.add_target(case, ids[3], actor=spouse)
    assert profile.target_occupation_ids(case.id) == [ids[0], ids[3], ids[2]]
    with pytest.raises(profile.UnknownOccupation):
        profile.remove_target(case, ids[1], actor=spouse)
    with pytest.raises(profile.UnknownOccupation):
        profile.add_target(case, 10**30, actor=spouse)


@pytest.mark.parametrize("position", [4, 0, 2])
def test_the_database_refuses_a_fourth_target_or_a_taken_place(setup, position):
    case, spouse, _ = setup
    for target in ("data scientist", "data analyst", "statistician"):
        profile.add_target(case, occupation_id(target), actor=spouse)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(
            CaseTargetOccupation(case_id=case.id, occupation_id=occupation_id("economist"), position=position)
        )


@pytest.mark.postgres
def test_two_targets_added_at_once_cannot_make_four(setup):
    case, spouse, _ = setup
    for target in ("data scientist", "data analyst"):
        profile.add_target(case, occupation_id(target), actor=spouse)
    db.session.commit()
    economist, statistician = occupation_id("economist"), occupation_id("statistician")

    raced: list[bool] = []

    def other_request_first(session, flush_context, instances):
        # Between this request's check (two targets) and its insert, another one adds the third.
        if raced:
            return
        raced.append(True)
        with db.engine.begin() as other:
            other.execute(
                text(
                    "INSERT INTO case_target_occupation (case_id, occupation_id, position, created_at) "
                    "VALUES (:c, :o, 3, now())"
                ),
                {"c": case.id, "o": statistician},
            )

    event.listen(db.session, "before_flush", other_request_first)
    try:
        with pytest.raises(profile.TooManyTargets):
            profile.add_target(case, economist, actor=spouse)
    finally:
        event.remove(db.session, "before_flush", other_request_first)
    db.session.rollback()
    assert profile.target_occupation_ids(case.id) == [
        occupation_id("data scientist"),
        occupation_id("data analyst"),
        statistician,
    ]


def test_past_occupations_with_years(setup):
    case, spouse, adviser = setup
    accountant = occupation_id("accountant")
    profile.set_past_occupation(case, accountant, years=6, job_title="  Contadora ", actor=spouse)
    row = profile.set_past_occupation(case, accountant, years=7, job_title="Contadora", actor=adviser)
    assert (row.years, row.job_title) == (7, "Contadora")
    assert len(profile.load_profile(case.id).past) == 1
    for years in (-1, 61, "3", 2.5, True):
        with pytest.raises(profile.BadYears):
            profile.set_past_occupation(case, accountant, years=years, job_title=None, actor=spouse)
    with pytest.raises(profile.BadJobTitle):
        profile.set_past_occupation(case, accountant, years=None, job_title="x" * 201, actor=spouse)
    with pytest.raises(profile.UnknownOccupation):
        profile.set_past_occupation(case, 10**6, years=1, job_title=None, actor=spouse)
    profile.remove_past_occupation(case, accountant, actor=spouse)
    assert profile.load_profile(case.id).past == []


def test_the_profile_loads_in_a_fixed_number_of_queries(setup, queries):
    case, spouse, _ = setup
    case_id = case.id

    def load() -> int:
        db.session.expire_all()
        with queries:
            loaded = profile.load_profile(case_id)
            # Everything a page shows, without another query.
            [(row.skill.preferred_label, row.level) for row in loaded.skills]
            [(row.occupation.preferred_label, row.occupation.isco_group.code) for row in loaded.targets]
            [row.occupation.preferred_label for row in loaded.past]
        return queries.count

    profile.add_skill(case, skill_id("SQL"), level="basic", source="work", actor=spouse)
    profile.add_target(case, occupation_id("data analyst"), actor=spouse)
    profile.set_past_occupation(case, occupation_id("accountant"), years=3, job_title=None, actor=spouse)
    small = load()
    for label in ("JavaScript", "web programming", "think analytically", "work in teams", "solve problems"):
        profile.add_skill(case, skill_id(label), level="advanced", source="study", actor=spouse)
    for label in ("web developer", "data scientist"):
        profile.add_target(case, occupation_id(label), actor=spouse)
    profile.set_past_occupation(case, occupation_id("economist"), years=2, job_title=None, actor=spouse)
    assert load() == small == 3
    loaded = profile.load_profile(case.id)
    assert [row.skill.preferred_label for row in loaded.skills][:2] == ["JavaScript", "SQL"]
    assert loaded.held_skill_ids == profile.held_skill_ids(case.id)
