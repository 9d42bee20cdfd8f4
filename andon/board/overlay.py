"""The call, hour-cause and stop-reason events a station published after its snapshot.

Between two snapshots the board shows a station's decisions as soon as they
arrive: :func:`overlay` applies them on top of the last snapshot.
"""

from __future__ import annotations

from dataclasses import replace

from andon.board.shift_history import apply_call_event
from andon.board.station_data import HourCause, StationSnapshot
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


def overlay_more(shown: StationSnapshot, events: list[EventMessage]) -> StationSnapshot | None:
    """``shown``, a result of :func:`overlay`, with ``events`` more on top when none of
    them changes more than the seq (counts, mostly); ``None`` when one does."""
    if any(isinstance(m.event, SHOWN_KINDS) for m in events):
        return None
    return shown.evolve(seq=max(shown.seq, *(m.seq for m in events)))


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
    ordered = sorted(calls.values(), key=lambda c: (c.raised_at, c.call_id))
    return snap.evolve(
        seq=seq,
        open_calls=tuple(c for c in ordered if c.is_open),
        closed_calls=tuple(c for c in ordered if not c.is_open),
        hours=tuple(hours),
        stops=tuple(stops),
    )
