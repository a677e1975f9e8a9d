"""Reads for the admin's pages: the users list and the overview."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, literal_column, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload

from hiddengems.audit.models import AuditEvent
from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.employers.models import Employer, Opening
from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from hiddengems.orgs.models import Organisation
from hiddengems.timeutil import HELSINKI
from hiddengems.training.models import Programme

RECENT_EVENTS = 10


# The two lists of the users page: the team and the host organisations' staff, and the spouses.
PEOPLE = ("staff", "participants")


def users(q: str | None, role: str | None, people: str = "staff") -> Select:
    """Staff or participants by name, optionally only those whose name or e-mail contains
    ``q`` and (staff) of one role ("lead" and "adviser" are told apart)."""
    stmt = select(User).options(joinedload(User.organisation)).order_by(User.name, User.id)
    stmt = stmt.where(User.role == "spouse" if people == "participants" else User.role != "spouse")
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(pattern), User.email.like(pattern)))
    if role and people != "participants":
        base_role, is_lead = ("adviser", True) if role == "lead" else (role, False)
        stmt = stmt.where(User.role == base_role)
        if base_role == "adviser":
            stmt = stmt.where(User.is_lead.is_(is_lead))
    return stmt


def overview() -> dict:
    """What the admin's home shows: accounts by role, the outbox, organisations, recent events."""
    by_role = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    pending, failed = db.session.execute(
        select(
            func.count().filter(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)),
            func.count().filter(OutboxMessage.failed_at.is_not(None)),
        )
    ).one()
    organisations = db.session.scalar(select(func.count()).select_from(Organisation))
    recent = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(RECENT_EVENTS)).all()
    return {
        "by_role": by_role,
        "organisations": organisations,
        "outbox_pending": pending,
        "outbox_failed": failed,
        "recent": recent,
    }


def helsinki_day_start(day: date | None) -> datetime | None:
    """Midnight in Helsinki at the start of ``day``, as the audit log's UTC times compare."""
    return datetime.combine(day, time(), tzinfo=HELSINKI) if day is not None else None


def helsinki_day_end(day: date | None) -> datetime | None:
    """The start of the day after ``day``: the end of a range that includes ``day``."""
    return helsinki_day_start(day + timedelta(days=1)) if day is not None else None


def audit_names(events: Iterable[AuditEvent]) -> dict[tuple[str, int], str]:
    """The names of the accounts and objects a page of the audit log is about, by
    (type, id), in one query: the log itself keeps ids only (it outlives names, and
    anything else in it would be copied wherever the log goes). A case is named by its
    spouse; an object deleted since has no name."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.actor_id is not None:
            wanted["user"].add(event.actor_id)
        if event.object_type and event.object_id is not None:
            wanted[event.object_type].add(event.object_id)
    spouse = aliased(User, name="named_spouse")

    def named(kind: str, id_column, name_column, *joins) -> Select:
        stmt = select(literal_column(f"'{kind}'").label("kind"), id_column.label("id"), name_column.label("name"))
        for target, on in joins:
            stmt = stmt.join(target, on)
        return stmt.where(id_column.in_(sorted(wanted[kind])))

    parts = [
        named("user", User.id, User.name),
        named("case", Case.id, spouse.name, (spouse, spouse.id == Case.spouse_id)),
        named("organisation", Organisation.id, Organisation.name),
        named("employer", Employer.id, Employer.name),
        named("opening", Opening.id, Opening.title),
        named("programme", Programme.id, Programme.title),
    ]
    return {(row.kind, row.id): row.name for row in db.session.execute(union_all(*parts))}
