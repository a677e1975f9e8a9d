"""The mail domain's scheduled work: delivering the outbox."""

from __future__ import annotations

import logging

from flask import current_app

from hiddengems.mail.services import send_pending

log = logging.getLogger("hiddengems.scheduler")


def send_outbox() -> None:
    sent, failed = send_pending(limit=current_app.config["OUTBOX_BATCH"])
    if sent or failed:
        log.info("outbox: %s sent, %s failed", sent, failed)


def schedule(config) -> list[dict]:
    """The jobs to run, as APScheduler's add_job arguments (the scheduler opens the app
    context around each run)."""
    return [
        {"id": "send_outbox", "func": send_outbox, "trigger": "interval", "seconds": config["OUTBOX_INTERVAL_SECONDS"]}
    ]
