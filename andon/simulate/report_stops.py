"""A report's stops: every station's stops with the key each is booked under, the periods
the line-stop output was held (from the journal) and the relay was energised (from the pins)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from andon.domain import events as ev
from andon.domain.attribution import StationStop, booked_keys, explained_stops
from andon.domain.downtime import Stop, stop_class
from andon.domain.station_state import StationState
from andon.simulate.report_time import instant, seconds
from andon.simulate.runner import RelayChange


def stop_records(
    states: dict[str, StationState],
    start: datetime,
    until: datetime,
    zone: tzinfo,
    name: Callable[[str], str] = str,
) -> list[dict[str, Any]]:
    """Every station's stops of ``[start, until]``, oldest first, each with the Pareto key
    it is booked under on the line (``reason_key``) and, for a symptom booked under
    another stop's cause, that stop's station (``explained_by``, else ``None``)."""
    if not states:
        return []
    every = line_stops(states, until)
    rules = next(iter(states.values())).rules
    calendar, minor_s = rules.calendar, rules.minor_stop_s
    booked = booked_keys(calendar, every, start, until, minor_s)
    explained = explained_stops(calendar, every, start, until, minor_s)
    pairs = sorted(
        (
            (item.station, item.stop)
            for item in every
            if item.stop.ended_at is None or item.stop.ended_at > start
        ),
        key=lambda ks: (ks[1].started_at, ks[0], ks[1].stop_id),
    )
    out = []
    for key, stop in pairs:
        record = stop_record(name(key), stop, states[key], start, until, zone)
        cause = explained.get((key, stop.stop_id))
        record["reason_key"] = booked[(key, stop.stop_id)]
        record["explained_by"] = name(cause.station) if cause else None
        out.append(record)
    return out


def line_stops(states: dict[str, StationState], until: datetime) -> list[StationStop]:
    """Every station's stops of the shift that began before ``until``."""
    return [
        StationStop(key, stop)
        for key, state in states.items()
        for stop in state.stops
        if stop.started_at < until
    ]


def line_stop_periods(
    keys: list[str], events: dict[str, list[ev.Event]], until: datetime, zone: tzinfo
) -> list[dict[str, Any]]:
    """Every reason the line-stop output was held, from the journal: set, released."""
    periods: list[tuple[str, ev.LineStopped, datetime | None]] = []
    for key in keys:
        held: dict[tuple[str, str], int] = {}
        for e in events[key]:
            if isinstance(e, ev.LineStopped):
                held[(e.cause, e.call_id)] = len(periods)
                periods.append((key, e, None))
            elif isinstance(e, ev.LineReleased) and (e.cause, e.call_id) in held:
                index = held.pop((e.cause, e.call_id))
                periods[index] = (periods[index][0], periods[index][1], e.at)
    periods.sort(key=lambda p: (p[1].at, p[0]))
    return [
        {
            "station": key,
            "cause": stopped.cause,
            "call_id": stopped.call_id,
            "stopped_at": instant(stopped.at, zone),
            "released_at": instant(released, zone),
            "duration_s": seconds(stopped.at, released or until),
        }
        for key, stopped, released in periods
    ]


def relay_periods(
    changes: list[RelayChange], keys: list[str], start: datetime, until: datetime, zone: tzinfo
) -> list[dict[str, Any]]:
    """Periods the line-stop relay was energised, as read from the simulated pins."""
    periods: list[tuple[str, datetime, datetime | None]] = []
    for key in keys:
        set_at: datetime | None = None
        for change in (c for c in changes if c.station == key):
            if change.energised:
                set_at = change.at
            elif set_at is not None:
                periods.append((key, set_at, change.at))
                set_at = None
        if set_at is not None:
            periods.append((key, set_at, None))
    periods.sort(key=lambda p: (p[1], p[0]))
    return [
        {
            "station": key,
            "set_at": instant(set_at, zone),
            "released_at": instant(released, zone),
            "duration_s": seconds(set_at, released or until),
        }
        for key, set_at, released in periods
        if set_at <= until and (released is None or released >= start)
    ]


def stop_record(
    key: str, stop: Stop, state: StationState, start: datetime, until: datetime, zone: tzinfo
) -> dict[str, Any]:
    """One stop as the report lists it: its working seconds within ``[start, until]``."""
    calendar = state.rules.calendar
    lo, hi = stop.interval(until)
    minor = stop_class(calendar, stop, until, state.rules.minor_stop_s).value
    return {
        "station": key,
        "stop_id": stop.stop_id,
        "source": stop.source,
        "started_at": instant(stop.started_at, zone),
        "ended_at": instant(stop.ended_at, zone),
        "duration_s": round(calendar.working_seconds(max(lo, start), min(hi, until)), 3),
        "class": minor,
        "reason": stop.reason,
        "by": stop.by,
    }
