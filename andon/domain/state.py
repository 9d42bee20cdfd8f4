"""A station's state and ``apply(state, event)``: the fold every part shares.

``apply`` never reads a clock and never fails on a well-formed event: the
journal is the truth, so replaying it must always rebuild the same state.
Events that refer to something unknown (a call that is not open) are
ignored; the command layer is where such things are rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from andon.domain import events as ev
from andon.domain.calls import Call
from andon.domain.downtime import Stop
from andon.domain.hourly import HourCause, row_start_for
from andon.domain.pace import Pace
from andon.domain.rules import StationRules
from andon.domain.shift_tally import (
    ShiftTally,
    call_closed,
    closed_stop_changed,
    stop_closed,
    stop_started,
    tally_of,
)

MAX_REMEMBERED_SERIALS = 50_000
CHANGEOVER = "changeover"
"""The source of a changeover stop (SMED: its reason and duration are recorded like any stop)."""

EMPTY: Mapping[str, Call] = MappingProxyType({})


@dataclass(frozen=True)
class StationState:
    """Everything a station knows; per-shift figures restart with each shift."""

    rules: StationRules
    last_at: datetime | None = None
    shift_start: datetime | None = None
    good: int = 0
    scrap: int = 0
    off_shift_good: int = 0
    counts_by_row: Mapping[datetime, int] = field(default_factory=dict)
    hour_causes: Mapping[datetime, HourCause] = field(default_factory=dict)
    calls: Mapping[str, Call] = field(default_factory=dict)
    """Open calls, and this shift's closed calls, by id."""
    open_call_ids: tuple[str, ...] = ()
    """The ids of the open calls in ``calls``, in the order they were raised (kept by
    ``apply``: asked many times a second)."""
    stops: tuple[Stop, ...] = ()
    """This shift's stop periods, and any still open."""
    pace: Pace = Pace.NORMAL
    last_count_at: datetime | None = None
    fault: bool = False
    line_stop_causes: frozenset[str] = frozenset()
    bins_empty: frozenset[str] = frozenset()
    downstream_quantity: int = 0
    downstream_full: bool = False
    serials: tuple[str, ...] = ()
    order_index: int = 0
    """The order the line is making (0 from each shift start; set by ``OrderStarted``)."""
    order_good: int = 0
    """Good units of that order in this shift."""
    changeover_good: int = 0
    """Good units counted during the open changeover: they go to the order it leads to."""
    call_counter: int = 0
    stop_counter: int = 0
    rejected_scans: int = 0
    rejected_counts: int = 0
    clock_jumps: int = 0
    last_seq: int = 0
    history_seq: int = field(default=0, compare=False)
    """Every event of this shift's calls and stops comes after this seq: a consumer that
    replays from ``history_seq + 1`` sees them all. A lower bound (set from ``last_seq``
    when the shift rolls, which may lag the events being folded), so not compared."""
    tally: ShiftTally | None = field(default=None, compare=False, repr=False)
    """The shift's closed calls and stops summed as they close (kept by ``apply``; None
    on a state made by hand or read from a checkpoint: :attr:`summed` works it out)."""

    def evolve(self, **changes: Any) -> StationState:
        """A copy with ``changes``: ``dataclasses.replace`` without re-running ``__init__``.

        ``apply`` copies the state a few times per event (and start-up replays
        thousands of events); ``replace`` passes all of its fields through
        ``__init__`` each time. The state has no ``__post_init__`` and no field
        outside ``__init__``, so copying the fields and overriding some gives the
        same object, several times faster. Unknown names are refused like
        ``replace`` refuses them.
        """
        unknown = changes.keys() - _FIELD_NAMES
        if unknown:
            raise TypeError(f"StationState has no field(s) {sorted(unknown)}")
        copy = object.__new__(StationState)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    # --- questions ------------------------------------------------------------

    @property
    def open_calls(self) -> list[Call]:
        """Open calls, oldest first."""
        return sorted((self.calls[i] for i in self.open_call_ids), key=lambda c: c.raised_at)

    def open_call(self, call_type: str, part: str = "") -> Call | None:
        """The open call of a slot (type, part), if any."""
        for call_id in self.open_call_ids:
            call = self.calls[call_id]
            if call.slot == (call_type, part):
                return call
        return None

    @property
    def summed(self) -> ShiftTally:
        """The shift's closed calls and stops summed (:mod:`andon.domain.shift_tally`)."""
        if self.tally is not None:
            return self.tally
        rules = self.rules
        return tally_of(rules.calendar, self.calls.values(), self.stops, rules.minor_stop_s)

    @property
    def open_stops(self) -> list[Stop]:
        """Stops that still last."""
        if self.tally is not None:
            return [self.stops[p] for p in self.tally.open_stops]
        return [s for s in self.stops if s.is_open]

    def open_stop(self, source: str) -> Stop | None:
        """The open stop of a source, if any."""
        for stop in self.open_stops:
            if stop.source == source:
                return stop
        return None

    @property
    def line_stopped(self) -> bool:
        """True while any cause holds the line-stop output."""
        return bool(self.line_stop_causes)


_FIELD_NAMES = frozenset(f.name for f in fields(StationState))


def line_stop_key(cause: str, call_id: str) -> str:
    """The key of one reason to hold the line stopped."""
    return f"{cause}:{call_id}" if call_id else cause


def roll_shift(state: StationState, t: datetime) -> StationState:
    """Start the figures of a new shift when ``t`` lies in a shift other than the current one."""
    window = state.rules.calendar.shift_at(t)
    if window is None or window.start == state.shift_start:
        return state
    keep_calls = {cid: c for cid, c in state.calls.items() if c.is_open}
    keep_stops = tuple(s for s in state.stops if s.is_open)
    # What is carried over began in an earlier shift: its events lie before this
    # shift's, so the history still starts where that shift's began.
    carried = bool(keep_calls or keep_stops)
    return state.evolve(
        shift_start=window.start,
        history_seq=state.history_seq if carried else state.last_seq,
        good=0,
        scrap=0,
        off_shift_good=0,
        counts_by_row={},
        hour_causes={},
        calls=keep_calls,
        stops=keep_stops,
        tally=tally_of(state.rules.calendar, (), keep_stops, state.rules.minor_stop_s),
        pace=Pace.NORMAL,
        order_index=0,
        order_good=0,
        changeover_good=0,
    )


def apply(state: StationState, event: ev.Event) -> StationState:
    """The state after one event."""
    state = roll_shift(state, event.at)
    if state.tally is None:
        state = state.evolve(tally=state.summed)
    state = state.evolve(
        last_at=event.at if state.last_at is None else max(state.last_at, event.at)
    )
    handler = _HANDLERS.get(type(event))
    return handler(state, event) if handler else state


def _counted(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.Counted)
    serials = state.serials
    if e.serial:
        serials = (*serials, e.serial)[-MAX_REMEMBERED_SERIALS:]
    window = state.rules.calendar.shift_at(e.at)
    if window is None:
        return state.evolve(
            off_shift_good=state.off_shift_good + e.good,
            serials=serials,
            last_count_at=e.at,
        )
    row = row_start_for(window, e.at)
    counts = dict(state.counts_by_row)
    counts[row] = counts.get(row, 0) + e.good
    if state.open_stop(CHANGEOVER) is not None:
        state = state.evolve(changeover_good=state.changeover_good + e.good)
    else:
        state = state.evolve(order_good=state.order_good + e.good)
    return state.evolve(
        good=state.good + e.good,
        scrap=state.scrap + e.scrap,
        counts_by_row=counts,
        serials=serials,
        last_count_at=e.at,
    )


def _count_rejected(state: StationState, e: ev.Event) -> StationState:
    return state.evolve(rejected_counts=state.rejected_counts + 1)


def _pace_changed(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.PaceChanged)
    return state.evolve(pace=Pace(e.pace))


def _order_started(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.OrderStarted)
    carried = state.changeover_good if state.open_stop(CHANGEOVER) is not None else 0
    return state.evolve(order_index=e.index, order_good=carried, changeover_good=0)


def _with_call(state: StationState, call: Call) -> StationState:
    before = state.calls.get(call.call_id)
    calls = dict(state.calls)
    calls[call.call_id] = call
    open_ids = state.open_call_ids
    tally = state.summed
    if not call.is_open:
        open_ids = tuple(i for i in open_ids if i != call.call_id)
        if before is None or before.is_open:
            tally = call_closed(tally, call)
    elif call.call_id not in open_ids:
        open_ids = (*open_ids, call.call_id)
    return state.evolve(calls=calls, open_call_ids=open_ids, tally=tally)


def _call_raised(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.CallRaised)
    call = Call(
        call_id=e.call_id,
        call_type=e.call_type,
        raised_at=e.at,
        source=e.source,
        raised_by=e.by,
        part=e.part,
        express=e.express,
    )
    return _with_call(state, call).evolve(call_counter=state.call_counter + 1)


def _open(state: StationState, call_id: str) -> Call | None:
    call = state.calls.get(call_id)
    return call if call is not None and call.is_open else None


def _call_acknowledged(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.CallAcknowledged)
    call = _open(state, e.call_id)
    return _with_call(state, call.acknowledge(e.at, e.by)) if call else state


def _call_resolved(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.CallResolved)
    call = _open(state, e.call_id)
    return _with_call(state, call.resolve(e.at, e.by, e.reason, e.note)) if call else state


def _call_noted(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.CallNoted)
    call = _open(state, e.call_id)
    return _with_call(state, call.add_note(e.at, e.by, e.text)) if call else state


def _call_cancelled(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.CallCancelled)
    call = _open(state, e.call_id)
    return _with_call(state, call.cancel(e.at, e.by)) if call else state


def _call_escalated(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.CallEscalated)
    call = _open(state, e.call_id)
    return _with_call(state, call.escalate(e.level)) if call else state


def _line_stopped(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.LineStopped)
    state = state.evolve(
        line_stop_causes=state.line_stop_causes | {line_stop_key(e.cause, e.call_id)}
    )
    if e.call_id and (call := state.calls.get(e.call_id)):
        state = _with_call(state, replace(call, stopped_line=True))
    return state


def _line_released(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.LineReleased)
    key = line_stop_key(e.cause, e.call_id)
    return state.evolve(line_stop_causes=state.line_stop_causes - {key})


def _fault_changed(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.FaultChanged)
    return state.evolve(fault=e.active)


def _bin_changed(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.BinChanged)
    empty = state.bins_empty | {e.part} if e.empty else state.bins_empty - {e.part}
    return state.evolve(bins_empty=empty)


def _downstream_changed(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.DownstreamChanged)
    return state.evolve(downstream_quantity=e.quantity, downstream_full=e.full)


def _stop_started(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.StopStarted)
    stop = Stop(
        stop_id=e.stop_id,
        source=e.source,
        started_at=min(e.since, e.at),
        started_by=e.by,
        note=e.note,
    )
    if e.source == CHANGEOVER:
        state = state.evolve(changeover_good=0)
    return state.evolve(
        stops=(*state.stops, stop),
        stop_counter=state.stop_counter + 1,
        tally=stop_started(state.summed, len(state.stops)),
    )


def _replace_stop(
    state: StationState, stop_id: str, change: Callable[[Stop], Stop]
) -> StationState:
    """The stop changed, and the tally with it when it was closed or is closing."""
    position = next((i for i, s in enumerate(state.stops) if s.stop_id == stop_id), None)
    if position is None:
        return state
    before = state.stops[position]
    after = change(before)
    stops = (*state.stops[:position], after, *state.stops[position + 1 :])
    rules, tally = state.rules, state.summed
    if before.is_open and not after.is_open:
        tally = stop_closed(tally, rules.calendar, position, after, rules.minor_stop_s)
    elif not before.is_open and after != before:
        changed = closed_stop_changed(
            tally, rules.calendar, position, before, after, rules.minor_stop_s
        )
        tally = changed or tally_of(rules.calendar, state.calls.values(), stops, rules.minor_stop_s)
    return state.evolve(stops=stops, tally=tally)


def _stop_ended(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.StopEnded)
    return _replace_stop(state, e.stop_id, lambda s: s.end(e.at) if s.is_open else s)


def _stop_reason(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.StopReasonRecorded)
    return _replace_stop(state, e.stop_id, lambda s: s.with_reason(e.reason, e.by, e.note))


def _hour_cause(state: StationState, e: ev.Event) -> StationState:
    assert isinstance(e, ev.HourCauseRecorded)
    causes = dict(state.hour_causes)
    causes[e.hour_start] = HourCause(reason=e.reason, note=e.note, by=e.by, at=e.at)
    return state.evolve(hour_causes=causes)


def _scan_rejected(state: StationState, e: ev.Event) -> StationState:
    return state.evolve(rejected_scans=state.rejected_scans + 1)


def _clock_jumped(state: StationState, e: ev.Event) -> StationState:
    """Re-base what is still running by the jump, so its durations stay true."""
    assert isinstance(e, ev.ClockJumped)
    shift = timedelta(seconds=e.jump_s)
    calls = dict(state.calls)
    for call_id, call in state.calls.items():
        if call.is_open:
            calls[call_id] = replace(
                call,
                raised_at=call.raised_at + shift,
                acknowledged_at=None
                if call.acknowledged_at is None
                else call.acknowledged_at + shift,
            )
    stops = tuple(
        replace(s, started_at=s.started_at + shift) if s.is_open else s for s in state.stops
    )
    last_count_at = state.last_count_at + shift if state.last_count_at is not None else None
    return state.evolve(
        calls=calls,
        stops=stops,
        last_count_at=last_count_at,
        clock_jumps=state.clock_jumps + 1,
    )


_HANDLERS: dict[type[ev.Event], Callable[[StationState, ev.Event], StationState]] = {
    ev.Counted: _counted,
    ev.CountRejected: _count_rejected,
    ev.PaceChanged: _pace_changed,
    ev.OrderStarted: _order_started,
    ev.CallRaised: _call_raised,
    ev.CallAcknowledged: _call_acknowledged,
    ev.CallResolved: _call_resolved,
    ev.CallNoted: _call_noted,
    ev.CallCancelled: _call_cancelled,
    ev.CallEscalated: _call_escalated,
    ev.LineStopped: _line_stopped,
    ev.LineReleased: _line_released,
    ev.FaultChanged: _fault_changed,
    ev.BinChanged: _bin_changed,
    ev.DownstreamChanged: _downstream_changed,
    ev.StopStarted: _stop_started,
    ev.StopEnded: _stop_ended,
    ev.StopReasonRecorded: _stop_reason,
    ev.HourCauseRecorded: _hour_cause,
    ev.ScanRejected: _scan_rejected,
    ev.ClockJumped: _clock_jumped,
}
