"""Access rows of the introductions (merged by tests/test_access_table.py). Spouse A's
introduction belongs to A's case ("adviser"'s; a lead's too); A sees and answers their own
proposal, B never; the employer's signed link opens for anyone holding it, and only while
it is valid (tests/introductions/test_links.py tries the rest)."""

from __future__ import annotations

from datetime import timedelta

from hiddengems.employers import services as employers
from hiddengems.extensions import db
from hiddengems.introductions import services
from hiddengems.introductions.models import Introduction, IntroductionLink
from hiddengems.timeutil import utcnow
from tests import factories as f
from tests.access_codes import ADVISER, PUBLIC, SPOUSE

CASE = "302 403 403 200 403 200 403 403 403"
CASE_REDIRECT = "302 403 403 302 403 302 403 403 403"

ACCESS: dict[str, tuple[str, str]] = {
    "introductions.propose": ("GET", CASE),
    "introductions.of_case": ("GET", CASE),
    # An employer's introductions: every adviser keeps the directory (tests/employers/access.py).
    "introductions.of_employer": ("GET", ADVISER),
    # Spouse A is sent on to their proposal page.
    "introductions.introduction": ("GET", "302 302 403 200 403 200 403 403 403"),
    "introductions.proposal": ("GET", "302 200 403 403 403 403 403 403 403"),
    "introductions.mine": ("GET", SPOUSE),
    # Nothing asked, nothing to withdraw: a message and back to the proposal.
    "introductions.consent": ("POST", "302 302 403 403 403 403 403 403 403"),
    "introductions.decline": ("POST", "302 302 403 403 403 403 403 403 403"),
    "introductions.withdraw": ("POST", "302 302 403 403 403 403 403 403 403"),
    "introductions.send": ("POST", CASE_REDIRECT),
    "introductions.move": ("POST", CASE_REDIRECT),
    "introductions.shared": ("GET", PUBLIC),
}


def world_values(people: dict, values: dict) -> dict:
    adviser = people["adviser"]
    employer = employers.create_employer({"name": "Introduced Oy", "working_language": "english_ok"}, actor=adviser)
    contact = employers.add_contact(employer, {"name": "Riikka", "email": "riikka@employer.example"}, actor=adviser)
    now = utcnow()
    introduction = Introduction(
        case_id=f.case_of(people["spouse_a"]).id,
        employer_id=employer.id,
        contact_id=contact.id,
        status="introduced",
        proposed_by_id=adviser.id,
        consented_at=now,
    )
    db.session.add(introduction)
    db.session.flush()
    link = IntroductionLink(
        introduction_id=introduction.id, nonce="n" * 32, sent_to=contact.email, expires_at=now + timedelta(days=14)
    )
    db.session.add(link)
    db.session.commit()
    token = services._serializer().dumps({"l": link.id, "n": link.nonce})
    return {"introduction_id": introduction.id, "token": token}
