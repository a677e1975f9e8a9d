"""The reminders domain's scheduled work: the sweep of the reminder rules, the daily digest."""

from __future__ import annotations

import logging
import re
from datetime import datetime

from sqlalchemy import select

from hiddengems.dbsetup import begin_writing
from hiddengems.extensions import db
from hiddengems.reminders.digest import send_digests
from hiddengems.reminders.models import ReminderRule
from hiddengems.reminders.sweep import Fired, fire_rule
from hiddengems.timeutil import utcnow

log = logging.getLogger("hiddengems.scheduler")


def run_sweep(now: datetime | None = None) -> list[Fired]:
    """Every enabled rule, one transaction each: a sweep stopped halfway keeps the rules
    it finished, and the next one does the rest (what is due is read from the database)."""
    now = now or utcnow()
    rule_ids = db.session.scalars(select(ReminderRule.id).where(ReminderRule.enabled).order_by(ReminderRule.id)).all()
    db.session.rollback()
    results = []
    for rule_id in rule_ids:
        begin_writing(db.session)
        rule = db.session.get(ReminderRule, rule_id)
        results.append(fire_rule(rule, now))
        db.session.commit()
    return results


def sweep_reminders() -> None:
    results = run_sweep()
    made = sum(r.firings for r in results)
    if made:
        log.info(
            "reminders: %s firings, %s follow-ups, %s e-mails",
            made,
            sum(r.follow_ups for r in results),
            sum(r.emails for r in results),
        )


def send_digest() -> None:
    queued = send_digests()
    if queued:
        log.info("digest: %s queued", queued)


def _digest_trigger(config) -> dict:
    """Every quarter of an hour on weekdays from DIGEST_TIME for DIGEST_CATCH_UP_HOURS
    (Helsinki): the first run at the time sends the day's digests, the later ones send
    what a scheduler that was down then could not (each adviser's once: digest.py)."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", config["DIGEST_TIME"])
    if not match:
        raise RuntimeError(f"DIGEST_TIME must be HH:MM (24-hour, Helsinki), not {config['DIGEST_TIME']!r}.")
    first = int(match.group(1))
    last = min(first + config["DIGEST_CATCH_UP_HOURS"], 23)
    return {
        "trigger": "cron",
        "day_of_week": "mon-fri",
        "hour": f"{first}-{last}",
        "minute": "*/15",
        "timezone": "Europe/Helsinki",
    }


def schedule(config) -> list[dict]:
    """As APScheduler's add_job arguments (hiddengems/scheduler.py opens the app context)."""
    return [
        {
            "id": "sweep_reminders",
            "func": sweep_reminders,
            "trigger": "interval",
            "seconds": config["REMINDER_SWEEP_SECONDS"],
        },
        {"id": "send_digest", "func": send_digest, **_digest_trigger(config)},
    ]
