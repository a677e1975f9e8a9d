"""What the spouse reads about each stage (the stages' own names are in hiddengems.vocab)."""

from hiddengems.ui.words import lazy_gettext as _l

# What the spouse reads on their home page: where they are and what comes next.
NEXT_STEP = {
    "registered": _l("Fill in your intake form so that an adviser can prepare for your first meeting."),
    "intake": _l("Your intake is with the team. An adviser will contact you to book your first meeting."),
    "skills": _l("You and your adviser are mapping your skills against the jobs you are aiming for."),
    "training": _l("You are in or heading to training. Your adviser will follow up on how it goes."),
    "introductions": _l("Your adviser is introducing you to employers. Nothing is shared without your consent."),
    "closed": _l("Your case is closed. If you would like help again, contact the programme and we will reopen it."),
}
