"""Regenerate the starter taxonomy (hiddengems/skills/data/) from the ESCO v1.2.0 files.

    .venv/bin/python scripts/build_starter_taxonomy.py [--esco DIR] [--out DIR]

By default it reads ../shared/data/esco-v1.2.0 and writes hiddengems/skills/data.

The occupations and skills are ESCO's own rows, copied with their URIs and labels. Which
skills are essential or optional for which occupation is our choice, written below
(ESCO's occupationSkillRelations_en.csv is not in the shared folder); the data's README
says how it was made. The output is sorted, so running this again gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hiddengems.skills.esco_writer import (  # noqa: E402  (the project's root is on the path only now)
    ISCO_COLUMNS,
    OCCUPATION_COLUMNS,
    OCCUPATION_SKILL_COLUMNS,
    SKILL_RELATION_COLUMNS,
    split_collection_labels,
    write_csv,
)

DEFAULT_ESCO = ROOT.parent / "shared" / "data" / "esco-v1.2.0"
DEFAULT_OUT = ROOT / "hiddengems" / "skills" / "data"
COLLECTION_NAME = "starterSkillsCollection_en.csv"
COLLECTION_COLUMNS = (
    "conceptType",
    "conceptUri",
    "preferredLabel",
    "status",
    "skillType",
    "reuseLevel",
    "altLabels",
    "description",
    "broaderConceptUri",
    "broaderConceptPT",
)

# Skills are named by their ESCO preferred label (as in the collection files, spaces trimmed).
# Every family's occupations share its essential and optional skills; an occupation adds its own.
FAMILIES: dict[str, dict[str, list[str]]] = {
    "research": {
        "occupations": [
            "university research assistant",
            "biologist",
            "chemist",
            "physicist",
            "sociologist",
            "economist",
            "statistician",
            "research and development manager",
        ],
        "essential": [
            "perform scientific research",
            "manage research data",
            "write scientific publications",
            "apply research ethics and scientific integrity principles in research activities",
            "think analytically",
        ],
        "optional": [
            "apply for research funding",
            "disseminate results to the scientific community",
            "communicate with a non-scientific audience",
            "manage findable accessible interoperable and reusable data",
            "synthesise research publications",
            "develop professional network with researchers and scientists",
            "teach in academic or vocational contexts",
            "mentor individuals",
            "conduct research across disciplines",
            "operate open source software",
        ],
    },
    "software and data": {
        "occupations": [
            "software developer",
            "web developer",
            "ICT system analyst",
            "software tester",
            "data scientist",
            "data analyst",
            "database administrator",
            "ICT project manager",
            "user interface designer",
            "user experience analyst",
        ],
        "essential": ["think analytically", "work in teams", "solve problems"],
        "optional": [
            "Agile development",
            "cloud technologies",
            "protect personal data and privacy",
            "GDPR",
            "use communication and collaboration software",
            "operate open source software",
        ],
    },
    "engineering": {
        "occupations": [
            "mechanical engineer",
            "electrical engineer",
            "civil engineer",
            "chemical engineer",
            "environmental engineer",
        ],
        "essential": [
            "apply knowledge of science, technology and engineering",
            "use CAD software",
            "interpret mathematical information",
            "solve problems",
        ],
        "optional": [
            "technical drawings",
            "computer simulation",
            "perform project management",
            "comply with regulations",
            "manage quality",
            "draft scientific or academic papers and technical documentation",
        ],
    },
    "teaching": {
        "occupations": [
            "primary school teacher",
            "secondary school teacher",
            "early years teacher",
            "language school teacher",
            "vocational teacher",
        ],
        "essential": [
            "instruct others",
            "teach in academic or vocational contexts",
            "address an audience",
            "show empathy",
            "respect the diversity of cultural values and norms",
        ],
        "optional": [
            "work with virtual learning environments",
            "develop digital educational materials",
            "apply blended learning",
            "teach digital literacy",
            "e-learning",
            "learning management systems",
            "moderate a discussion",
            "resolve conflicts",
            "motivate others",
        ],
    },
    "health": {
        "occupations": [
            "general practitioner",
            "nurse responsible for general care",
            "physiotherapist",
            "pharmacist",
            "psychologist",
        ],
        "essential": [
            "protect the health of others",
            "show empathy",
            "apply hygiene standards",
            "respect confidentiality obligations",
            "use electronic health records management system",
        ],
        "optional": [
            "use e-health and mobile health technologies",
            "health informatics",
            "cope with stress",
            "make decisions",
            "advise others",
            "demonstrate intercultural competence",
        ],
    },
    "finance": {
        "occupations": ["accountant", "financial analyst", "financial auditor", "financial manager"],
        "essential": [
            "use spreadsheets software",
            "carry out calculations",
            "attend to detail",
            "comply with regulations",
            "manage financial and material resources",
        ],
        "optional": [
            "sustainable finance",
            "business analytics",
            "manage standard enterprise resource planning system",
            "core banking software",
            "data protection",
            "report facts",
        ],
    },
    "marketing and communication": {
        "occupations": [
            "marketing manager",
            "digital marketing manager",
            "market research analyst",
            "public relations officer",
            "translator",
        ],
        "essential": ["promote ideas, products, services", "think creatively", "report facts"],
        "optional": [
            "plan marketing campaigns",
            "marketing analytics",
            "social media management",
            "develop digital content",
            "use content management system software",
            "use presentation software",
            "demonstrate intercultural competence",
        ],
    },
    "design": {
        "occupations": ["graphic designer", "industrial designer", "interior designer"],
        "essential": ["think creatively", "express yourself creatively", "process spatial information"],
        "optional": [
            "adobe creative suite",
            "create digital images",
            "3D modelling",
            "use CAD software",
            "visual presentation techniques",
            "promote ideas, products, services",
        ],
    },
    "administration": {
        "occupations": ["office manager", "administrative assistant", "human resources officer", "project manager"],
        "essential": [
            "organise information, objects and resources",
            "manage time",
            "use word processing software",
            "use spreadsheets software",
        ],
        "optional": [
            "use microsoft office",
            "draft corporate emails",
            "manage digital documents",
            "file documents",
            "use communication and collaboration software",
            "protect personal data and privacy",
            "respect confidentiality obligations",
        ],
    },
    "entrepreneurship": {
        "occupations": ["business manager", "social entrepreneur", "business consultant", "business developer"],
        "essential": [
            "show entrepreneurial spirit",
            "show initiative",
            "make decisions",
            "manage financial and material resources",
            "build networks",
        ],
        "optional": [
            "negotiate compromises",
            "promote ideas, products, services",
            "electronic business",
            "develop online sales business plan",
            "use internet to increase sales",
            "manage intellectual property rights",
            "cope with uncertainty",
            "lead others",
        ],
    },
}

# What one occupation needs beyond its family's skills.
OCCUPATION_SKILLS: dict[str, dict[str, list[str]]] = {
    "university research assistant": {"optional": ["publish academic research", "apply blended learning"]},
    "biologist": {"optional": ["conduct ecological research", "biosafety in biomedical laboratory"]},
    "chemist": {"essential": ["computational chemistry"], "optional": ["green chemistry", "dispose of chemicals"]},
    "physicist": {"essential": ["scientific computing"], "optional": ["Monte Carlo simulation", "MATLAB"]},
    "sociologist": {
        "essential": ["apply knowledge of social sciences and humanities"],
        "optional": ["integrate gender dimension in research"],
    },
    "economist": {
        "essential": ["interpret mathematical information"],
        "optional": ["calculate probabilities", "business analytics"],
    },
    "statistician": {
        "essential": ["apply statistical analysis techniques", "calculate probabilities"],
        "optional": ["statistical analysis system software", "R", "data visualisation software"],
    },
    "research and development manager": {
        "essential": ["perform project management", "lead others"],
        "optional": [
            "manage intellectual property rights",
            "promote open innovation in research",
            "promote the transfer of knowledge",
        ],
    },
    "software developer": {
        "essential": ["computer programming", "use software design patterns", "debug software"],
        "optional": [
            "Python (computer programming)",
            "Java (computer programming)",
            "JavaScript",
            "SQL",
            "develop automated software tests",
        ],
    },
    "web developer": {
        "essential": ["web programming", "JavaScript", "implement front-end website design"],
        "optional": ["TypeScript", "PHP", "World Wide Web Consortium standards", "ICT accessibility standards"],
    },
    "ICT system analyst": {
        "essential": ["business ICT systems", "propose ICT solutions to business problems"],
        "optional": ["create data models", "ICT project management"],
    },
    "software tester": {
        "essential": ["execute software tests", "levels of software testing", "attend to detail"],
        "optional": [
            "develop automated software tests",
            "tools for ICT test automation",
            "provide software testing documentation",
        ],
    },
    "data scientist": {
        "essential": ["data science", "perform data analysis", "apply statistical analysis techniques"],
        "optional": ["machine learning", "Python (computer programming)", "R", "data mining", "SQL"],
    },
    "data analyst": {
        "essential": ["perform data analysis", "use databases", "data visualisation software"],
        "optional": ["SQL", "business intelligence", "data quality assessment", "use spreadsheets software"],
    },
    "database administrator": {
        "essential": ["manage database", "database management systems", "maintain database security"],
        "optional": ["SQL", "design database scheme", "design database backup specifications"],
    },
    "ICT project manager": {
        "essential": ["ICT project management", "perform project management", "lead others"],
        "optional": ["Agile project management", "Prince2 project management", "lean project management"],
    },
    "user interface designer": {
        "essential": ["design user interface", "create website wireframe", "think creatively"],
        "optional": [
            "create prototype of user experience solutions",
            "ICT accessibility standards",
            "adobe creative suite",
        ],
    },
    "user experience analyst": {
        "essential": [
            "research website users",
            "measure software usability",
            "create prototype of user experience solutions",
        ],
        "optional": ["application usability", "test system accessibility for users with special needs"],
    },
    "mechanical engineer": {"optional": ["design electromechanical systems", "computational mechanics"]},
    "electrical engineer": {
        "essential": ["design electrical systems"],
        "optional": ["design circuits using CAD", "electric motors"],
    },
    "civil engineer": {
        "optional": ["follow health and safety procedures in construction", "geographic information systems"]
    },
    "chemical engineer": {"optional": ["green chemistry", "design process"]},
    "environmental engineer": {
        "essential": ["environmental engineering"],
        "optional": ["carry out environmental audits", "adopt ways to reduce pollution"],
    },
    "primary school teacher": {"optional": ["teach digital literacy"]},
    "secondary school teacher": {"optional": ["teach computer science"]},
    "early years teacher": {"essential": ["protect the health of others"]},
    "language school teacher": {
        "essential": ["speak different languages"],
        "optional": ["Computer Assisted Language Learning"],
    },
    "vocational teacher": {"optional": ["provide training on e-learning"]},
    "general practitioner": {"essential": ["make decisions"], "optional": ["medical informatics"]},
    "nurse responsible for general care": {
        "essential": ["use electronic health records in nursing"],
        "optional": ["work in teams"],
    },
    "physiotherapist": {"optional": ["use computer programs to improve patients' skills", "maintain physical fitness"]},
    "pharmacist": {"optional": ["healthcare data systems", "attend to detail"]},
    "psychologist": {
        "essential": ["maintain psychological well-being"],
        "optional": ["apply knowledge of social sciences and humanities"],
    },
    "accountant": {"optional": ["audit techniques"]},
    "financial analyst": {
        "essential": ["business analytics"],
        "optional": ["impact investing", "interpret mathematical information"],
    },
    "financial auditor": {"essential": ["audit techniques"], "optional": ["data quality assessment"]},
    "financial manager": {"essential": ["lead others", "make decisions"], "optional": ["manage quality"]},
    "marketing manager": {
        "essential": ["plan marketing campaigns"],
        "optional": ["digital marketing techniques", "lead others"],
    },
    "digital marketing manager": {
        "essential": ["plan digital marketing", "digital marketing techniques"],
        "optional": ["conduct search engine optimisation", "web analytics", "apply social media marketing"],
    },
    "market research analyst": {
        "essential": ["marketing analytics", "apply statistical analysis techniques"],
        "optional": ["collect customer data", "data visualisation software"],
    },
    "public relations officer": {
        "essential": ["address an audience"],
        "optional": ["manage online communications", "create online news content"],
    },
    "translator": {
        "essential": ["speak different languages", "attend to detail"],
        "optional": ["use computer-aided translation", "use translation memory software", "machine translation"],
    },
    "graphic designer": {
        "essential": ["graphic design"],
        "optional": ["Adobe Illustrator", "Adobe Photoshop", "use digital illustration techniques"],
    },
    "industrial designer": {
        "essential": ["use CAD software"],
        "optional": ["3D printing process", "develop software prototype"],
    },
    "interior designer": {"optional": ["prepare detailed working drawings for interior design", "create CAD drawings"]},
    "office manager": {
        "essential": ["manage office facility systems"],
        "optional": ["delegate responsibilities", "set up office equipment"],
    },
    "administrative assistant": {"optional": ["digitise documents", "office software"]},
    "human resources officer": {
        "essential": ["respect confidentiality obligations"],
        "optional": ["resolve conflicts", "demonstrate intercultural competence"],
    },
    "project manager": {
        "essential": ["perform project management", "plan"],
        "optional": ["Agile project management", "lead others"],
    },
    "business manager": {"optional": ["business analytics", "delegate responsibilities"]},
    "social entrepreneur": {
        "essential": ["participate actively in civic life"],
        "optional": ["impact investing", "engage others in environment friendly behaviours"],
    },
    "business consultant": {"essential": ["advise others", "identify problems"], "optional": ["business intelligence"]},
    "business developer": {"optional": ["e-commerce systems", "plan digital marketing"]},
}

# Useful for every newcomer whatever the job: optional for every starter occupation.
COMMON_OPTIONAL = ["demonstrate intercultural competence", "adapt to change", "demonstrate willingness to learn"]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as source:
        return list(csv.DictReader(source, strict=True))


def choose() -> dict[str, dict[str, str]]:
    """occupation label -> {skill label: 'essential' | 'optional'}, essential winning."""
    chosen: dict[str, dict[str, str]] = {}
    for family in FAMILIES.values():
        for occupation in family["occupations"]:
            own = OCCUPATION_SKILLS.get(occupation, {})
            needs: dict[str, str] = {}
            for label in [*family["essential"], *own.get("essential", [])]:
                needs[label] = "essential"
            for label in [*family["optional"], *own.get("optional", []), *COMMON_OPTIONAL]:
                needs.setdefault(label, "optional")
            chosen[occupation] = needs
    unknown = set(OCCUPATION_SKILLS) - set(chosen)
    if unknown:
        raise SystemExit(f"skills given for occupations not in a family: {sorted(unknown)}")
    return chosen


def build(esco: Path, out: Path) -> dict[str, int]:
    occupations = {row["preferredLabel"]: row for row in _read(esco / "occupations_en.csv")}
    isco = {row["code"]: row for row in _read(esco / "ISCOGroups_en.csv")}
    collection_rows: dict[str, dict[str, str]] = {}
    for path in sorted(esco.glob("*SkillsCollection_en.csv")):
        for row in _read(path):
            collection_rows.setdefault(row["conceptUri"], row)
    by_label = {" ".join(row["preferredLabel"].split()): row for row in collection_rows.values()}

    chosen = choose()
    missing = sorted({label for needs in chosen.values() for label in needs if label not in by_label})
    missing += sorted(label for label in chosen if label not in occupations)
    if missing:
        raise SystemExit(f"not in the ESCO files: {missing}")

    skills = {by_label[label]["conceptUri"] for needs in chosen.values() for label in needs}
    # The broader skills of those chosen, when ESCO has them as skills: the gap can then say
    # "you know computer programming, which JavaScript is a kind of".
    for uri in list(skills):
        for broader in split_collection_labels(collection_rows[uri]["broaderConceptUri"]):
            if broader in collection_rows:
                skills.add(broader)

    out.mkdir(parents=True, exist_ok=True)
    occupation_rows = sorted((occupations[label] for label in chosen), key=lambda row: row["conceptUri"])
    write_csv(out / "occupations_en.csv", OCCUPATION_COLUMNS, occupation_rows)

    codes: set[str] = set()
    for row in occupation_rows:
        code = row["iscoGroup"]
        codes.update(code[:n] for n in range(1, len(code) + 1))
    write_csv(out / "ISCOGroups_en.csv", ISCO_COLUMNS, [isco[code] for code in sorted(codes)])

    skill_rows = []
    for uri in sorted(skills):
        row = dict(collection_rows[uri])
        # Only the broader concepts the starter has, so that loading it skips nothing.
        pairs = zip(
            split_collection_labels(row["broaderConceptUri"]),
            split_collection_labels(row["broaderConceptPT"]),
            strict=False,
        )
        kept = [(broader, label) for broader, label in pairs if broader in skills]
        row["broaderConceptUri"] = " | ".join(broader for broader, _ in kept)
        row["broaderConceptPT"] = " | ".join(label for _, label in kept)
        skill_rows.append(row)
    write_csv(out / COLLECTION_NAME, COLLECTION_COLUMNS, skill_rows)

    relations = [
        row
        for row in _read(esco / "skillSkillRelations_en.csv")
        if row["originalSkillUri"] in skills and row["relatedSkillUri"] in skills
    ]
    relations.sort(key=lambda row: (row["originalSkillUri"], row["relatedSkillUri"], row["relationType"]))
    write_csv(out / "skillSkillRelations_en.csv", SKILL_RELATION_COLUMNS, relations)

    needs_rows = []
    for label, needs in chosen.items():
        for skill_label, relation in needs.items():
            skill = by_label[skill_label]
            needs_rows.append(
                {
                    "occupationUri": occupations[label]["conceptUri"],
                    "relationType": relation,
                    "skillType": skill["skillType"],
                    "skillUri": skill["conceptUri"],
                }
            )
    needs_rows.sort(key=lambda row: (row["occupationUri"], row["skillUri"]))
    write_csv(out / "occupationSkillRelations_en.csv", OCCUPATION_SKILL_COLUMNS, needs_rows)
    return {
        "occupations": len(occupation_rows),
        "isco_groups": len(codes),
        "skills": len(skill_rows),
        "skill_relations": len(relations),
        "occupation_skills": len(needs_rows),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=DEFAULT_ESCO, help="the ESCO v1.2.0 CSV folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the starter files")
    args = parser.parse_args(argv)
    counts = build(args.esco, args.out)
    print(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()), f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
