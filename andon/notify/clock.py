"""The notifier's clock: wall time for stamps and schedules, monotonic time for pacing.

Tests pass a clock they move by hand; the station's clocks fit the same protocol.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """What the notifier reads time from."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...

    def monotonic(self) -> float:
        """Seconds of a clock that never jumps."""
        ...


class SystemClock:
    """The machine's clocks."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()
