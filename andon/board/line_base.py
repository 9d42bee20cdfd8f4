"""What a line's view shows that the board's clock does not move.

A line's view has two parts. Its *base* — the stations' facts, which of them
counts, the calls, stops and hours with the commands pending on them, in the
order shown, and the stops the line's figures are worked out from — changes
only with a message of one of its stations or a change of the pending
commands, and is made only then (:func:`line_base`). Its *clock part* — each
station's link and age, each call's elapsed time, the line's KPIs and Pareto
over the shift so far — is worked out from the base at every new second
(:func:`andon.board.line_view.line_at`), without walking the stations'
snapshots again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from andon.board.catalogue import BoardCatalogue, LineInfo
from andon.board.pending import pending_on
from andon.board.station_data import CallData, StopData
from andon.board.tracked import StationFacts
from andon.board.views import HourView, PendingView
from andon.domain import events as ev
from andon.domain.attribution import StationStop
from andon.domain.downtime import Stop


@dataclass(frozen=True, slots=True)
class CallEntry:
    """A call of the line, its station (an index into :attr:`LineBase.stations`) and any
    command pending on it."""

    call: CallData
    station: int
    pending: PendingView | None = None


@dataclass(frozen=True, slots=True)
class StopEntry:
    """A stop of the line, its station (an index) and any reason pending on it."""

    stop: StopData
    station: int
    pending: PendingView | None


@dataclass(frozen=True, slots=True)
class FigureInputs:
    """What the line's figures are worked out from, but for the instant they are for."""

    start: datetime
    end: datetime
    """The shift's end: the figures run up to the view's instant, or this once past it."""
    stops: tuple[StationStop, ...]
    planned: float
    good: int
    scrap: int
    ideal_cycle_s: float


@dataclass(frozen=True, slots=True)
class LineBase:
    """A line's view but for what the clock moves (immutable)."""

    id: str
    name: str
    stations: tuple[StationFacts, ...]
    """By station id."""
    counting: int | None
    """The index of the station whose counter is the line's output."""
    trend: tuple[float, ...]
    open_calls: tuple[CallEntry, ...]
    """Oldest first."""
    closed_calls: tuple[CallEntry, ...]
    stops: tuple[StopEntry, ...]
    """Every station's stops of the shift, oldest first."""
    hours: tuple[HourView, ...]
    takt_s: float | None
    figures: FigureInputs | None
    """``None`` while no station sent a shift."""


def line_base(
    catalogue: BoardCatalogue,
    line_id: str,
    name: str,
    takt_s: float | None,
    pending: list[PendingView],
    stations: tuple[StationFacts, ...],
    trend: tuple[float, ...],
) -> LineBase:
    """``stations``: the line's stations' facts, by station id."""
    info = catalogue.line(line_id)
    counting = _counting_station(stations, info.counting_station if info else None)
    open_calls: list[CallEntry] = []
    closed_calls: list[CallEntry] = []
    stops: list[StopEntry] = []
    for index, station in enumerate(stations):
        snap = station.snapshot
        if snap is None:
            continue
        path = station.path
        for stop in snap.stops:
            stops.append(
                StopEntry(
                    stop, index, pending_on(pending, path, "stop_reason", stop_id=stop.stop_id)
                )
            )
        for call in snap.open_calls:
            open_calls.append(
                CallEntry(call, index, pending_on(pending, path, call_id=call.call_id))
            )
        for call in snap.closed_calls:
            closed_calls.append(CallEntry(call, index))
    counted = stations[counting] if counting is not None else None
    snap = counted.snapshot if counted else None
    hours: tuple[HourView, ...] = ()
    if counted is not None and snap is not None:
        hours = tuple(
            HourView(
                h,
                pending_on(
                    pending, counted.path, "hour_cause", hour_start=ev.format_instant(h.start)
                ),
            )
            for h in snap.hours
        )
    return LineBase(
        id=line_id,
        name=name,
        stations=stations,
        counting=counting,
        trend=trend,
        open_calls=tuple(sorted(open_calls, key=lambda c: (c.call.raised_at, c.call.call_id))),
        closed_calls=tuple(sorted(closed_calls, key=lambda c: (c.call.raised_at, c.call.call_id))),
        stops=tuple(sorted(stops, key=lambda s: (s.stop.started_at, s.stop.stop_id))),
        hours=hours,
        takt_s=snap.takt_s if snap and snap.takt_s else takt_s,
        figures=_figure_inputs(info, counting, stations),
    )


def _counting_station(stations: tuple[StationFacts, ...], configured: str | None) -> int | None:
    if configured is not None:
        chosen = next((i for i, s in enumerate(stations) if s.station_id == configured), None)
        if chosen is not None:
            return chosen
    return next(
        (i for i, s in enumerate(stations) if s.snapshot is not None and s.snapshot.counts), None
    )


def _figure_inputs(
    info: LineInfo | None, counting: int | None, stations: tuple[StationFacts, ...]
) -> FigureInputs | None:
    """What the line's figures over its shift are worked out from, by every station's stops.

    Plan and counts are the counting station's; the shift is the counting station's,
    else that of any station of the line; ``None`` while no station sent a shift.
    """
    snap = stations[counting].snapshot if counting is not None else None
    shift = snap.shift if snap else None
    if shift is None:  # no counting station yet: the downtime of the shift the others are in
        shift = next((s.snapshot.shift for s in stations if s.snapshot and s.snapshot.shift), None)
    if shift is None:
        return None
    ideal = info.ideal_cycle_s if info else None
    ideal = ideal or (snap.takt_s if snap else None) or (info.takt_s if info else None)
    return FigureInputs(
        start=shift.start,
        end=shift.end,
        stops=tuple(
            StationStop(station.station_id, domain_stop(stop))
            for station in stations
            if station.snapshot is not None
            for stop in station.snapshot.stops
        ),
        planned=snap.planned if snap else 0.0,
        good=snap.good if snap else 0,
        scrap=snap.scrap if snap else 0,
        ideal_cycle_s=ideal or 0.0,
    )


def domain_stop(stop: StopData) -> Stop:
    """A stop as a station published it, as the domain's figures take it."""
    return Stop(
        stop_id=stop.stop_id,
        source=stop.source,
        started_at=stop.started_at,
        ended_at=stop.ended_at,
        reason=stop.reason,
        by=stop.reason_by,
        note=stop.note,
        started_by=stop.started_by,
    )
