"""Simulated time: one plant timeline shared by every station, one device clock each.

The timeline is what the station core sees (event instants); each station's
devices keep their own monotonic :class:`~hal.clock.ManualClock`. Between
scripted moments both move together. While an input is being performed (a
press and release, a bin settling, a scanner line) only the device clock moves:
the debounce and settle milliseconds pass for the hardware, and the input
counts at the scripted instant on the timeline.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hal.clock import ManualClock

MS = timedelta(milliseconds=1)


def ceil_ms(t: datetime) -> datetime:
    """``t`` rounded up to the next whole millisecond (instants carry milliseconds)."""
    rest = t.microsecond % 1000
    return t if rest == 0 else t + timedelta(microseconds=1000 - rest)


class SimTimeline:
    """The plant's simulated instant; it only moves forward, in whole milliseconds."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a simulated timeline starts at an aware instant")
        self._now = ceil_ms(start.astimezone(UTC))

    def now(self) -> datetime:
        """The current simulated instant (UTC)."""
        return self._now

    def advance_to(self, t: datetime) -> float:
        """Move to ``t`` (rounded up to the millisecond); return the seconds that passed."""
        t = ceil_ms(t.astimezone(UTC))
        if t <= self._now:
            return 0.0
        seconds = (t - self._now).total_seconds()
        self._now = t
        return seconds


class StationSimClock:
    """A station's clock in a simulation: instants from the timeline, monotonic from its devices.

    It satisfies the station core's clock protocol; a simulated clock never jumps.
    """

    def __init__(self, timeline: SimTimeline, devices_clock: ManualClock) -> None:
        self.timeline = timeline
        self.devices_clock = devices_clock

    def now(self) -> datetime:
        """The timeline's instant."""
        return self.timeline.now()

    def monotonic(self) -> float:
        """The devices' monotonic seconds."""
        return self.devices_clock()

    def check_jump(self) -> float:
        """Never a jump."""
        return 0.0
