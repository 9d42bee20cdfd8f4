"""This shift's stops of one station, as its events tell them.

The retained state lists at most a few stops (those a board must act on first),
so the board keeps every stop of the shift from the events, for the line's
figures and Pareto. A stop the state lists is shown as the state has it (its
duration and whether it needs a reason are the station's); the others as their
events tell them, their duration on the wall clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from andon.board.station_data import StopData
from andon.domain import events as ev


def apply_stop_event(stops: dict[str, StopData], event: ev.Event) -> bool:
    """Change ``stops`` (by id) by one stop event; True when it changed them."""
    if isinstance(event, ev.StopStarted):
        if event.stop_id in stops:
            return False
        stops[event.stop_id] = StopData(
            stop_id=event.stop_id,
            source=event.source,
            started_at=min(event.since, event.at),
            ended_at=None,
            duration_s=0.0,
            started_by=event.by,
            note=event.note,
        )
        return True
    stop = stops.get(getattr(event, "stop_id", ""))
    if stop is None:
        return False
    if isinstance(event, ev.StopEnded):
        if stop.ended_at is not None:
            return False
        ended = max(event.at, stop.started_at)
        duration = (ended - stop.started_at).total_seconds()
        stops[stop.stop_id] = replace(stop, ended_at=ended, duration_s=duration)
        return True
    if isinstance(event, ev.StopReasonRecorded):
        stops[stop.stop_id] = replace(
            stop, reason=event.reason, reason_by=event.by, note=event.note, needs_reason=False
        )
        return True
    return False


def shift_stops(
    known: dict[str, StopData], listed: tuple[StopData, ...], since: datetime | None
) -> tuple[StopData, ...]:
    """The shift's stops: those known from the events, as the state lists them where it
    does, oldest first. ``since``: the shift's start (stops over before it are left out)."""
    by_id = {
        stop_id: stop
        for stop_id, stop in known.items()
        if since is None or stop.ended_at is None or stop.ended_at > since
    }
    by_id.update((stop.stop_id, stop) for stop in listed)
    return tuple(sorted(by_id.values(), key=lambda s: (s.started_at, s.stop_id)))


def forget_before(stops: dict[str, StopData], since: datetime) -> bool:
    """Drop the stops over before ``since``; True when any was dropped."""
    old = [k for k, s in stops.items() if s.ended_at is not None and s.ended_at <= since]
    for stop_id in old:
        del stops[stop_id]
    return bool(old)
