"""How a request's transaction ends (hiddengems/dbsetup.py end_reading): one that only read
ends with COMMIT on PostgreSQL, so that psycopg keeps the statements it prepared and a page
shown again and again is not planned again and again; anything written and not committed
is still rolled back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select, text

from hiddengems.dbsetup import end_reading
from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation
from hiddengems.timeutil import utcnow
from tests import factories as f
from tests.cases.test_pages import local_input
from tests.conftest import ON_POSTGRES


@pytest.mark.postgres
def test_a_page_shown_again_is_prepared_not_planned_again(make_app):
    # One pooled connection: every request, and the check, run on it.
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0})
    with app.app_context():
        adviser = f.user("adviser")
        db.session.commit()
        client = app.test_client()
        assert f.login(client, adviser).status_code == 302
        for _ in range(6):
            assert client.get("/cases/").status_code == 200
        prepared = db.session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("FROM case_file" in statement for statement in prepared), prepared


@pytest.mark.postgres
def test_a_note_added_between_pages_keeps_the_pages_prepared(make_app):
    # A post commits its note, then reads the signed-in user again for the redirect: had
    # that read ended with ROLLBACK, psycopg would forget every statement it prepared on the
    # connection, and under a writer each worker would plan its pages again and again.
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0})
    with app.app_context():
        adviser = f.user("adviser")
        case = f.assign(f.user("spouse", organisation=f.org()), adviser, "skills")
        db.session.commit()
        client = app.test_client()
        assert f.login(client, adviser).status_code == 302
        for _ in range(6):
            assert client.get("/cases/").status_code == 200
        posted = client.post(
            f"/cases/{case.id}/activities",
            data={"activity-kind": "note", "activity-occurred_at": local_input(utcnow()), "activity-text": "Called"},
        )
        assert posted.status_code == 302
        assert client.get("/cases/").status_code == 200
        prepared = db.session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("FROM case_file" in statement for statement in prepared), prepared


def test_what_a_request_reads_after_its_commit_ends_as_a_read(app):
    db.session.add(Organisation(name="Committed", created_at=utcnow()))
    db.session.commit()
    db.session.scalar(select(func.count()).select_from(Organisation))
    assert end_reading(db.session) is ON_POSTGRES


def test_a_transaction_that_only_read_ends_with_commit_on_postgresql(app):
    db.session.scalar(select(func.count()).select_from(Organisation))
    assert end_reading(db.session) is ON_POSTGRES
    assert db.session().in_transaction() is not ON_POSTGRES


def test_what_was_written_and_not_committed_is_still_rolled_back(app):
    db.session.add(Organisation(name="Flushed, never committed"))
    db.session.flush()
    assert end_reading(db.session) is False
    db.session.rollback()
    assert db.session.scalar(select(func.count()).where(Organisation.name == "Flushed, never committed")) == 0

    db.session.execute(insert(Organisation).values(name="Executed, never committed", created_at=utcnow()))
    assert end_reading(db.session) is False
    db.session.add(Organisation(name="Added, not even flushed"))
    assert end_reading(db.session) is False
