"""Demo training: a catalogue with past, running and upcoming rounds, some full with a
waitlist, histories whose counts match the places taken, and recommendations for the demo
spouse."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from hiddengems.auth.models import User
from hiddengems.demo.generator import DEMO_DOMAIN, DEMO_PASSWORD
from hiddengems.extensions import db
from hiddengems.skills.starter import load_starter
from hiddengems.timeutil import helsinki_today
from hiddengems.training.models import Enrolment, Programme, ProgrammeSkill


def test_the_demo_catalogue_has_every_kind_of_round_and_consistent_places(app, runner, f):
    load_starter()  # as `make run` and the benchmark do before the demo data
    db.session.commit()
    assert runner.invoke(args=["demo-data", "--spouses", "400"]).exit_code == 0
    today = helsinki_today()
    programmes = db.session.scalars(select(Programme)).all()
    assert len(programmes) >= 18
    assert any(p.ends_on and p.ends_on < today for p in programmes)  # past
    assert any(p.starts_on and p.starts_on <= today and (p.ends_on is None or p.ends_on >= today) for p in programmes)
    assert any(p.starts_on and p.starts_on > today for p in programmes)  # upcoming
    assert db.session.scalar(select(func.count()).select_from(ProgrammeSkill)) > 0

    held = Counter(
        db.session.scalars(select(Enrolment.programme_id).where(Enrolment.status.in_(("enrolled", "completed"))))
    )
    assert all(p.enrolled == held[p.id] <= p.capacity for p in programmes)
    statuses = Counter(db.session.scalars(select(Enrolment.status)))
    assert {"completed", "enrolled", "waitlisted", "applied", "dropped"} <= set(statuses)
    waitlisted = set(db.session.scalars(select(Enrolment.programme_id).where(Enrolment.status == "waitlisted")))
    assert all(p.enrolled == p.capacity for p in programmes if p.id in waitlisted)

    spouse = db.session.scalar(select(User).where(User.email == f"spouse@{DEMO_DOMAIN}"))
    client = app.test_client()
    assert f.login(client, spouse, DEMO_PASSWORD).status_code == 302
    page = client.get("/training/recommendations").get_data(as_text=True)
    assert "skills missing for" in page
