"""The training catalogue (programmes and the skills they teach) and enrolments."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiddengems.extensions import db
from hiddengems.skills.models import Skill
from hiddengems.timeutil import UTCDateTime, utcnow
from hiddengems.vocab import CEFR_LEVELS, sql_in

if TYPE_CHECKING:
    from hiddengems.cases.models import Case

KINDS = ("course", "workshop", "language_course", "mentoring", "work_trial", "entrepreneurship", "event", "other")
STATUSES = ("recommended", "applied", "enrolled", "waitlisted", "completed", "dropped", "cancelled")
# The statuses that hold a place or a claim to one: the spouse is "in" the programme.
ACTIVE = ("applied", "enrolled", "waitlisted")
# Over: the record stays; a new application is allowed after a drop or a cancellation.
FINISHED = ("completed", "dropped", "cancelled")
MAX_CAPACITY = 10_000
MAX_COST_CENTS = 100_000_00


class Programme(db.Model):
    """A round of a programme: a course, a workshop, an event … with its dates and places.

    ``enrolled`` counts the enrolments that hold a place. It changes only under the
    programme's row lock (training.services), and the database refuses more than
    ``capacity`` whatever the code does."""

    __tablename__ = "programme"
    audit_type = "programme"
    __table_args__ = (
        CheckConstraint(sql_in("kind", KINDS), name="kind"),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates"),
        CheckConstraint("capacity >= 0", name="capacity"),
        CheckConstraint("enrolled >= 0 AND enrolled <= capacity", name="enrolled"),
        CheckConstraint("cost_cents >= 0", name="cost"),
        CheckConstraint(f"min_finnish IS NULL OR {sql_in('min_finnish', CEFR_LEVELS)}", name="min_finnish"),
        CheckConstraint(f"min_english IS NULL OR {sql_in('min_english', CEFR_LEVELS)}", name="min_english"),
        # The spouse's catalogue: open programmes by start date.
        Index("ix_programme_open_start", "open_for_signup", "starts_on"),
        Index("ix_programme_start", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # None: ongoing
    schedule: Mapped[str] = mapped_column(String(500), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    online: Mapped[bool] = mapped_column(default=False, server_default=false())
    language: Mapped[str] = mapped_column(String(12))
    min_finnish: Mapped[str | None] = mapped_column(String(6))
    min_english: Mapped[str | None] = mapped_column(String(6))
    capacity: Mapped[int]
    enrolled: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    cost_cents: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    open_for_signup: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Applications are confirmed at once (a place or the waitlist) instead of by an adviser.
    auto_confirm: Mapped[bool] = mapped_column(default=False, server_default=false())
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    skills: Mapped[list[Skill]] = relationship(
        secondary="programme_skill", lazy="raise", order_by="Skill.preferred_label"
    )

    def __repr__(self) -> str:
        return f"<Programme {self.id} {self.kind}>"

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.enrolled, 0)

    def is_over(self, today: date) -> bool:
        return self.ends_on is not None and self.ends_on < today

    def availability(self, today: date) -> str:
        """places | waitlist | closed | past, as the catalogue and the programme page say it."""
        if self.is_over(today):
            return "past"
        if not self.open_for_signup:
            return "closed"
        return "places" if self.free_places else "waitlist"

    # The catalogue is no secret: spouses and advisers read every programme (the routes'
    # roles keep HR and admins out); only advisers keep it.
    def can_view(self, user) -> bool:
        return getattr(user, "is_authenticated", False) and user.role in ("spouse", "adviser")

    def can_edit(self, user) -> bool:
        return getattr(user, "is_authenticated", False) and user.role == "adviser"


class ProgrammeSkill(db.Model):
    """An ESCO skill a programme teaches."""

    __tablename__ = "programme_skill"
    __table_args__ = (Index("ix_programme_skill_skill", "skill_id", "programme_id"),)

    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True)


class Enrolment(db.Model):
    """A spouse's way through one programme: recommended → applied → enrolled or
    waitlisted → completed or dropped (or cancelled by the programme). One per case and
    programme: the database refuses a second."""

    __tablename__ = "enrolment"
    audit_type = "enrolment"
    __table_args__ = (
        UniqueConstraint("programme_id", "case_id", name="uq_enrolment_programme_case"),
        CheckConstraint(sql_in("status", STATUSES), name="status"),
        Index("ix_enrolment_case", "case_id", "status"),
        # The participant list, and the waitlist in the order people joined it.
        Index("ix_enrolment_programme_status", "programme_id", "status", "waitlisted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    status: Mapped[str] = mapped_column(String(20))
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")  # the adviser's word with a recommendation
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # completed, dropped or cancelled
    certificate: Mapped[str] = mapped_column(String(200), default="")
    grade: Mapped[str] = mapped_column(String(50), default="")
    attended: Mapped[bool | None]  # events: recorded afterwards
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship(lazy="raise")
    case: Mapped[Case] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Enrolment {self.id} {self.status}>"

    # An enrolment belongs to its case (load it with its case: training.queries.load_enrolment).
    def can_view(self, user) -> bool:
        if getattr(user, "is_authenticated", False) and user.role == "spouse":
            return self.case.spouse_id == user.id
        return self.case.can_view(user)

    def can_edit(self, user) -> bool:
        return self.case.can_edit(user)
