"""Access rows of the skills pages (merged by tests/test_access_table.py).

Spouse A's case belongs to "adviser"; its intake is not sent, so spouse A reads the page
that says so and a change is refused beside its field (422). An empty form from the
adviser or a lead is refused the same way (no skill, no occupation chosen). A button
(remove, validate) on a skill or an occupation the profile does not hold says so above
the profile (302 back to it). Other advisers may not change A's case (403); HR and admins
never see a profile."""

from __future__ import annotations

from hiddengems.extensions import db
from hiddengems.skills.models import Occupation, Skill
from hiddengems.skills.starter import load_starter

PAGE = "302 200 403 200 403 200 403 403 403"
FORM = "302 422 403 422 403 422 403 403 403"
BUTTON = "302 302 403 302 403 302 403 403 403"
ADVISER_FORM = "302 403 403 422 403 422 403 403 403"
ADVISER_BUTTON = "302 403 403 302 403 302 403 403 403"

ACCESS: dict[str, tuple[str, str]] = {
    "skills.profile": ("GET", PAGE),
    "skills.gap": ("GET", PAGE),
    "skills.printable": ("GET", PAGE),
    "skills.search": ("GET", "302 200 200 200 200 200 403 403 403"),
    "skills.add_skill": ("POST", FORM),
    "skills.update_skill": ("POST", FORM),
    "skills.remove_skill": ("POST", BUTTON),
    "skills.validate_skill": ("POST", ADVISER_BUTTON),
    "skills.validate_all": ("POST", ADVISER_BUTTON),
    "skills.add_target": ("POST", FORM),
    "skills.remove_target": ("POST", BUTTON),
    "skills.save_past": ("POST", FORM),
    "skills.remove_past": ("POST", BUTTON),
    "skills.note_language": ("POST", ADVISER_FORM),
    "skills.remove_language": ("POST", ADVISER_BUTTON),
    # An empty form is a session with nothing changed: recorded all the same.
    "skills.record_session": ("POST", ADVISER_BUTTON),
}


def world_values(people: dict, values: dict) -> dict:
    load_starter()
    db.session.commit()
    return {
        "skill_id": db.session.scalar(db.select(Skill.id).order_by(Skill.id)),
        "occupation_id": db.session.scalar(db.select(Occupation.id).order_by(Occupation.id)),
        "language": "fi",
    }
