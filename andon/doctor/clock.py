"""The wall clock: synchronized over the network (a Raspberry Pi has no RTC).

Asks ``timedatectl`` (systemd-timesyncd or chrony), and when that cannot answer
(no systemd) the kernel itself through ``adjtimex``, which reports
``TIME_ERROR`` while the clock is not synchronized. Until it is, timestamps
are wrong; durations are still right (monotonic clock) and the station
records a ``clock_jumped`` event when the clock is finally set.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import subprocess
import time
from collections.abc import Callable, Sequence

from andon.doctor import words as W
from andon.doctor.result import CheckResult, fail, ok, warn

CHECK = "clock"
TIMEDATECTL = ("timedatectl", "show", "--property=NTPSynchronized", "--value")
TIME_ERROR = 5
"""``adjtimex`` clock state: not synchronized."""
EARLIEST_PLAUSIBLE_YEAR = 2024
SYNC_HINT = W.SYNC_HINT

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, timeout=10, check=False)


def kernel_clock_state() -> int | None:
    """``adjtimex`` state (0 synchronized … 5 ``TIME_ERROR``), None when unavailable."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        adjtimex = libc.adjtimex
    except (OSError, AttributeError):
        return None
    buffer = ctypes.create_string_buffer(512)  # struct timex, zeroed: modes 0 reads only
    state = int(adjtimex(buffer))
    return None if state < 0 else state


def check_clock(
    run: Runner = _run,
    kernel_state: Callable[[], int | None] = kernel_clock_state,
    now: Callable[[], float] = time.time,
) -> CheckResult:
    """Synchronized: OK; not synchronized: FAIL; cannot tell: WARN."""
    current = dt.datetime.fromtimestamp(now(), dt.UTC)
    if current.year < EARLIEST_PLAUSIBLE_YEAR:
        return fail(CHECK, W.NEVER_SET.format(time=f"{current:%Y-%m-%d %H:%M}"), SYNC_HINT)
    stamp = f"{current:%Y-%m-%d %H:%M:%S}"
    try:
        done = run(TIMEDATECTL)
        answer = done.stdout.strip() if done.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        answer = ""
    if answer == "yes":
        return ok(CHECK, W.SYNCED_TIMEDATECTL.format(time=stamp))
    if answer == "no":
        return fail(CHECK, W.NOT_SYNCED_TIMEDATECTL.format(time=stamp), SYNC_HINT)
    state = kernel_state()
    if state is None:
        return warn(CHECK, W.CANNOT_TELL.format(time=stamp), SYNC_HINT)
    if state == TIME_ERROR:
        return fail(CHECK, W.NOT_SYNCED_KERNEL.format(time=stamp), SYNC_HINT)
    return ok(CHECK, W.SYNCED_KERNEL.format(time=stamp, state=state))
