"""A line's view and its stations' views at one instant: the clock part of a line's view.

What the clock does not move is made once per change of the line
(:mod:`andon.board.line_base`); at every new second only the stations' links and
ages, the calls' elapsed times and the line's figures over the shift so far are
worked out again here, and what did not move is taken from the view before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from andon.board.catalogue import BoardCatalogue
from andon.board.line_base import CallEntry, FigureInputs, LineBase
from andon.board.station_data import KpiData
from andon.board.tracked import StationFacts
from andon.board.views import (
    CallView,
    LineView,
    Link,
    ParetoBar,
    StationView,
    StopView,
    worst_link,
)
from andon.domain.attribution import Loss, StationStop
from andon.domain.line_figures import LineFigures, line_figures
from andon.i18n import Translator, translator
from andon.i18n.vocabulary import MINOR_STOPS, reason_missing


def station_view(
    station: StationFacts, now: datetime, stale_after_s: float, before: StationView | None = None
) -> StationView:
    """One station as shown: its link and its last snapshot with later events applied.

    ``before``: the view of the same facts at another instant; only its link and age
    are worked out again (a copy of its fields, not a second pass through ``__init__``).
    """
    heard = station.last_heard
    age = None if heard is None else (now - heard).total_seconds()
    status = station.status
    if status is not None and not status.online:
        link = Link.OFFLINE
    elif age is None:
        link = Link.UNKNOWN
    elif age > stale_after_s:
        link = Link.STALE
    else:
        link = Link.OK
    age_s = None if age is None else max(0.0, age)
    offline_since = station.offline_since if link is Link.OFFLINE else None
    if before is not None:
        view = object.__new__(StationView)
        view.__dict__.update(before.__dict__, link=link, age_s=age_s, offline_since=offline_since)
        return view
    return StationView(
        path=station.path,
        line_id=station.line_id,
        station_id=station.station_id,
        link=link,
        age_s=age_s,
        offline_since=offline_since,
        detail=status.detail if status else "",
        snapshot=station.snapshot,
        version=status.version if status else "",
    )


@dataclass(frozen=True, slots=True)
class Shown:
    """A line's view at one second, and what the next second can take from it."""

    base: LineBase
    second: int
    view: LineView
    losses: tuple[Loss, ...]
    explained: Mapping[tuple[str, str], StationStop]


def line_at(
    catalogue: BoardCatalogue,
    base: LineBase,
    stations: tuple[StationView, ...],
    now: datetime,
    before: Shown | None = None,
) -> tuple[LineView, tuple[Loss, ...], Mapping[tuple[str, str], StationStop]]:
    """The line's view at ``now``: ``base`` with what the clock moves worked out again.

    ``stations``: the views of ``base``'s stations at ``now``. ``before``: the line's
    view at an earlier instant; what did not move since is taken from it.
    """
    figures = _figures(catalogue, base.figures, now)
    losses = figures.pareto if figures else ()
    explained = figures.explained if figures else {}
    same_base = before is not None and before.base is base
    if same_base and before is not None and explained == before.explained:
        stops = before.view.stops
    else:
        stops = tuple(
            StopView(
                e.stop,
                stations[e.station].station_id,
                stations[e.station].path,
                e.pending,
                _explaining(explained, stations[e.station].station_id, e.stop.stop_id),
            )
            for e in base.stops
        )
    if before is not None and losses == before.losses:
        bars = before.view.pareto
    else:
        bars = pareto(losses, catalogue.reason_label, translator(catalogue.language))
    previous = before.view.stations if same_base and before is not None else None
    if not base.closed_calls:
        closed: tuple[CallView, ...] = ()
    elif (
        previous is not None
        and before is not None
        and all(s.link is p.link for s, p in zip(stations, previous, strict=True))
        and all(e.call.closed_at is not None for e in base.closed_calls)
    ):
        closed = before.view.closed_calls
    else:
        closed = tuple(
            _call(e, base.id, stations, now, e.call.closed_at) for e in base.closed_calls
        )
    counting = stations[base.counting] if base.counting is not None else None
    view = LineView(
        id=base.id,
        name=base.name,
        stations=stations,
        counting=counting,
        trend=base.trend,
        open_calls=(
            tuple(_call(e, base.id, stations, now, None) for e in base.open_calls)
            if base.open_calls
            else ()
        ),
        closed_calls=closed,
        hours=base.hours,
        stops=stops,
        pareto=bars,
        link=worst_link([s.link for s in stations]),
        takt_s=base.takt_s,
        kpi=kpi_data(figures) if counting is not None and counting.snapshot is not None else None,
    )
    return view, losses, explained


def _call(
    entry: CallEntry,
    line_id: str,
    stations: tuple[StationView, ...],
    now: datetime,
    end: datetime | None,
) -> CallView:
    station = stations[entry.station]
    call = entry.call
    elapsed = max(0.0, ((end or now) - call.raised_at).total_seconds())
    return CallView(
        call, line_id, station.station_id, station.path, elapsed, station.link, entry.pending
    )


def _explaining(explained: Mapping[tuple[str, str], StationStop], station: str, stop: str) -> str:
    cause = explained.get((station, stop))
    return cause.station if cause else ""


def _figures(
    catalogue: BoardCatalogue, inputs: FigureInputs | None, now: datetime
) -> LineFigures | None:
    """The line's figures over its shift up to ``now`` (``None`` before any shift)."""
    if inputs is None:
        return None
    return line_figures(
        catalogue.working_time,
        inputs.start,
        min(now, inputs.end),
        inputs.stops,
        planned=inputs.planned,
        good=inputs.good,
        scrap=inputs.scrap,
        ideal_cycle_s=inputs.ideal_cycle_s,
        minor_stop_s=catalogue.minor_stop_s,
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
            text = tr.gettext(MINOR_STOPS)
        elif loss.reason:
            text = label(loss.reason)
        else:
            text = reason_missing(loss.source, tr)
        bars.append(ParetoBar(text, loss.seconds, loss.stops, loss.missing))
    return tuple(bars)
