"""A station's retained ``state`` message, parsed once into typed, immutable data.

The board only renders what the station decided; parsing here checks every
field a screen reads, so a malformed payload is refused as a whole
(:class:`~andon.bus.messages.MessageError`) instead of breaking a screen later.
Optional fields that are missing get neutral defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from math import isfinite
from typing import Any

from andon.board.station_types import (
    CallData,
    DowntimeData,
    HourCause,
    HourData,
    KpiData,
    LeadTimeData,
    NoteData,
    ShiftData,
    StationSnapshot,
    StatusData,
    StopData,
)
from andon.bus.fields import (
    INSTANTS,
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
    """One row of ``hours``. The common row (floats, no cause, instants read before) is
    checked at once; any other goes through :func:`_hour_checked`, which names what is
    wrong: the two take and refuse the same rows."""
    get = data.get
    start, end = get("start"), get("end")
    start = INSTANTS.get(start) if type(start) is str else None
    end = INSTANTS.get(end) if type(end) is str else None
    planned, actual, difference = get("planned"), get("actual"), get("difference")
    variance, complete, unexplained = get("variance"), get("complete"), get("unexplained")
    if (
        start is not None
        and end is not None
        and type(actual) is int
        and type(planned) is float
        and type(difference) is float
        and isfinite(planned)
        and isfinite(difference)
        and (variance is None or (type(variance) is float and isfinite(variance)))
        and (complete is True or complete is False)
        and (unexplained is True or unexplained is False)
        and get("cause") is None
    ):
        return HourData(start, end, planned, actual, difference, variance, complete, unexplained)
    return _hour_checked(data)


def _hour_checked(data: Mapping[str, Any]) -> HourData:
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
    """What orders the event stream in a ``state`` message, and feeds the pace trend.

    The head checks the message's envelope and those fields; :func:`snapshot_of`
    parses and checks everything else. A state whose head is good is taken even when
    the rest is malformed: the stream stays in order, and the last good state stays
    shown.
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


@dataclass(frozen=True)
class ReadState:
    """A ``state`` payload parsed whole: its head, and its snapshot or what is wrong with it.

    The board's feed reads each state before it takes the model's lock, so neither the
    model's ingest nor a view being built waits for a state to be parsed.
    """

    head: StateHead
    snapshot: StationSnapshot | None
    """``None`` when the body is malformed (:attr:`error` says how); the head is good."""
    error: str = ""


def read_state(payload: bytes | str) -> ReadState:
    """Head and whole snapshot of a ``state`` payload; :class:`MessageError` for a bad head."""
    head = parse_state_head(payload)
    try:
        return ReadState(head, snapshot_of(head))
    except MessageError as exc:
        return ReadState(head, None, str(exc))


def parse_snapshot(payload: bytes | str) -> StationSnapshot:
    """A ``state`` payload as typed data, or :class:`MessageError` saying what is wrong."""
    return snapshot_of(parse_state_head(payload))


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


__all__ = [  # the types the parsers make, and the bus's own reply parser under the board's name
    "CallData",
    "DowntimeData",
    "HourCause",
    "HourData",
    "KpiData",
    "LeadTimeData",
    "NoteData",
    "ReadState",
    "ReplyData",
    "ShiftData",
    "StateHead",
    "StationSnapshot",
    "StatusData",
    "StopData",
    "parse_call",
    "parse_reply",
    "parse_snapshot",
    "parse_state_head",
    "parse_status",
    "parse_stop",
    "read_state",
    "snapshot_of",
]
