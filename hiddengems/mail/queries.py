"""Reads of the outbox, for the admin's pages."""

from __future__ import annotations

from sqlalchemy import Select, select

from hiddengems.mail.models import OutboxMessage

STATUSES = ("pending", "failed", "sent")


def outbox(status: str = "") -> Select:
    """Messages newest first; ``status`` one of STATUSES, or "" for all of them."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status == "pending":
        stmt = stmt.where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    elif status == "failed":
        stmt = stmt.where(OutboxMessage.failed_at.is_not(None))
    elif status == "sent":
        stmt = stmt.where(OutboxMessage.sent_at.is_not(None))
    return stmt
