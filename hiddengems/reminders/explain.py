"""Reads that explain the rules: the dry run of a rule (what it would make in the next
30 days, for whom) and, on a case, why each rule fired, is due, or did not fire."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import aliased

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
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


@dataclass
class Reason:
    rule: ReminderRule
    status: str  # off, not_matched, fired, before_effective, due_now, upcoming
    due_on: date | None = None
    firing: ReminderFiring | None = None
    follow_up: FollowUp | None = None


@dataclass
class CaseReminders:
    reasons: list[Reason]
    history: list[tuple[ReminderFiring, ReminderRule, FollowUp | None]]


HISTORY_LIMIT = 20


# The case the "why" is asked about: the statements below are built once and run with it.
_CASE = bindparam("why_case_id")


@cache
def _rules_and_firings() -> tuple[Select, Select]:
    rules = select(ReminderRule).order_by(ReminderRule.name, ReminderRule.id)
    firings = (
        select(ReminderFiring, FollowUp)
        .outerjoin(FollowUp, FollowUp.firing_id == ReminderFiring.id)
        .where(ReminderFiring.case_id == _CASE)
        .order_by(ReminderFiring.fired_at.desc(), ReminderFiring.id.desc())
    )
    return rules, firings


@lru_cache(maxsize=32)
def _anchors_of(used: tuple[tuple[str, object], ...]) -> Select:
    """Every kind's anchor for one case in one SELECT of scalar subqueries, built once per
    set of kinds in use (and the functions that give them): building it cost more than
    running it."""
    columns = []
    for kind, _registered in used:
        a = kinds.anchors(kind, _CASE).subquery(f"a_{kind}")
        columns.append(select(a.c.anchor).limit(1).scalar_subquery().label(kind))
    return select(*columns)


def case_reminders(case_id: int, now: datetime) -> CaseReminders:
    """Every rule's answer for one case, and the case's last firings with what they made.
    Three queries: the rules, the firings, the anchors of every kind in use."""
    rules_stmt, firings_stmt = _rules_and_firings()
    params = {"why_case_id": case_id}
    rules = list(db.session.scalars(rules_stmt))
    rows = db.session.execute(firings_stmt, params).all()
    by_rule = {rule.id: rule for rule in rules}
    history = [(firing, by_rule[firing.rule_id], follow_up) for firing, follow_up in rows[:HISTORY_LIMIT]]
    fired = {(firing.rule_id, firing.occasion): (firing, follow_up) for firing, follow_up in rows}
    anchors = {}
    used = tuple((kind, kinds.REGISTERED.get(kind)) for kind in sorted({rule.kind for rule in rules}))
    if used:
        anchors = db.session.execute(_anchors_of(used), params).one()._asdict()
    reasons = [_reason(rule, anchors.get(rule.kind), fired, now) for rule in rules]
    return CaseReminders(reasons=reasons, history=history)


def _reason(rule: ReminderRule, anchor, fired: dict, now: datetime) -> Reason:
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
