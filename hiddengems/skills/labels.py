"""Words for the skills profile's choices and the taxonomy's kinds, as users read them."""

from flask_babel import lazy_gettext as _l

LEVEL_LABELS = {
    "basic": _l("Basic"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
    "expert": _l("Expert"),
}
SOURCE_LABELS = {
    "work": _l("Work"),
    "study": _l("Study"),
    "training": _l("Training"),
    "other": _l("Other"),
}
SKILL_TYPE_LABELS = {
    "knowledge": _l("Knowledge"),
    "skill/competence": _l("Skill"),
}
NEED_LABELS = {
    "essential": _l("Essential"),
    "optional": _l("Optional"),
}
# How a held skill relates to a missing one, for the gap view (services.RELATED_KINDS).
RELATED_LABELS = {
    "broader": _l("You have the broader skill"),
    "narrower": _l("You have a more specific skill"),
    "related": _l("You have a related skill"),
}
# ESCO's licence asks for this line wherever its classification is shown.
ESCO_ATTRIBUTION = _l("This service uses the ESCO classification of the European Commission.")
# The mapping session as the timeline records it (a subset of vocab.ACTIVITY_LABELS).
SESSION_KIND_LABELS = {
    "meeting": _l("Meeting"),
    "note": _l("Note (without the participant)"),
}

TEMPLATE_WORDS = {
    "skill_levels": LEVEL_LABELS,
    "skill_sources": SOURCE_LABELS,
    # Translated once per page, for the profile's rows (each has both drop-downs).
    "skill_levels_plain": lambda: {code: str(label) for code, label in LEVEL_LABELS.items()},
    "skill_sources_plain": lambda: {code: str(label) for code, label in SOURCE_LABELS.items()},
    "skill_types": SKILL_TYPE_LABELS,
    "skill_related": RELATED_LABELS,
    "esco_attribution": ESCO_ATTRIBUTION,
}
