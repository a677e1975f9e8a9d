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
}
