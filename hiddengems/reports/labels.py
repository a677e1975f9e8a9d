"""The reports domain's words: tables, steps, columns, categories."""

from hiddengems.ui.words import lazy_gettext as _l

STEP_LABELS = {
    "registered": _l("Registered"),
    "intake": _l("Intake"),
    "skills": _l("Skills mapping"),
    "training": _l("Training"),
    "introductions": _l("Introduced to employers"),
    "employed": _l("Employed at close"),
}

GROUPING_LABELS = {"month": _l("Month"), "quarter": _l("Quarter")}

TABLE_TITLES = {
    "stages": _l("Participants by current stage"),
    "funnel": _l("From registration to employment"),
    "registrations": _l("Registrations"),
    "outcomes": _l("Outcomes at close"),
    "time": _l("Time in the programme (median days)"),
    "training": _l("Training: enrolments and completions by kind"),
    "introductions": _l("Introductions to employers and what they led to"),
    "effort": _l("Advisers' time"),
    "esf_entry": _l("ESF+: participants by their situation on entry"),
    "esf_results": _l("ESF+: results on leaving and six months after"),
}

# What a table counts, said under its title.
TABLE_NOTES = {
    "stages": _l("Where the participants are today, by the year they registered."),
    "funnel": _l(
        "Each step counts those at it or beyond today: the open cases by their stage, the closed by the furthest "
        "stage they reached; the last step, those closed as employed."
    ),
    "registrations": _l("Registrations by month or quarter of the years shown."),
    "time": _l(
        "Median days from registration to first reaching each step, among those who reached it; then the median "
        "days a stay in each stage lasted, among the stays that ended."
    ),
    "effort": _l("Time the advisers recorded on the timelines of these participants."),
    "esf_entry": _l(
        "The situation on entry is what participants answered in the intake's optional monitoring questions; "
        '"Not answered" when they chose not to.'
    ),
    "esf_results": _l(
        "On leaving: the outcome recorded when the case was closed. Six months after: what the adviser recorded "
        "at the six-month follow-up."
    ),
}

MEDIAN_LABELS = {
    "intake": _l("To intake"),
    "skills": _l("To skills mapping"),
    "training": _l("To training"),
    "introductions": _l("To employer introductions"),
    "employed": _l("To employment (closed as employed)"),
    "in_registered": _l("Registered, before the intake"),
    "in_intake": _l("In intake"),
    "in_skills": _l("In skills mapping"),
    "in_training": _l("In training"),
    "in_introductions": _l("In employer introductions"),
}

COLUMN_LABELS = {
    "participants": _l("Participants"),
    "conversion": _l("Of the step before (%)"),
    "registrations": _l("Registrations"),
    "total": _l("Total"),
    "active": _l("Active (intake to introductions)"),
    "closed": _l("Closed"),
    "employed": _l("Employed (incl. self-employed)"),
    "employment_rate": _l("Employed among closed (%)"),
    "enrolments": _l("Enrolments"),
    "completed": _l("Completed"),
    "hours": _l("Hours"),
    "hours_per_participant": _l("Hours per participant"),
    "on_leaving": _l("On leaving"),
    "six_months": _l("Six months after"),
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

RESULT_LABELS = {
    "employed": _l("Employed (incl. self-employed)"),
    "education_training": _l("In education or training"),
    "job_searching": _l("Looking for work"),
    "other": _l("Other"),
    "not_recorded": _l("Not recorded yet"),
}

LED_TO_LABELS = {
    "none": _l("Nothing yet"),
    "interview": _l("An interview"),
    "work_trial": _l("A work trial"),
    "hired": _l("A hire"),
}
