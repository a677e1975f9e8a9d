"""Small factories for tests: real rows through the real services where it matters."""

from __future__ import annotations

import itertools

from flask.testing import FlaskClient

from hiddengems.auth.models import User
from hiddengems.auth.passwords import hash_password
from hiddengems.cases.models import Case
from hiddengems.cases.services import change_stage, open_case
from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from hiddengems.orgs.models import Organisation
from hiddengems.timeutil import utcnow

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def org(name: str | None = None) -> Organisation:
    organisation = Organisation(name=name or f"Organisation {next(_seq)}")
    db.session.add(organisation)
    db.session.commit()
    return organisation


def user(
    role: str = "spouse",
    *,
    lead: bool = False,
    organisation: Organisation | None = None,
    email: str | None = None,
    name: str | None = None,
    verified: bool = True,
    active: bool = True,
    password: str = PASSWORD,
) -> User:
    n = next(_seq)
    if role in ("spouse", "hr") and organisation is None:
        organisation = org()
    account = User(
        email=email or f"{role}{n}@example.org",
        name=name or f"{role.title()} Person{n}",
        role=role,
        is_lead=lead,
        organisation_id=organisation.id if organisation else None,
        password_hash=hash_password(password),
        email_verified_at=utcnow() if verified else None,
        active=active,
    )
    db.session.add(account)
    db.session.flush()
    if role == "spouse":
        open_case(account, actor=account)
    db.session.commit()
    return account


def case_of(spouse: User) -> Case:
    return db.session.scalar(db.select(Case).where(Case.spouse_id == spouse.id))


def assign(spouse: User, adviser: User | None, stage: str = "skills") -> Case:
    case = case_of(spouse)
    case.adviser_id = adviser.id if adviser else None
    if stage != case.stage:
        change_stage(case, stage, actor=adviser)
    db.session.commit()
    return case


def login(client: FlaskClient, account: User, password: str = PASSWORD, **extra):
    return client.post("/login", data={"email": account.email, "password": password, **extra})


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    stmt = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(stmt))


def link_from(message: OutboxMessage, path_prefix: str) -> str:
    for word in message.text_to_send().split():
        if path_prefix in word:
            return word[word.index(path_prefix) :]
    raise AssertionError(f"no {path_prefix} link in message {message.id}")


def queued_email(app, to: str = "someone@example.org") -> OutboxMessage:
    """One message in the outbox, as any feature would queue it."""
    from hiddengems.mail.services import queue

    with app.test_request_context(method="POST"):
        message = queue(to, "Subject", "password_changed", kind="test", user=User(name="N"), reset_url="http://x/")
    db.session.commit()
    return message


def activity(
    case: Case,
    author: User | None,
    *,
    kind: str = "note",
    text: str = "A note",
    shared: bool = False,
    at=None,
    duration: int | None = 30,
):
    from hiddengems.cases.models import Activity

    row = Activity(
        case_id=case.id,
        kind=kind,
        text=text,
        shared_with_spouse=shared,
        occurred_at=at or utcnow(),
        duration_minutes=duration,
        author_id=author.id if author else None,
    )
    db.session.add(row)
    db.session.commit()
    return row


def follow_up(
    case: Case,
    assignee: User | None,
    *,
    title: str = "Call back",
    due_on=None,
    done: bool = False,
    shared: bool = False,
):
    from datetime import timedelta

    from hiddengems.reminders.models import FollowUp

    row = FollowUp(
        case_id=case.id,
        assignee_id=assignee.id if assignee else None,
        title=title,
        shared_with_spouse=shared,
        due_on=due_on or (utcnow() + timedelta(days=7)).date(),
        done_at=utcnow() if done else None,
    )
    db.session.add(row)
    db.session.commit()
    return row
