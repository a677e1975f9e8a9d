"""Employers and openings for the employers tests."""

from __future__ import annotations

import itertools

from hiddengems.employers import queries, services
from hiddengems.employers.models import Employer, Opening
from hiddengems.extensions import db

_seq = itertools.count(1)


def employer_values(**given) -> dict:
    data = {
        "name": f"Employer {next(_seq)} Oy",
        "business_id": None,
        "sector": "Software",
        "size": "small",
        "city": "Tampere",
        "website": "",
        "working_language": "english_ok",
        "notes": "",
    }
    data.update(given)
    return data


def employer(adviser, *, commit: bool = True, **given) -> Employer:
    made = services.create_employer(employer_values(**given), actor=adviser)
    if commit:
        db.session.commit()
    return made


def opening(adviser, at: Employer, *, essential=(), nice=(), commit: bool = True, **given) -> Opening:
    data = {"kind": "job", "title": "Developer", "status": "open", "description": "", "place": "Tampere"}
    data.update(given)
    made = services.create_opening(at, data, essential=list(essential), nice=list(nice), actor=adviser)
    if commit:
        db.session.commit()
        return queries.load_opening(made.id)  # with its skills, as the pages load it
    return made
