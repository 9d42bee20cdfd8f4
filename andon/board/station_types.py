"""What the board holds of a station's messages, as typed, immutable data.

:mod:`andon.board.station_data` makes these from the payloads and checks every
field a screen reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class NoteData:
    """A note written on a call: when, by whom, what."""

    at: datetime
    by: str
    text: str


@dataclass(frozen=True)
class CallData:
    """One call as the station published it."""

    call_id: str
    call_type: str
    status: str
    raised_at: datetime
    source: str = ""
    raised_by: str = ""
    part: str = ""
    express: bool = False
    acknowledged_at: datetime | None = None
    acknowledged_by: str = ""
    closed_at: datetime | None = None
    closed_by: str = ""
    reason: str = ""
    note: str = ""
    level: int = 0
    reason_required: bool = False
    stopped_line: bool = False
    notes: tuple[NoteData, ...] = ()

    @property
    def is_open(self) -> bool:
        """Raised or acknowledged."""
        return self.status in ("raised", "acknowledged")


@dataclass(frozen=True)
class HourCause:
    """The recorded influencing factor of an hour."""

    reason: str
    note: str = ""
    by: str = ""


@dataclass(frozen=True)
class HourData:
    """One row of the hourly performance table."""

    start: datetime
    end: datetime
    planned: float
    actual: int
    difference: float
    variance: float | None
    complete: bool
    unexplained: bool
    cause: HourCause | None = None


@dataclass(frozen=True)
class DowntimeData:
    """The shift's stops of one reason summed (``downtime_by_reason`` of the state).

    ``reason`` empty: stops without one, under ``source`` while they need one,
    else the minor stops (``source`` empty too).
    """

    reason: str
    source: str
    needs_reason: bool
    seconds: float
    count: int


@dataclass(frozen=True)
class StopData:
    """One stop period of the shift."""

    stop_id: str
    source: str
    started_at: datetime
    ended_at: datetime | None
    duration_s: float
    reason: str = ""
    needs_reason: bool = False
    """Past the minor-stop threshold without a reason: someone must give one."""
    reason_by: str = ""
    started_by: str = ""
    note: str = ""


@dataclass(frozen=True)
class LeadTimeData:
    """Material calls for one part served this shift: how many, mean and longest wait."""

    part: str
    count: int
    mean_s: float
    max_s: float


@dataclass(frozen=True)
class KpiData:
    """Shift KPIs so far (fractions, 0..1) and the time figures behind them."""

    availability: float
    performance: float
    quality: float
    oee: float
    planned_production_s: float = 0.0
    downtime_s: float = 0.0
    minor_stop_s: float = 0.0
    run_s: float = 0.0


@dataclass(frozen=True)
class ShiftData:
    """The shift the figures belong to."""

    name: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class StationSnapshot:
    """Everything a station published in its last ``state`` message."""

    station: str
    """The station's path ``site/area/line/station``."""
    line: str
    station_id: str
    at: datetime
    seq: int
    counts: bool = False
    takt_s: float | None = None
    in_shift: bool = False
    working: bool = False
    shift: ShiftData | None = None
    good: int = 0
    scrap: int = 0
    planned: float = 0.0
    difference: float = 0.0
    achievement: float | None = None
    pace: str | None = None
    line_stopped: bool = False
    fault: bool = False
    blocked: bool = False
    bins_empty: tuple[str, ...] = ()
    open_calls: tuple[CallData, ...] = ()
    closed_calls: tuple[CallData, ...] = ()
    """This shift's closed calls: not in the state, the board keeps them from the events."""
    hours: tuple[HourData, ...] = ()
    stops: tuple[StopData, ...] = ()
    """The stops the state lists (open, waiting for a reason, the newest others)."""
    stops_waiting: int = 0
    """The shift's stops waiting for a reason, listed or not."""
    downtime: tuple[DowntimeData, ...] = ()
    history_seq: int = 0
    """The shift's calls and stops are in the events after this seq."""
    kpi: KpiData | None = None
    signals: tuple[str, ...] = ()
    health: Mapping[str, Any] = field(default_factory=dict)
    material_lead_times: tuple[LeadTimeData, ...] | None = None
    """Per part, by part number; ``None`` from a station that does not publish them."""

    def evolve(self, **changes: Any) -> StationSnapshot:
        """A copy with ``changes``: ``dataclasses.replace`` without re-running ``__init__``.

        A view copies a snapshot for every station that changed (the shift's closed
        calls and the later events on top of its last state); ``replace`` passes all
        30 fields through ``__init__`` each time. The snapshot has no
        ``__post_init__`` and no field outside ``__init__``, so copying the fields and
        overriding some gives the same object, several times faster. Unknown names
        are refused like ``replace`` refuses them.
        """
        unknown = changes.keys() - _SNAPSHOT_FIELDS
        if unknown:
            raise TypeError(f"StationSnapshot has no field(s) {sorted(unknown)}")
        copy = object.__new__(StationSnapshot)
        copy.__dict__.update(self.__dict__, **changes)
        return copy


_SNAPSHOT_FIELDS = frozenset(f.name for f in fields(StationSnapshot))


@dataclass(frozen=True)
class StatusData:
    """A station's retained ``status`` message (the Last Will says offline)."""

    station: str
    online: bool
    at: datetime | None
    version: str = ""
    detail: str = ""
