"""Two sweeps at the same moment in two processes: each follow-up and e-mail made once.
On PostgreSQL (TEST_DATABASE_URL) the inserts really race on the unique key; on SQLite
the write lock makes them take turns."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

from hiddengems.extensions import db
from hiddengems.mail.models import OutboxMessage
from hiddengems.reminders.models import FollowUp, ReminderFiring
from hiddengems.timeutil import utcnow
from tests.conftest import ROOT
from tests.reminders import rulekit as rk

SWEEPER = """
import sys, time
from datetime import datetime
from hiddengems import create_app
from hiddengems.reminders.jobs import run_sweep
app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": sys.argv[1]})
with app.app_context():
    from hiddengems.extensions import db
    db.session.execute(db.text("SELECT 1"))
    db.session.rollback()
    time.sleep(max(0.0, float(sys.argv[3]) - time.time()))
    results = run_sweep(datetime.fromisoformat(sys.argv[2]))
    print(sum(r.firings for r in results), sum(r.follow_ups for r in results), sum(r.emails for r in results))
"""

CASES = 3000


def test_two_sweeps_at_once_make_each_follow_up_and_email_once(app, f):
    now = utcnow()
    rk.many_registered(CASES, now - timedelta(days=10))
    rk.rule("intake_not_submitted", days=7)
    url = db.engine.url.render_as_string(hide_password=False)
    db.session.commit()
    start_at = time.time() + 4
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    sweepers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", SWEEPER, url, now.isoformat(), str(start_at)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in sweepers]
    assert [p.returncode for p in sweepers] == [0, 0], [err[-2000:] for _, err in outputs]

    made = [tuple(int(n) for n in out.split()) for out, _ in outputs]
    # Between them the two made everything once (which one made what is up to the race).
    assert tuple(map(sum, zip(*made, strict=True))) == (CASES, CASES, CASES)
    db.session.expire_all()
    assert rk.count(ReminderFiring) == CASES
    assert rk.count(FollowUp) == CASES
    assert rk.count(OutboxMessage) == CASES
