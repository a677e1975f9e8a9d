"""Valid answers for every intake step, as a browser would post them."""

from __future__ import annotations

from datetime import timedelta

from hiddengems.intake.services import load_profile
from hiddengems.timeutil import helsinki_today


def valid_answers(organisation_id: int) -> dict[str, dict[str, str]]:
    now = helsinki_today()
    return {
        "contact": {"phone": "+358 40 123 4567", "city": "Tampere", "contact_language": "en"},
        "host": {"organisation_id": str(organisation_id), "partner_unit": "Faculty of Medicine"},
        "arrival": {"arrival_date": (now - timedelta(days=60)).isoformat(), "stay_length": "2_4"},
        "permit": {
            "right_to_work": "yes",
            "permit_type": "specialist_family",
            "permit_expires": (now + timedelta(days=400)).isoformat(),
        },
        "education": {"education_level": "7", "education_field": "05", "degree_recognition": "in_progress"},
        "work": {
            "rows-0-job_title": "Data analyst",
            "rows-0-employer": "Banco Central",
            "rows-0-country": "BR",
            "rows-0-years": "4",
            "rows-1-job_title": "",
        },
        "languages": {"fi": "A1", "sv": "none", "en": "C1", "others-0-language": "pt", "others-0-level": "native"},
        "goals": {"career_goals": "Work with data in a research setting.", "target_occupations": "data analyst"},
        "availability": {"availability": "either", "available_from": now.isoformat()},
        "monitoring": {"gender": "not_say", "age_group": "35_44", "labour_status": "unemployed"},
    }


def version_of(case_id: int) -> str:
    profile = load_profile(case_id)
    return str(profile.version if profile else 0)


def post_step(client, step: str, data: dict, case_id: int, *, url: str | None = None):
    return client.post(url or f"/intake/step/{step}", data={**data, "version": version_of(case_id)})


def fill_all(client, case_id: int, organisation_id: int, *, skip: tuple[str, ...] = ()) -> None:
    for step, data in valid_answers(organisation_id).items():
        if step in skip:
            continue
        response = post_step(client, step, data, case_id)
        assert response.status_code == 302, (step, response.status_code)
