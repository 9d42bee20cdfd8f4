"""Where a run happened, and what a process costs: read from ``/proc``."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path
from typing import Any

PROC = Path("/proc")
TICK_S = 1.0 / os.sysconf("SC_CLK_TCK")
"""The resolution of a process's CPU time in ``/proc/<pid>/stat``."""


def cpu_model() -> str:
    """The CPU's model name from ``/proc/cpuinfo`` (``?`` when it does not say)."""
    try:
        text = (PROC / "cpuinfo").read_text()
    except OSError:
        return platform.processor() or "?"
    for key in ("model name", "Model", "Hardware"):
        for line in text.splitlines():
            name, sep, value = line.partition(":")
            if sep and name.strip() == key and value.strip():
                return value.strip()
    return platform.processor() or "?"


def describe() -> dict[str, Any]:
    """nproc, CPU model, Python version and platform of this machine."""
    return {
        "nproc": os.cpu_count() or 0,
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
    }


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (``VmRSS`` of ``/proc/<pid>/status``)."""
    for line in (PROC / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    raise ValueError(f"process {pid} reports no VmRSS")


def peak_mb(pid: int) -> float:
    """The peak resident memory of a process so far in MB (``VmHWM``); 0 when not reported."""
    for line in (PROC / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (``/proc/<pid>/stat``)."""
    stat = (PROC / str(pid) / "stat").read_text()
    # The command name may hold spaces and parentheses: fields start after the last ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks * TICK_S


def thread_cpu_seconds(pid: int) -> float | None:
    """CPU time of a process's live threads, to the nanosecond; None when it cannot be read.

    ``/proc/<pid>/stat`` counts in clock ticks (10 ms), too coarse for an idle
    process over a few seconds; ``/proc/<pid>/task/*/schedstat`` is exact but
    forgets threads that ended, so it suits short windows over a steady process.
    """
    total = 0
    try:
        for task in (PROC / str(pid) / "task").iterdir():
            total += int((task / "schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None  # a thread ended while being read, or the kernel does not say
    return total / 1e9


def runqueue_wait_seconds(pid: int) -> float | None:
    """How long a process's live threads have waited, runnable, for a CPU (seconds).

    The second field of ``/proc/<pid>/task/*/schedstat``: time spent on the run
    queue, ready to run but not running. Summed over threads, so over a span it can
    exceed the span. None when it cannot be read.
    """
    total = 0
    try:
        for task in (PROC / str(pid) / "task").iterdir():
            total += int((task / "schedstat").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return total / 1e9
