"""Reads of the audit log, for the admin's page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select

from hiddengems.audit.models import AuditEvent

ACTION_FILTER_MAX = 50


def audit_log(
    action: str = "",
    *,
    since: datetime | None = None,
    before: datetime | None = None,
    actor_id: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
) -> Select:
    """Events newest first, optionally only those whose action starts with ``action``
    ("case." for everything done to cases), in [since, before), by one actor, about one
    kind of object (and one object of it)."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    action = action.strip()[:ACTION_FILTER_MAX]
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    if before is not None:
        stmt = stmt.where(AuditEvent.at < before)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
        if object_id is not None:
            stmt = stmt.where(AuditEvent.object_id == object_id)
    return stmt
