"""Immutable views of the board at one instant: what every screen renders.

:meth:`andon.board.model.BoardModel.view` builds a :class:`BoardView` from the
stations' last messages and the board's clock. Views are frozen dataclasses,
so the UI thread can hold one while the network thread goes on ingesting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from andon.board.services import ServiceView
from andon.board.station_data import (
    CallData,
    HourData,
    KpiData,
    LeadTimeData,
    StationSnapshot,
    StopData,
)
from andon.domain.events import AlertDelivery


class Link(StrEnum):
    """How fresh a station's data is, worst last."""

    OK = "ok"
    UNKNOWN = "unknown"
    """Nothing heard from the station yet."""
    STALE = "stale"
    """Nothing heard for longer than the board's ``stale_after_s``."""
    OFFLINE = "offline"
    """The station said goodbye, or the broker published its Last Will."""


LINK_ORDER = (Link.OK, Link.UNKNOWN, Link.STALE, Link.OFFLINE)


def worst_link(links: list[Link]) -> Link:
    """The most serious of several links (``UNKNOWN`` for none)."""
    if not links:
        return Link.UNKNOWN
    return max(links, key=LINK_ORDER.index)


@dataclass(frozen=True)
class PendingView:
    """A command sent by this board that the station has not confirmed yet."""

    command_id: str
    station: str
    name: str
    args: Mapping[str, Any]
    status: str
    """``sent`` (no answer yet) or ``accepted`` (waiting for the event that shows it)."""
    sent_at: datetime


@dataclass(frozen=True)
class StationView:
    """One station: how fresh its data is, and its last snapshot."""

    path: str
    line_id: str
    station_id: str
    link: Link
    age_s: float | None
    """Seconds since anything was heard from the station."""
    offline_since: datetime | None = None
    detail: str = ""
    snapshot: StationSnapshot | None = None
    version: str = ""

    @property
    def counts(self) -> bool:
        """True for the station whose counter is the line's output."""
        return self.snapshot is not None and self.snapshot.counts


@dataclass(frozen=True)
class CallView:
    """A call with its station, live elapsed time and any command pending on it."""

    call: CallData
    line_id: str
    station_id: str
    station_path: str
    elapsed_s: float
    link: Link = Link.OK
    pending: PendingView | None = None

    @property
    def call_id(self) -> str:
        return self.call.call_id

    @property
    def call_type(self) -> str:
        return self.call.call_type

    @property
    def level(self) -> int:
        return self.call.level

    @property
    def status(self) -> str:
        return self.call.status


@dataclass(frozen=True)
class HourView:
    """An hour of the performance table and any cause pending on it."""

    hour: HourData
    pending: PendingView | None = None


@dataclass(frozen=True)
class StopView:
    """A stop period with its station and any reason pending on it."""

    stop: StopData
    station_id: str
    station_path: str
    pending: PendingView | None = None
    explained_by: str = ""
    """The station id of the stop whose cause this one is booked under (a station that
    saw no count while another station stopped the line; docs/figures.md)."""

    @property
    def stop_id(self) -> str:
        return self.stop.stop_id

    @property
    def needs_reason(self) -> bool:
        return self.stop.needs_reason and not self.explained_by


@dataclass(frozen=True)
class LeadTimeView:
    """One station's served material calls for one part this shift."""

    line_id: str
    station_id: str
    station_path: str
    lead: LeadTimeData


@dataclass(frozen=True)
class ParetoBar:
    """Downtime of one reason in the shift."""

    label: str
    seconds: float
    stops: int
    unexplained: bool = False


@dataclass(frozen=True)
class LineView:
    """One line: the counting station's figures, every station's calls and link."""

    id: str
    name: str
    stations: tuple[StationView, ...]
    counting: StationView | None
    trend: tuple[float, ...] = ()
    open_calls: tuple[CallView, ...] = ()
    closed_calls: tuple[CallView, ...] = ()
    hours: tuple[HourView, ...] = ()
    stops: tuple[StopView, ...] = ()
    """Every station's stops of the shift, oldest first."""
    pareto: tuple[ParetoBar, ...] = ()
    link: Link = Link.UNKNOWN
    takt_s: float | None = None
    kpi: KpiData | None = None
    """The line's availability, performance, quality, OEE and the times behind them, over
    every station's stops (:func:`andon.domain.line_figures.line_figures`); ``None``
    before they can be judged."""

    @property
    def snapshot(self) -> StationSnapshot | None:
        """The counting station's last snapshot (the line's plan, actual and pace)."""
        return self.counting.snapshot if self.counting else None

    @property
    def line_stopped(self) -> bool:
        """True when any station of the line holds the line stopped."""
        return any(s.snapshot is not None and s.snapshot.line_stopped for s in self.stations)

    @property
    def unexplained_hours(self) -> int:
        return sum(1 for h in self.hours if h.hour.unexplained)

    @property
    def stops_needing_reason(self) -> tuple[StopView, ...]:
        """Stops past the minor-stop threshold still without a reason, oldest first."""
        return tuple(s for s in self.stops if s.needs_reason)


@dataclass(frozen=True)
class Notice:
    """Something the people at the board must read: a refused command, a lost answer."""

    at: datetime
    text: str
    level: str = "error"
    template: str = ""
    """The English template of ``text`` (marked for the catalogs), to show it translated."""
    fields: Mapping[str, str] = field(default_factory=dict)
    """The template's fields: ``station``, ``command`` (its name), ``target``, ``reason``."""


@dataclass(frozen=True)
class BrokerView:
    """The board's link to the broker."""

    connected: bool | None
    """``None`` while no connection was attempted (no feed)."""
    detail: str = ""
    since: datetime | None = None
    endpoint: str = ""


@dataclass(frozen=True)
class TopicProblem:
    """Malformed payloads seen on one topic."""

    topic: str
    count: int
    last_error: str


@dataclass(frozen=True)
class DiagnosticsView:
    """Counters for the diagnostics panel."""

    malformed: tuple[TopicProblem, ...] = ()
    ignored: int = 0
    """Messages of lines or channels this board does not show."""
    duplicates: int = 0
    replays_requested: int = 0
    open_gaps: Mapping[str, int] = field(default_factory=dict)
    """Stations whose event stream has a gap, and the sequence number asked for."""
    station_health: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    events: int = 0

    @property
    def malformed_total(self) -> int:
        return sum(p.count for p in self.malformed)


@dataclass(frozen=True)
class BoardView:
    """The whole board at one instant."""

    now: datetime
    title: str
    lines: tuple[LineView, ...]
    broker: BrokerView = field(default_factory=lambda: BrokerView(None))
    diagnostics: DiagnosticsView = field(default_factory=DiagnosticsView)
    notices: tuple[Notice, ...] = ()
    pending: tuple[PendingView, ...] = ()
    services: tuple[ServiceView, ...] = ()
    """The historians' last statuses (:mod:`andon.board.services`)."""
    deliveries: Mapping[str, AlertDelivery] = field(default_factory=dict)
    """Call id → the latest outcome of its alerts (:mod:`andon.board.deliveries`)."""

    def line(self, line_id: str) -> LineView | None:
        return next((line for line in self.lines if line.id == line_id), None)

    def station(self, path: str) -> StationView | None:
        for line in self.lines:
            for station in line.stations:
                if station.path == path:
                    return station
        return None

    @property
    def open_calls(self) -> tuple[CallView, ...]:
        """Every open call of every line, oldest first."""
        calls = [c for line in self.lines for c in line.open_calls]
        return tuple(sorted(calls, key=lambda c: (c.call.raised_at, c.call_id)))

    @property
    def material_lead_times(self) -> tuple[LeadTimeView, ...] | None:
        """Served material calls per part and station, by part; ``None`` when no station
        publishes lead times."""
        rows: list[LeadTimeView] = []
        published = False
        for line in self.lines:
            for station in line.stations:
                snap = station.snapshot
                if snap is None or snap.material_lead_times is None:
                    continue
                published = True
                rows.extend(
                    LeadTimeView(line.id, station.station_id, station.path, lead)
                    for lead in snap.material_lead_times
                )
        if not published:
            return None
        return tuple(sorted(rows, key=lambda r: (r.lead.part, r.line_id, r.station_id)))
