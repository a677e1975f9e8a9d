"""Words for the skills profile's choices and the taxonomy's kinds, as users read them."""

from functools import lru_cache

from flask_babel import get_locale
from markupsafe import Markup

from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import language_choices

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

# The languages an adviser notes for a target: the Finnish labour market's first.
FIRST_LANGUAGES = ("fi", "sv", "en")


def _locale() -> str:
    return str(get_locale() or "en")


@lru_cache(maxsize=8)
def _requirement_languages(locale: str) -> tuple[tuple[str, str], ...]:
    everything = language_choices()
    named = dict(everything)
    first = tuple((code, named.get(code, code)) for code in FIRST_LANGUAGES)
    return first + tuple(pair for pair in everything if pair[0] not in FIRST_LANGUAGES)


def requirement_languages() -> tuple[tuple[str, str], ...]:
    """Every language, in the user's locale, Finnish, Swedish and English first."""
    return _requirement_languages(_locale())


@lru_cache(maxsize=8)
def _language_names(locale: str) -> dict[str, str]:
    return dict(language_choices())


def language_names() -> dict[str, str]:
    """Language code -> name in the user's locale (vocab.language_name, without building
    the dictionary of some 600 languages at each call). Do not change the dictionary."""
    return _language_names(_locale())


@lru_cache(maxsize=32)
def _language_options(locale: str, selected: str | None) -> Markup:
    return Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(code, Markup(" selected") if code == selected else "", name)
        for code, name in _requirement_languages(locale)
    )


def language_options(selected: str | None = "fi") -> Markup:
    """The <option>s of a target's language drop-down (some 600): written once per locale
    and selected language, not at each page."""
    if not isinstance(selected, str) or selected not in language_names():
        # Whatever was posted that is not a language selects nothing (and is not cached).
        selected = None
    return _language_options(_locale(), selected)


# The picker's words (templates/skills/_picker.html): three pickers a page, each with its
# results, would otherwise look each of them up again.
PICKER_WORDS = {
    "search": _l("Search"),
    "help": _l("Any word of the name: “python”, “teach”, “nurse”. Then pick from the results."),
    "nothing": _l("Nothing found. Try another word, or fewer words."),
    "more": _l("The first results: type more to narrow them."),
    "failed": _l("The search did not answer. Press Search to try again."),
    "level": _l("Level"),
    "learnt": _l("Learnt through"),
    "add": _l("Add"),
    "add_target": _l("Add as a target"),
    "years": _l("Years"),
    "title": _l("Job title you used"),
}


@lru_cache(maxsize=8)
def _picker_words(locale: str) -> dict[str, Markup]:
    # Markup, as the templates' _() gives it: the catalogue's text is trusted.
    words = {key: Markup(str(label)) for key, label in PICKER_WORDS.items()}  # noqa: S704
    words["skill_types"] = {code: str(label) for code, label in SKILL_TYPE_LABELS.items()}
    return words


def picker_words() -> dict:
    """The picker's words in the user's locale, translated once per locale. Do not change it."""
    return _picker_words(_locale())


TEMPLATE_WORDS = {
    "skill_levels": LEVEL_LABELS,
    "skill_sources": SOURCE_LABELS,
    # Translated once per page, for the profile's rows (each has both drop-downs).
    "skill_levels_plain": lambda: {code: str(label) for code, label in LEVEL_LABELS.items()},
    "skill_sources_plain": lambda: {code: str(label) for code, label in SOURCE_LABELS.items()},
    "skill_types": SKILL_TYPE_LABELS,
    "skill_related": RELATED_LABELS,
    "esco_attribution": ESCO_ATTRIBUTION,
    "skills_language_names": language_names,
    "skills_language_options": language_options,
    "skills_picker_words": picker_words,
}
