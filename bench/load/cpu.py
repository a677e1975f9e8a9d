"""Where the CPU went during a phase: the client, gunicorn's workers, everything else.

On a shared machine other work takes cores from the server and the figures drop;
the table says how much ("others"), and --quiet makes each phase wait for a quiet
moment first. On a virtual machine the host may also run someone else on our cores
("stolen", the steal time of /proc/stat): it is in "others" too, but said apart, as
figures taken while it is high compare with nothing. Linux /proc only; elsewhere the
shares are left out.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _machine_ticks() -> list[int] | None:
    try:
        return [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return None


def machine_busy_seconds() -> float | None:
    """CPU seconds all cores spent on anything but idling since boot, stolen time included."""
    fields = _machine_ticks()
    if fields is None:
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / TICK


def machine_stolen_seconds() -> float | None:
    """CPU seconds the host gave our cores to others since boot (steal; 0 on bare metal)."""
    fields = _machine_ticks()
    return None if fields is None else (fields[7] if len(fields) > 7 else 0) / TICK


def process_cpu_seconds(pids: list[int]) -> float:
    """User and system CPU of these processes so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


@dataclass
class Shares:
    """CPU in cores (1.0 = one core busy all the time) over a phase."""

    client: float
    workers: float | None
    others: float | None
    stolen: float | None = None


class Meter:
    def __init__(self, worker_pids) -> None:
        self.worker_pids = worker_pids  # a callable: the workers may be replaced meanwhile

    def start(self) -> None:
        self.wall = time.perf_counter()
        self.client = time.process_time()
        self.workers = process_cpu_seconds(self.worker_pids())
        self.machine = machine_busy_seconds()
        self.stolen = machine_stolen_seconds()

    def stop(self) -> Shares:
        wall = time.perf_counter() - self.wall
        client = (time.process_time() - self.client) / wall
        workers = (process_cpu_seconds(self.worker_pids()) - self.workers) / wall
        machine, stolen = machine_busy_seconds(), machine_stolen_seconds()
        if machine is None or self.machine is None:
            return Shares(client, None, None)
        others = max(0.0, (machine - self.machine) / wall - client - workers)
        return Shares(client, workers, others, (stolen - self.stolen) / wall)


def wait_until_quiet(max_busy: float, timeout: float) -> float:
    """Wait until the whole machine is busier than ``max_busy`` cores no more for a second
    (others' work, between our phases); give up after ``timeout`` seconds. Returns the wait."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        before = machine_busy_seconds()
        if before is None:
            return 0.0
        time.sleep(1.0)
        if machine_busy_seconds() - before <= max_busy:
            break
    return time.monotonic() - started
