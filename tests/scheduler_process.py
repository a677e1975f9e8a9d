"""A `flask scheduler run` for the leader tests: the real command, with one job that
records which process ran it and when.

    python -m tests.scheduler_process DATABASE_URL TICKS_FILE
"""

from __future__ import annotations

import os
import sys
import time

from flask.cli import ScriptInfo

from hiddengems import create_app, scheduler
from hiddengems.cli import scheduler_run


def main(database_url: str, ticks: str) -> None:
    def tick() -> None:
        with open(ticks, "a") as out:
            out.write(f"{os.getpid()} {time.time()}\n")

    tick.__name__ = "tick"
    scheduler.jobs = lambda app: [{"id": "tick", "func": tick, "trigger": "interval", "seconds": 0.2}]
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "SCHEDULER_STANDBY_POLL_SECONDS": 1})
    scheduler_run.main(args=[], obj=ScriptInfo(create_app=lambda: app), standalone_mode=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
