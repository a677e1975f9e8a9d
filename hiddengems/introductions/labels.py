"""The introductions domain's words for its codes."""

from hiddengems.ui.words import lazy_gettext as _l

STATUS_LABELS = {
    "proposed": _l("Proposed"),
    "consent_requested": _l("Consent requested"),
    "consented": _l("Consented"),
    "introduced": _l("Introduced"),
    "meeting": _l("Meeting"),
    "interview": _l("Interview"),
    "work_trial": _l("Work trial"),
    "offer": _l("Offer"),
    "hired": _l("Hired"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
    "no_response": _l("No response"),
}

MESSAGES = {
    "case_closed": _l("The case is closed: reopen it before proposing an introduction."),
    "merged": _l("This employer was merged into another: propose the introduction there."),
    "opening_elsewhere": _l("Choose an opening of this employer."),
    "contact_elsewhere": _l("Choose a contact person of this employer."),
    "not_asked": _l("There is no open question about consent on this introduction."),
    "no_consent": _l("The spouse has not consented to this introduction: nothing can be sent."),
    "no_contact": _l("Choose a contact person with an e-mail address first."),
    "ended": _l("This introduction has ended."),
    "status": _l("Choose a status from the list."),
    "not_introduced": _l("The employer has not been introduced yet, or the introduction has ended."),
    "answered": _l("Thank you: your answer was already recorded."),
}

# What every template may use (hiddengems/web.py register_template_words).
TEMPLATE_WORDS = {"introduction_statuses": STATUS_LABELS}
