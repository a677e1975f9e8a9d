"""Demo data: reproducible, every stage present, logins that work."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import func, select

from hiddengems import create_app
from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.demo.generator import DEMO_PASSWORD, generate
from hiddengems.extensions import db
from hiddengems.skills.models import CaseSkill
from hiddengems.vocab import STAGES
from tests import factories as f


def test_demo_data_command_prints_logins_that_work(app, runner):
    result = runner.invoke(args=["demo-data", "--spouses", "120"])
    assert result.exit_code == 0, result.output
    for role in ("admin", "lead", "adviser", "hr", "spouse"):
        assert f"{role}@demo.hiddengems.fi" in result.output
    assert DEMO_PASSWORD in result.output
    homes = {"admin": "/admin/", "lead": "/desk", "adviser": "/desk", "hr": "/hr", "spouse": "/home"}
    for role, home in homes.items():
        client = app.test_client()
        user = db.session.scalar(select(User).where(User.email == f"{role}@demo.hiddengems.fi"))
        assert f.login(client, user, DEMO_PASSWORD).headers["Location"].endswith(home), role
        assert client.get(home).status_code == 200


def test_demo_data_covers_every_stage(app, runner):
    runner.invoke(args=["demo-data", "--spouses", "300"])
    stages = dict(db.session.execute(select(Case.stage, func.count()).group_by(Case.stage)).all())
    assert set(stages) == set(STAGES)


def test_demo_data_is_reproducible(tmp_path):
    def snapshot(name):
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / name}"})
        with app.app_context():
            # The migrations, not create_all: the taxonomy's search index is theirs.
            upgrade(revision="heads")
            generate(60, seed=7)
            rows = db.session.execute(
                select(User.email, User.organisation_id, Case.stage, Case.adviser_id)
                .join(Case, Case.spouse_id == User.id)
                .order_by(User.id)
            ).all()
            skills = db.session.execute(
                select(CaseSkill.case_id, CaseSkill.skill_id, CaseSkill.level, CaseSkill.validated_by_id).order_by(
                    CaseSkill.case_id, CaseSkill.skill_id
                )
            ).all()
            db.engine.dispose()
            return rows, skills

    first, skills = snapshot("one.sqlite")
    assert len(first) == 60 and skills
    assert snapshot("two.sqlite") == (first, skills)


def test_demo_data_refuses_a_used_database_unless_if_empty(app, runner):
    runner.invoke(args=["demo-data", "--spouses", "10"])
    again = runner.invoke(args=["demo-data", "--spouses", "10"])
    assert again.exit_code != 0 and "already has users" in again.output
    quiet = runner.invoke(args=["demo-data", "--if-empty"])
    assert quiet.exit_code == 0 and "admin@demo.hiddengems.fi" in quiet.output


def test_demo_data_shows_the_lead_and_admin_pages_of_issue_13(app, runner):
    runner.invoke(args=["demo-data", "--spouses", "200"])
    lead, admin = app.test_client(), app.test_client()
    f.login(lead, db.session.scalar(select(User).where(User.email == "lead@demo.hiddengems.fi")), DEMO_PASSWORD)
    f.login(admin, db.session.scalar(select(User).where(User.email == "admin@demo.hiddengems.fi")), DEMO_PASSWORD)
    team = lead.get("/cases/team").get_data(as_text=True)
    assert "Aino Adviser" in team and "Ville Newcomer" in team  # the invited adviser, no cases yet
    assert "Ville Newcomer" in admin.get("/admin/users").get_data(as_text=True)
    assert "invitation" in {m.kind for m in f.outbox()}
    failed = admin.get("/admin/outbox/?status=failed").get_data(as_text=True)
    assert "mailbox unavailable" in failed
    assert "Alex Admin" in admin.get("/admin/audit").get_data(as_text=True)
