"""Reproducible demo data (fixed seed). The same generator feeds the benchmarks.

Demo accounts share one password; generated participants share one precomputed
hash so that 100,000 of them take seconds, not hours of argon2.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, insert, select, text

from hiddengems import domains
from hiddengems.auth.models import User, new_session_token
from hiddengems.auth.passwords import hash_password
from hiddengems.cases.models import Case, StageChange
from hiddengems.extensions import db
from hiddengems.orgs.models import Organisation
from hiddengems.timeutil import utcnow
from hiddengems.vocab import OUTCOMES, STAGES

DEMO_PASSWORD = "hidden-gems-demo"  # noqa: S105 - printed for the demo on purpose
DEMO_DOMAIN = "demo.hiddengems.fi"
ORGANISATIONS = [
    "Tampere University",
    "Tampere University of Applied Sciences",
    "VTT Technical Research Centre of Finland",
]
FIRST = [
    "Aisha",
    "Ana",
    "Chen",
    "Daniela",
    "Elif",
    "Fatima",
    "Gabriel",
    "Hana",
    "Ivan",
    "Jin",
    "Kavya",
    "Laura",
    "Mateo",
    "Mei",
    "Nadia",
    "Omar",
    "Priya",
    "Rafael",
    "Sara",
    "Tomás",
    "Wei",
    "Yusuf",
    "Zara",
    "Lucas",
]
LAST = [
    "Ahmed",
    "Banerjee",
    "Costa",
    "Dubois",
    "García",
    "Haddad",
    "Ito",
    "Kim",
    "Kowalski",
    "Li",
    "Martins",
    "Müller",
    "Nguyen",
    "Okafor",
    "Petrov",
    "Rossi",
    "Santos",
    "Singh",
    "Suzuki",
    "Tanaka",
    "Wang",
    "Yilmaz",
    "Zhang",
    "Novak",
]
# Share of cases in each stage, registered .. closed.
STAGE_WEIGHTS = [15, 15, 20, 20, 15, 15]
LANGUAGES = ["en", "en", "en", "fi", "sv"]


@dataclass
class DemoLogin:
    role: str
    email: str
    password: str = DEMO_PASSWORD


@dataclass
class DemoResult:
    logins: list[DemoLogin] = field(default_factory=list)
    spouses: int = 0


def _staff(email: str, name: str, role: str, password_hash: str, **extra) -> User:
    user = User(email=email, name=name, role=role, password_hash=password_hash, email_verified_at=utcnow(), **extra)
    db.session.add(user)
    return user


def generate(spouses: int = 200, *, seed: int = 42, caseload: int = 40, advisers: int | None = None) -> DemoResult:
    """Fill an empty database. ``caseload`` open cases go to the demo adviser."""
    if db.session.scalar(select(func.count()).select_from(User)):
        raise RuntimeError("the database already has users; demo data goes into an empty one")
    rng = random.Random(seed)
    now = utcnow()
    password_hash = hash_password(DEMO_PASSWORD)
    result = DemoResult()

    orgs = [Organisation(name=name) for name in ORGANISATIONS]
    db.session.add_all(orgs)
    db.session.flush()

    admin = _staff(f"admin@{DEMO_DOMAIN}", "Alex Admin", "admin", password_hash)
    lead = _staff(f"lead@{DEMO_DOMAIN}", "Liisa Lead", "adviser", password_hash, is_lead=True)
    adviser = _staff(f"adviser@{DEMO_DOMAIN}", "Aino Adviser", "adviser", password_hash)
    n_advisers = advisers if advisers is not None else max(2, spouses // 250)
    others = [
        _staff(f"adviser{i}@{DEMO_DOMAIN}", f"{rng.choice(FIRST)} {rng.choice(LAST)}", "adviser", password_hash)
        for i in range(2, n_advisers + 1)
    ]
    hr = _staff(f"hr@{DEMO_DOMAIN}", "Hanna HR", "hr", password_hash, organisation_id=orgs[0].id)
    for i, org in enumerate(orgs[1:], start=2):
        _staff(f"hr{i}@{DEMO_DOMAIN}", f"HR of {org.name}", "hr", password_hash, organisation_id=org.id)
    db.session.flush()
    pool = [lead, *others]

    next_user_id = db.session.scalar(select(func.max(User.id))) + 1
    users, cases, changes = [], [], []
    change_id = (db.session.scalar(select(func.max(StageChange.id))) or 0) + 1
    given_to_demo = 0
    for n in range(spouses):
        uid = next_user_id + n
        registered_at = now - timedelta(days=rng.randint(1, 730), minutes=rng.randint(0, 1440))
        stage = "intake" if n == 0 else rng.choices(STAGES, STAGE_WEIGHTS)[0]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"spouse@{DEMO_DOMAIN}" if n == 0 else f"{first}.{last}.{n}@example.org".lower()
        org = orgs[0] if n == 0 else rng.choices(orgs, [5, 3, 2])[0]
        users.append(
            {
                "id": uid,
                "email": email,
                "name": f"{first} {last}",
                "password_hash": password_hash,
                "role": "spouse",
                "is_lead": False,
                "organisation_id": org.id,
                "preferred_language": rng.choice(LANGUAGES),
                "active": True,
                "email_verified_at": registered_at + timedelta(minutes=5),
                "session_token": new_session_token(),
                "privacy_notice_version": "2026-11",
                "privacy_accepted_at": registered_at,
                "created_at": registered_at,
            }
        )
        adviser_id = None
        if stage not in ("registered", "intake") or (stage == "intake" and n == 0):
            if given_to_demo < caseload and (n == 0 or stage != "closed"):
                adviser_id = adviser.id
                given_to_demo += 1
            else:
                adviser_id = rng.choice(pool).id
        cases.append(
            {
                "id": uid,
                "spouse_id": uid,
                "organisation_id": org.id,
                "adviser_id": adviser_id,
                "stage": stage,
                "outcome": rng.choice(OUTCOMES) if stage == "closed" else None,
                "created_at": registered_at,
                "version": 1,
            }
        )
        path = list(STAGES[: STAGES.index(stage) + 1])
        if stage == "closed" and rng.random() < 0.5:
            path.remove("introductions")
        at, previous = registered_at, None
        for step in path:
            changes.append(
                {
                    "id": change_id,
                    "case_id": uid,
                    "from_stage": previous,
                    "to_stage": step,
                    "at": at,
                    "by_id": None if step in ("registered", "intake") else adviser_id,
                }
            )
            change_id += 1
            previous = step
            at = min(at + timedelta(days=rng.randint(3, 90), hours=rng.randint(0, 23)), now)
        if len(users) >= 5000:
            _flush_rows(users, cases, changes)
    _flush_rows(users, cases, changes)
    # Then each domain adds its part (its demo.py), each from a random stream of its own,
    # so that a new domain's demo data leaves the others' as they were.
    for module in domains.modules("demo"):
        domain = module.__name__.split(".")[1]
        module.add_demo(random.Random(f"{seed}:{domain}"), demo_adviser_id=adviser.id)
    fix_sequences()

    result.spouses = spouses
    result.logins = [
        DemoLogin("admin", admin.email),
        DemoLogin("lead", lead.email),
        DemoLogin("adviser", adviser.email),
        DemoLogin("hr", hr.email),
    ]
    if spouses:
        result.logins.append(DemoLogin("spouse", f"spouse@{DEMO_DOMAIN}"))
    return result


def _flush_rows(users: list, cases: list, changes: list) -> None:
    for model, rows in ((User, users), (Case, cases), (StageChange, changes)):
        if rows:
            db.session.execute(insert(model), rows)
            rows.clear()


def fix_sequences() -> None:
    """Rows inserted with explicit ids leave PostgreSQL's sequences behind."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("user_account", "case_file", "stage_change", "intake_profile", "activity", "follow_up"):
        db.session.execute(
            # table names come from the tuple above, never from input
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))")  # noqa: S608
        )
