"""Demo employers: valid business IDs, contacts, openings asking for occupations' skills
that matching finds spouses for."""

from __future__ import annotations

from sqlalchemy import func, select

from hiddengems.employers import matching
from hiddengems.employers.models import Employer, EmployerContact, Opening, OpeningSkill
from hiddengems.employers.queries import load_opening
from hiddengems.employers.services import business_id_problem
from hiddengems.extensions import db
from hiddengems.skills.starter import load_starter
from hiddengems.timeutil import helsinki_today


def test_the_demo_directory_has_valid_ids_contacts_and_openings_that_match(app, runner):
    load_starter()
    db.session.commit()
    assert runner.invoke(args=["demo-data", "--spouses", "400"]).exit_code == 0
    employers = db.session.scalars(select(Employer)).all()
    assert len(employers) >= 10
    assert all(business_id_problem(e.business_id) is None for e in employers if e.business_id)
    assert db.session.scalar(select(func.count()).select_from(EmployerContact)) >= len(employers)
    assert db.session.scalar(select(func.count()).select_from(OpeningSkill)) > 0
    opening_ids = db.session.scalars(
        select(Opening.id).where(Opening.status == "open").join(OpeningSkill).group_by(Opening.id)
    ).all()
    ranked = [matching.spouses_for(load_opening(i), today=helsinki_today()) for i in opening_ids]
    assert any(ranked)
