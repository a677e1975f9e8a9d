"""Two advisers take the same case at the same moment, in two real database sessions."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from hiddengems.audit.models import AuditEvent
from hiddengems.cases import services
from hiddengems.cases.models import Case
from hiddengems.extensions import db


@pytest.mark.postgres
def test_take_case_race_on_postgres(app, desk):
    case_id, advisers = desk.queued.id, [desk.adviser.id, desk.other.id]
    db.session.commit()
    barrier = threading.Barrier(2)
    first_updated = threading.Event()
    results: dict[int, tuple[bool, int | None]] = {}
    errors: list[BaseException] = []

    def take(adviser_id: int) -> None:
        try:
            with app.app_context():
                from hiddengems.auth.models import User

                actor = db.session.get(User, adviser_id)
                barrier.wait()
                if adviser_id == advisers[1]:
                    # Make sure both UPDATEs are in flight together: the second blocks on the
                    # first one's row lock, then re-checks "adviser_id IS NULL" and matches nothing.
                    first_updated.wait(5)
                result = services.take_case(case_id, actor=actor)
                results[adviser_id] = (result.taken, result.holder.id if result.holder else None)
                if adviser_id == advisers[0]:
                    first_updated.set()
                    threading.Event().wait(0.3)  # hold the row lock a moment
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
            first_updated.set()

    threads = [threading.Thread(target=take, args=(a,)) for a in advisers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not errors, errors
    assert results == {advisers[0]: (True, advisers[0]), advisers[1]: (False, advisers[0])}
    db.session.expire_all()
    assert db.session.get(Case, case_id).adviser_id == advisers[0]
    taken = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.taken")).all()
    assert [e.actor_id for e in taken] == [advisers[0]]


def test_take_case_race_without_ordering(app, desk):
    """Whatever the order, exactly one of many takes wins (serialised on SQLite, row-locked on PostgreSQL)."""
    results = [services.take_case(desk.queued.id, actor=a) for a in (desk.other, desk.adviser, desk.lead)]
    db.session.commit()
    assert [r.taken for r in results] == [True, False, False]
    assert {r.holder.id for r in results} == {desk.other.id}
