"""The training domain's words for its codes (the codes are in hiddengems.training.models)."""

from hiddengems.ui.words import lazy_gettext as _l

KIND_LABELS = {
    "course": _l("Course"),
    "workshop": _l("Workshop"),
    "language_course": _l("Language course"),
    "mentoring": _l("Mentoring"),
    "work_trial": _l("Work trial or internship"),
    "entrepreneurship": _l("Entrepreneurship coaching"),
    "event": _l("Networking or matchmaking event with employers"),
    "other": _l("Other"),
}

STATUS_LABELS = {
    "recommended": _l("Recommended"),
    "applied": _l("Applied"),
    "enrolled": _l("Enrolled"),
    "waitlisted": _l("On the waitlist"),
    "completed": _l("Completed"),
    "dropped": _l("Dropped"),
    "cancelled": _l("Cancelled by the programme"),
}

# Bootstrap badge classes, by status.
STATUS_BADGES = {
    "recommended": "text-bg-info",
    "applied": "text-bg-secondary",
    "enrolled": "text-bg-primary",
    "waitlisted": "text-bg-warning",
    "completed": "text-bg-success",
    "dropped": "text-bg-light",
    "cancelled": "text-bg-light",
}

AVAILABILITY_LABELS = {
    "places": _l("Places free"),
    "waitlist": _l("Full: you can join the waitlist"),
    "full": _l("Full"),
    "closed": _l("Not open for sign-up"),
    "past": _l("Ended"),
}

# What every template may use (hiddengems/web.py register_template_words): the programme
# pages and the training panels, whose macros need no page's context for them.
TEMPLATE_WORDS = {"kind_names": KIND_LABELS, "status_names": STATUS_LABELS, "status_badges": STATUS_BADGES}
