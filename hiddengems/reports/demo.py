"""Demo data for the HR figures: besides the three large organisations, small ones with
cohorts of 1 to 6 participants (moved there from the large ones, so that the demo keeps
its number of spouses), so that the demo shows suppression at work ("<5", "–"); and an
HR login for the first of them (hr.small@ the demo's domain)."""

from __future__ import annotations

import random

from sqlalchemy import func, select, update

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation
from hiddengems.timeutil import utcnow

# name, participants
SMALL = (("Tampere Institute for Advanced Study", 6), ("Pirkanmaa Music Academy", 3), ("Arctic Field Station", 1))


def add_demo(rng: random.Random, **_context) -> None:
    # The generator's first HR login (hr@ the demo's domain) lends its domain and password.
    hr = db.session.scalar(select(User).where(User.role == "hr").order_by(User.id).limit(1))
    spouses = db.session.scalars(select(Case.spouse_id).order_by(Case.id)).all()
    if hr is None or len(spouses) < 50:
        return
    moved = iter(rng.sample(spouses[1:], sum(size for _, size in SMALL)))  # the demo spouse stays
    for i, (name, size) in enumerate(SMALL):
        org = Organisation(name=name)
        db.session.add(org)
        db.session.flush()
        ids = [next(moved) for _ in range(size)]
        db.session.execute(update(User).where(User.id.in_(ids)).values(organisation_id=org.id))
        db.session.execute(update(Case).where(Case.spouse_id.in_(ids)).values(organisation_id=org.id))
        if i == 0:
            db.session.add(
                User(
                    id=(db.session.scalar(select(func.max(User.id))) or 0) + 1,  # sequences are set afterwards
                    email=f"hr.small@{hr.email.split('@')[1]}",
                    name="Heidi HR",
                    role="hr",
                    password_hash=hr.password_hash,
                    organisation_id=org.id,
                    email_verified_at=utcnow(),
                )
            )
    db.session.flush()
