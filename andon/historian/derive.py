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

A fold starts from a :class:`Resume`: the state before the event of seq
``seq`` (the station's first event at or after the instant ``at``), kept in the
history's checkpoints (:mod:`andon.historian.checkpoints`), or from nothing
before the station's first event. It records a new :class:`Resume` at every
instant of ``marks`` it passes, as long as the seqs it folded are contiguous
(a gap in the stream is not checkpointed over).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from andon.domain import events as ev
from andon.domain.calendar import ShiftWindow
from andon.domain.calls import Call
from andon.domain.rules import StationRules
from andon.domain.state import apply
from andon.domain.station_state import StationState
from andon.historian.store import StoredEvent


@dataclass(frozen=True)
class Resume:
    """A station's state before its event ``seq``, the first one at or after ``at``."""

    at: datetime
    seq: int
    state: StationState


@dataclass
class StationShift:
    """One station in one shift window, up to ``until``."""

    station: str
    window: ShiftWindow
    until: datetime
    state: StationState
    calls: list[Call]
    events: list[ev.Event] = field(default_factory=list)
    """The station's events with ``window.start <= at < until``."""


@dataclass
class Fold:
    """The shifts of a fold, the resumes it passed, and how many events it folded."""

    shifts: list[StationShift]
    marks: list[Resume]
    folded: int


def fold_shifts(
    station: str,
    rules: StationRules,
    stored: Iterable[StoredEvent],
    windows: list[ShiftWindow],
    until: datetime,
    *,
    start: Resume | None = None,
    marks: Sequence[datetime] = (),
) -> Fold:
    """A :class:`StationShift` per window that started before ``until``.

    ``stored`` are the station's events in seq order from ``start.seq`` (all of
    them without ``start``), up to its first event at or after ``until`` (which
    marks the shift ends up to ``until``, and is not folded); ``start.at`` must
    not lie after the first window.
    """
    windows = sorted((w for w in windows if w.start < until), key=lambda w: w.start)
    if start is not None and windows and start.at > windows[0].start:
        raise ValueError(f"{station}: a fold resumed at {start.at} misses {windows[0].start}")
    state = start.state if start is not None else StationState(rules=rules)
    pending = sorted(m for m in marks if start is None or m > start.at)
    closed: list[Call] = []
    shifts: list[StationShift] = []
    resumes: list[Resume] = []
    index = 0
    in_window: list[ev.Event] = []
    last_seq = start.seq - 1 if start is not None else None
    contiguous = True
    folded = 0

    def checkpoint(window: ShiftWindow, at: datetime) -> None:
        open_calls = [c for c in state.calls.values() if c.is_open and c.raised_at < at]
        calls = [c for c in closed if c.closed_at is not None and window.start <= c.closed_at < at]
        calls = sorted([*calls, *open_calls], key=lambda c: (c.raised_at, c.call_id))
        shifts.append(StationShift(station, window, at, state, calls, list(in_window)))

    for item in stored:
        event = item.event
        contiguous = contiguous and (last_seq is None or item.seq == last_seq + 1)
        last_seq = item.seq
        while pending and event.at >= pending[0]:
            mark = pending.pop(0)
            if contiguous and mark <= until:
                resumes.append(Resume(mark, item.seq, state))
        while index < len(windows) and event.at >= min(windows[index].end, until):
            checkpoint(windows[index], min(windows[index].end, until))
            index += 1
            in_window = []
            closed = [
                c
                for c in closed
                if index < len(windows) and c.closed_at and c.closed_at >= windows[index].start
            ]
        if event.at >= until:
            break  # past the end: it only marked the shift ends up to the end
        state = apply(state, event)
        folded += 1
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
    return Fold(shifts, resumes, folded)


def shift_recorded(stations: Iterable[StationShift]) -> bool:
    """Whether the history holds a record of a line in a shift: an event of any of its
    stations stamped in it.

    A running counting station records something in every shift with working time
    (a count, a pace change, or its no-count stop after a few takts), so a shift
    without any event is one in which no station of the line was running, or the
    history got nothing of it. Its plan is left out of the report's figures.
    """
    return any(station.events for station in stations)
