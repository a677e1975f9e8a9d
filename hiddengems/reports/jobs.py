"""The reports domain's scheduled work: the day's figures, built once after midnight."""

from __future__ import annotations

import logging
import re
import time

from hiddengems.reports.services import build_snapshot, report_day

log = logging.getLogger("hiddengems.scheduler")


def build_daily_snapshot() -> None:
    started = time.perf_counter()
    stored = build_snapshot(report_day())
    if stored:
        log.info("reports: %s scopes for %s in %.1f s", stored, report_day(), time.perf_counter() - started)


def schedule(config) -> list[dict]:
    """As APScheduler's add_job arguments (hiddengems/scheduler.py opens the app context)."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", config["REPORT_SNAPSHOT_TIME"])
    if not match:
        raise RuntimeError(f"REPORT_SNAPSHOT_TIME must be HH:MM (Helsinki), not {config['REPORT_SNAPSHOT_TIME']!r}.")
    return [
        {
            "id": "build_report_snapshot",
            "func": build_daily_snapshot,
            "trigger": "cron",
            "hour": int(match.group(1)),
            "minute": int(match.group(2)),
            "timezone": "Europe/Helsinki",
        }
    ]
