"""The starter taxonomy that ships with the app (hiddengems/skills/data/, see its README)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select

from hiddengems.extensions import db
from hiddengems.skills.esco import Progress, no_progress, read_release
from hiddengems.skills.importer import OCCUPATION, SKILL, ImportSummary, import_release, new_tallies

STARTER = "data"  # in the download's format, loaded by the same importer


def starter_directory() -> Path:
    return Path(str(resources.files("hiddengems.skills") / STARTER))


def load_starter(progress: Progress = no_progress) -> ImportSummary:
    """Load the starter taxonomy that ships with the app, for a fresh install and the demo.

    Into a database that already has other concepts (an ESCO import) it writes nothing:
    its rows are ESCO v1.2.0's and would put an older release's labels over a newer one's,
    and its choice of essential and optional skills over ESCO's own relations."""
    release = read_release(starter_directory(), progress)
    others = sum(
        db.session.scalar(select(func.count()).select_from(table).where(table.c.uri.not_in(uris)))
        for table, uris in ((OCCUPATION, list(release.occupations)), (SKILL, list(release.skills)))
    )
    if others:
        note = _("the taxonomy has %(count)d concepts from an ESCO import: the starter was not loaded", count=others)
        return ImportSummary(files=release.files, ignored=release.ignored, tallies=new_tallies(), note=note)
    return import_release(release, complete=False, progress=progress)
