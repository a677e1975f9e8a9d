"""The skills pages' rules without HTTP: who sees and changes a profile, what the intake
pre-fills, the language levels against the intake's, the session's line on the timeline."""

from __future__ import annotations

import pytest

from hiddengems.extensions import db
from hiddengems.skills import mapping, pages
from tests.skills.pages import mapped_world, send_intake


def test_who_sees_and_changes_a_profile(app, f):
    w = mapped_world(f)
    other_spouse, hr, admin = f.user("spouse"), f.user("hr"), f.user("admin")
    sc = pages.load_skills_case(w.case.id)
    answers = {
        name: (sc.can_view(user), sc.can_edit(user), sc.is_adviser_of(user))
        for name, user in {
            "spouse": w.spouse,
            "adviser": w.adviser,
            "lead": w.lead,
            "other adviser": w.other,
            "other spouse": other_spouse,
            "hr": hr,
            "admin": admin,
        }.items()
    }
    assert answers == {
        "spouse": (True, True, False),
        "adviser": (True, True, True),
        "lead": (True, True, True),
        "other adviser": (False, False, False),
        "other spouse": (False, False, False),
        "hr": (False, False, False),
        "admin": (False, False, False),
    }
    # An unassigned case past the intake is in the queue: any adviser reads it, nobody maps it yet.
    w.case.adviser_id = None
    db.session.commit()
    sc = pages.load_skills_case(w.case.id)
    assert (sc.can_view(w.other), sc.can_edit(w.other)) == (True, False)


def test_a_draft_intake_keeps_the_spouse_out_and_is_not_loaded(app, f):
    w = mapped_world(f, sent=False)
    draft = send_intake(w.case)
    draft.submitted_at = None
    db.session.commit()
    sc = pages.load_skills_case(w.case.id)
    assert sc.intake is None and not sc.intake_sent
    with pytest.raises(pages.IntakeNotSent):
        sc.check_open(w.spouse)
    sc.check_open(w.adviser)  # the adviser may map skills in the first meeting
    assert pages.load_skills_case(w.case.id, with_intake=False).intake_sent is False
    assert pages.load_skills_case(10**6) is None


def test_what_the_intake_prefills(app, f):
    w = mapped_world(f)
    view = pages.profile_view(pages.load_skills_case(w.case.id))
    assert [(job.title, job.years, job.mapped) for job in view.job_titles] == [
        ("Marketing manager", 6, False),
        ("Data analyst", 2, False),
    ]
    assert view.goal_terms == ["data analyst", "marketing manager"]
    assert view.languages == [("en", "C1"), ("fi", "A2")]
    assert pages.goal_terms("Teacher; nurse\nData analyst, teacher,, ") == [
        "Teacher",
        "nurse",
        "Data analyst",
        "teacher",
    ]
    assert pages.goal_terms(None) == [] and pages.goal_terms(" , ;") == []


@pytest.mark.parametrize(
    ("required", "held", "met"),
    [("B1", "B2", True), ("B1", "B1", True), ("B2", "A2", False), ("C2", "native", True), ("A1", None, False)],
)
def test_a_language_level_is_met_at_or_above_what_is_asked(required, held, met):
    assert pages.LanguageCheck("fi", required, held).met is met


def test_the_sessions_line(app):
    counts = {"validated": 1, "added": 2, "corrected": 0, "removed": 0, "targets": 0}
    assert mapping.session_summary(counts, []) == "Skills mapping session: 1 skill validated, 2 added"
    counts.update(corrected=1, removed=3)
    line = mapping.session_summary(counts, ["data analyst", "nurse"])
    assert line == (
        "Skills mapping session: 1 skill validated, 2 added, 1 corrected, 3 removed; targets data analyst, nurse"
    )
