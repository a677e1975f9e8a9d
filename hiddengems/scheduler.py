"""Background jobs. Production runs `flask scheduler run` on each host; one of them
leads and runs the jobs, the others stand by (hiddengems/leader.py). The development
server may run them in-process (SCHEDULER_IN_PROCESS), under the same election.

Jobs are module-level functions that open an app context, call a service,
commit and clean up; what is due is always read from the database, so a run
that was missed while the scheduler was down is caught up by the next one.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from hiddengems import domains
from hiddengems.extensions import db
from hiddengems.leader import Leadership, leadership_for

log = logging.getLogger("hiddengems.scheduler")
_app: Flask | None = None

JOB_DEFAULTS = {
    # A run that comes late (the process was busy, suspended, or a job overran its
    # interval) is made once, not once per missed interval: every job reads what is due
    # from the database, so one run catches up on all of it.
    "coalesce": True,
    # Never two runs of one job side by side in this process (the next waits its turn).
    "max_instances": 1,
    # APScheduler drops a run that is more than 1 s late by default; an hour's grace
    # makes it run late instead (the digest after a restart at 08:20 still goes out).
    # Runs missed while no scheduler ran at all are not replayed by APScheduler (its job
    # store is in memory): the jobs' own catch-up from the database covers them.
    "misfire_grace_time": 3600,
}


def _in_app(func: Callable[[], None], leadership: Leadership | None = None) -> None:
    """Run one job inside the app: a context of its own, and the session cleaned up after.

    Under an election the lock is confirmed first: a leader that lost it between two
    checks of the main loop runs nothing more."""
    assert _app is not None
    if leadership is not None and not leadership.still_held():
        log.warning("scheduler %s: not leading any more; %s skipped", os.getpid(), func.__name__)
        return
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


def build_scheduler(app: Flask, *, blocking: bool, leadership: Leadership | None = None) -> BaseScheduler:
    global _app
    _app = app
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone="Europe/Helsinki", job_defaults=JOB_DEFAULTS)
    for job in jobs(app):
        job = dict(job)
        func = job.pop("func")
        scheduler.add_job(_in_app, args=[func, leadership], replace_existing=True, **JOB_DEFAULTS, **job)
    return scheduler


def lead_and_run(app: Flask, stop: threading.Event, leadership: Leadership | None = None) -> None:
    """Stand by until this process leads, run the jobs while it does; until ``stop`` is set.

    A leader that cannot confirm its lock any more (its connection broke) stops its
    scheduler and stands by again: another process may be leading by then. A job that
    was running at that moment finishes; jobs are safe to overlap (the outbox claims
    rows with SKIP LOCKED, the reminder firings have natural keys)."""
    leadership = leadership or leadership_for(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    poll = app.config["SCHEDULER_STANDBY_POLL_SECONDS"]
    standing_by = False
    try:
        while not stop.is_set():
            if not leadership.try_acquire():
                if not standing_by:
                    log.info("scheduler %s: standby, another process leads", os.getpid())
                    standing_by = True
                stop.wait(poll)
                continue
            standing_by = False
            log.info("scheduler %s: leading", os.getpid())
            scheduler = build_scheduler(app, blocking=False, leadership=leadership)
            scheduler.start()
            try:
                while not stop.wait(poll):
                    if not leadership.still_held():
                        log.error("scheduler %s: leadership lost; jobs stopped, standing by", os.getpid())
                        break
            finally:
                scheduler.shutdown(wait=True)
            # Stand back for two polls: a standby whose connection is sound leads first.
            stop.wait(2 * poll)
    finally:
        leadership.release()


def start_in_process(app: Flask) -> threading.Thread | None:
    """For the development server only: never in a web worker of gunicorn."""
    if "gunicorn" in sys.modules:
        log.warning("SCHEDULER_IN_PROCESS is ignored under gunicorn: run `flask scheduler run` beside it")
        return None
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None  # the reloader's parent process serves nothing; its child runs the jobs
    thread = threading.Thread(
        target=lead_and_run, args=(app, threading.Event()), name="hiddengems-scheduler", daemon=True
    )
    thread.start()
    log.info("in-process scheduler started")
    return thread
