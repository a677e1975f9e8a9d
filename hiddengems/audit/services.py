"""Audit trail: who did what to which object, from where. Ids only, never text."""

from __future__ import annotations

from flask import has_request_context, request

from hiddengems.audit.models import AuditEvent
from hiddengems.extensions import db


def client_address() -> str | None:
    if not has_request_context():
        return None
    return request.remote_addr


def record(
    action: str,
    *,
    actor=None,
    object_type: str | None = None,
    object_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None) if actor is not None and getattr(actor, "is_authenticated", True) else None,
        object_type=object_type,
        object_id=object_id,
        address=client_address(),
        detail=detail,
    )
    db.session.add(event)
    db.session.flush()
    return event
