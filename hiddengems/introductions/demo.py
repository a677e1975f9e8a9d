"""Demo introductions: cases at the introductions stage get one to three, at every status
(proposed .. hired, declined, withdrawn, no response), each with its history of status
changes (who, when, a note), the consent given or withdrawn, the signed links sent to the
employer's contact person with their openings logged, and some employers' answers. Some
closed cases were hired through one. The demo spouse has a proposal waiting for consent.
About one introduction for every six spouses (17,000 at the benchmark's 100,000), bulk
inserts with explicit ids, after the employers' demo (hiddengems/employers/demo.py)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, text

from hiddengems.cases.models import Case
from hiddengems.employers.models import EmployerContact, Opening
from hiddengems.extensions import db
from hiddengems.introductions.models import Introduction, IntroductionEvent, IntroductionLink, LinkOpening
from hiddengems.introductions.services import LINK_DAYS
from hiddengems.timeutil import utcnow
from hiddengems.vocab import EMPLOYED_OUTCOMES

BATCH = 5000
# Where an open case's introductions stand (weights): most are on their way, some ended.
TARGETS = {
    "proposed": 3,
    "consent_requested": 10,
    "consented": 6,
    "introduced": 12,
    "meeting": 9,
    "interview": 7,
    "work_trial": 4,
    "offer": 3,
    "hired": 2,
    "declined": 10,
    "withdrawn": 4,
    "no_response": 6,
}
ADVISER_NOTES = {
    "proposed": "Your background fits what they do; they are hiring this spring.",
    "meeting": "Coffee meeting agreed with the team lead.",
    "interview": "First interview booked.",
    "work_trial": "Four-week work trial agreed.",
    "offer": "Offer received: part-time to start.",
    "hired": "Signed the contract.",
    "no_response": "No answer after two reminders.",
}
ANSWERS_YES = ("We would be glad to meet.", "Interesting profile, let's talk next week.", "")
ANSWERS_NO = ("Not hiring at the moment.", "We chose another candidate this time.", "")


class _Rows:
    """The rows to insert, by model, with the next free ids."""

    def __init__(self) -> None:
        self.introductions: list[dict] = []
        self.events: list[dict] = []
        self.links: list[dict] = []
        self.openings: list[dict] = []
        self.introduction_id = (db.session.scalar(select(func.max(Introduction.id))) or 0) + 1
        self.link_id = (db.session.scalar(select(func.max(IntroductionLink.id))) or 0) + 1

    def flush(self, final: bool = False) -> None:
        if not final and len(self.events) < BATCH:
            return
        for model, rows in (
            (Introduction, self.introductions),
            (IntroductionEvent, self.events),
            (IntroductionLink, self.links),
            (LinkOpening, self.openings),
        ):
            for i in range(0, len(rows), BATCH):
                db.session.execute(insert(model), rows[i : i + BATCH])
            rows.clear()


def add_demo(rng: random.Random, **context) -> None:
    now = utcnow()
    demo_adviser = context.get("demo_adviser_id")
    cases = db.session.execute(
        select(Case.id, Case.spouse_id, Case.stage, Case.adviser_id, Case.outcome).order_by(Case.id)
    ).all()
    contacts: dict[int, list[tuple[int, str]]] = {}
    for contact_id, employer_id, email in db.session.execute(
        select(EmployerContact.id, EmployerContact.employer_id, EmployerContact.email)
        .where(EmployerContact.removed_at.is_(None), EmployerContact.email != "")
        .order_by(EmployerContact.id)
    ):
        contacts.setdefault(employer_id, []).append((contact_id, email))
    if not cases or not contacts:
        return
    openings: dict[int, list[int]] = {}
    for opening_id, employer_id in db.session.execute(
        select(Opening.id, Opening.employer_id).where(Opening.status == "open").order_by(Opening.id)
    ):
        openings.setdefault(employer_id, []).append(opening_id)
    employers = sorted(contacts)
    rows = _Rows()
    statuses, weights = list(TARGETS), list(TARGETS.values())
    for n, (case_id, spouse_id, stage, adviser_id, outcome) in enumerate(cases):
        if n == 0:
            targets = ["consent_requested", "introduced"]  # the demo spouse: a proposal to answer
        elif stage == "introductions":
            targets = rng.choices(statuses, weights, k=rng.choice((1, 1, 2, 3)))
        elif stage == "closed" and outcome in EMPLOYED_OUTCOMES and rng.random() < 0.4:
            targets = ["hired"]
        else:
            continue
        for target in targets:
            employer_id = rng.choice(employers)
            offered = openings.get(employer_id)
            _introduction(
                rng,
                rows,
                now,
                target,
                case=(case_id, spouse_id, adviser_id or demo_adviser),
                employer_id=employer_id,
                contact=rng.choice(contacts[employer_id]),
                opening_id=rng.choice(offered) if offered and rng.random() < 0.6 else None,
            )
        rows.flush()
    rows.flush(final=True)
    _fix_sequences()


def _path(rng: random.Random, target: str) -> list[str]:
    """The statuses an introduction went through to reach ``target``."""
    asked = ["proposed", "consent_requested"]
    introduced = [*asked, "consented", "introduced"]
    if target in ("proposed", "consent_requested"):
        return asked[: asked.index(target) + 1]
    if target in ("consented", "introduced"):
        return introduced[: introduced.index(target) + 1]
    if target in ("meeting", "interview", "work_trial", "offer", "hired"):
        steps = ["meeting", "interview", "work_trial", "offer", "hired"]
        steps = steps[: steps.index(target) + 1]
        if target in ("offer", "hired") and rng.random() < 0.5:
            steps.remove("work_trial")
        return introduced + steps
    if target == "declined":  # by the spouse, or by the employer once introduced
        return [*asked, "declined"] if rng.random() < 0.5 else [*introduced, "declined"]
    if target == "withdrawn":
        return [*asked, "consented", *(["introduced"] if rng.random() < 0.6 else []), "withdrawn"]
    return [*introduced, "no_response"]


def _introduction(rng, rows: _Rows, now: datetime, target: str, *, case, employer_id, contact, opening_id) -> None:
    case_id, spouse_id, adviser_id = case
    path = _path(rng, target)
    intro_id = rows.introduction_id
    rows.introduction_id += 1
    # Back from now, so that the last change lies between today and four months ago.
    at = now - timedelta(days=sum(rng.randint(2, 25) for _ in path) + rng.randint(0, 60), hours=rng.randint(0, 23))
    created_at, consented_at, withdrawn_at, link = at, None, None, None
    for position, status in enumerate(path):
        if position:
            at = min(at + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8)), now)
        actor, note = adviser_id, ""
        if status == "proposed":
            note = ADVISER_NOTES[status] if rng.random() < 0.5 else ""
        elif status == "consented":
            actor, consented_at = spouse_id, at
        elif status == "withdrawn":
            actor, withdrawn_at = spouse_id, at
            note = "I took another job." if rng.random() < 0.5 else ""
        elif status == "declined" and "introduced" not in path:
            actor, note = spouse_id, "Not the field I am looking for." if rng.random() < 0.5 else ""
        elif status == "introduced":
            note = contact[1]
            link = _link(rng, rows, intro_id, contact[1], at, now)
        elif (status == "meeting" or (status == "declined" and link)) and rng.random() < 0.6:
            actor, note = None, _answer(rng, rows, link, at, interested=status == "meeting")
        elif status in ADVISER_NOTES and rng.random() < 0.7:
            note = ADVISER_NOTES[status]
        rows.events.append({"introduction_id": intro_id, "status": status, "actor_id": actor, "note": note, "at": at})
    if link is not None and withdrawn_at is not None:
        link["revoked_at"] = withdrawn_at  # withdrawing consent revokes the link
    rows.introductions.append(
        {
            "id": intro_id,
            "case_id": case_id,
            "employer_id": employer_id,
            "opening_id": opening_id,
            "contact_id": contact[0],
            "status": target,
            "note": rows.events[-len(path)]["note"],
            "proposed_by_id": adviser_id,
            "consented_at": consented_at,
            "withdrawn_at": withdrawn_at,
            "created_at": created_at,
            "updated_at": at,
        }
    )


def _link(rng, rows: _Rows, intro_id: int, email: str, at: datetime, now: datetime) -> dict:
    """A link sent at ``at``, opened a few times by the employer while it worked."""
    link = {
        "id": rows.link_id,
        "introduction_id": intro_id,
        "nonce": f"{rng.getrandbits(192):048x}",
        "sent_to": email,
        "expires_at": at + timedelta(days=LINK_DAYS),
        "revoked_at": None,
        "created_at": at,
    }
    rows.link_id += 1
    rows.links.append(link)
    for _ in range(rng.randint(0, 3)):
        opened = min(at + timedelta(hours=rng.randint(1, 24 * LINK_DAYS - 1)), now)
        rows.openings.append({"link_id": link["id"], "outcome": "shown", "address": "192.0.2.10", "at": opened})
    return link


def _answer(rng, rows: _Rows, link: dict, at: datetime, *, interested: bool) -> str:
    """The employer contact's answer through the link: its words as the status note."""
    rows.openings.append({"link_id": link["id"], "outcome": "answered", "address": "192.0.2.10", "at": at})
    words = "Employer answered: interested, let's meet" if interested else "Employer answered: not now"
    said = rng.choice(ANSWERS_YES if interested else ANSWERS_NO)
    return f"{words}. {said}".strip()


def _fix_sequences() -> None:
    """Rows inserted with explicit ids leave PostgreSQL's sequences behind."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("introduction", "introduction_link"):
        db.session.execute(
            # table names come from the tuple above, never from input
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))")  # noqa: S608
        )
