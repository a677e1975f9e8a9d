"""A case's timeline: activities (notes, meetings, calls, e-mails) and stage changes
in one stream, and what the spouse sees of it. Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from sqlalchemy import BigInteger, Integer, Select, String, and_, bindparam, func, literal_column, select, union_all
from sqlalchemy.orm import aliased, joinedload

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.cases import notices
from hiddengems.cases.models import Activity, ActivityRevision, Case, CaseOutcome, StageChange
from hiddengems.dbsetup import plain_rows
from hiddengems.extensions import db
from hiddengems.timeutil import HELSINKI, utcnow
from hiddengems.ui.paging import Page, uncounted
from hiddengems.vocab import ACTIVITY_KINDS, one_of

# A page of the case file's timeline: the latest ten, the rest behind "Older" (with the
# filter by kind) — the case file should fit a screen or two, not three thousand pixels.
TIMELINE_PAGE = 10
# What the timeline can be narrowed to: one kind of activity, or the stage changes.
TIMELINE_FILTERS = (*ACTIVITY_KINDS, "stage")
MEETING_HORIZON = timedelta(days=366)


def activity_time_problem(kind: str, occurred_at: datetime, *, opened_at: datetime, now: datetime) -> str | None:
    """Why a date makes no sense for this kind of activity, or None."""
    if occurred_at < opened_at - timedelta(days=1):
        return "before_registration"
    if kind == "meeting":
        if occurred_at > now + MEETING_HORIZON:
            return "too_far_ahead"
    elif occurred_at > now + timedelta(minutes=5):
        # Notes, calls and e-mails are recorded after they happen; only meetings are planned.
        return "in_future"
    return None


class ActivityTimeRefused(ValueError):
    """The date makes no sense for this kind of activity (activity_time_problem's reason)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def add_activity(
    case: Case,
    *,
    actor: User,
    kind: str,
    occurred_at: datetime,
    text: str,
    duration_minutes: int | None = None,
    shared_with_spouse: bool = False,
) -> Activity:
    if kind not in ACTIVITY_KINDS:
        raise ValueError(f"unknown activity kind {kind}")
    problem = activity_time_problem(kind, occurred_at, opened_at=case.created_at, now=utcnow())
    if problem:
        raise ActivityTimeRefused(problem)
    activity = Activity(
        case_id=case.id,
        kind=kind,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        text=text.strip(),
        shared_with_spouse=shared_with_spouse,
        author_id=actor.id,
    )
    db.session.add(activity)
    db.session.flush()
    # Ids only: the text of a note never goes to the audit log.
    record(
        "case.activity_added",
        actor=actor,
        object_type="case",
        object_id=case.id,
        detail={"activity": activity.id, "kind": kind},
    )
    if kind == "meeting":
        notices.meeting_booked(case, activity)  # an invitation for one ahead
    return activity


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a case's timeline: an activity or a stage change (with its outcome)."""

    source: str  # "activity" | "stage"
    id: int
    at: datetime
    person: str | None  # the author of the activity, or who changed the stage
    text: str | None  # the activity's text, or the reason of the stage change
    kind: str | None = None
    duration_minutes: int | None = None
    shared_with_spouse: bool = False
    from_stage: str | None = None
    to_stage: str | None = None
    outcome: str | None = None
    employer: str | None = None
    occupation: str | None = None
    start_date: date | None = None
    author_id: int | None = None
    edited_at: datetime | None = None
    cancelled_at: datetime | None = None


def timeline(case_id: int, *, page: int = 1, per_page: int = TIMELINE_PAGE, only: str | None = None) -> Page:
    """Activities and stage changes, newest first, one page: a single query whatever the
    length of the case's history (not counted: "older" is whether one more row came).
    ``only`` narrows it to one of TIMELINE_FILTERS."""
    only = only if only in TIMELINE_FILTERS else None

    def fetch(limit: int, offset: int) -> list[TimelineEntry]:
        params = {"case_id": case_id, "limit": limit, "offset": offset, "reach": limit + offset}
        rows = plain_rows(db.session, _timeline_statement(only), params)
        return [_entry(row) for row in rows]

    return uncounted(fetch, page=page, per_page=per_page)


def _timeline_keys(case_id, only: str | None):
    # The sources' names are written into the SQL (as their comparisons below): the case
    # and the page's limit, offset and reach are the only values bound.
    activities = select(
        literal_column("'activity'", String).label("source"), Activity.id.label("id"), Activity.occurred_at.label("at")
    ).where(Activity.case_id == case_id)
    changes = select(
        literal_column("'stage'", String).label("source"), StageChange.id.label("id"), StageChange.at.label("at")
    ).where(StageChange.case_id == case_id)
    if only == "stage":
        return changes.subquery()
    if only is not None:
        return activities.where(one_of(Activity.kind, [only])).subquery()
    # Each source's newest rows, only as many as the page reaches (its limit plus its
    # offset), walked backwards along its (case, time) index: the whole history of a long
    # case was read and sorted for every page (the busiest case's 300 notes for ten).
    return union_all(
        _newest(activities, Activity.occurred_at, Activity.id), _newest(changes, StageChange.at, StageChange.id)
    ).subquery()


def _newest(keys: Select, at, id_) -> Select:
    newest = keys.order_by(at.desc(), id_.desc()).limit(bindparam("reach", type_=BigInteger)).subquery()
    return select(*newest.c)


@cache
def _timeline_statement(only: str | None = None) -> Select:
    """Built once per filter: constructing this statement costs more than running it."""
    case_id = bindparam("case_id", type_=Integer)
    # First pick the page by (source, id, at) alone, then fetch what those rows show:
    # sorting a long history's keys is cheap, sorting its texts is not.
    keys = _timeline_keys(case_id, only)
    picked = (
        select(keys.c.source, keys.c.id, keys.c.at)
        .order_by(keys.c.at.desc(), keys.c.source, keys.c.id.desc())
        .limit(bindparam("limit", type_=Integer))
        # A far page's offset passes 2**31 (PostgreSQL's integer): a bigint, for an empty page.
        .offset(bindparam("offset", type_=BigInteger))
        .subquery()
    )
    author, changer = aliased(User), aliased(User)
    is_activity, is_change = one_of(picked.c.source, ["activity"]), one_of(picked.c.source, ["stage"])
    stmt = (
        select(
            picked.c.source,
            picked.c.id,
            picked.c.at,
            func.coalesce(author.name, changer.name).label("person"),
            func.coalesce(Activity.text, StageChange.reason).label("text"),
            Activity.kind,
            Activity.duration_minutes,
            Activity.shared_with_spouse,
            StageChange.from_stage,
            StageChange.to_stage,
            CaseOutcome.outcome,
            CaseOutcome.employer,
            CaseOutcome.occupation,
            CaseOutcome.start_date,
            Activity.author_id,
            Activity.edited_at,
            Activity.cancelled_at,
        )
        .select_from(picked)
        .outerjoin(Activity, and_(is_activity, Activity.id == picked.c.id))
        .outerjoin(author, author.id == Activity.author_id)
        .outerjoin(StageChange, and_(is_change, StageChange.id == picked.c.id))
        .outerjoin(changer, changer.id == StageChange.by_id)
        .outerjoin(CaseOutcome, CaseOutcome.stage_change_id == StageChange.id)
        .order_by(picked.c.at.desc(), picked.c.source, picked.c.id.desc())
    )
    return stmt


# Where the statement's columns give the entry's fields in order (tested): a row is an
# entry by position, as naming each value cost more than the rest of the row.
_SHARED = 7


def _entry(row) -> TimelineEntry:
    values = list(row)
    values[_SHARED] = bool(values[_SHARED])
    return TimelineEntry(*values)


def upcoming_meetings(case_id: int, *, now: datetime | None = None, limit: int = 10) -> list[Activity]:
    now = now or utcnow()
    stmt = (
        select(Activity)
        .where(
            Activity.case_id == case_id,
            Activity.kind == "meeting",
            Activity.occurred_at > now,
            Activity.cancelled_at.is_(None),
        )
        .order_by(Activity.occurred_at)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def meetings_on(adviser_id: int, day: date, *, limit: int = 20) -> list[Activity]:
    """The meetings of an adviser's cases on a day (Europe/Helsinki), not cancelled, in time
    order, with the spouse's name: the desk's "Today's meetings". One query."""
    start = datetime.combine(day, time(), tzinfo=HELSINKI).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=HELSINKI).astimezone(UTC)
    stmt = (
        select(Activity, Case.id, User.name)
        .join(Case, Case.id == Activity.case_id)
        .join(User, User.id == Case.spouse_id)
        .where(
            Case.adviser_id == adviser_id,
            Activity.kind == "meeting",
            Activity.occurred_at >= start,
            Activity.occurred_at < end,
            Activity.cancelled_at.is_(None),
        )
        .order_by(Activity.occurred_at, Activity.id)
        .limit(limit)
    )
    return list(db.session.execute(stmt))


def shared_entries(case_id: int, *, now: datetime | None = None, limit: int = 20) -> list[Activity]:
    """What advisers chose to share with the spouse, newest first. Never an internal note."""
    now = now or utcnow()
    stmt = (
        select(Activity)
        .where(Activity.case_id == case_id, Activity.shared_with_spouse.is_(True), Activity.occurred_at <= now)
        .options(joinedload(Activity.author))
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def cancel_future_meetings(case_id: int, *, now: datetime | None = None) -> list[Activity]:
    """A case that closes cancels the meetings planned on it: kept, marked cancelled, no
    longer on the spouse's page or the adviser's desk. Reopening does not bring them back.
    Returns the meetings it cancelled (the spouse is told of each: notices.meeting_cancelled)."""
    now = now or utcnow()
    ahead = Activity.case_id == case_id, Activity.kind == "meeting", Activity.occurred_at > now
    meetings = list(db.session.scalars(select(Activity).where(*ahead, Activity.cancelled_at.is_(None))))
    for meeting in meetings:
        meeting.cancelled_at = now
    db.session.flush()
    return meetings


class CorrectionRefused(Exception):
    """``reason``: "missing" (no such entry on this case) or "not_author" (someone else's)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def entry_to_correct(case: Case, activity_id: int, *, actor: User, lock: bool = False) -> Activity:
    """An entry of this case that the actor wrote; locked for the correction when ``lock``:
    twenty corrections at once each keep the text they replaced, one after the other."""
    stmt = select(Activity).where(Activity.id == activity_id, Activity.case_id == case.id)
    if lock:
        # Read again under the lock: the entry this session already holds may be stale.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    activity = db.session.scalar(stmt)
    if activity is None:
        raise CorrectionRefused("missing")
    if not activity.can_correct(actor):
        raise CorrectionRefused("not_author")
    return activity


def correct_activity(case: Case, activity_id: int, *, actor: User, text: str) -> ActivityRevision | None:
    """The author corrects an entry's text: the text before and after go to a revision,
    the entry shows "edited". None when nothing changed."""
    activity = entry_to_correct(case, activity_id, actor=actor, lock=True)
    new_text = text.strip()
    if new_text == activity.text:
        return None
    now = utcnow()
    revision = ActivityRevision(
        activity_id=activity.id, old_text=activity.text, new_text=new_text, by_id=actor.id, at=now
    )
    db.session.add(revision)
    activity.text, activity.edited_at = new_text, now
    db.session.flush()
    # Ids only: the texts stay in activity_revision.
    record(
        "case.activity_corrected",
        actor=actor,
        object_type="case",
        object_id=case.id,
        detail={"activity": activity.id, "revision": revision.id},
    )
    return revision


def revisions(activity_id: int) -> list[ActivityRevision]:
    stmt = select(ActivityRevision).where(ActivityRevision.activity_id == activity_id).order_by(ActivityRevision.id)
    return list(db.session.scalars(stmt))
