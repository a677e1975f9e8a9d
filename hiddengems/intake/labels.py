"""The words for the intake's choices, as users read them (the steps' titles are in
steps.py; the languages, countries and CEFR levels other domains share in hiddengems.vocab)."""

from __future__ import annotations

from hiddengems.intake.summary import step_answers
from hiddengems.ui.words import lazy_gettext as _l
from hiddengems.vocab import ALWAYS_ASKED, CEFR, EDUCATION_LEVELS

STEP_TITLES = {
    "contact": _l("Contact details"),
    "host": _l("Host organisation"),
    "arrival": _l("Arrival and stay"),
    "permit": _l("Right to work"),
    "education": _l("Education"),
    "work": _l("Work history"),
    "languages": _l("Languages"),
    "goals": _l("Career goals"),
    "availability": _l("Availability"),
    "monitoring": _l("About you (optional)"),
    "review": _l("Review and submit"),
}

STAY_LENGTHS = {
    "under_1": _l("Less than a year"),
    "1_2": _l("1–2 years"),
    "2_4": _l("2–4 years"),
    "over_4": _l("More than 4 years"),
    "permanent": _l("Permanently"),
    "unknown": _l("Don't know yet"),
}
RIGHT_TO_WORK = {
    "yes": _l("Yes, without restrictions"),
    "limited": _l("Yes, with restrictions"),
    "no": _l("No"),
    "unknown": _l("Don't know"),
}
PERMIT_TYPES = {
    "eu_registration": _l("EU/EEA or Nordic citizen (registration)"),
    "family": _l("Residence permit on family ties"),
    "specialist_family": _l("Family member of a specialist or researcher"),
    "own_work": _l("Own residence permit for work"),
    "student": _l("Residence permit for studies"),
    "permanent": _l("Permanent residence permit"),
    "pending": _l("Application pending"),
    "other": _l("Other"),
}
# ISCED 2011 levels of education, in plain words (the code is for reports: vocab.isced_code).
ISCED_LEVELS = EDUCATION_LEVELS
# ISCED-F 2013 broad fields of education and training.
ISCED_FIELDS = {
    "00": _l("Generic programmes and qualifications"),
    "01": _l("Education"),
    "02": _l("Arts and humanities"),
    "03": _l("Social sciences, journalism and information"),
    "04": _l("Business, administration and law"),
    "05": _l("Natural sciences, mathematics and statistics"),
    "06": _l("Information and communication technologies"),
    "07": _l("Engineering, manufacturing and construction"),
    "08": _l("Agriculture, forestry, fisheries and veterinary"),
    "09": _l("Health and welfare"),
    "10": _l("Services"),
}
RECOGNITION = {
    "yes": _l("Yes, recognised"),
    "no": _l("No"),
    "in_progress": _l("In progress"),
    "not_needed": _l("Not needed"),
    "unknown": _l("Don't know"),
}
AVAILABILITY = {
    "full_time": _l("Full time"),
    "part_time": _l("Part time"),
    "either": _l("Either"),
}
GENDERS = {
    "woman": _l("Woman"),
    "man": _l("Man"),
    "other": _l("Other"),
    "not_say": _l("Prefer not to say"),
}
AGE_GROUPS = {
    "under_25": _l("Under 25"),
    "25_34": _l("25–34"),
    "35_44": _l("35–44"),
    "45_54": _l("45–54"),
    "55_plus": _l("55 or older"),
    "not_say": _l("Prefer not to say"),
}
LABOUR_STATUS = {
    "unemployed": _l("Unemployed (looking for work)"),
    "inactive": _l("Not working and not looking"),
    "employed": _l("Employed"),
    "studying": _l("Studying"),
    "not_say": _l("Prefer not to say"),
}

LABELS = {
    "steps": STEP_TITLES,
    "stay_lengths": STAY_LENGTHS,
    "right_to_work": RIGHT_TO_WORK,
    "permit_types": PERMIT_TYPES,
    "isced_levels": ISCED_LEVELS,
    "isced_fields": ISCED_FIELDS,
    "recognition": RECOGNITION,
    "cefr": CEFR,
    "availability": AVAILABILITY,
    "genders": GENDERS,
    "age_groups": AGE_GROUPS,
    "labour_status": LABOUR_STATUS,
}

# Words the intake's partials need wherever they are included (the spouse's pages, the
# case file's panel), registered once in hiddengems/web.py.
TEMPLATE_WORDS = {
    "intake_labels": LABELS,
    "intake_edit_steps": tuple(name for name in STEP_TITLES if name != "review"),
    "intake_always_asked": ALWAYS_ASKED,
    "intake_step_answers": step_answers,
}
