"""The event catalogue: everything a station decides is one of these.

Events are facts in the past tense. The station journals them, publishes them
and folds them into its state with :func:`andon.domain.state.apply`; boards and
the simulator fold the same events the same way. ``to_dict`` (and
:func:`andon.domain.event_decoding.from_dict` back) give
the JSON form used in the journal and on MQTT (``kind`` + ``data``).
"""

from __future__ import annotations

import dataclasses
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
