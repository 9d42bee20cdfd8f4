"""A station's retained ``state`` message, parsed once into typed, immutable data.

The board only renders what the station decided; parsing here checks every
field a screen reads, so a malformed payload is refused as a whole
(:class:`~andon.bus.messages.MessageError`) instead of breaking a screen later.
Optional fields that are missing get neutral defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from andon.bus.fields import (
    get_bool,
    get_instant,
    get_int,
    get_num,
    get_objects,
    get_opt_instant,
    get_opt_num,
    get_str,
)
from andon.bus.messages import MessageError, decode, parse_state
from andon.bus.reply import Reply as ReplyData
from andon.bus.reply import parse_reply
from andon.domain.events import parse_instant


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


# --- parts --------------------------------------------------------------------------


def parse_call(data: Mapping[str, Any], where: str = "call") -> CallData:
    """One call object of ``open_calls`` / ``closed_calls``."""
    return CallData(
        call_id=get_str(data, "call_id", where),
        call_type=get_str(data, "type", where),
        status=get_str(data, "status", where),
        raised_at=get_instant(data, "raised_at", where),
        source=get_str(data, "source", where, ""),
        raised_by=get_str(data, "raised_by", where, ""),
        part=get_str(data, "part", where, ""),
        express=get_bool(data, "express", where, False),
        acknowledged_at=get_opt_instant(data, "acknowledged_at", where),
        acknowledged_by=get_str(data, "acknowledged_by", where, ""),
        closed_at=get_opt_instant(data, "closed_at", where),
        closed_by=get_str(data, "closed_by", where, ""),
        reason=get_str(data, "reason", where, ""),
        note=get_str(data, "note", where, ""),
        level=get_int(data, "level", where, 0),
        reason_required=get_bool(data, "reason_required", where, False),
        stopped_line=get_bool(data, "stopped_line", where, False),
        notes=tuple(
            NoteData(
                at=get_instant(n, "at", f"{where}.notes"),
                by=get_str(n, "by", f"{where}.notes"),
                text=get_str(n, "text", f"{where}.notes"),
            )
            for n in get_objects(data, "notes", where)
        ),
    )


def _hour(data: Mapping[str, Any]) -> HourData:
    where = "hour"
    cause = data.get("cause")
    if cause is not None and not isinstance(cause, dict):
        raise MessageError("hour.cause: expected an object or null")
    return HourData(
        start=get_instant(data, "start", where),
        end=get_instant(data, "end", where),
        planned=get_num(data, "planned", where),
        actual=get_int(data, "actual", where),
        difference=get_num(data, "difference", where),
        variance=get_opt_num(data, "variance", where),
        complete=get_bool(data, "complete", where, False),
        unexplained=get_bool(data, "unexplained", where, False),
        cause=None
        if cause is None
        else HourCause(
            reason=get_str(cause, "reason", "hour.cause"),
            note=get_str(cause, "note", "hour.cause", ""),
            by=get_str(cause, "by", "hour.cause", ""),
        ),
    )


def parse_stop(data: Mapping[str, Any]) -> StopData:
    """One stop object of ``stops``, or :class:`MessageError`."""
    where = "stop"
    return StopData(
        stop_id=get_str(data, "stop_id", where),
        source=get_str(data, "source", where, ""),
        started_at=get_instant(data, "started_at", where),
        ended_at=get_opt_instant(data, "ended_at", where),
        duration_s=get_num(data, "duration_s", where, 0.0),
        reason=get_str(data, "reason", where, ""),
        needs_reason=get_bool(data, "needs_reason", where, False),
        reason_by=get_str(data, "reason_by", where, ""),
        started_by=get_str(data, "started_by", where, ""),
        note=get_str(data, "note", where, ""),
    )


def _downtime(data: Mapping[str, Any]) -> DowntimeData:
    where = "state.downtime_by_reason"
    return DowntimeData(
        reason=get_str(data, "reason", where, ""),
        source=get_str(data, "source", where, ""),
        needs_reason=get_bool(data, "needs_reason", where, False),
        seconds=get_num(data, "seconds", where, 0.0),
        count=get_int(data, "count", where, 0),
    )


def _lead_times(data: Any) -> tuple[LeadTimeData, ...] | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise MessageError("state.material_lead_times: expected an object of parts")
    out = []
    for part, figures in sorted(data.items()):
        where = f"state.material_lead_times.{part}"
        if not isinstance(figures, dict):
            raise MessageError(f"{where}: expected an object")
        count = get_int(figures, "count", where)
        if count < 0:
            raise MessageError(f"{where}.count: expected 0 or more")
        out.append(
            LeadTimeData(
                part=part,
                count=count,
                mean_s=get_num(figures, "mean_s", where),
                max_s=get_num(figures, "max_s", where),
            )
        )
    return tuple(out)


def _kpi(data: Mapping[str, Any]) -> KpiData:
    where = "kpi"
    return KpiData(
        availability=get_num(data, "availability", where),
        performance=get_num(data, "performance", where),
        quality=get_num(data, "quality", where),
        oee=get_num(data, "oee", where),
        planned_production_s=get_num(data, "planned_production_s", where, 0.0),
        downtime_s=get_num(data, "downtime_s", where, 0.0),
        minor_stop_s=get_num(data, "minor_stop_s", where, 0.0),
        run_s=get_num(data, "run_s", where, 0.0),
    )


def _shift(data: Any) -> ShiftData | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise MessageError("state.shift: expected an object or null")
    return ShiftData(
        name=get_str(data, "name", "shift"),
        start=get_instant(data, "start", "shift"),
        end=get_instant(data, "end", "shift"),
    )


def _strings(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MessageError(f"{where}.{key}: expected a list of strings")
    return tuple(value)


@dataclass(frozen=True)
class StateHead:
    """What the board needs of a ``state`` message at once; the rest waits until it is shown.

    A station publishes its state after its events, up to a few times a second, and a
    board shows it once a second: most states are replaced before anyone looks at them.
    The head checks the message's envelope and the fields that order the event stream
    and feed the pace trend; :func:`snapshot_of` parses and checks everything else.
    """

    data: Mapping[str, Any]
    """The decoded message."""
    station: str
    line: str
    at: datetime
    seq: int
    counts: bool
    in_shift: bool
    difference: float
    shift: ShiftData | None
    health: Mapping[str, Any]
    history_seq: int = 0


def parse_state_head(payload: bytes | str) -> StateHead:
    """The head of a ``state`` payload, or :class:`MessageError` saying what is wrong."""
    data = parse_state(payload)
    where = "state"
    station = get_str(data, "station", where)
    health = data.get("health", {})
    if not isinstance(health, dict):
        raise MessageError("state.health: expected an object")
    seq = get_int(data, "seq", where)
    if seq < 0:
        raise MessageError("state.seq: expected 0 or more")
    return StateHead(
        data=data,
        station=station,
        line=get_str(data, "line", where),
        at=get_instant(data, "at", where),
        seq=seq,
        counts=get_bool(data, "counts", where, False),
        in_shift=get_bool(data, "in_shift", where, False),
        difference=get_num(data, "difference", where, 0.0),
        shift=_shift(data.get("shift")),
        health=health,
        history_seq=min(seq, max(0, get_int(data, "history_seq", where, 0))),
    )


def snapshot_of(head: StateHead, station: str | None = None) -> StationSnapshot:
    """The whole snapshot of a state (named ``station`` when given), or :class:`MessageError`."""
    data = head.data
    where = "state"
    kpi = data.get("kpi")
    if kpi is not None and not isinstance(kpi, dict):
        raise MessageError("state.kpi: expected an object or null")
    pace = data.get("pace")
    if pace is not None and not isinstance(pace, str):
        raise MessageError("state.pace: expected a string or null")
    station = station or head.station
    return StationSnapshot(
        station=station,
        line=head.line,
        station_id=station.rsplit("/", 1)[-1],
        at=head.at,
        seq=head.seq,
        counts=head.counts,
        takt_s=get_opt_num(data, "takt_s", where),
        in_shift=head.in_shift,
        working=get_bool(data, "working", where, False),
        shift=head.shift,
        good=get_int(data, "good", where),
        scrap=get_int(data, "scrap", where, 0),
        planned=get_num(data, "planned", where),
        difference=head.difference,
        achievement=get_opt_num(data, "achievement", where),
        pace=pace,
        line_stopped=get_bool(data, "line_stopped", where, False),
        fault=get_bool(data, "fault", where, False),
        blocked=get_bool(data, "blocked", where, False),
        bins_empty=_strings(data, "bins_empty", where),
        open_calls=tuple(
            parse_call(c, "state.open_calls") for c in get_objects(data, "open_calls", where)
        ),
        hours=tuple(_hour(h) for h in get_objects(data, "hours", where)),
        stops=tuple(parse_stop(s) for s in get_objects(data, "stops", where)),
        stops_waiting=get_int(data, "stops_waiting", where, 0),
        downtime=tuple(_downtime(d) for d in get_objects(data, "downtime_by_reason", where)),
        history_seq=head.history_seq,
        kpi=None if kpi is None else _kpi(kpi),
        signals=_strings(data, "signals", where),
        health=dict(head.health),
        material_lead_times=_lead_times(data.get("material_lead_times")),
    )


def parse_snapshot(payload: bytes | str) -> StationSnapshot:
    """A ``state`` payload as typed data, or :class:`MessageError` saying what is wrong."""
    return snapshot_of(parse_state_head(payload))


@dataclass(frozen=True)
class StatusData:
    """A station's retained ``status`` message (the Last Will says offline)."""

    station: str
    online: bool
    at: datetime | None
    version: str = ""
    detail: str = ""


def parse_status(payload: bytes | str) -> StatusData:
    """A ``status`` payload, or :class:`MessageError`."""
    data = decode(payload)
    where = "status"
    text = get_str(data, "at", where, "")
    try:
        at = parse_instant(text) if text else None
    except ValueError as exc:
        raise MessageError(f"status.at: {exc}") from None
    return StatusData(
        station=get_str(data, "station", where),
        online=get_bool(data, "online", where),
        at=at,
        version=get_str(data, "version", where, ""),
        detail=get_str(data, "detail", where, ""),
    )


__all__ = ["ReplyData", "parse_reply"]  # the bus's own reply parser, under the board's name
