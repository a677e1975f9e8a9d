"""ui/panels.py: a panel withdrawn from its page is neither loaded nor shown, as the load
benchmark's --hide-panel measures a page without it; an unknown name is refused."""

from __future__ import annotations

import pytest

from bench.load.__main__ import unknown_panels
from hiddengems.extensions import db
from hiddengems.ui import panels

TRAINING = "hiddengems.training.panels.training_history"


@pytest.fixture
def case_file_page(f, client):
    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser)
    f.login(client, adviser)
    return f"/cases/{case.id}"


def test_a_withdrawn_panel_is_neither_loaded_nor_shown_until_registered_again(client, queries, case_file_page):
    with queries:
        assert 'id="training-title"' in client.get(case_file_page).get_data(as_text=True)
    shown = queries.count

    withdrawn = panels.withdraw("case_file", TRAINING)
    try:
        assert TRAINING not in [p.name for p in panels.registered("case_file")]
        with queries:
            page = client.get(case_file_page)
        assert page.status_code == 200
        assert 'id="training-title"' not in page.get_data(as_text=True)
        assert queries.count == shown - 1  # the training history's one query is not made
    finally:
        panels.panel(withdrawn.page, withdrawn.template, order=withdrawn.order, column=withdrawn.column)(withdrawn.load)

    assert 'id="training-title"' in client.get(case_file_page).get_data(as_text=True)


def test_a_panel_that_is_not_on_the_page_cannot_be_withdrawn():
    with pytest.raises(KeyError):
        panels.withdraw("case_file", "hiddengems.training.panels.no_such_panel")
    with pytest.raises(KeyError):
        panels.withdraw("spouse_home", TRAINING)  # registered on the case file, not there


def test_the_load_benchmark_names_the_panels_it_can_hide():
    assert unknown_panels([f"case_file:{TRAINING}", "case_file:hiddengems.skills.panels.skills_summary"]) is None
    wrong_name = unknown_panels(["case_file:training_history"])
    assert "no panel 'training_history' on case_file" in wrong_name
    assert TRAINING in wrong_name  # the page's panels are listed, to pick from
    assert "no page 'case_files'" in unknown_panels([f"case_files:{TRAINING}"])


def test_a_panels_plain_rows_see_what_the_session_has_pending_and_name_the_assignee(app, f):
    """dbsetup.plain_rows reads past the ORM, but flushes first as the ORM's own reads do:
    a follow-up added in this transaction is in the case file's list, with its assignee."""
    from datetime import timedelta

    from hiddengems.reminders import queries as follow_ups
    from hiddengems.reminders.models import FollowUp
    from hiddengems.timeutil import helsinki_today

    adviser = f.user("adviser", name="Aino Adviser")
    case = f.assign(f.user("spouse"), adviser)
    db.session.add(FollowUp(case_id=case.id, assignee_id=adviser.id, title="Call back", due_on=helsinki_today()))
    db.session.add(
        FollowUp(case_id=case.id, assignee_id=None, title="Send the CV", due_on=helsinki_today() - timedelta(days=1))
    )
    rows = follow_ups.open_follow_ups(case.id)
    assert [(row.title, row.assignee_name) for row in rows] == [("Send the CV", None), ("Call back", "Aino Adviser")]
    db.session.rollback()
    assert follow_ups.open_follow_ups(case.id) == []


def test_a_panels_statement_is_compiled_once_and_reads_each_runs_values(app, f):
    """dbsetup.plain_rows keeps each statement's compiled form (KeptCompiled): the first
    run compiles it, the next ones reuse it, each with its own values."""
    from sqlalchemy import Integer, bindparam, event, select

    from hiddengems.auth.models import User
    from hiddengems.dbsetup import plain_rows

    first, second = f.user("adviser", name="First"), f.user("adviser", name="Second")
    statement = select(User.name).where(User.id == bindparam("who", type_=Integer))
    runs = []

    def seen(conn, cursor, sql, parameters, context, executemany):
        runs.append((context.compiled, context.cache_hit))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        names = [plain_rows(db.session, statement, {"who": user.id})[0].name for user in (first, second, first)]
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert names == ["First", "Second", "First"]
    compiled = [c for c, _ in runs if c is not None and c.statement is statement]
    assert len(compiled) == 3 and compiled[0] is compiled[1] is compiled[2]
    hits = [hit for c, hit in runs if c in compiled]
    assert hits == [db.engine.dialect.CACHE_MISS, db.engine.dialect.CACHE_HIT, db.engine.dialect.CACHE_HIT]


def test_kept_compiled_tells_keys_apart():
    from hiddengems.dbsetup import KeptCompiled

    kept, one, other = KeptCompiled(), object(), object()
    structure = ("select", object())
    kept[(one, structure, ("a",), False, False)] = "for one"
    kept[(other, structure, ("a",), False, False)] = "for the other"
    assert kept.get((one, structure, ("a",), False, False)) == "for one"
    assert kept.get((other, structure, ("a",), False, False)) == "for the other"
    assert kept.get((one, structure, ("b",), False, False)) is None
    equal = (structure[0], structure[1])  # an equal structure, another statement's
    assert kept.get((one, equal, ("a",), False, False)) is None


def test_the_signed_in_user_and_the_case_file_are_compiled_once(app, f, client):
    from sqlalchemy import event

    from hiddengems import dbsetup, web
    from hiddengems.cases.lists import columns, query

    adviser = f.user("adviser")
    case = f.assign(f.user("spouse"), adviser)
    f.login(client, adviser)
    client.get(f"/cases/{case.id}")  # compiles them, if no test did before
    runs = []

    def seen(conn, cursor, sql, parameters, context, executemany):
        runs.append((context.compiled, context.cache_hit))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert client.get(f"/cases/{case.id}").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    for statement in (web._user_by_token(), query._case_file_statement(columns.with_columns())):
        compiled = {entry[3] for entry in dbsetup._kept(statement)["compiled_cache"]._entries}
        assert [hit for c, hit in runs if c in compiled] == [db.engine.dialect.CACHE_HIT]
