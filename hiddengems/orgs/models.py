from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hiddengems.extensions import db
from hiddengems.timeutil import UTCDateTime, utcnow


class Organisation(db.Model):
    """A host organisation: the university or institute that recruited the partner."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.id}>"

    def can_view(self, user) -> bool:
        """Organisations are managed by admins; everyone else only picks one from a list."""
        return getattr(user, "is_authenticated", False) and user.role == "admin"

    def can_edit(self, user) -> bool:
        return self.can_view(user)
