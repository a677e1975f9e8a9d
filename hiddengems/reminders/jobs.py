"""The reminders domain's scheduled work."""

from __future__ import annotations

import logging
import re

from hiddengems.reminders.digest import send_digests

log = logging.getLogger("hiddengems.scheduler")


def send_digest() -> None:
    queued = send_digests()
    if queued:
        log.info("digest: %s queued", queued)


def _digest_trigger(config) -> dict:
    """Every quarter of an hour on weekdays from DIGEST_TIME for DIGEST_CATCH_UP_HOURS
    (Helsinki): the first run at the time sends the day's digests, the later ones send
    what a scheduler that was down then could not (each adviser's once: digest.py)."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", config["DIGEST_TIME"])
    if not match:
        raise RuntimeError(f"DIGEST_TIME must be HH:MM (24-hour, Helsinki), not {config['DIGEST_TIME']!r}.")
    first = int(match.group(1))
    last = min(first + config["DIGEST_CATCH_UP_HOURS"], 23)
    return {
        "trigger": "cron",
        "day_of_week": "mon-fri",
        "hour": f"{first}-{last}",
        "minute": "*/15",
        "timezone": "Europe/Helsinki",
    }


def schedule(config) -> list[dict]:
    """The jobs to run, as APScheduler's add_job arguments."""
    return [{"id": "send_digest", "func": send_digest, **_digest_trigger(config)}]
