"""The words for the roles, as users read them."""

from hiddengems.ui.words import lazy_gettext as _l

ROLE_LABELS = {
    "spouse": _l("Participant"),
    "adviser": _l("Adviser"),
    "lead": _l("Lead adviser"),
    "hr": _l("HR"),
    "admin": _l("Administrator"),
}

# Words every page may use (registered once, in hiddengems/web.py).
TEMPLATE_WORDS = {"role_names": ROLE_LABELS}
