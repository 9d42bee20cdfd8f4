"""A line's view and its stations' views, from what the board holds of each station."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from andon.board.catalogue import BoardCatalogue
from andon.board.pending import pending_on
from andon.board.station_data import StationSnapshot, StopData
from andon.board.tracked import TrackedStation
from andon.board.views import (
    CallView,
    HourView,
    LineView,
    Link,
    ParetoBar,
    PendingView,
    StationView,
    StopView,
    worst_link,
)
from andon.domain import events as ev


def station_view(
    station: TrackedStation,
    snapshot: StationSnapshot | None,
    now: datetime,
    stale_after_s: float,
) -> StationView:
    """One station as shown: its link and its last snapshot with later events applied."""
    age = None if station.last_heard is None else (now - station.last_heard).total_seconds()
    if station.status is not None and not station.status.online:
        link = Link.OFFLINE
    elif station.last_heard is None:
        link = Link.UNKNOWN
    elif age is not None and age > stale_after_s:
        link = Link.STALE
    else:
        link = Link.OK
    snap = station.shown_snapshot(snapshot)
    return StationView(
        path=station.path,
        line_id=station.line_id,
        station_id=station.station_id,
        link=link,
        age_s=None if age is None else max(0.0, age),
        offline_since=station.offline_since if link is Link.OFFLINE else None,
        detail=station.status.detail if station.status else "",
        snapshot=snap,
        version=station.status.version if station.status else "",
    )


def line_view(
    catalogue: BoardCatalogue,
    line_id: str,
    name: str,
    takt_s: float | None,
    now: datetime,
    pending: list[PendingView],
    stations: tuple[StationView, ...],
    trend: tuple[float, ...],
) -> LineView:
    """``stations``: the line's station views, by station id."""
    info = catalogue.line(line_id)
    counting = _counting_station(stations, info.counting_station if info else None)
    open_calls: list[CallView] = []
    closed_calls: list[CallView] = []
    stops: list[StopView] = []
    for station in stations:
        snap = station.snapshot
        if snap is None:
            continue
        stops.extend(
            StopView(
                stop,
                station.station_id,
                station.path,
                pending_on(pending, station.path, "stop_reason", stop_id=stop.stop_id),
            )
            for stop in snap.stops
        )
        for call in snap.open_calls:
            elapsed = max(0.0, (now - call.raised_at).total_seconds())
            match = pending_on(pending, station.path, call_id=call.call_id)
            open_calls.append(
                CallView(
                    call,
                    line_id,
                    station.station_id,
                    station.path,
                    elapsed,
                    station.link,
                    match,
                )
            )
        for call in snap.closed_calls:
            end = call.closed_at or now
            elapsed = max(0.0, (end - call.raised_at).total_seconds())
            closed_calls.append(
                CallView(call, line_id, station.station_id, station.path, elapsed, station.link)
            )
    hours: tuple[HourView, ...] = ()
    if counting is not None and counting.snapshot is not None:
        hours = tuple(
            HourView(
                h,
                pending_on(
                    pending,
                    counting.path,
                    "hour_cause",
                    hour_start=ev.format_instant(h.start),
                ),
            )
            for h in counting.snapshot.hours
        )
    snap = counting.snapshot if counting else None
    return LineView(
        id=line_id,
        name=name,
        stations=stations,
        counting=counting,
        trend=trend,
        open_calls=tuple(sorted(open_calls, key=lambda c: (c.call.raised_at, c.call_id))),
        closed_calls=tuple(sorted(closed_calls, key=lambda c: (c.call.raised_at, c.call_id))),
        hours=hours,
        stops=tuple(sorted(stops, key=lambda s: (s.stop.started_at, s.stop_id))),
        pareto=pareto([s.stop for s in stops], catalogue.reason_label),
        link=worst_link([s.link for s in stations]),
        takt_s=snap.takt_s if snap and snap.takt_s else takt_s,
    )


def _counting_station(
    stations: tuple[StationView, ...], configured: str | None
) -> StationView | None:
    if configured is not None:
        chosen = next((s for s in stations if s.station_id == configured), None)
        if chosen is not None:
            return chosen
    return next((s for s in stations if s.counts), None)


def pareto(stops: list[StopData], label: Any) -> tuple[ParetoBar, ...]:
    """Downtime of the shift by reason, longest first (stops without reason by source)."""
    totals: dict[str, list[float]] = {}
    flags: dict[str, bool] = {}
    for stop in stops:
        if stop.reason:
            key = label(stop.reason)
        elif stop.needs_reason:
            key = f"{stop.source.replace('_', ' ')}: no reason"
        else:
            key = "minor stops"
        total = totals.setdefault(key, [0.0, 0])
        total[0] += stop.duration_s
        total[1] += 1
        flags[key] = flags.get(key, False) or (not stop.reason and stop.needs_reason)
    bars = [ParetoBar(k, v[0], int(v[1]), flags[k]) for k, v in totals.items() if v[0] > 0]
    return tuple(sorted(bars, key=lambda b: (-b.seconds, b.label)))
