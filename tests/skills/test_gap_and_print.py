"""The gap view (each target: essential held and missing, optional held, related held skills,
language levels) and the one-page printable profile."""

from __future__ import annotations

import re

from hiddengems.extensions import db
from hiddengems.skills import mapping, profile
from tests.skills.pages import mapped_world, occupation_id, skill_id


def _section(html: str, occupation: int) -> str:
    start = html.index(f'id="gap-{occupation}"')
    end = html.find("</section>", start)
    return html[start:end]


def _list(section: str, name: str) -> list[str]:
    block = re.search(rf'data-gap="{name}">(.*?)</ul>', section, re.S).group(1)
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>([^<]*)", block)]


def test_the_gap_view_changes_as_skills_are_added_and_validated(app, client, f):
    w = mapped_world(f)
    analyst, teacher = occupation_id("data analyst"), occupation_id("secondary school teacher")
    for target in (analyst, teacher):
        profile.add_target(w.case, target, actor=w.spouse)
    for label in ("use spreadsheets software", "think analytically", "maintain freelance database"):
        profile.add_skill(w.case, skill_id(label), level="advanced", source="work", actor=w.spouse)
    profile.validate_skill(w.case, skill_id("think analytically"), actor=w.adviser)
    mapping.set_language_requirement(w.case, analyst, language="fi", level="B1", actor=w.adviser)
    mapping.set_language_requirement(w.case, analyst, language="en", level="B2", actor=w.adviser)
    db.session.commit()
    f.login(client, w.spouse)
    html = client.get(f"/cases/{w.case.id}/skills/gap").get_data(as_text=True)
    section = _section(html, analyst)
    assert "1 of 6 essential skills" in section and "Closest" in section
    assert _list(section, "essential-held") == ["think analytically"]
    missing = _list(section, "essential-missing")
    assert "use databases" in missing and "think analytically" not in missing
    assert _list(section, "optional-held") == ["use spreadsheets software"]
    assert "Not validated yet" in re.search(r'data-gap="optional-held">(.*?)</ul>', section, re.S).group(1)
    # A held skill ESCO lists as a kind of a missing one is shown beside it.
    assert "You have a more specific skill: maintain freelance database" in section
    # Finnish B1 asked, A2 held: to learn; English B2 asked, C1 held: met.
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>(.*?)</td></tr>", section, re.S)
    assert [(name, held, "Met" in badge) for name, _asked, held, badge in rows] == [
        ("Finnish", "A2", False),
        ("English", "C1", True),
    ]
    assert "The adviser has not noted language requirements" in _section(html, teacher)
    assert "This service uses the ESCO classification of the European Commission." in html


def test_the_gap_view_without_targets_links_to_the_profile(app, client, f):
    w = mapped_world(f)
    f.login(client, w.adviser)
    html = client.get(f"/cases/{w.case.id}/skills/gap").get_data(as_text=True)
    assert "No target occupation yet" in html and f"/cases/{w.case.id}/skills#targets" in html


def test_the_printable_profile_is_one_page_with_the_esco_attribution(app, client, f):
    w = mapped_world(f)
    profile.add_skill(w.case, skill_id("SQL"), level="expert", source="work", actor=w.adviser)
    profile.add_skill(w.case, skill_id("JavaScript"), level="basic", source="study", actor=w.spouse)
    profile.add_target(w.case, occupation_id("data analyst"), actor=w.spouse)
    profile.set_past_occupation(
        w.case, occupation_id("marketing manager"), years=6, job_title="Head of marketing", actor=w.spouse
    )
    db.session.commit()
    f.login(client, w.spouse)
    answer = client.get(f"/cases/{w.case.id}/skills/print")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "skills-print.css" in html and "Maria Spouse" in html and "Looking for work as: data analyst" in html
    assert "marketing manager</strong> (Head of marketing) — 6 years" in html
    validated = html.index("Validated with a careers adviser")
    assert validated < html.index("SQL") < html.index("Self-assessed") < html.index("JavaScript")
    assert "English" in html and "C1 – advanced" in html
    assert "This service uses the ESCO classification of the European Commission." in html
    # Its stylesheet prints it on A4 and hides the way back.
    css = client.get("/static/skills-print.css").get_data(as_text=True)
    assert "@media print" in css and ".no-print { display: none" in css
