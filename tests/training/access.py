"""Access rows of the training pages (merged by tests/test_access_table.py). Spouses and
advisers read the catalogue; advisers keep it; an enrolment is changed by its case's
adviser (spouse A's belongs to "adviser") or a lead."""

from __future__ import annotations

from datetime import timedelta

from hiddengems.extensions import db
from hiddengems.timeutil import helsinki_today
from hiddengems.training import services
from hiddengems.training.models import Enrolment
from tests import factories as f
from tests.access_codes import ADVISER, SPOUSE

READERS = "302 200 200 200 200 200 403 403 403"
# Advisers act (a message), then back to the page.
ADVISERS_REDIRECT = "302 403 403 302 302 302 403 403 403"
SPOUSES_REDIRECT = "302 302 302 403 403 403 403 403 403"
# Spouse A's case: its own adviser and a lead.
CASE = "302 403 403 200 403 200 403 403 403"
CASE_REDIRECT = "302 403 403 302 403 302 403 403 403"

ACCESS: dict[str, tuple[str, str]] = {
    "training.catalogue": ("GET", READERS),
    "training.programme": ("GET", READERS),
    "training.calendar": ("GET", READERS),
    "training.new_programme": ("GET", ADVISER),
    "training.edit_programme": ("GET", ADVISER),
    "training.participants": ("GET", ADVISER),
    "training.participants_csv": ("GET", ADVISER),
    "training.copy_programme": ("POST", ADVISERS_REDIRECT),
    "training.recommend": ("POST", ADVISERS_REDIRECT),
    "training.apply": ("POST", SPOUSES_REDIRECT),
    "training.withdraw": ("POST", SPOUSES_REDIRECT),
    "training.my_recommendations": ("GET", SPOUSE),
    "training.case_recommendations": ("GET", CASE),
    "training.confirm": ("POST", CASE_REDIRECT),
    "training.complete": ("POST", CASE_REDIRECT),
    "training.end": ("POST", CASE_REDIRECT),
    "training.attendance": ("POST", CASE_REDIRECT),
}


def world_values(people: dict, values: dict) -> dict:
    today = helsinki_today()
    data = {
        "title": "Finnish for work",
        "kind": "language_course",
        "provider": "Tampere Adult Education Centre",
        "description": "",
        "starts_on": today + timedelta(days=7),
        "ends_on": today + timedelta(days=60),
        "schedule": "Mon 17-19",
        "place": "Tampere",
        "online": False,
        "language": "fi",
        "min_finnish": "A1",
        "min_english": None,
        "capacity": 5,
        "cost_cents": 0,
        "open_for_signup": True,
        "auto_confirm": False,
    }
    programme = services.create_programme(data, skill_ids=[], actor=people["adviser"])
    enrolment = Enrolment(case_id=f.case_of(people["spouse_a"]).id, programme_id=programme.id, status="applied")
    db.session.add(enrolment)
    db.session.commit()
    return {"programme_id": programme.id, "enrolment_id": enrolment.id}
