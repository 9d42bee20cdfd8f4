"""Clocks: every timed behaviour in ``hal`` reads time from an injected clock.

Production passes :func:`time.monotonic`; tests and the simulator pass a
:class:`ManualClock` and move it forward by hand, so debounce, long press,
settle times and flash patterns are exact and need no sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Clock = Callable[[], float]
"""A monotonic clock in seconds."""


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move forward by ``seconds`` (never backwards) and return the new time."""
        if seconds < 0:
            raise ValueError(f"a monotonic clock cannot go back ({seconds} s)")
        with self._lock:
            self._now += seconds
            return self._now
