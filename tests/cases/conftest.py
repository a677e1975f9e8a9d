from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture
def desk(f):
    """An adviser with one case in skills, another adviser, a lead, and a spouse in the queue."""
    org = f.org("Desk University")
    adviser = f.user("adviser", name="Aino Adviser")
    other = f.user("adviser", name="Olli Other")
    lead = f.user("adviser", lead=True, name="Liisa Lead")
    spouse = f.user("spouse", organisation=org, name="Maria Spouse")
    waiting = f.user("spouse", organisation=org, name="Wang Waiting")
    case = f.assign(spouse, adviser, "skills")
    queued = f.assign(waiting, None, "intake")
    return SimpleNamespace(
        org=org, adviser=adviser, other=other, lead=lead, spouse=spouse, case=case, waiting=waiting, queued=queued
    )
