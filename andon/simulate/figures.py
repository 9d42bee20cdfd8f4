"""A station's figures for one shift, computed from its state kept at the end of that shift.

These are the figures the station's own snapshot shows (:mod:`andon.domain.snapshot`),
for a given shift window and end instant rather than "now": at the end of a shift the
next shift has already started, and a snapshot would show that one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from andon.domain.calendar import Calendar, ShiftWindow
from andon.domain.downtime import Stop, split_downtime, stop_class
from andon.domain.hourly import HourRow, hourly_table
from andon.domain.kpi import Oee, StopClass, oee, plan_achievement
from andon.domain.orders import planned_now, segments_for
from andon.domain.state import StationState, roll_shift


@dataclass(frozen=True)
class ShiftFigures:
    """Plan, counts, hours and OEE of one station over ``[window.start, until]``."""

    state: StationState
    window: ShiftWindow
    until: datetime
    planned: float
    hours: list[HourRow]
    planned_production_s: float
    downtime_s: float
    minor_stop_s: float
    run_s: float
    kpi: Oee

    @property
    def good(self) -> int:
        return self.state.good

    @property
    def scrap(self) -> int:
        return self.state.scrap

    @property
    def achievement(self) -> float | None:
        return plan_achievement(self.good, self.planned)


def shift_state(state: StationState, window: ShiftWindow) -> StationState:
    """The state with the figures of ``window`` (fresh ones if nothing happened in it yet)."""
    return roll_shift(state, window.start)


def shift_figures(state: StationState, window: ShiftWindow, until: datetime) -> ShiftFigures:
    """The figures of ``window`` up to ``until`` (clipped to the window's end)."""
    state = shift_state(state, window)
    rules = state.rules
    calendar = rules.calendar
    end = min(until, window.end)
    hours = hourly_table(
        calendar,
        window,
        rules.takt_s,
        state.counts_by_row,
        state.hour_causes,
        end,
        threshold=rules.hour_threshold,
        segments=segments_for(window, rules.orders, rules.takt_s),
    )
    split = split_downtime(calendar, state.stops, (window.start, end), end, rules.minor_stop_s)
    planned_s = calendar.working_seconds(window.start, end)
    run_s = max(0.0, planned_s - split.downtime_s)
    return ShiftFigures(
        state=state,
        window=window,
        until=end,
        planned=planned_now(rules, window, end),
        hours=hours,
        planned_production_s=planned_s,
        downtime_s=split.downtime_s,
        minor_stop_s=split.minor_s,
        run_s=run_s,
        kpi=oee(planned_s, run_s, rules.ideal_cycle_s, state.good + state.scrap, state.good),
    )


MINOR = "minor stops"
"""The key under which minor stops (performance loss, no reason needed) are summed."""


def stop_key(calendar: Calendar, stop: Stop, now: datetime, minor_stop_s: float) -> str:
    """What a stop counts as in the Pareto: its reason, a missing reason, or a minor stop."""
    if stop_class(calendar, stop, now, minor_stop_s) is StopClass.MINOR:
        return MINOR
    if stop.reason:
        return stop.reason
    return f"{stop.source.replace('_', ' ')}: reason missing"


def attribute_downtime(
    calendar: Calendar,
    stops: tuple[Stop, ...] | list[Stop],
    start: datetime,
    end: datetime,
    minor_stop_s: float,
) -> dict[str, float]:
    """Working seconds lost in ``[start, end)``, by reason (Pareto), each second counted once.

    Where stops overlap, a second goes to the stop that began first; seconds that only
    minor stops cover go to :data:`MINOR`, and a minor stop's seconds under a real stop
    are that stop's. So the downtime entries add up to the downtime of the availability
    figure, and the :data:`MINOR` entry to the minor-stop time, as in
    :func:`andon.domain.downtime.split_downtime`.
    """
    spans: list[tuple[datetime, datetime, bool, tuple[datetime, str], str]] = []
    for stop in stops:
        lo, hi = stop.interval(end)
        lo, hi = max(lo, start), min(hi, end)
        if hi <= lo:
            continue
        key = stop_key(calendar, stop, end, minor_stop_s)
        spans.append((lo, hi, key == MINOR, (stop.started_at, stop.stop_id), key))
    cuts = sorted({t for lo, hi, *_ in spans for t in (lo, hi)})
    lost: dict[str, float] = {}
    for lo, hi in pairwise(cuts):
        covering = [s for s in spans if s[0] <= lo and s[1] >= hi]
        if not covering:
            continue
        # real stops before minor ones, then the earliest start
        owner = min(covering, key=lambda s: (s[2], s[3]))
        seconds = calendar.working_seconds(lo, hi)
        if seconds > 0:
            lost[owner[4]] = lost.get(owner[4], 0.0) + seconds
    return lost
