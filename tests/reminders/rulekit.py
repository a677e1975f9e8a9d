"""Helpers for the reminder rule tests: a rule with chosen values, a case at a set age."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, text, update

from hiddengems.cases.models import Case, StageChange
from hiddengems.extensions import db
from hiddengems.reminders.kinds import REGISTERED_DEFAULTS
from hiddengems.reminders.models import FollowUp, ReminderFiring, ReminderRule
from hiddengems.reminders.rules import DEFAULT_RULES
from hiddengems.timeutil import utcnow


def rule(kind: str, *, days: int = 7, effective_from: datetime | None = None, **values) -> ReminderRule:
    defaults = next(r for r in (*DEFAULT_RULES, *REGISTERED_DEFAULTS) if r["kind"] == kind)
    data = {**defaults, "key": None, "direction": "after", **values, "days": days}
    data["effective_from"] = effective_from or utcnow() - timedelta(days=365)
    made = ReminderRule(**data)
    db.session.add(made)
    db.session.commit()
    return made


def registered_at(case: Case, at: datetime) -> Case:
    db.session.execute(update(Case).where(Case.id == case.id).values(created_at=at))
    db.session.execute(update(StageChange).where(StageChange.case_id == case.id).values(at=at))
    db.session.commit()
    db.session.expire_all()
    return case


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def firings() -> list[ReminderFiring]:
    return list(db.session.scalars(select(ReminderFiring).order_by(ReminderFiring.id)))


def follow_ups() -> list[FollowUp]:
    return list(db.session.scalars(select(FollowUp).order_by(FollowUp.id)))


def many_registered(n: int, at: datetime) -> list[int]:
    """n spouses registered at ``at`` who never sent the intake, inserted in bulk."""
    from sqlalchemy import insert

    from hiddengems.auth.models import User

    start = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    db.session.execute(
        insert(User),
        [
            {
                "id": start + i,
                "email": f"bulk{start + i}@example.org",
                "name": f"Bulk Spouse {i}",
                "password_hash": "x",
                "role": "spouse",
                "session_token": f"token-{start + i}",
                "email_verified_at": at,
                "created_at": at,
            }
            for i in range(n)
        ],
    )
    first_case = (db.session.scalar(select(func.max(Case.id))) or 0) + 1
    db.session.execute(
        insert(Case),
        [{"id": first_case + i, "spouse_id": start + i, "stage": "registered", "created_at": at} for i in range(n)],
    )
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        # Explicit ids: move the sequences past them.
        for table in ("user_account", "case_file"):
            db.session.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))  # noqa: S608 - fixed names
        db.session.commit()
    return [first_case + i for i in range(n)]
