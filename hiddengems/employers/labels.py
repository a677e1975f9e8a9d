"""The employers domain's words for its codes (the codes are in hiddengems.employers.models)."""

from hiddengems.ui.words import lazy_gettext as _l

SIZE_LABELS = {
    "micro": _l("Micro (under 10)"),
    "small": _l("Small (10–49)"),
    "medium": _l("Medium (50–249)"),
    "large": _l("Large (250 or more)"),
}

WORKING_LANGUAGE_LABELS = {
    "english_ok": _l("English is fine"),
    "finnish_needed": _l("Finnish needed"),
    "swedish_needed": _l("Swedish needed"),
    "finnish_or_english": _l("Finnish or English"),
}

KIND_LABELS = {
    "job": _l("Job"),
    "internship": _l("Internship"),
    "work_trial": _l("Work trial"),
    "mentoring": _l("Mentoring"),
    "meeting_talent": _l("Open to meeting talent"),
}

STATUS_LABELS = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "filled": _l("Filled"),
    "closed": _l("Closed"),
    "withdrawn": _l("Withdrawn"),
}

STATUS_BADGES = {
    "draft": "text-bg-secondary",
    "open": "text-bg-success",
    "filled": "text-bg-primary",
    "closed": "text-bg-light",
    "withdrawn": "text-bg-light",
}

# What every template may use (hiddengems/web.py register_template_words).
TEMPLATE_WORDS = {
    "opening_kinds": KIND_LABELS,
    "opening_statuses": STATUS_LABELS,
    "opening_badges": STATUS_BADGES,
    "employer_sizes": SIZE_LABELS,
    "working_languages": WORKING_LANGUAGE_LABELS,
}
