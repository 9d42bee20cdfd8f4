"""The call, hour-cause and stop-reason events a station published after its snapshot.

Between two snapshots the board shows a station's decisions as soon as they
arrive: :func:`overlay` applies them on top of the last snapshot.
"""

from __future__ import annotations

from dataclasses import replace

from andon.board.station_data import CallData, HourCause, StationSnapshot
from andon.bus.messages import EventMessage
from andon.domain import events as ev


def overlay(snap: StationSnapshot, events: list[EventMessage]) -> StationSnapshot:
    """The snapshot with the call, hour-cause and stop-reason events published after it."""
    calls = {c.call_id: c for c in (*snap.closed_calls, *snap.open_calls)}
    hours = list(snap.hours)
    stops = list(snap.stops)
    seq = snap.seq
    for message in events:
        seq = max(seq, message.seq)
        event = message.event
        if isinstance(event, ev.CallRaised):
            if event.call_id not in calls:
                calls[event.call_id] = CallData(
                    call_id=event.call_id,
                    call_type=event.call_type,
                    status="raised",
                    raised_at=event.at,
                    source=event.source,
                    raised_by=event.by,
                    part=event.part,
                    express=event.express,
                )
        elif isinstance(event, ev.CallAcknowledged):
            call = calls.get(event.call_id)
            if call is not None and call.status == "raised":
                calls[event.call_id] = replace(
                    call,
                    status="acknowledged",
                    acknowledged_at=event.at,
                    acknowledged_by=event.by,
                )
        elif isinstance(event, ev.CallResolved | ev.CallCancelled):
            call = calls.get(event.call_id)
            if call is not None and call.is_open:
                resolved = isinstance(event, ev.CallResolved)
                calls[event.call_id] = replace(
                    call,
                    status="resolved" if resolved else "cancelled",
                    closed_at=event.at,
                    closed_by=event.by,
                    reason=event.reason if isinstance(event, ev.CallResolved) else "",
                    note=event.note if isinstance(event, ev.CallResolved) else "",
                    acknowledged_at=call.acknowledged_at or (event.at if resolved else None),
                    acknowledged_by=call.acknowledged_by or (event.by if resolved else ""),
                    reason_required=False,
                )
        elif isinstance(event, ev.CallEscalated):
            call = calls.get(event.call_id)
            if call is not None and call.is_open:
                calls[event.call_id] = replace(call, level=max(call.level, event.level))
        elif isinstance(event, ev.HourCauseRecorded):
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
    return replace(
        snap,
        seq=seq,
        open_calls=tuple(c for c in ordered if c.is_open),
        closed_calls=tuple(c for c in ordered if not c.is_open),
        hours=tuple(hours),
        stops=tuple(stops),
    )
