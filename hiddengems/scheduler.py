"""Background jobs. Production runs them in one `flask scheduler run` process;
the development server may run them in-process (SCHEDULER_IN_PROCESS).

Jobs are module-level functions that open an app context, call a service,
commit and clean up; what is due is always read from the database, so a run
that was missed while the scheduler was down is caught up by the next one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from hiddengems import domains
from hiddengems.extensions import db

log = logging.getLogger("hiddengems.scheduler")
_app: Flask | None = None

JOB_DEFAULTS = {
    # Run a late job once rather than dropping it (APScheduler's default grace is 1 s)
    # or running it once for every missed interval.
    "coalesce": True,
    "max_instances": 1,
    "misfire_grace_time": 3600,
}


def _in_app(func: Callable[[], None]) -> None:
    """Run one job inside the app: a context of its own, and the session cleaned up after."""
    assert _app is not None
    with _app.app_context():
        try:
            func()
        finally:
            db.session.remove()


def jobs(app: Flask) -> list[dict]:
    """Every domain's jobs (its jobs.py ``schedule``), as add_job arguments."""
    return [job for module in domains.modules("jobs") for job in module.schedule(app.config)]


def run(job_id: str) -> None:
    """Run one job now, as the scheduler would (for the command line and tests)."""
    assert _app is not None
    (job,) = [job for job in jobs(_app) if job["id"] == job_id]
    _in_app(job["func"])


def build_scheduler(app: Flask, *, blocking: bool) -> BaseScheduler:
    global _app
    _app = app
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone="Europe/Helsinki", job_defaults=JOB_DEFAULTS)
    for job in jobs(app):
        job = dict(job)
        func = job.pop("func")
        scheduler.add_job(_in_app, args=[func], replace_existing=True, **JOB_DEFAULTS, **job)
    return scheduler


def start_in_process(app: Flask) -> BaseScheduler | None:
    """For the development server only: never in a production web worker."""
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None  # the reloader's parent process serves nothing
    scheduler = build_scheduler(app, blocking=False)
    scheduler.start()
    log.info("in-process scheduler started")
    return scheduler
