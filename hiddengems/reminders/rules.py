"""Reminder rules as data: the seeded defaults, what makes a rule valid, saving one.
Flush, never commit.

The defaults of the domains above come with their kinds (kinds.register): training's
"training ended → record the result" from hiddengems/training/reminder_kinds.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from hiddengems.audit.services import record
from hiddengems.auth.models import User
from hiddengems.extensions import db
from hiddengems.reminders import placeholders
from hiddengems.reminders.kinds import KINDS, REGISTERED_DEFAULTS
from hiddengems.reminders.models import MAX_OFFSET_DAYS, ReminderRule
from hiddengems.timeutil import utcnow

INTAKE_EMAIL = {
    "en": {
        "subject": "Your Hidden Gems intake is waiting",
        "body": "Hello {name},\n\nyou registered with the Hidden Gems programme {days} days ago, but your intake "
        "is not sent yet. An adviser can meet you as soon as it is. Continue where you left off:\n\n{link}",
    },
    "fi": {
        "subject": "Hidden Gems -alkukartoituksesi odottaa",
        "body": "Hei {name},\n\nrekisteröidyit Hidden Gems -ohjelmaan {days} päivää sitten, mutta "
        "alkukartoitustasi ei ole vielä lähetetty. Neuvoja voi tavata sinut heti kun se on lähetetty. "
        "Jatka siitä mihin jäit:\n\n{link}",
    },
}

DEFAULT_RULES = (
    {
        "key": "intake_not_submitted",
        "name": "Intake not submitted",
        "kind": "intake_not_submitted",
        "days": 7,
        "follow_up_title": "Intake not sent {days} days after registration: contact the spouse",
        "email_spouse": True,
        "email_templates": INTAKE_EMAIL,
    },
    {
        "key": "intake_not_taken",
        "name": "Intake waiting in the queue",
        "kind": "intake_not_taken",
        "days": 3,
        "follow_up_title": "Intake waiting {days} days: take the case and book the first meeting",
    },
    {
        "key": "no_contact",
        "name": "No contact on an active case",
        "kind": "no_contact",
        "days": 30,
        "follow_up_title": "No contact for {days} days: get in touch",
    },
    {
        "key": "stage_stuck",
        "name": "Long in one stage",
        "kind": "stage_stuck",
        "days": 90,
        "follow_up_title": "{days} days in this stage: review the plan",
    },
    {
        "key": "permit_expiring",
        "name": "Residence permit expiring",
        "kind": "permit_expiring",
        "days": 60,
        "direction": "before",
        "follow_up_title": "Residence permit expires on {date}: check the renewal",
    },
    {
        "key": "closed_check",
        "name": "Six-month result after closing",
        "kind": "closed_check",
        "days": 183,
        "follow_up_title": "Six months since the close: record the spouse's situation",
    },
)


def seed_defaults(now: datetime | None = None) -> int:
    """Add the default rules that are missing (by key); returns how many were added."""
    now = now or utcnow()
    present = set(db.session.scalars(select(ReminderRule.key).where(ReminderRule.key.is_not(None))))
    added = 0
    for values in (*DEFAULT_RULES, *REGISTERED_DEFAULTS):
        if values["key"] in present:
            continue
        db.session.add(
            ReminderRule(**{"direction": "after", **values}, effective_from=now, created_at=now, updated_at=now)
        )
        added += 1
    db.session.flush()
    return added


def rule_problems(data: dict, *, now: datetime, previous_effective: datetime | None = None) -> dict[str, str]:
    """What is wrong with a rule's values, by field: codes the form turns into messages."""
    problems: dict[str, str] = {}
    kind = KINDS.get(data.get("kind") or "")
    if kind is None:
        problems["kind"] = "unknown"
    days = data.get("days")
    if days is None:
        problems["days"] = "missing"
    elif days < 0:
        problems["days"] = "negative"
    elif days > MAX_OFFSET_DAYS:
        problems["days"] = "absurd"
    if kind is not None and data.get("direction") not in kind.directions:
        problems["direction"] = "after_only"
    if not data.get("make_follow_up") and not data.get("email_spouse"):
        problems["make_follow_up"] = "no_action"
    if data.get("make_follow_up") and not (data.get("follow_up_title") or "").strip():
        problems["follow_up_title"] = "missing"
    templates = data.get("email_templates") or {}
    if data.get("email_spouse"):
        english = templates.get("en") or {}
        if not (english.get("subject") or "").strip():
            problems["subject_en"] = "missing"
        if not (english.get("body") or "").strip():
            problems["body_en"] = "missing"
    texts = {"follow_up_title": data.get("follow_up_title") or ""}
    for language, wording in templates.items():
        texts[f"subject_{language}"] = wording.get("subject") or ""
        texts[f"body_{language}"] = wording.get("body") or ""
    for name, text in texts.items():
        try:
            placeholders.check(text)
        except placeholders.TemplateProblem as problem:
            problems.setdefault(name, f"{problem.reason}:{','.join(problem.names)}")
    effective = data.get("effective_from")
    # A rule cannot reach back: it would fire for everything that already matched.
    if effective is not None and effective < now - timedelta(hours=1) and effective != previous_effective:
        problems["effective_from"] = "past"
    return problems


FIELDS = (
    "name",
    "kind",
    "days",
    "direction",
    "make_follow_up",
    "follow_up_title",
    "email_spouse",
    "email_templates",
    "enabled",
    "effective_from",
)


def save_rule(rule: ReminderRule | None, data: dict, *, actor: User) -> ReminderRule:
    """Create or change a rule (the values were checked by rule_problems)."""
    now = utcnow()
    created = rule is None
    if created:
        rule = ReminderRule(created_at=now)
        db.session.add(rule)
    for name in FIELDS:
        setattr(rule, name, data[name])
    rule.effective_from = data.get("effective_from") or now
    rule.updated_at = now
    rule.updated_by_id = actor.id
    db.session.flush()
    record(
        "reminder_rule.created" if created else "reminder_rule.changed",
        actor=actor,
        object_type="reminder_rule",
        object_id=rule.id,
        detail={"kind": rule.kind, "days": rule.days, "enabled": rule.enabled},
    )
    return rule


def switch_rule(rule: ReminderRule, *, enabled: bool, actor: User) -> None:
    """On or off. Switched on again, it applies from now: what fell due while it was off
    is not made after the fact."""
    if rule.enabled == enabled:
        return
    rule.enabled = enabled
    rule.updated_at = utcnow()
    rule.updated_by_id = actor.id
    if enabled:
        rule.effective_from = max(rule.effective_from, rule.updated_at)
    db.session.flush()
    record(
        "reminder_rule.switched",
        actor=actor,
        object_type="reminder_rule",
        object_id=rule.id,
        detail={"enabled": enabled},
    )
