"""Access rows of the employer directory and openings (merged by tests/test_access_table.py).
Every adviser (and lead) reads and keeps the directory; spouses, HR and admins never see it."""

from __future__ import annotations

from hiddengems.employers import services
from hiddengems.extensions import db
from tests.access_codes import ADVISER, SPOUSE

ADVISERS_REDIRECT = "302 403 403 302 302 302 403 403 403"
# A form posted empty: the page again with the messages beside the fields.
ADVISERS_FORM = "302 403 403 422 422 422 403 403 403"

ACCESS: dict[str, tuple[str, str]] = {
    "employers.directory": ("GET", ADVISER),
    "employers.new_employer": ("GET", ADVISER),
    "employers.employer": ("GET", ADVISER),
    "employers.edit_employer": ("GET", ADVISER),
    "employers.add_contact": ("POST", ADVISERS_FORM),
    "employers.remove_contact": ("POST", ADVISERS_REDIRECT),
    "employers.merge": ("POST", ADVISERS_FORM),
    "employers.new_opening": ("GET", ADVISER),
    "employers.edit_opening": ("GET", ADVISER),
    "employers.opening": ("GET", ADVISER),
    "employers.opening_matches": ("GET", ADVISER),
    # Spouse A's case: its own adviser and a lead.
    "employers.case_matches": ("GET", "302 403 403 200 403 200 403 403 403"),
    "employers.considered": ("GET", SPOUSE),
}


def world_values(people: dict, values: dict) -> dict:
    data = {
        "name": "Nokia Oyj",
        "business_id": "0112038-9",
        "sector": "Telecommunications",
        "size": "large",
        "city": "Espoo",
        "website": "",
        "working_language": "english_ok",
        "notes": "",
    }
    employer = services.create_employer(data, actor=people["adviser"])
    opening = services.create_opening(
        employer,
        {"kind": "job", "title": "Test engineer", "status": "open", "description": "", "place": "Espoo"},
        essential=[],
        nice=[],
        actor=people["adviser"],
    )
    contact = services.add_contact(employer, {"name": "Liisa Recruiter"}, actor=people["adviser"])
    db.session.commit()
    return {"employer_id": employer.id, "opening_id": opening.id, "contact_id": contact.id}
