"""The directory's and the openings' rules, without HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hiddengems.audit.models import AuditEvent
from hiddengems.employers import queries, services
from hiddengems.employers.models import EmployerContact, Opening, OpeningSkill
from hiddengems.employers.queries import DirectoryFilters
from hiddengems.employers.services import EmployerError, business_id_problem, normalise_business_id
from hiddengems.extensions import db
from hiddengems.skills.models import Skill
from hiddengems.skills.starter import load_starter
from tests.employers.helpers import employer, opening


@pytest.mark.parametrize("good", ["0112038-9", "1572860-0", "2331972-7"])
def test_real_business_ids_pass_their_check_digit(good):
    assert business_id_problem(good) is None


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ("0112038-8", "business_id_check"),  # Nokia's with the last digit off by one
        ("0112083-9", "business_id_check"),  # two digits swapped
        ("1234561-0", "business_id_check"),  # remainder 1: never issued
        ("01120389", "business_id_format"),
        ("0112038-", "business_id_format"),
        ("O112038-9", "business_id_format"),
        ("٠١١٢٠٣٨-٩", "business_id_format"),  # Arabic-Indic digits
        ("", "business_id_format"),
    ],
)
def test_wrong_business_ids_are_refused_with_the_reason(bad, code):
    assert business_id_problem(bad) == code


def test_an_old_six_digit_id_gets_its_leading_zero_and_spaces_go():
    assert normalise_business_id(" 112038-9 ") == "0112038-9"
    assert normalise_business_id("0112 038-9") == "0112038-9"


def test_a_business_id_is_unique_but_optional(app, f):
    adviser = f.user("adviser")
    employer(adviser, business_id="0112038-9")
    employer(adviser, business_id=None, name="Embassy of Spain")
    employer(adviser, business_id=None, name="University of Tampere")
    with pytest.raises(EmployerError) as refused:
        employer(adviser, business_id="0112038-9", name="Nokia again")
    assert (refused.value.code, refused.value.field) == ("business_id_taken", "business_id")


def test_the_service_refuses_a_bad_check_digit_even_past_the_form(app, f):
    with pytest.raises(EmployerError) as refused:
        employer(f.user("adviser"), business_id="0112038-1")
    assert refused.value.code == "business_id_check"


def test_the_directory_searches_name_business_id_city_and_language_and_hides_merged(app, f):
    adviser = f.user("adviser")
    nokia = employer(adviser, name="Nokia Oyj", business_id="0112038-9", city="Espoo")
    employer(adviser, name="Nokia Solutions", city="Espoo", working_language="finnish_needed")
    employer(adviser, name="Kone Oyj", city="Espoo")
    dup = employer(adviser, name="Nokia (duplicate)", city="Espoo")
    services.merge_employers(dup, nokia, actor=adviser)
    db.session.commit()

    def names(**given):
        return [e.name for e in queries.directory(DirectoryFilters(**given), page=1, per_page=50).items]

    assert names(q="nokia") == ["Nokia Oyj", "Nokia Solutions"]
    assert names(q="0112038") == ["Nokia Oyj"]
    assert names(city="esp", working_language="finnish_needed") == ["Nokia Solutions"]
    assert names(q="100%_") == []  # LIKE's wildcards are text


def test_merging_moves_contacts_and_openings_and_keeps_the_duplicate_pointing_on(app, f):
    adviser = f.user("adviser")
    keeper = employer(adviser, name="Kone Oyj")
    dup = employer(adviser, name="KONE", business_id="1572860-0")
    services.add_contact(dup, {"name": "Liisa", "email": "liisa@kone.example"}, actor=adviser)
    job = opening(adviser, dup, title="Service technician")
    services.merge_employers(dup, keeper, actor=adviser)
    db.session.commit()

    assert db.session.get(Opening, job.id).employer_id == keeper.id
    assert [c.name for c in queries.load_employer(keeper.id).contacts] == ["Liisa"]
    assert dup.merged_into_id == keeper.id and not dup.can_edit(adviser)
    assert keeper.business_id == "1572860-0"  # the keeper had none: it takes the duplicate's
    merged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "employers.employer_merged")).one()
    assert merged.object_id == keeper.id and merged.detail == {"merged": dup.id}
    with pytest.raises(EmployerError):
        services.merge_employers(dup, keeper, actor=adviser)
    with pytest.raises(EmployerError):
        services.merge_employers(keeper, keeper, actor=adviser)


def test_a_removed_contact_leaves_the_list_but_not_the_table(app, f):
    adviser = f.user("adviser")
    at = employer(adviser)
    contact = services.add_contact(at, {"name": "Pekka"}, actor=adviser)
    db.session.commit()
    assert services.remove_contact(contact, actor=adviser) is True
    assert services.remove_contact(contact, actor=adviser) is False
    db.session.commit()
    assert queries.load_employer(at.id).contacts == []
    assert db.session.get(EmployerContact, contact.id).removed_at is not None


def test_an_opening_keeps_essential_and_nice_skills_apart_and_refuses_unknown_ones(app, f):
    load_starter()
    adviser = f.user("adviser")
    skills = db.session.scalars(select(Skill.id).order_by(Skill.id).limit(3)).all()
    job = opening(adviser, employer(adviser), essential=skills[:2], nice=skills[1:])
    rows = {(r.skill_id, r.essential) for r in db.session.scalars(select(OpeningSkill))}
    # A skill named both ways is essential.
    assert rows == {(skills[0], True), (skills[1], True), (skills[2], False)}
    with pytest.raises(EmployerError) as refused:
        services.update_opening(
            job, {"kind": "job", "title": "Developer", "status": "open"}, essential=[2**31 - 1], nice=[], actor=adviser
        )
    assert refused.value.code == "unknown_skill"


def test_an_opening_needs_a_known_kind_and_status(app, f):
    adviser = f.user("adviser")
    at = employer(adviser)
    with pytest.raises(EmployerError) as refused:
        opening(adviser, at, kind="gig")
    assert refused.value.field == "kind"
    with pytest.raises(EmployerError) as refused:
        opening(adviser, at, status="maybe")
    assert refused.value.field == "status"
