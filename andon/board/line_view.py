"""A line's view and its stations' views, from what the board holds of each station."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from andon.board.catalogue import BoardCatalogue, LineInfo
from andon.board.formatting import stop_word
from andon.board.pending import pending_on
from andon.board.station_data import KpiData, StopData
from andon.board.tracked import StationFacts
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
from andon.domain.attribution import Loss, StationStop
from andon.domain.downtime import Stop
from andon.domain.line_figures import LineFigures, line_figures
from andon.i18n import Translator, translator


def station_view(station: StationFacts, now: datetime, stale_after_s: float) -> StationView:
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
    snap = station.snapshot
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
    figures = line_figures_of(catalogue, info, counting, stations, now)
    explained = figures.explained if figures else {}
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
                _explaining(explained, station.station_id, stop.stop_id),
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
        pareto=(
            pareto(figures.pareto, catalogue.reason_label, translator(catalogue.language))
            if figures
            else ()
        ),
        link=worst_link([s.link for s in stations]),
        takt_s=snap.takt_s if snap and snap.takt_s else takt_s,
        kpi=kpi_data(figures) if snap is not None else None,
    )


def _explaining(explained: Mapping[tuple[str, str], StationStop], station: str, stop: str) -> str:
    cause = explained.get((station, stop))
    return cause.station if cause else ""


def _counting_station(
    stations: tuple[StationView, ...], configured: str | None
) -> StationView | None:
    if configured is not None:
        chosen = next((s for s in stations if s.station_id == configured), None)
        if chosen is not None:
            return chosen
    return next((s for s in stations if s.counts), None)


def line_figures_of(
    catalogue: BoardCatalogue,
    info: LineInfo | None,
    counting: StationView | None,
    stations: tuple[StationView, ...],
    now: datetime,
) -> LineFigures | None:
    """The line's figures over its shift so far, from every station's stops.

    Plan and counts are the counting station's; the shift is the counting station's,
    else that of any station of the line; ``None`` while no station sent a shift.
    """
    snap = counting.snapshot if counting else None
    shift = snap.shift if snap else None
    if shift is None:  # no counting station yet: the downtime of the shift the others are in
        shift = next((s.snapshot.shift for s in stations if s.snapshot and s.snapshot.shift), None)
    if shift is None:
        return None
    ideal = info.ideal_cycle_s if info else None
    ideal = ideal or (snap.takt_s if snap else None) or (info.takt_s if info else None)
    stops = [
        StationStop(station.station_id, domain_stop(stop))
        for station in stations
        if station.snapshot is not None
        for stop in station.snapshot.stops
    ]
    return line_figures(
        catalogue.working_time,
        shift.start,
        min(now, shift.end),
        stops,
        planned=snap.planned if snap else 0.0,
        good=snap.good if snap else 0,
        scrap=snap.scrap if snap else 0,
        ideal_cycle_s=ideal or 0.0,
        minor_stop_s=catalogue.minor_stop_s,
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


def kpi_data(figures: LineFigures | None) -> KpiData | None:
    """The line's KPIs as the screens show them (``None`` before they can be judged)."""
    if figures is None or figures.kpi is None:
        return None
    kpi = figures.kpi
    return KpiData(
        availability=kpi.availability,
        performance=kpi.performance,
        quality=kpi.quality,
        oee=kpi.oee,
        planned_production_s=figures.planned_production_s,
        downtime_s=figures.downtime_s,
        minor_stop_s=figures.minor_stop_s,
        run_s=figures.run_s,
    )


def pareto(
    losses: tuple[Loss, ...], label: Callable[[str], str], tr: Translator | None = None
) -> tuple[ParetoBar, ...]:
    """The Pareto bars of the line's losses, longest first (each second booked once),
    labelled in ``tr``'s language (default English)."""
    tr = tr or translator()
    bars = []
    for loss in losses:
        if loss.minor:
            text = tr.gettext("minor stops")
        elif loss.reason:
            text = label(loss.reason)
        else:
            text = tr.gettext("{stop}: no reason").format(stop=stop_word(loss.source, tr))
        bars.append(ParetoBar(text, loss.seconds, loss.stops, loss.missing))
    return tuple(bars)
