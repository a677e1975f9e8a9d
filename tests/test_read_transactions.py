"""How a request's transaction ends (hiddengems/dbsetup.py end_reading): one that only read
ends with COMMIT on PostgreSQL, so that psycopg keeps the statements it prepared and a page
shown again and again is not planned again and again; anything written and not committed
is still rolled back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select, text

from hiddengems.dbsetup import WriteInARead, begin_writing, end_reading
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


# --- a page reads without a transaction on PostgreSQL; what writes must say so -----------


@pytest.mark.postgres
def test_a_page_keeps_no_transaction_open_on_the_server_while_it_is_made(app, client, f, monkeypatch):
    """Its statements run one by one in autocommit mode (dbsetup.reads_alone): no BEGIN, no
    COMMIT, and no "idle in transaction" connection while the page renders."""
    from hiddengems.cases import routes

    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser, "skills")
    db.session.commit()
    seen = []
    render = routes.render_case_file

    def look_at_the_server(case, **kwargs):
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        with db.engine.connect() as other:
            seen.append(
                other.execute(
                    text("SELECT state, xact_start FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
                ).one()
            )
        return render(case, **kwargs)

    monkeypatch.setattr(routes, "render_case_file", look_at_the_server)
    assert f.login(client, adviser).status_code == 302
    assert client.get(f"/cases/{case.id}").status_code == 200
    assert [(state, started) for state, started in seen] == [("idle", None)]


def test_a_get_that_writes_without_saying_so_is_refused_before_anything_is_written(app):
    with app.test_request_context(method="GET"):
        db.session.scalar(select(func.count()).select_from(Organisation))
        db.session.add(Organisation(name="Written by a read", created_at=utcnow()))
        with pytest.raises(WriteInARead):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(WriteInARead):
            db.session.execute(insert(Organisation).values(name="Executed by a read", created_at=utcnow()))
        db.session.rollback()
        with pytest.raises(WriteInARead):  # a lock taken to write, which a read would let go at once
            db.session.scalars(select(Organisation).with_for_update()).all()
        db.session.rollback()
    assert db.session.scalar(select(func.count()).where(Organisation.name.like("% by a read"))) == 0


def test_a_get_that_says_it_writes_writes_in_one_transaction(app):
    """begin_writing before the first statement: on SQLite the write lock, on PostgreSQL a
    real transaction, so that what it writes is kept or dropped as one."""
    with app.test_request_context(method="GET"):
        begin_writing(db.session)
        db.session.add(Organisation(name="First of two", created_at=utcnow()))
        db.session.flush()
        db.session.add(Organisation(name="Second of two", created_at=utcnow()))
        db.session.flush()
        db.session.rollback()
    assert db.session.scalar(select(func.count()).where(Organisation.name.like("% of two"))) == 0


@pytest.mark.postgres
def test_on_postgresql_a_get_may_begin_writing_after_it_has_read(app):
    """A read ran statement by statement, so nothing is open: the transaction begins now,
    and a failure drops all it wrote."""
    with app.test_request_context(method="GET"):
        db.session.scalar(select(func.count()).select_from(Organisation))
        begin_writing(db.session)
        db.session.add(Organisation(name="Kept only with the rest", created_at=utcnow()))
        db.session.flush()
        db.session.rollback()
        assert db.session.scalar(select(func.count()).where(Organisation.name == "Kept only with the rest")) == 0
