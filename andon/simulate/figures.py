"""A station's figures for one shift, computed from its state kept at the end of that shift.

These are the figures the station's own snapshot shows (:mod:`andon.domain.snapshot`),
for a given shift window and end instant rather than "now": at the end of a shift the
next shift has already started, and a snapshot would show that one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from andon.domain.attribution import MINOR, StationStop, stop_key
from andon.domain.calendar import ShiftWindow
from andon.domain.downtime import split_downtime
from andon.domain.hourly import HourRow, hourly_table
from andon.domain.kpi import Oee, oee, plan_achievement
from andon.domain.line_figures import LineFigures, line_figures
from andon.domain.orders import planned_now, segments_for
from andon.domain.state import roll_shift
from andon.domain.station_state import StationState


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


__all__ = [
    "MINOR",
    "ShiftFigures",
    "line_shift_figures",
    "shift_figures",
    "shift_state",
    "stop_key",
]


def line_shift_figures(
    counting: ShiftFigures, stops: list[StationStop] | tuple[StationStop, ...]
) -> LineFigures:
    """The line's figures (:func:`andon.domain.line_figures.line_figures`) over the counting
    station's shift, from the stops of every station of the line."""
    rules = counting.state.rules
    return line_figures(
        rules.calendar,
        counting.window.start,
        counting.until,
        stops,
        planned=counting.planned,
        good=counting.good,
        scrap=counting.scrap,
        ideal_cycle_s=rules.ideal_cycle_s,
        minor_stop_s=rules.minor_stop_s,
    )
