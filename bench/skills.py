"""python -m bench.skills: the ESCO import, a re-import and the taxonomy search at full size.

The release is built from ../shared/data/esco-v1.2.0 (all 3,039 occupations, the 619 ISCO
groups, the collection files and their 2,329 skills, ESCO's skill-to-skill relations) plus generated skills up
to ESCO's 13,939, with labels made like ESCO's ("operate metal drawing machine",
"metal drawing machine operation", …), and 129,004 generated occupation-skill relations,
as many as ESCO has. It is written once to bench/.cache/esco-full/.

For each database (SQLite in bench/.cache/, PostgreSQL with --database-url) the schema is
made fresh by the migrations, then the import and the re-import run in child processes
(seconds, peak memory), then the search is timed in process: every query of QUERIES, as
occupations and as skills, --repeat times after a warm-up. Prints a table, writes JSON to
bench/results/skills-<database>.json, exits 1 if a re-import changed something or was not
3× faster than the import, or if a search median is over 20 ms with --check.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
ESCO = ROOT.parent / "shared" / "data" / "esco-v1.2.0"
RELEASE = CACHE / "esco-full"
SHARED = CACHE / "esco-shared"
SKILLS = 13_939
OCCUPATION_SKILLS = 129_004
SEED = 8

# What spouses and advisers type: job titles, skills, tools, partial words, accents, short ones.
QUERIES = [
    "nurse",
    "teacher",
    "primary school teacher",
    "software developer",
    "software",
    "developer",
    "data analyst",
    "data",
    "project management",
    "manage projects",
    "python",
    "java",
    "javascript",
    "sql",
    "c++",
    "r",
    "marketing",
    "digital marketing",
    "accountant",
    "accounting",
    "bookkeeping",
    "research",
    "researcher",
    "biolog",
    "chemical engineer",
    "engineer",
    "mechanical",
    "graphic design",
    "design",
    "translat",
    "interpreter",
    "customer service",
    "sales",
    "human resources",
    "recruit",
    "administrative assistant",
    "office",
    "communication",
    "lead",
    "team",
    "statistics",
    "machine learning",
    "cloud",
    "agile",
    "écologie",
    "Ökonom",
    "entrepreneur",
    "self-employed",
    "physiotherapist",
    "pharmac",
    "psycholog",
    "architect",
    "logistics",
    "welding",
    "man",
]

VERBS = [
    ("operate", "operating", "operation of"),
    ("maintain", "maintaining", "maintenance of"),
    ("inspect", "inspecting", "inspection of"),
    ("design", "designing", "design of"),
    ("monitor", "monitoring", "monitoring of"),
    ("prepare", "preparing", "preparation of"),
    ("repair", "repairing", "repair of"),
    ("install", "installing", "installation of"),
    ("manage", "managing", "management of"),
    ("test", "testing", "testing of"),
    ("assess", "assessing", "assessment of"),
    ("plan", "planning", "planning of"),
    ("calibrate", "calibrating", "calibration of"),
    ("supervise", "supervising", "supervision of"),
    ("document", "documenting", "documentation of"),
]


def build_release(*, rebuild: bool = False) -> Path:
    """The full-size release folder (cached): real files, skills_en.csv and generated relations."""
    from hiddengems.skills.esco_writer import (
        OCCUPATION_SKILL_COLUMNS,
        SKILL_COLUMNS,
        join_labels,
        skills_from_collections,
        write_csv,
    )

    done = RELEASE / ".complete"
    if done.exists() and not rebuild:
        return RELEASE
    if not (ESCO / "occupations_en.csv").is_file():
        raise SystemExit(f"the ESCO v1.2.0 files are not in {ESCO}")
    RELEASE.mkdir(parents=True, exist_ok=True)
    done.unlink(missing_ok=True)
    # As the download has them: the main files and the collections beside them.
    for path in ESCO.glob("*.csv"):
        (RELEASE / path.name).write_bytes(path.read_bytes())
    rng = random.Random(SEED)
    real = skills_from_collections(sorted(ESCO.glob("*SkillsCollection_en.csv")))
    occupations = _read(ESCO / "occupations_en.csv")
    # What a machine or a task is called: an occupation's label without its job word.
    things = sorted({" ".join(row["preferredLabel"].split()[:-1]) for row in occupations} - {""})
    taken = {row["preferredLabel"].lower() for row in real}
    generated = []
    while len(real) + len(generated) < SKILLS:
        (verb, gerund, noun), thing = rng.choice(VERBS), rng.choice(things)
        label = f"{verb} {thing}"
        if label in taken:
            continue
        taken.add(label)
        alternatives = [
            f"{gerund} {thing}",
            f"{thing} {noun.split()[0]}",
            f"{noun} {thing}",
            f"carry out {noun} {thing}",
        ]
        generated.append(
            {
                "conceptType": "KnowledgeSkillCompetence",
                "conceptUri": f"http://data.europa.eu/esco/skill/{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                "skillType": "skill/competence",
                "reuseLevel": rng.choice(["sector-specific", "occupation-specific", "cross-sector"]),
                "preferredLabel": label,
                "altLabels": join_labels(rng.sample(alternatives, rng.randint(2, 4))),
                "hiddenLabels": "",
                "status": "released",
                "description": f"{verb.capitalize()} the {thing} according to the instructions and standards.",
            }
        )
    write_csv(RELEASE / "skills_en.csv", SKILL_COLUMNS, real + generated)
    skill_rows = real + generated
    per_occupation = OCCUPATION_SKILLS // len(occupations)
    relations, seen = [], set()
    for index, occupation in enumerate(occupations):
        wanted = per_occupation + (1 if index < OCCUPATION_SKILLS % len(occupations) else 0)
        for row in rng.sample(skill_rows, wanted):
            if (occupation["conceptUri"], row["conceptUri"]) in seen:
                continue
            seen.add((occupation["conceptUri"], row["conceptUri"]))
            relations.append(
                {
                    "occupationUri": occupation["conceptUri"],
                    "relationType": "essential" if rng.random() < 0.45 else "optional",
                    "skillType": row["skillType"],
                    "skillUri": row["conceptUri"],
                }
            )
    write_csv(RELEASE / "occupationSkillRelations_en.csv", OCCUPATION_SKILL_COLUMNS, relations)
    done.write_text("ok\n")
    return RELEASE


def build_shared_release() -> Path:
    """Only the real files of the shared folder, with skills_en.csv made of the collections' rows."""
    from hiddengems.skills.esco_writer import SKILL_COLUMNS, skills_from_collections, write_csv

    if not (ESCO / "occupations_en.csv").is_file():
        raise SystemExit(f"the ESCO v1.2.0 files are not in {ESCO}")
    SHARED.mkdir(parents=True, exist_ok=True)
    for path in ESCO.glob("*.csv"):
        (SHARED / path.name).write_bytes(path.read_bytes())
    write_csv(
        SHARED / "skills_en.csv", SKILL_COLUMNS, skills_from_collections(sorted(ESCO.glob("*SkillsCollection_en.csv")))
    )
    return SHARED


def _read(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def make_app(url: str) -> Flask:
    from hiddengems import create_app

    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ECHO": False})


def fresh_database(url: str) -> None:
    from hiddengems.extensions import db

    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    app = make_app(url)
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()


def child_import(url: str, directory: Path) -> dict:
    """In a child process: import as the command does (import, commit, statistics) and measure."""
    from hiddengems.extensions import db
    from hiddengems.skills.importer import import_esco
    from hiddengems.skills.search_index import refresh_statistics

    app = make_app(url)
    with app.app_context():
        db.session.execute(text("SELECT 1"))  # connected before the clock starts
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        summary = import_esco(directory)
        db.session.commit()
        if summary.changed:
            refresh_statistics()
            db.session.commit()
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        db.engine.dispose()
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak / 1024, 1),
        "rss_before_mb": round(before / 1024, 1),
        "changed": summary.changed,
        "created": {name: tally.created for name, tally in summary.tallies.items()},
    }


def run_child(url: str, directory: Path) -> dict:
    command = [sys.executable, "-m", "bench.skills", "--child-import", url, "--dir", str(directory)]
    output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if output.returncode != 0:
        raise SystemExit(f"the import failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def time_search(url: str, repeat: int) -> dict:
    from hiddengems.extensions import db
    from hiddengems.skills.models import Occupation, Skill, TaxonomyLabel
    from hiddengems.skills.queries import search_occupations, search_skills

    app = make_app(url)
    with app.app_context():
        sizes = {
            model.__tablename__: db.session.scalar(text(f"SELECT count(*) FROM {model.__tablename__}"))  # noqa: S608
            for model in (Occupation, Skill, TaxonomyLabel)
        }
        timings: dict[str, list[float]] = {"occupations": [], "skills": []}
        per_query: dict[str, float] = {}
        for name, search in (("occupations", search_occupations), ("skills", search_skills)):
            for query in QUERIES:
                search(query)  # warm-up: statement cache, pages in memory
                samples = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    search(query, limit=20)
                    samples.append((time.perf_counter() - started) * 1000)
                    db.session.rollback()  # as a request ends
                timings[name] += samples
                per_query[f"{name}: {query}"] = statistics.median(samples)
        db.engine.dispose()
    result = {"sizes": sizes}
    for name, samples in timings.items():
        samples.sort()
        result[name] = {
            "median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
            "max_query_median_ms": round(max(v for k, v in per_query.items() if k.startswith(name)), 2),
        }
    result["slowest"] = sorted(per_query.items(), key=lambda item: -item[1])[:5]
    return result


def bench(url: str, repeat: int, directory: Path) -> dict:
    backend = make_url(url).get_backend_name()
    print(f"\n== {backend}", flush=True)
    fresh_database(url)
    first = run_child(url, directory)
    print(f"import:    {first['seconds']:7.2f} s, peak RSS {first['peak_rss_mb']} MB", flush=True)
    again = run_child(url, directory)
    print(f"re-import: {again['seconds']:7.2f} s, peak RSS {again['peak_rss_mb']} MB, changed: {again['changed']}")
    search = time_search(url, repeat)
    print(f"sizes: {search['sizes']}")
    for name in ("occupations", "skills"):
        s = search[name]
        print(
            f"search {name:11} median {s['median_ms']:6.2f} ms, p95 {s['p95_ms']:6.2f} ms, "
            f"slowest query's median {s['max_query_median_ms']:6.2f} ms"
        )
    print("slowest queries:", ", ".join(f"{k} {v:.1f} ms" for k, v in search["slowest"]))
    return {"database": backend, "import": first, "reimport": again, "search": search}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.skills", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="also bench this PostgreSQL database (its schema is dropped)")
    parser.add_argument("--no-sqlite", action="store_true", help="only the PostgreSQL database")
    parser.add_argument("--repeat", type=int, default=15, help="timed searches per query (default 15)")
    parser.add_argument("--rebuild", action="store_true", help="write the release folder again")
    parser.add_argument("--check", action="store_true", help="exit 1 if a search median is 20 ms or more")
    parser.add_argument("--search-only", action="store_true", help="time the search on the databases as they are")
    parser.add_argument(
        "--shared",
        action="store_true",
        help="import only the real files of ../shared/data/esco-v1.2.0 (2,329 skills), not the full-size release",
    )
    parser.add_argument("--child-import", help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_import:
        print(json.dumps(child_import(args.child_import, args.dir)))
        return 0

    started = time.perf_counter()
    directory = build_shared_release() if args.shared else build_release(rebuild=args.rebuild)
    print(f"release: {directory} ({time.perf_counter() - started:.1f} s)")
    urls = [] if args.no_sqlite else [f"sqlite:///{CACHE / 'skills-bench.sqlite'}"]
    if args.database_url:
        urls.append(args.database_url)
    failed = False
    RESULTS.mkdir(parents=True, exist_ok=True)
    for url in urls:
        if args.search_only:
            search = time_search(url, args.repeat)
            print(f"\n== {make_url(url).get_backend_name()}: {search['sizes']}")
            for name in ("occupations", "skills"):
                print(f"search {name:11} {search[name]}")
            print("slowest queries:", ", ".join(f"{k} {v:.1f} ms" for k, v in search["slowest"]))
            continue
        result = bench(url, args.repeat, directory)
        ratio = result["import"]["seconds"] / max(result["reimport"]["seconds"], 0.001)
        result["reimport_speedup"] = round(ratio, 1)
        print(f"re-import {ratio:.1f}× faster than the import")
        if result["reimport"]["changed"] or ratio < 3:
            print("FAIL: the re-import changed something or was less than 3× faster", file=sys.stderr)
            failed = True
        if args.check and any(result["search"][name]["median_ms"] >= 20 for name in ("occupations", "skills")):
            print("FAIL: a search median is 20 ms or more", file=sys.stderr)
            failed = True
        result.update(
            python=platform.python_version(), at=datetime.now(UTC).isoformat(timespec="seconds"), repeat=args.repeat
        )
        path = RESULTS / f"skills-{result['database']}{'-shared' if args.shared else ''}.json"
        path.write_text(json.dumps(result, indent=2) + "\n")
        print(f"written {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
