"""Reads of the audit log, for the admin's page."""

from __future__ import annotations

from sqlalchemy import Select, select

from hiddengems.audit.models import AuditEvent

ACTION_FILTER_MAX = 50


def audit_log(action: str = "") -> Select:
    """Events newest first, optionally only those whose action starts with ``action``
    ("case." for everything done to cases)."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    action = action.strip()[:ACTION_FILTER_MAX]
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    return stmt
