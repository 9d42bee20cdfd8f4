"""The history folded into shifts: each station's state at each shift end, by ``apply``.

This is what the simulation runner keeps at the end of every shift
(:class:`andon.simulate.runner.Checkpoint`), rebuilt from stored events: the
events of a station are folded in seq order with the domain's ``apply``, and
the state is taken before the first event at or after a shift's end. The
shift figures are then computed from those states by the same functions the
board and the simulation report use.

Calls are taken as they close (the state keeps a shift's closed calls only as
long as it needs them): a shift's calls are the calls closed in it and the
calls open at its end.

Folding starts :data:`LOOKBACK` before the first shift of the range, so calls
and stops open at its start are known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from andon.domain import events as ev
from andon.domain.calendar import ShiftWindow
from andon.domain.calls import Call
from andon.domain.rules import StationRules
from andon.domain.state import StationState, apply
from andon.historian.store import StoredEvent

LOOKBACK = timedelta(days=1)


@dataclass
class StationShift:
    """One station in one shift window, up to ``until``."""

    station: str
    window: ShiftWindow
    until: datetime
    state: StationState
    calls: list[Call]
    events: list[ev.Event] = field(default_factory=list)
    """The station's events with ``window.start <= at <= until``."""


def fold_shifts(
    station: str,
    rules: StationRules,
    stored: Iterable[StoredEvent],
    windows: list[ShiftWindow],
    until: datetime,
) -> list[StationShift]:
    """A :class:`StationShift` per window that started before ``until``."""
    windows = sorted((w for w in windows if w.start < until), key=lambda w: w.start)
    state = StationState(rules=rules)
    closed: list[Call] = []
    shifts: list[StationShift] = []
    index = 0
    in_window: list[ev.Event] = []

    def checkpoint(window: ShiftWindow, at: datetime) -> None:
        open_calls = [c for c in state.calls.values() if c.is_open and c.raised_at < at]
        calls = [c for c in closed if c.closed_at is not None and window.start <= c.closed_at < at]
        calls = sorted([*calls, *open_calls], key=lambda c: (c.raised_at, c.call_id))
        shifts.append(StationShift(station, window, at, state, calls, list(in_window)))

    for item in stored:
        event = item.event
        while index < len(windows) and event.at >= min(windows[index].end, until):
            checkpoint(windows[index], min(windows[index].end, until))
            index += 1
            in_window = []
            closed = [
                c
                for c in closed
                if index < len(windows) and c.closed_at and c.closed_at >= windows[index].start
            ]
        if event.at > until:
            break
        state = apply(state, event)
        if index < len(windows) and event.at >= windows[index].start:
            in_window.append(event)
        if isinstance(event, ev.CallResolved | ev.CallCancelled):
            call = state.calls.get(event.call_id)
            if call is not None and not call.is_open:
                closed.append(call)
    while index < len(windows):
        checkpoint(windows[index], min(windows[index].end, until))
        index += 1
        in_window = []
    return shifts
