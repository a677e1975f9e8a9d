"""The reports domain's words: the funnel's steps, the tables, the groupings."""

from flask_babel import lazy_gettext as _l

STEP_LABELS = {
    "registered": _l("Registered"),
    "intake": _l("Intake"),
    "skills": _l("Skills mapping"),
    "training": _l("Training"),
    "introduced": _l("Introduced to employers"),
    "employed": _l("Employed"),
}

GROUPING_LABELS = {"month": _l("Month"), "quarter": _l("Quarter")}

TABLE_TITLES = {
    "stages": _l("Participants by current stage"),
    "funnel": _l("From registration to employment"),
    "flow": _l("Registrations and closures"),
    "outcomes": _l("Outcomes at close"),
    "time": _l("Time in the programme (median days)"),
    "training": _l("Training: enrolments and completions by kind"),
    "introductions": _l("Introductions to employers and what they led to"),
    "effort": _l("Advisers' time"),
    "esf_entry": _l("ESF+: participants entering, by their situation on entry"),
    "esf_results": _l("ESF+: results on leaving and six months after"),
}

INDICATOR_LABELS = {
    "labour": _l("Labour-market status"),
    "education": _l("Education"),
    "gender": _l("Gender"),
    "age": _l("Age"),
}

CATEGORY_LABELS = {
    "unemployed": _l("Unemployed"),
    "inactive": _l("Inactive (incl. studying)"),
    "employed": _l("Employed"),
    "isced_0_2": _l("ISCED 0–2"),
    "isced_3_4": _l("ISCED 3–4"),
    "isced_5_8": _l("ISCED 5–8"),
    "woman": _l("Woman"),
    "man": _l("Man"),
    "other": _l("Other"),
    "under_25": _l("Under 25"),
    "25_34": _l("25–34"),
    "35_44": _l("35–44"),
    "45_54": _l("45–54"),
    "55_plus": _l("55 or older"),
    "unknown": _l("Not answered"),
}

LED_TO_LABELS = {
    "introduced": _l("Introduced"),
    "interview": _l("Led to an interview"),
    "work_trial": _l("Led to a work trial"),
    "hired": _l("Led to a hire"),
}

MEASURE_LABELS = {
    "registered": _l("Registered to intake"),
    "intake": _l("In intake"),
    "skills": _l("In skills mapping"),
    "training": _l("In training"),
    "introductions": _l("In employer introductions"),
    "to_employment": _l("Registration to employment"),
}

COLUMN_LABELS = {
    "participants": _l("Participants"),
    "conversion": _l("Of the step before (%)"),
    "registrations": _l("Registrations"),
    "closures": _l("Closures"),
    "employment_rate": _l("Employed among closed (%)"),
    "total": _l("Total"),
    "employed": _l("Employed (incl. self-employed)"),
    "active": _l("Active (intake to introductions)"),
    "period": _l("Whole period"),
    "enrolled": _l("Enrolments"),
    "completed": _l("Completions"),
    "hours": _l("Hours in all"),
    "hours_per_participant": _l("Median hours per participant"),
    "on_leaving": _l("On leaving"),
    "six_months": _l("Six months after (recorded)"),
}
