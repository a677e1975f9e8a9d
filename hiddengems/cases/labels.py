"""Words for stages and outcomes, as users read them."""

from flask_babel import lazy_gettext as _l

STAGE_LABELS = {
    "registered": _l("Registered"),
    "intake": _l("Intake"),
    "skills": _l("Skills mapping"),
    "training": _l("Training"),
    "introductions": _l("Employer introductions"),
    "closed": _l("Closed"),
}

# What the spouse reads on their home page: where they are and what comes next.
NEXT_STEP = {
    "registered": _l("Fill in your intake form so that an adviser can prepare for your first meeting."),
    "intake": _l("Your intake is with the team. An adviser will contact you to book your first meeting."),
    "skills": _l("You and your adviser are mapping your skills against the jobs you are aiming for."),
    "training": _l("You are in or heading to training. Your adviser will follow up on how it goes."),
    "introductions": _l("Your adviser is introducing you to employers. Nothing is shared without your consent."),
    "closed": _l("Your case is closed. If you would like help again, contact the programme and we will reopen it."),
}

OUTCOME_LABELS = {
    "employed_full_time": _l("Employed, full time"),
    "employed_part_time": _l("Employed, part time"),
    "self_employed": _l("Self-employed"),
    "studying": _l("Studying"),
    "left_region": _l("Left the region"),
    "not_participating": _l("No longer participating"),
    "other": _l("Other"),
}

ACTIVITY_LABELS = {
    "note": _l("Note"),
    "meeting": _l("Meeting"),
    "call": _l("Call"),
    "email": _l("E-mail"),
}
