"""The station's timeline: wall-clock instants that advance with the monotonic clock.

A Raspberry Pi has no real-time clock and often syncs its time late. The
station stamps events on a timeline anchored once to the wall clock and then
driven by the monotonic clock, so durations never stretch or shrink when the
wall clock is set. When the wall clock and the timeline disagree by more than
``tolerance_s``, :meth:`StationClock.check_jump` re-anchors and reports the
jump, which the station records as a ``clock_jumped`` event.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Seconds = Callable[[], float]


def truncate_ms(t: datetime) -> datetime:
    """Instants carry milliseconds, as in the JSON form, so replay rebuilds the same state."""
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


class StationClock:
    """Monotonic-driven wall time with jump detection; both sources are injectable."""

    def __init__(
        self,
        wall: Seconds = time.time,
        monotonic: Seconds = time.monotonic,
        tolerance_s: float = 2.0,
        not_before: datetime | None = None,
    ) -> None:
        self._wall = wall
        self._monotonic = monotonic
        self._tolerance_s = tolerance_s
        self._anchor_mono = monotonic()
        start = datetime.fromtimestamp(wall(), UTC)
        if not_before is not None and start < not_before:
            # The wall clock is behind the journal (no RTC, not yet synced):
            # never let the timeline run backwards.
            start = not_before
        self._anchor = start

    def monotonic(self) -> float:
        """Seconds of the monotonic clock (for durations inside the process)."""
        return self._monotonic()

    def now(self) -> datetime:
        """The current instant on the station's timeline (UTC, milliseconds)."""
        elapsed = self._monotonic() - self._anchor_mono
        return truncate_ms(self._anchor + timedelta(seconds=elapsed))

    def check_jump(self) -> float:
        """Seconds the wall clock moved against the timeline (0.0 when within tolerance).

        On a jump the timeline is re-anchored to the wall clock.
        """
        mono = self._monotonic()
        timeline = self._anchor + timedelta(seconds=mono - self._anchor_mono)
        wall = datetime.fromtimestamp(self._wall(), UTC)
        jump = (wall - timeline).total_seconds()
        if abs(jump) <= self._tolerance_s:
            return 0.0
        self._anchor, self._anchor_mono = wall, mono
        return jump


class SimulatedClock:
    """A clock for simulations: time moves only when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a simulated clock starts at an aware instant")
        self._now = truncate_ms(start.astimezone(UTC))
        self._mono = 0.0

    def monotonic(self) -> float:
        """Simulated monotonic seconds."""
        return self._mono

    def now(self) -> datetime:
        """The simulated instant."""
        return self._now

    def advance_to(self, t: datetime) -> None:
        """Move forward to ``t`` (never backwards)."""
        t = truncate_ms(t.astimezone(UTC))
        if t > self._now:
            self._mono += (t - self._now).total_seconds()
            self._now = t

    def advance(self, seconds: float) -> None:
        """Move forward by ``seconds``."""
        self.advance_to(self._now + timedelta(seconds=seconds))

    def check_jump(self) -> float:
        """A simulated clock never jumps."""
        return 0.0


class ScaledClock:
    """A timeline that runs ``speed`` times faster than real time (the demo's acceleration).

    It starts at the real current instant; its monotonic clock is scaled too,
    so timers measured on it agree with its instants. It never reports a jump.
    """

    def __init__(
        self, speed: float, wall: Seconds = time.time, monotonic: Seconds = time.monotonic
    ) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be greater than 0, got {speed}")
        self.speed = speed
        self._monotonic = monotonic
        self._anchor_mono = monotonic()
        self._anchor = datetime.fromtimestamp(wall(), UTC)

    def monotonic(self) -> float:
        """Scaled seconds since the clock started."""
        return (self._monotonic() - self._anchor_mono) * self.speed

    def now(self) -> datetime:
        """The scaled instant (UTC, milliseconds)."""
        return truncate_ms(self._anchor + timedelta(seconds=self.monotonic()))

    def check_jump(self) -> float:
        """A scaled clock follows only the monotonic clock: it never jumps."""
        return 0.0
