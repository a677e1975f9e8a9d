"""Introductions' rules: proposing, the spouse's consent (given, declined, withdrawn), sending
the signed link to an employer contact, the status pipeline, the employer's answer. Flush,
never commit: the route commits.

Nothing about a spouse leaves before they consent to that specific introduction; a link
works only while it is unexpired, unrevoked and the consent stands; every opening of a link
is logged, also of a guessed or altered one."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update

from hiddengems.audit.services import client_address, record
from hiddengems.auth.models import User
from hiddengems.cases.models import Case
from hiddengems.employers.models import Employer, EmployerContact, Opening
from hiddengems.extensions import db
from hiddengems.introductions.models import (
    ENDED,
    PIPELINE,
    Introduction,
    IntroductionEvent,
    IntroductionLink,
    LinkOpening,
)
from hiddengems.introductions.queries import load_introduction
from hiddengems.mail.services import public_url, queue
from hiddengems.reminders.models import FollowUp
from hiddengems.timeutil import helsinki_today, utcnow

LINK_DAYS = 14
# What an adviser may move an introduction to, once the employer has it.
ADVISER_MOVES = (*PIPELINE[1:], "declined", "no_response")


class IntroductionError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _event(introduction: Introduction, status: str, *, actor: User | None, note: str = "") -> None:
    introduction.status = status
    introduction.updated_at = utcnow()
    db.session.add(
        IntroductionEvent(
            introduction_id=introduction.id, status=status, actor_id=actor.id if actor else None, note=note.strip()
        )
    )
    db.session.flush()
    record(
        f"introductions.{status}",
        actor=actor,
        object_type="introduction",
        object_id=introduction.id,
        detail={"case": introduction.case_id},
    )


def propose(
    case: Case,
    employer: Employer,
    *,
    opening: Opening | None,
    contact: EmployerContact | None,
    note: str,
    actor: User,
) -> Introduction:
    """Propose an introduction and ask the spouse for consent (an e-mail through the outbox)."""
    if not case.is_open:
        raise IntroductionError("case_closed")
    if employer.merged_into_id is not None:
        raise IntroductionError("merged")
    if opening is not None and opening.employer_id != employer.id:
        raise IntroductionError("opening_elsewhere")
    if contact is not None and (contact.employer_id != employer.id or contact.removed_at is not None):
        raise IntroductionError("contact_elsewhere")
    introduction = Introduction(
        case_id=case.id,
        employer_id=employer.id,
        opening_id=opening.id if opening else None,
        contact_id=contact.id if contact else None,
        note=note.strip(),
        proposed_by_id=actor.id,
    )
    db.session.add(introduction)
    db.session.flush()
    _event(introduction, "proposed", actor=actor, note=note)
    _event(introduction, "consent_requested", actor=actor)
    spouse = db.session.get(User, case.spouse_id)
    queue(
        spouse.email,
        _("An introduction to %(employer)s: your consent is asked", employer=employer.name),
        "introduction_consent",
        kind="introduction_consent",
        user_id=spouse.id,
        user=spouse,
        employer=employer,
        url=public_url("introductions.proposal", introduction_id=introduction.id),
    )
    return introduction


def consent(introduction: Introduction, *, actor: User) -> None:
    if introduction.status != "consent_requested":
        raise IntroductionError("not_asked")
    introduction.consented_at = utcnow()
    _event(introduction, "consented", actor=actor)


def decline(introduction: Introduction, *, actor: User, note: str = "") -> None:
    if introduction.status != "consent_requested":
        raise IntroductionError("not_asked")
    _event(introduction, "declined", actor=actor, note=note)


def withdraw(introduction: Introduction, *, actor: User, note: str = "") -> None:
    """The spouse takes consent back: every link stops working at once."""
    if not introduction.consent_given or introduction.status in ("hired",):
        raise IntroductionError("no_consent")
    now = utcnow()
    introduction.withdrawn_at = now
    db.session.execute(
        update(IntroductionLink)
        .where(IntroductionLink.introduction_id == introduction.id, IntroductionLink.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    _event(introduction, "withdrawn", actor=actor, note=note)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="hiddengems-introduction-link")


def send(introduction: Introduction, *, actor: User) -> IntroductionLink:
    """E-mail the employer contact a signed link to the named profile. Only with consent."""
    if not introduction.consent_given:
        raise IntroductionError("no_consent")
    if introduction.status in ENDED:
        raise IntroductionError("ended")
    contact = db.session.get(EmployerContact, introduction.contact_id) if introduction.contact_id else None
    if contact is None or not contact.email or contact.removed_at is not None:
        raise IntroductionError("no_contact")
    now = utcnow()
    link = IntroductionLink(
        introduction_id=introduction.id,
        nonce=secrets.token_urlsafe(24),
        sent_to=contact.email,
        expires_at=now + timedelta(days=LINK_DAYS),
        created_at=now,
    )
    db.session.add(link)
    db.session.flush()
    token = _serializer().dumps({"l": link.id, "n": link.nonce})
    employer = db.session.get(Employer, introduction.employer_id)
    queue(
        contact.email,
        _("An introduction from Hidden Gems"),
        "introduction_link",
        kind="introduction_link",
        contact=contact,
        employer=employer,
        days=LINK_DAYS,
        secrets={"link_url": public_url("introductions.shared", token=token)},
    )
    if introduction.status == "consented":
        _event(introduction, "introduced", actor=actor, note=contact.email)
    return link


def move(introduction: Introduction, status: str, *, actor: User, note: str = "") -> None:
    """An adviser records how it went: meeting, interview, work trial, offer, hired, or it ended."""
    if status not in ADVISER_MOVES:
        raise IntroductionError("status")
    if introduction.status not in PIPELINE or introduction.status == "hired":
        raise IntroductionError("not_introduced")
    _event(introduction, status, actor=actor, note=note)


def open_link(token: str) -> tuple[Introduction | None, IntroductionLink | None, str]:
    """The introduction a link shows, and the outcome logged: shown, expired, revoked or
    invalid (then no introduction). One LinkOpening row whatever happens."""
    link, outcome = None, "invalid"
    try:
        payload = _serializer().loads(token, max_age=LINK_DAYS * 86400)
    except SignatureExpired:
        payload, outcome = None, "expired"
    except BadSignature:
        payload = None
    if isinstance(payload, dict) and isinstance(payload.get("l"), int):
        found = db.session.get(IntroductionLink, payload["l"])
        if found is not None and secrets.compare_digest(found.nonce, str(payload.get("n", ""))):
            link, outcome = found, _state(found)
    db.session.add(LinkOpening(link_id=link.id if link else None, outcome=outcome, address=client_address() or ""))
    db.session.flush()
    if outcome != "shown":
        return None, link, outcome
    return load_introduction(link.introduction_id), link, outcome


def _state(link: IntroductionLink) -> str:
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= utcnow():
        return "expired"
    introduction = db.session.get(Introduction, link.introduction_id)
    return "shown" if introduction.consent_given else "revoked"


def answer(introduction: Introduction, link: IntroductionLink, *, interested: bool, note: str) -> FollowUp:
    """The employer contact's answer without an account: it moves the introduction on and
    reaches the adviser as a follow-up due today."""
    if introduction.status not in ("introduced", "meeting") and interested:
        raise IntroductionError("answered")
    status = "meeting" if interested else "declined"
    words = _("Employer answered: interested, let's meet") if interested else _("Employer answered: not now")
    _event(introduction, status, actor=None, note=f"{words}. {note.strip()}".strip())
    db.session.add(LinkOpening(link_id=link.id, outcome="answered", address=client_address() or ""))
    case = db.session.get(Case, introduction.case_id)
    follow_up = FollowUp(
        case_id=case.id,
        assignee_id=case.adviser_id or introduction.proposed_by_id,
        due_on=helsinki_today(),
        title=(words + (f": {note.strip()}" if note.strip() else ""))[:200],
    )
    db.session.add(follow_up)
    db.session.flush()
    return follow_up


def openings_logged(link_id: int) -> int:
    return len(db.session.scalars(select(LinkOpening.id).where(LinkOpening.link_id == link_id)).all())
