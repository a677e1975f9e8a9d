from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from hiddengems.extensions import db
from hiddengems.timeutil import UTCDateTime, utcnow

LINK_MARK = "[[secret:{}]]"
# What anyone but the recipient reads in place of a secret link (the admin's outbox view).
HIDDEN_LINK = "[personal link: only the recipient sees it]"
GONE_LINK = "[this link is no longer available]"


class OutboxMessage(db.Model):
    """An e-mail waiting to be sent, written in the same transaction as its cause.

    Secret links (e-mail confirmation, password reset) are not kept in ``body``: it holds
    a mark in their place, and ``secrets`` holds the links until the message is sent.
    Whoever reads the outbox (the admin) never sees them, and a sent message keeps none.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        # The sender only ever looks for the waiting rows, earliest due first, in its
        # exact order: the next one is the index's first entry, however many wait.
        Index(
            "ix_outbox_message_due",
            "next_attempt_at",
            "id",
            sqlite_where=text("sent_at IS NULL AND failed_at IS NULL"),
            postgresql_where=text("sent_at IS NULL AND failed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    secrets: Mapped[dict | None] = mapped_column(JSON)
    # Files sent with the message (a meeting's .ics invitation): a list of
    # {"filename", "content_type", "content"} with text content.
    attachments: Mapped[list | None] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))

    def can_view(self, user) -> bool:
        """The outbox is the admin's: it shows to whom and what was sent (never a secret link)."""
        return getattr(user, "is_authenticated", False) and user.role == "admin"

    def can_edit(self, user) -> bool:
        return False  # messages are written by the services that send them, never by hand

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        if self.failed_at:
            return "failed"
        return "retrying" if self.attempts else "queued"

    def _fill(self, secrets: dict[str, str] | None) -> str:
        text = self.body
        for name in _marked_names(text):
            value = secrets.get(name) if secrets is not None else None
            text = text.replace(LINK_MARK.format(name), value if value is not None else GONE_LINK)
        return text

    def text_to_send(self) -> str:
        """The body with its secret links, for delivery to the recipient only."""
        return self._fill(self.secrets)

    @property
    def redacted_body(self) -> str:
        """The body as the admin may read it."""
        return self._fill(dict.fromkeys(_marked_names(self.body), HIDDEN_LINK))


def _marked_names(text: str) -> list[str]:
    prefix, suffix = LINK_MARK.split("{}")
    names = []
    start = text.find(prefix)
    while start != -1:
        end = text.find(suffix, start + len(prefix))
        if end == -1:
            break
        names.append(text[start + len(prefix) : end])
        start = text.find(prefix, end + len(suffix))
    return names
