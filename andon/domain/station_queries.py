"""What a station's state says about its shift: its hours, the stops that need a reason,
and the stops a call caused."""

from __future__ import annotations

from datetime import datetime

from andon.domain.calendar import ShiftWindow
from andon.domain.calls import Call
from andon.domain.downtime import Stop, needs_reason
from andon.domain.hourly import HourRow, hourly_table
from andon.domain.orders import segments_for
from andon.domain.state import roll_shift
from andon.domain.station_state import StationState


def ended_shift(state: StationState, now: datetime) -> ShiftWindow | None:
    """The shift that ended before ``now`` whose hours may still be explained, if any.

    Between two shifts, the hours of the one that ended can be explained for
    ``rules.hour_cause_grace_s`` after its end (None: until the next shift starts,
    which starts new figures).
    """
    if state.shift_start is None:
        return None
    window = state.rules.calendar.shift_at(state.shift_start)
    if window is None or now < window.end:
        return None
    grace = state.rules.hour_cause_grace_s
    if grace is not None and (now - window.end).total_seconds() > grace:
        return None
    return window


def hours_of(state: StationState, window: ShiftWindow, now: datetime) -> list[HourRow]:
    """The hourly performance table of a shift window up to ``now`` (orders followed)."""
    rules = state.rules
    return hourly_table(
        rules.calendar,
        window,
        rules.takt_s,
        state.counts_by_row,
        state.hour_causes,
        now,
        threshold=rules.hour_threshold,
        segments=segments_for(window, rules.orders, rules.takt_s),
    )


def unexplained_hours(state: StationState, now: datetime) -> list[datetime]:
    """Starts of this shift's completed hours that still need a cause, oldest first."""
    state = roll_shift(state, now)
    window = state.rules.calendar.shift_at(now) or ended_shift(state, now)
    if window is None:
        return []
    rows = hours_of(state, window, now)
    return [r.start for r in rows if r.unexplained]


def stops_needing_reason(state: StationState, now: datetime) -> list[Stop]:
    """This shift's stops that need a reason (:func:`andon.domain.downtime.needs_reason`),
    oldest first."""
    rules = state.rules
    return [
        stop
        for stop in sorted(state.stops, key=lambda s: s.started_at)
        if needs_reason(rules.calendar, stop, now, rules.minor_stop_s)
    ]


def caused_stops(state: StationState, call: Call) -> list[Stop]:
    """The stops this call caused: the line stop it holds, the machine stop that raised it.

    Resolving the call with a reason gives these stops that reason, so the downtime
    is booked under the call's cause (docs/figures.md).
    """
    out = []
    for stop in state.stops:
        if (stop.source == "line_stop" and stop.is_open and call.stopped_line) or (
            stop.source == "fault" and call.source == "fault" and stop.started_at == call.raised_at
        ):
            out.append(stop)
    return out
