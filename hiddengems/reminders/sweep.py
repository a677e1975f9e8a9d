"""The reminder sweep: every rule against every case, set-based, exactly once.

For each rule one INSERT ... SELECT writes a firing for every (case, occasion) that is
due by ``now`` and not before the rule's effective date, ignoring the ones that exist
(ON CONFLICT DO NOTHING on the unique key, so two sweeps at once cannot both fire);
only the firings this statement inserted (RETURNING) get their follow-up and e-mail,
each made with one bulk INSERT. What is due is read from the database up to ``now``,
so a sweep after days of downtime makes everything that fell due meanwhile, once.
Flush, never commit: the caller commits each rule (hiddengems/reminders/jobs.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, false, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.extensions import db
from hiddengems.mail.services import queue_many
from hiddengems.reminders import kinds
from hiddengems.reminders.models import FollowUp, ReminderFiring, ReminderRule
from hiddengems.reminders.placeholders import fill
from hiddengems.timeutil import HELSINKI, UTCDateTime
from hiddengems.ui.formatting import date_for

CHUNK = 5000


@dataclass
class Fired:
    rule_id: int
    firings: int = 0
    follow_ups: int = 0
    emails: int = 0
    case_ids: list[int] = field(default_factory=list)


def _window(rule: ReminderRule, start: datetime, end: datetime, a) -> list:
    """Conditions on the anchors ``a`` whose occasion falls due between ``start`` and ``end``."""
    anchor = a.c.anchor
    if kinds.KINDS[rule.kind].anchor_type == "event":
        shift = timedelta(days=rule.days)
        return [anchor >= start - shift, anchor <= end - shift]
    # A date: due on the day (Helsinki) that is `days` before or after it.
    first, last = start.astimezone(HELSINKI).date(), end.astimezone(HELSINKI).date()
    shift = timedelta(days=rule.days if rule.direction == "before" else -rule.days)
    return [anchor >= first + shift, anchor <= last + shift]


def due_select(rule: ReminderRule, start: datetime, end: datetime):
    """SELECT case_id, occasion, due_on of the rule's occasions due in [start, end] that
    have not fired."""
    a = kinds.anchors(rule.kind).subquery("a")
    occasion = kinds.occasion_of(rule.kind, a.c.anchor)
    signed = rule.days if rule.direction == "after" else -rule.days
    due_on = kinds.add_days(occasion, literal(signed))
    where = _window(rule, start, end, a)
    where.append(
        ~exists().where(
            ReminderFiring.rule_id == rule.id,
            ReminderFiring.case_id == a.c.case_id,
            ReminderFiring.occasion == occasion,
        )
    )
    return select(a.c.case_id, occasion.label("occasion"), due_on.label("due_on")).where(and_(*where))


def _dialect_insert():
    return postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert


def fire_rule(rule: ReminderRule, now: datetime) -> Fired:
    """Fire one rule for everything due by ``now``; act only for the firings inserted here."""
    fired = Fired(rule.id)
    if not rule.enabled or rule.effective_from > now:
        return fired
    due = due_select(rule, rule.effective_from, now).subquery("due")
    # In case order, so that two sweeps at once take the unique key's locks in one order.
    source = select(
        literal(rule.id).label("rule_id"),
        due.c.case_id,
        due.c.occasion,
        due.c.due_on,
        literal(now, UTCDateTime()).label("fired_at"),
    ).order_by(due.c.case_id)
    firing = ReminderFiring.__table__  # Core: the ORM's bulk path adds nothing here but time
    stmt = (
        _dialect_insert()(firing)
        .from_select(["rule_id", "case_id", "occasion", "due_on", "fired_at"], source)
        .on_conflict_do_nothing(index_elements=["rule_id", "case_id", "occasion"])
        .returning(firing.c.id, firing.c.case_id, firing.c.due_on)
    )
    inserted = db.session.execute(stmt).all()
    fired.firings = len(inserted)
    fired.case_ids = [row.case_id for row in inserted]
    for batch in _batches(inserted):
        _act(rule, batch, now, fired)
    return fired


def _batches(inserted: list) -> list[list]:
    """The firings in chunks of at most CHUNK, each case at most once in a chunk: a kind
    with several anchors per case (training's programmes) can fire twice for a case in one
    sweep, and the e-mails are matched back to their firings by spouse."""
    rounds: list[list] = []
    seen: dict[int, int] = {}
    for row in inserted:
        n = seen[row.case_id] = seen.get(row.case_id, -1) + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(row)
    return [one[start : start + CHUNK] for one in rounds for start in range(0, len(one), CHUNK)]


def _people(firings: list) -> dict:
    """Each firing's case with its adviser and spouse, by case id."""
    return {
        row.id: row
        for row in db.session.execute(
            select(
                Case.id,
                Case.adviser_id,
                User.id.label("spouse_id"),
                User.name,
                User.email,
                User.preferred_language,
                User.active,
                User.email_verified_at,
            )
            .join(User, User.id == Case.spouse_id)
            .where(Case.id.in_([f.case_id for f in firings]))
        )
    }


def _act(rule: ReminderRule, firings: list, now: datetime, fired: Fired) -> None:
    people: dict | None = None
    text = rule.follow_up_title if rule.make_follow_up else None
    if text and not any(f"{{{name}}}" in text for name in ("name", "date", "link")):
        # The same title for every case: the follow-ups are copied from the firings in SQL.
        firing, case = ReminderFiring.__table__, Case.__table__
        source = (
            select(
                firing.c.case_id,
                case.c.adviser_id,  # None: the intake queue
                firing.c.due_on,
                literal(fill(text, {"days": str(rule.days)})[:200]),
                false(),
                literal(now, UTCDateTime()),
                firing.c.id,
            )
            .join(case, case.c.id == firing.c.case_id)
            .where(firing.c.id.in_([f.id for f in firings]))
        )
        columns = ["case_id", "assignee_id", "due_on", "title", "shared_with_spouse", "created_at", "firing_id"]
        db.session.execute(FollowUp.__table__.insert().from_select(columns, source))
        fired.follow_ups += len(firings)
    elif text:
        people = _people(firings)
        title = _titles(rule)
        rows = [
            {
                "case_id": f.case_id,
                "assignee_id": people[f.case_id].adviser_id,  # None: the intake queue
                "due_on": f.due_on,
                "title": title(people[f.case_id], f.due_on),
                "shared_with_spouse": False,
                "created_at": now,
                "firing_id": f.id,
            }
            for f in firings
        ]
        # Core, not the ORM's bulk insert: that one splits the rows into a statement for
        # each run of rows with and without an assignee.
        db.session.execute(FollowUp.__table__.insert(), rows)
        fired.follow_ups += len(rows)
    if rule.email_spouse and rule.email_templates:
        people = people if people is not None else _people(firings)
        link = _home_link()
        messages, firing_of = [], {}
        for f in firings:
            person = people[f.case_id]
            # Only to a confirmed address of an active account: anyone can type an address
            # into the registration form, and a deactivated spouse gets no more mail.
            if not person.email or not person.active or person.email_verified_at is None:
                continue
            subject, body = _wording(rule, person.preferred_language)
            values = _values(rule, person, f.due_on, link=link)
            body = fill(body, values)
            if link not in body:
                body = f"{body}\n\n{link}"
            messages.append(
                {
                    "to_address": person.email,
                    "subject": fill(subject, values),
                    "template": "reminder",
                    "kind": "reminder",
                    "user_id": person.spouse_id,
                    "context": {"body": body},
                }
            )
            firing_of[person.spouse_id] = f.id
        # Each case once in a batch (_batches), so one firing and one message per spouse.
        ids = queue_many(messages, now=now)
        if ids:
            db.session.execute(
                update(ReminderFiring),
                [{"id": firing_of[user_id], "outbox_message_id": mid} for user_id, mid in ids.items()],
            )
        fired.emails += len(ids)


def _wording(rule: ReminderRule, language: str | None) -> tuple[str, str]:
    templates = rule.email_templates or {}
    chosen = templates.get(language or "") or templates.get("en") or next(iter(templates.values()))
    return chosen.get("subject", ""), chosen.get("body", "")


def _home_link() -> str:
    # The sweep runs outside any request: the link is built from PUBLIC_URL and the URL map.
    path = current_app.url_map.bind("localhost").build("main.spouse_home")
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def _titles(rule: ReminderRule):
    """The follow-up's title for a case: most titles use no placeholder, or only {days}
    and {date}, so they are filled once per due date, not once per case."""
    text = rule.follow_up_title or ""
    if "{" not in text:
        return lambda person, due_on: text[:200]
    if "{name}" not in text:
        cache: dict[date, str] = {}

        def by_date(person, due_on: date) -> str:
            if due_on not in cache:
                cache[due_on] = fill(text, _values(rule, person, due_on, link="", staff=True))[:200]
            return cache[due_on]

        return by_date
    return lambda person, due_on: fill(text, _values(rule, person, due_on, link="", staff=True))[:200]


def _long_date(day: date, language: str) -> str:
    # The one date format of every page and e-mail; date_for formats each day once.
    return date_for(day, language)


def _values(rule: ReminderRule, person, due_on: date, *, link: str, staff: bool = False) -> dict[str, str]:
    """The placeholders' values: the date in the spouse's language for their e-mail, in
    the service's own language for the adviser's follow-up (``staff``)."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    language = default if staff else (person.preferred_language or default)
    return {"name": person.name, "days": str(rule.days), "date": _long_date(due_on, language), "link": link}
