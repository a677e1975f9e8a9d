"""Background jobs. Production runs them in one `flask scheduler run` process;
the development server may run them in-process (SCHEDULER_IN_PROCESS).

Jobs are module-level functions that open an app context, call a service,
commit and clean up; what is due is always read from the database, so a run
that was missed while the scheduler was down is caught up by the next one.
"""

from __future__ import annotations

import logging
import os

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from hiddengems.extensions import db
from hiddengems.mail.services import send_pending

log = logging.getLogger("hiddengems.scheduler")
_app: Flask | None = None

JOB_DEFAULTS = {
    # Run a late job once rather than dropping it (APScheduler's default grace is 1 s)
    # or running it once for every missed interval.
    "coalesce": True,
    "max_instances": 1,
    "misfire_grace_time": 3600,
}


def send_outbox_job() -> None:
    assert _app is not None
    with _app.app_context():
        try:
            sent, failed = send_pending()
            if sent or failed:
                log.info("outbox: %s sent, %s failed", sent, failed)
        finally:
            db.session.remove()


def build_scheduler(app: Flask, *, blocking: bool) -> BaseScheduler:
    global _app
    _app = app
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone="Europe/Helsinki", job_defaults=JOB_DEFAULTS)
    scheduler.add_job(
        send_outbox_job,
        "interval",
        seconds=app.config["OUTBOX_INTERVAL_SECONDS"],
        id="send_outbox",
        replace_existing=True,
        **JOB_DEFAULTS,
    )
    return scheduler


def start_in_process(app: Flask) -> BaseScheduler | None:
    """For the development server only: never in a production web worker."""
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None  # the reloader's parent process serves nothing
    scheduler = build_scheduler(app, blocking=False)
    scheduler.start()
    log.info("in-process scheduler started")
    return scheduler
