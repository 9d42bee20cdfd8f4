"""The call, hour-cause and stop-reason events a station published after its snapshot.

Between two snapshots the board shows a station's decisions as soon as they
arrive: :func:`overlay` applies them on top of the last snapshot, and
:func:`overlay_next` one more on top of what is shown, as each arrives.
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from datetime import datetime

from andon.board.shift_history import apply_call_event
from andon.board.station_data import CallData, HourCause, StationSnapshot
from andon.bus.messages import EventMessage
from andon.domain import events as ev

SHOWN_KINDS = (
    ev.CallRaised,
    ev.CallAcknowledged,
    ev.CallResolved,
    ev.CallCancelled,
    ev.CallNoted,
    ev.CallEscalated,
    ev.HourCauseRecorded,
    ev.StopReasonRecorded,
)
"""The events :func:`overlay` applies; any other moves only the snapshot's seq."""


CLOSING = (ev.CallResolved, ev.CallCancelled)


def overlay_next(
    shown: StationSnapshot,
    message: EventMessage,
    *,
    history_moved: bool,
    recorded: CallData | None = None,
) -> StationSnapshot | None:
    """``shown``, a result of :func:`overlay`, with one more event on top, as
    :func:`overlay` would give it from scratch; ``None`` when that needs the shift's
    history again: the event changed a stop there (``history_moved``), or it closed a
    call there (``recorded``: the history's record of the call now) that ``shown``
    does not close the same way (the history's record is shown then).
    """
    event = message.event
    if not isinstance(event, SHOWN_KINDS):
        return None if history_moved else shown.evolve(seq=max(shown.seq, message.seq))
    if isinstance(event, ev.HourCauseRecorded | ev.StopReasonRecorded):
        return None if history_moved else overlay(shown, [message])
    result = _next_call(shown, message)
    if history_moved and isinstance(event, CLOSING):
        call_id = getattr(event, "call_id", "")
        closed = next((c for c in result.closed_calls if c.call_id == call_id), None)
        if closed is None or closed != recorded:
            return None
    return result


def _next_call(shown: StationSnapshot, message: EventMessage) -> StationSnapshot:
    """One call event on top: only its call changes (and moves to the closed calls)."""
    event = message.event
    seq = max(shown.seq, message.seq)
    call_id: str = getattr(event, "call_id", "")
    opened = shown.open_calls
    index = next((i for i, c in enumerate(opened) if c.call_id == call_id), None)
    calls: dict[str, CallData] = {}
    if isinstance(event, ev.CallRaised):
        if index is not None or any(c.call_id == call_id for c in shown.closed_calls):
            return shown.evolve(seq=seq)
        apply_call_event(calls, event)
        return shown.evolve(seq=seq, open_calls=_inserted(opened, calls[call_id]))
    if index is None:
        return shown.evolve(seq=seq)
    calls[call_id] = opened[index]
    if not apply_call_event(calls, event):
        return shown.evolve(seq=seq)
    call = calls[call_id]
    if call.is_open:
        return shown.evolve(seq=seq, open_calls=(*opened[:index], call, *opened[index + 1 :]))
    return shown.evolve(
        seq=seq,
        open_calls=(*opened[:index], *opened[index + 1 :]),
        closed_calls=_inserted(shown.closed_calls, call),
    )


def _order(call: CallData) -> tuple[datetime, str]:
    return (call.raised_at, call.call_id)


def _inserted(calls: tuple[CallData, ...], call: CallData) -> tuple[CallData, ...]:
    index = bisect.bisect_right(calls, _order(call), key=_order)
    return (*calls[:index], call, *calls[index:])


def overlay(snap: StationSnapshot, events: list[EventMessage]) -> StationSnapshot:
    """The snapshot with the call, hour-cause and stop-reason events published after it."""
    calls = {c.call_id: c for c in (*snap.closed_calls, *snap.open_calls)}
    hours = list(snap.hours)
    stops = list(snap.stops)
    seq = snap.seq
    for message in events:
        seq = max(seq, message.seq)
        event = message.event
        if apply_call_event(calls, event):
            continue
        if isinstance(event, ev.HourCauseRecorded):
            hours = [
                replace(h, cause=HourCause(event.reason, event.note, event.by), unexplained=False)
                if h.start == event.hour_start
                else h
                for h in hours
            ]
        elif isinstance(event, ev.StopReasonRecorded):
            stops = [
                replace(
                    s,
                    reason=event.reason,
                    reason_by=event.by,
                    note=event.note,
                    needs_reason=False,
                )
                if s.stop_id == event.stop_id
                else s
                for s in stops
            ]
    ordered = sorted(calls.values(), key=_order)
    return snap.evolve(
        seq=seq,
        open_calls=tuple(c for c in ordered if c.is_open),
        closed_calls=tuple(c for c in ordered if not c.is_open),
        hours=tuple(hours),
        stops=tuple(stops),
    )
