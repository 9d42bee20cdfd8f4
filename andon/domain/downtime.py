"""Stop periods and how much of them is downtime."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from andon.domain.instants import merge_intervals
from andon.domain.kpi import StopClass, classify_stop
from andon.domain.working_time import WorkingTime

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Stop:
    """One stop period of the line, from a source, with its reason once given."""

    stop_id: str
    source: str
    started_at: datetime
    ended_at: datetime | None = None
    reason: str = ""
    by: str = ""
    """Who gave the reason."""
    note: str = ""
    started_by: str = ""
    """Who started the stop, when a person did (a changeover)."""

    @property
    def is_open(self) -> bool:
        """True while the stop lasts."""
        return self.ended_at is None

    def interval(self, now: datetime) -> Interval:
        """The stop's period, up to ``now`` while it lasts."""
        return (self.started_at, self.ended_at or max(now, self.started_at))

    def end(self, at: datetime) -> Stop:
        """The stop ended at ``at``."""
        return replace(self, ended_at=max(at, self.started_at))

    def with_reason(self, reason: str, by: str, note: str) -> Stop:
        """The stop with its reason."""
        return replace(self, reason=reason, by=by, note=note)


def working_overlap(calendar: WorkingTime, intervals: Iterable[Interval]) -> float:
    """Planned working seconds covered by the union of intervals (breaks never count)."""
    return sum(
        calendar.working_seconds(start, end) for start, end in merge_intervals(list(intervals))
    )


LINE_STOP = "line_stop"
"""The source of the stop a station records while an andon call holds the line-stop relay."""
FAULT = "fault"
"""The source of the machine's own stop signal (jidoka), which raises an equipment call."""


def caused_by_call(stop: Stop) -> bool:
    """A stop an andon call caused, a real stop whatever its length (docs/figures.md).

    - the line stop (``line_stop``): only a call holds the relay, so the stop is a
      decision, never a performance loss, from its first second;
    - a machine stop (``fault``) with its reason: its equipment call's resolution
      (or the board) gave it. A short fault nobody explained stays a minor stop.
    """
    return stop.source == LINE_STOP or (stop.source == FAULT and bool(stop.reason))


def stop_class(calendar: WorkingTime, stop: Stop, now: datetime, minor_stop_s: float) -> StopClass:
    """A stop shorter than the threshold (in planned working time) is a minor stop,
    unless a call caused it (:func:`caused_by_call`)."""
    if caused_by_call(stop):
        return StopClass.DOWNTIME
    return _by_length(calendar, stop, now, minor_stop_s)


def _by_length(calendar: WorkingTime, stop: Stop, now: datetime, minor_stop_s: float) -> StopClass:
    start, end = stop.interval(now)
    return classify_stop(calendar.working_seconds(start, end), minor_stop_s)


def needs_reason(calendar: WorkingTime, stop: Stop, now: datetime, minor_stop_s: float) -> bool:
    """A stop past the minor-stop threshold needs a reason until one is recorded; a
    shorter stop a call caused only once it ended without one (while the line stop
    lasts, its call is being answered, and the call's resolution gives the reason)."""
    start, end = stop.interval(now)
    return reason_needed(stop, calendar.working_seconds(start, end), minor_stop_s)


def reason_needed(stop: Stop, working_s: float, minor_stop_s: float) -> bool:
    """:func:`needs_reason` of a stop whose planned working seconds are known."""
    if stop.reason:
        return False
    if classify_stop(working_s, minor_stop_s) is StopClass.DOWNTIME:
        return True
    return caused_by_call(stop) and not stop.is_open


@dataclass(frozen=True)
class DowntimeSplit:
    """Working seconds lost to stops: downtime (availability) and minor stops (performance)."""

    downtime_s: float
    minor_s: float


def split_downtime(
    calendar: WorkingTime,
    stops: Iterable[Stop],
    window: Interval,
    now: datetime,
    minor_stop_s: float,
) -> DowntimeSplit:
    """Downtime and minor-stop seconds of the stops, clipped to ``window`` and to working time.

    Overlapping stops (a fault while the line is stopped) count once. A stop is
    classified by its whole length (:func:`stop_class`); the parts of a minor stop that overlap a
    real stop count as downtime.
    """
    lo, hi = window
    downtime: list[Interval] = []
    minor: list[Interval] = []
    for stop in stops:
        start, end = stop.interval(now)
        clipped = (max(start, lo), min(end, hi))
        if clipped[1] <= clipped[0]:
            continue
        is_minor = stop_class(calendar, stop, now, minor_stop_s) is StopClass.MINOR
        (minor if is_minor else downtime).append(clipped)
    downtime_s = working_overlap(calendar, downtime)
    all_s = working_overlap(calendar, [*downtime, *minor])
    return DowntimeSplit(downtime_s=downtime_s, minor_s=max(0.0, all_s - downtime_s))
