"""The event catalogue: everything a station decides is one of these.

Events are facts in the past tense. The station journals them, publishes them
and folds them into its state with :func:`andon.domain.state.apply`; boards and
the simulator fold the same events the same way. ``to_dict``/``from_dict`` give
the JSON form used in the journal and on MQTT (``kind`` + ``data``).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

SCHEMA_VERSION = 1


def format_instant(t: datetime) -> str:
    """UTC ISO 8601 with a ``Z`` suffix and millisecond precision."""
    if t.tzinfo is None:
        raise ValueError(f"naive datetime {t!r}: instants must carry a time zone")
    return t.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; it must carry a zone (``Z`` or an offset)."""
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        raise ValueError(f"instant {text!r} has no time zone")
    return t.astimezone(UTC)


@dataclass(frozen=True)
class Event:
    """Base of every event: ``at`` is when it happened (aware, station timeline)."""

    KIND: ClassVar[str] = ""
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The ``data`` part of the JSON form (``at`` included)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            out[f.name] = _to_json(getattr(self, f.name))
        return out


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_instant(value)
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return dict(value)
    return value


# --- production ---------------------------------------------------------------


@dataclass(frozen=True)
class Counted(Event):
    """Units finished: by the cycle sensor, the scrap input or a scanned serial."""

    KIND: ClassVar[str] = "counted"
    good: int = 1
    scrap: int = 0
    serial: str = ""


@dataclass(frozen=True)
class CountRejected(Event):
    """A unit that must not count, e.g. a serial scanned twice."""

    KIND: ClassVar[str] = "count_rejected"
    serial: str
    reason: str


@dataclass(frozen=True)
class PaceChanged(Event):
    """The pace judge moved between normal, too fast and too slow."""

    KIND: ClassVar[str] = "pace_changed"
    pace: str
    previous: str
    actual: int
    planned: float


@dataclass(frozen=True)
class OrderStarted(Event):
    """The next order of the plan sequence started (after its changeover)."""

    KIND: ClassVar[str] = "order_started"
    index: int
    product: str
    by: str = ""


# --- calls --------------------------------------------------------------------


@dataclass(frozen=True)
class CallRaised(Event):
    """An andon call: a button, the fault input (jidoka), a bin, a board or a scan."""

    KIND: ClassVar[str] = "call_raised"
    call_id: str
    call_type: str
    source: str
    by: str = ""
    part: str = ""
    express: bool = False


@dataclass(frozen=True)
class CallAcknowledged(Event):
    """Someone took the call."""

    KIND: ClassVar[str] = "call_acknowledged"
    call_id: str
    by: str
    source: str


@dataclass(frozen=True)
class CallResolved(Event):
    """The call is solved; ``reason`` is required when it lasted past its threshold."""

    KIND: ClassVar[str] = "call_resolved"
    call_id: str
    by: str
    source: str
    reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class CallNoted(Event):
    """Someone wrote a note on an open call (what they found, what they wait for)."""

    KIND: ClassVar[str] = "call_noted"
    call_id: str
    by: str
    source: str
    text: str


@dataclass(frozen=True)
class CallCancelled(Event):
    """The call was raised by mistake (long press, or from a board)."""

    KIND: ClassVar[str] = "call_cancelled"
    call_id: str
    by: str
    source: str


@dataclass(frozen=True)
class CallEscalated(Event):
    """The call reached a level of its escalation ladder."""

    KIND: ClassVar[str] = "call_escalated"
    call_id: str
    level: int
    roles: tuple[str, ...]
    condition: str


# --- line and machine ---------------------------------------------------------


@dataclass(frozen=True)
class LineStopped(Event):
    """The line-stop output was set; ``cause`` says why."""

    KIND: ClassVar[str] = "line_stopped"
    cause: str
    call_id: str = ""


@dataclass(frozen=True)
class LineReleased(Event):
    """The line-stop output was released."""

    KIND: ClassVar[str] = "line_released"
    cause: str
    call_id: str = ""


@dataclass(frozen=True)
class FaultChanged(Event):
    """The machine's own stop signal changed (jidoka)."""

    KIND: ClassVar[str] = "fault_changed"
    active: bool


@dataclass(frozen=True)
class BinChanged(Event):
    """A bin sensor settled on empty or full."""

    KIND: ClassVar[str] = "bin_changed"
    part: str
    empty: bool


@dataclass(frozen=True)
class DownstreamChanged(Event):
    """The downstream buffer level (full-work system)."""

    KIND: ClassVar[str] = "downstream_changed"
    quantity: int
    full: bool


# --- downtime -----------------------------------------------------------------


@dataclass(frozen=True)
class StopStarted(Event):
    """A stop period began at ``since`` (``source``: line_stop, fault, no_count, changeover).

    ``since`` is earlier than ``at`` for a stop found afterwards: "no count for
    N × takt" is decided N takts after the last count, but the line stood since then.
    """

    KIND: ClassVar[str] = "stop_started"
    stop_id: str
    source: str
    since: datetime
    by: str = ""
    """Who started it, for stops a person starts (a changeover)."""
    note: str = ""


@dataclass(frozen=True)
class StopEnded(Event):
    """A stop period ended."""

    KIND: ClassVar[str] = "stop_ended"
    stop_id: str


@dataclass(frozen=True)
class StopReasonRecorded(Event):
    """Someone gave the reason of a stop."""

    KIND: ClassVar[str] = "stop_reason_recorded"
    stop_id: str
    reason: str
    by: str
    note: str = ""


@dataclass(frozen=True)
class HourCauseRecorded(Event):
    """The influencing factor of an hour of the performance table."""

    KIND: ClassVar[str] = "hour_cause_recorded"
    hour_start: datetime
    reason: str
    by: str
    note: str = ""


# --- station health -----------------------------------------------------------


@dataclass(frozen=True)
class ScanRejected(Event):
    """A barcode that could not be used; ``reason`` is shown to the operator."""

    KIND: ClassVar[str] = "scan_rejected"
    scanner: str
    text: str
    reason: str


@dataclass(frozen=True)
class ClockJumped(Event):
    """The wall clock moved by ``jump_s`` against the monotonic clock (e.g. a late NTP sync)."""

    KIND: ClassVar[str] = "clock_jumped"
    jump_s: float


@dataclass(frozen=True)
class StationStarted(Event):
    """The station process started (after a restart, state was rebuilt from the journal)."""

    KIND: ClassVar[str] = "station_started"
    version: str
    replayed: int = 0


@dataclass(frozen=True)
class RowUnreadable(Event):
    """A journal row the station cannot read, published in its place to keep the seqs whole.

    Never journaled nor folded: the station sends it for a row another tool or a
    damaged disk left unreadable (``verify-journal`` names the row), so that the
    consumers' streams go on past that seq.
    """

    KIND: ClassVar[str] = "row_unreadable"
    problem: str


@dataclass(frozen=True)
class AlertDelivery(Event):
    """A notifier's outcome for one alert (sent, or failed after retries)."""

    KIND: ClassVar[str] = "alert_delivery"
    call_id: str
    level: int
    channel: str
    outcome: str
    detail: str = ""
    """The outcome in English (readers of before ``code``)."""
    code: str = ""
    """The outcome's sentence (``andon.notify.outcomes``), its fields in ``params``."""
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    reason: str = ""
    """Why it failed or was cancelled: the reason's sentence, its fields in ``reason_params``."""
    reason_params: dict[str, str] = dataclasses.field(default_factory=dict)


EVENT_TYPES: dict[str, type[Event]] = {
    cls.KIND: cls
    for cls in (
        Counted,
        CountRejected,
        PaceChanged,
        OrderStarted,
        CallRaised,
        CallAcknowledged,
        CallResolved,
        CallNoted,
        CallCancelled,
        CallEscalated,
        LineStopped,
        LineReleased,
        FaultChanged,
        BinChanged,
        DownstreamChanged,
        StopStarted,
        StopEnded,
        StopReasonRecorded,
        HourCauseRecorded,
        ScanRejected,
        ClockJumped,
        StationStarted,
        RowUnreadable,
        AlertDelivery,
    )
}


class EventFormatError(ValueError):
    """An event's JSON form does not match the catalogue."""


_SHAPES: dict[str, tuple[tuple[tuple[str, Any, bool], ...], frozenset[str]]] = {}


def _shape(cls: type[Event]) -> tuple[tuple[tuple[str, Any, bool], ...], frozenset[str]]:
    """An event class's fields as (name, type, required), and their names (resolving
    annotations and listing fields is slow: once per class)."""
    shape = _SHAPES.get(cls.KIND)
    if shape is None:
        hints = typing.get_type_hints(cls)
        fields = tuple(
            (
                f.name,
                hints[f.name],
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
            )
            for f in dataclasses.fields(cls)
        )
        shape = _SHAPES[cls.KIND] = (fields, frozenset(name for name, _, _ in fields))
    return shape


def from_dict(kind: str, data: dict[str, Any]) -> Event:
    """Rebuild an event from its JSON form; raise :class:`EventFormatError` on any mismatch."""
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise EventFormatError(f"unknown event kind {kind!r}")
    if not isinstance(data, dict):
        raise EventFormatError(f"{kind}: data must be an object")
    fields, names = _shape(cls)
    if not names.issuperset(data):
        raise EventFormatError(f"{kind}: unknown fields {sorted(set(data) - names)}")
    values: dict[str, Any] = {}
    for name, hint, required in fields:
        if name not in data:
            if required:
                raise EventFormatError(f"{kind}: missing field {name!r}")
            continue
        values[name] = _from_json(kind, name, hint, data[name])
    return cls(**values)


def _from_json(kind: str, name: str, hint: Any, value: Any) -> Any:
    if hint is str:  # the common types first: a history folds millions of these
        if not isinstance(value, str):
            raise EventFormatError(f"{kind}.{name}: expected a string")
        return value
    where = f"{kind}.{name}"
    if hint is datetime:
        if not isinstance(value, str):
            raise EventFormatError(f"{where}: expected an ISO 8601 instant")
        try:
            return parse_instant(value)
        except ValueError as exc:
            raise EventFormatError(f"{where}: {exc}") from None
    if hint is bool:
        if not isinstance(value, bool):
            raise EventFormatError(f"{where}: expected true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise EventFormatError(f"{where}: expected an integer")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EventFormatError(f"{where}: expected a number")
        return float(value)
    origin = typing.get_origin(hint)
    if origin is tuple:
        (item,) = typing.get_args(hint)[:1]
        if not isinstance(value, list):
            raise EventFormatError(f"{where}: expected a list")
        return tuple(_from_json(kind, name, item, v) for v in value)
    if origin is dict:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise EventFormatError(f"{where}: expected an object of texts")
        return dict(value)
    if origin in (types.UnionType, typing.Union):
        raise EventFormatError(f"{where}: unsupported field type")
    raise EventFormatError(f"{where}: unsupported field type {hint!r}")
