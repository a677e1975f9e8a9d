"""Reads that explain the rules: the dry run of a rule (what it would make in the next
30 days, for whom) and, on a case, why each rule fired, is due, or did not fire."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, func, literal_column, select
from sqlalchemy.orm import aliased

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.dbsetup import plain_rows
from hiddengems.extensions import db
from hiddengems.reminders import kinds
from hiddengems.reminders.models import FollowUp, ReminderFiring, ReminderRule
from hiddengems.reminders.sweep import due_select
from hiddengems.timeutil import HELSINKI

DRY_RUN_DAYS = 30
SAMPLE = 20


@dataclass
class DryRun:
    total: int = 0
    emails: int = 0
    by_assignee: list[tuple[str | None, int]] = field(default_factory=list)  # None: the intake queue
    sample: list = field(default_factory=list)  # (spouse name, due on, adviser name or None)


def dry_run(rule: ReminderRule, now: datetime, days: int = DRY_RUN_DAYS) -> DryRun:
    """What the rule would make from its effective date to ``days`` ahead (also for an
    unsaved rule): three queries whatever the number of cases."""
    due = due_select(rule, rule.effective_from, now + timedelta(days=days)).subquery("due")
    adviser, spouse = aliased(User), aliased(User)
    joined = (
        select(due.c.case_id)
        .join(Case, Case.id == due.c.case_id)
        .outerjoin(adviser, adviser.id == Case.adviser_id)
        .join(spouse, spouse.id == Case.spouse_id)
    )
    groups = db.session.execute(
        joined.with_only_columns(adviser.name, func.count())
        .group_by(adviser.id, adviser.name)
        .order_by(func.count().desc(), adviser.name)
    ).all()
    sample = db.session.execute(
        joined.with_only_columns(spouse.name, due.c.due_on, adviser.name)
        .order_by(due.c.due_on, due.c.case_id)
        .limit(SAMPLE)
    ).all()
    total = sum(n for _, n in groups)
    return DryRun(
        total=total,
        emails=total if rule.email_spouse else 0,
        by_assignee=[(name, n) for name, n in groups],
        sample=[tuple(row) for row in sample],
    )


@dataclass(frozen=True)
class RuleShown:
    """What the case's "why" page shows and decides of a rule: read as plain columns, not
    as ORM objects (a row per rule and firing of it on the case)."""

    id: int
    name: str
    kind: str
    days: int
    direction: str
    enabled: bool
    effective_from: datetime


@dataclass(frozen=True)
class FiringShown:
    id: int
    rule_id: int
    occasion: date
    fired_at: datetime
    outbox_message_id: int | None


@dataclass(frozen=True)
class FollowUpShown:
    title: str
    done_at: datetime | None


@dataclass
class Reason:
    rule: RuleShown
    status: str  # off, not_matched, fired, before_effective, due_now, upcoming
    due_on: date | None = None
    firing: FiringShown | None = None
    follow_up: FollowUpShown | None = None


@dataclass
class CaseReminders:
    reasons: list[Reason]
    history: list[tuple[FiringShown, RuleShown, FollowUpShown | None]]
    fired: int = 0  # every firing on the case; history holds the newest HISTORY_LIMIT of them


HISTORY_LIMIT = 20


# The case the "why" is asked about: the statement below is built once and run with it.
# The case is the only value it binds: its constants (LIMIT 1, the kinds' codes) are
# written into its SQL.
_CASE = bindparam("why_case_id")
_ONE = literal_column("1")
_RULE = (
    ReminderRule.id,
    ReminderRule.name,
    ReminderRule.kind,
    ReminderRule.days,
    ReminderRule.direction,
    ReminderRule.enabled,
    ReminderRule.effective_from,
)
_FIRING = (
    ReminderFiring.id,
    ReminderFiring.rule_id,
    ReminderFiring.occasion,
    ReminderFiring.fired_at,
    ReminderFiring.outbox_message_id,
)
_FOLLOW_UP = (FollowUp.id, FollowUp.title, FollowUp.done_at)
# Where each part of a row ends: the rule's columns, the firing's, the follow-up's (its id
# first, to tell a firing without one), then the anchors.
_RULE_END = len(_RULE)
_FIRING_END = _RULE_END + len(_FIRING)
_FOLLOW_UP_END = _FIRING_END + len(_FOLLOW_UP)


@lru_cache(maxsize=32)
def _case_reminders_statement(known: tuple[tuple[str, object], ...]) -> Select:
    """Every rule with the case's firings of it (and the follow-up each made), and every
    known kind's anchor for the case: one SELECT, built once per set of kinds (and the
    functions that give them), as building it cost more than running it.

    The anchors are scalar subqueries on the case alone, so the database computes each
    once, not per row; they come for every known kind, not only the kinds in use, so that
    the rules need not be read first (a kind is a handful of indexed reads for one case)."""
    anchors = []
    for kind, _registered in known:
        a = kinds.anchors(kind, _CASE).subquery(f"a_{kind}")
        anchors.append(select(a.c.anchor).limit(_ONE).scalar_subquery().label(f"anchor_{kind}"))
    return (
        select(*_RULE, *_FIRING, *_FOLLOW_UP, *anchors)
        .outerjoin(ReminderFiring, and_(ReminderFiring.rule_id == ReminderRule.id, ReminderFiring.case_id == _CASE))
        .outerjoin(FollowUp, FollowUp.firing_id == ReminderFiring.id)
        .order_by(ReminderRule.name, ReminderRule.id)
    )


def case_reminders(case_id: int, now: datetime) -> CaseReminders:
    """Every rule's answer for one case, and the case's last firings with what they made:
    one query (a row per rule and firing of it on this case)."""
    known = tuple((kind, kinds.REGISTERED.get(kind)) for kind in sorted(kinds.KINDS))
    rows = plain_rows(db.session, _case_reminders_statement(known), {"why_case_id": case_id})
    rules: dict[int, RuleShown] = {}
    firings: list[tuple[FiringShown, RuleShown, FollowUpShown | None]] = []
    for row in rows:
        rule = rules.setdefault(row[0], RuleShown(*row[:_RULE_END]))
        if row[_RULE_END] is not None:
            firing = FiringShown(*row[_RULE_END:_FIRING_END])
            made = row[_FIRING_END] is not None
            follow_up = FollowUpShown(*row[_FIRING_END + 1 : _FOLLOW_UP_END]) if made else None
            firings.append((firing, rule, follow_up))
    # Each row carries the same anchors (one per known kind, in ``known``'s order).
    anchors = dict(zip((kind for kind, _ in known), rows[0][_FOLLOW_UP_END:], strict=True)) if rows else {}
    firings.sort(key=lambda fired: (fired[0].fired_at, fired[0].id), reverse=True)
    fired = {(firing.rule_id, firing.occasion): (firing, follow_up) for firing, _rule, follow_up in firings}
    reasons = [_reason(rule, anchors.get(rule.kind), fired, now) for rule in rules.values()]
    return CaseReminders(reasons=reasons, history=firings[:HISTORY_LIMIT], fired=len(firings))


def _reason(rule: RuleShown, anchor, fired: dict, now: datetime) -> Reason:
    if not rule.enabled:
        return Reason(rule, "off")
    if anchor is None:
        return Reason(rule, "not_matched")
    occasion = kinds.python_occasion(rule.kind, anchor)
    signed = timedelta(days=rule.days if rule.direction == "after" else -rule.days)
    due_on = occasion + signed
    if (rule.id, occasion) in fired:
        firing, follow_up = fired[(rule.id, occasion)]
        return Reason(rule, "fired", due_on, firing, follow_up)
    if kinds.KINDS[rule.kind].anchor_type == "event":
        due_at = anchor + signed
        effective, current = rule.effective_from, now
    else:
        due_at = due_on
        effective, current = rule.effective_from.astimezone(HELSINKI).date(), now.astimezone(HELSINKI).date()
    if due_at < effective:
        return Reason(rule, "before_effective", due_on)
    if due_at <= current:
        return Reason(rule, "due_now", due_on)
    return Reason(rule, "upcoming", due_on)
