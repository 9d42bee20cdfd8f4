"""A station's state and ``apply(state, event)``: the fold every part shares.

``apply`` never reads a clock and never fails on a well-formed event: the
journal is the truth, so replaying it must always rebuild the same state.
Events that refer to something unknown (a call that is not open) are
ignored; the command layer is where such things are rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from andon.domain import events as ev
from andon.domain.calls import Call
from andon.domain.downtime import Stop
from andon.domain.hourly import HourCause, row_start_for
from andon.domain.pace import Pace
from andon.domain.shift_tally import (
    call_closed,
    closed_stop_changed,
    stop_closed,
    stop_started,
    tally_of,
)
from andon.domain.station_state import CHANGEOVER, MAX_REMEMBERED_SERIALS, StationState


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
