"""The JSON messages on the bus: events, state, status, commands and replies.

Every message is an object with ``"v"`` (the schema version). Parsing never
trusts the payload: anything malformed raises :class:`MessageError` with a
reason, which consumers log and count instead of crashing. The contract is
documented in ``docs/mqtt.md`` and ``docs/asyncapi.yaml``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from andon.domain import events as ev

VERSION = 1
MAX_PAYLOAD = 256 * 1024


class MessageError(ValueError):
    """A payload that does not follow the contract."""


def encode(message: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def decode(payload: bytes | bytearray | str) -> dict[str, Any]:
    """A JSON object of a known version, or :class:`MessageError`."""
    if len(payload) > MAX_PAYLOAD:
        raise MessageError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD}")
    try:
        text = payload.decode("utf-8") if isinstance(payload, bytes | bytearray) else payload
        data = json.loads(text, parse_constant=_reject_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise MessageError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MessageError("a message must be a JSON object")
    version = data.get("v")
    if version != VERSION:
        raise MessageError(f"unsupported message version {version!r} (expected {VERSION})")
    return data


def _reject_constant(name: str) -> Any:
    raise MessageError(f"{name} is not allowed")


def _field(data: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = data.get(name)
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise MessageError(f"{where}.{name}: expected a number, got a boolean")
    if not isinstance(value, kind):
        raise MessageError(f"{where}.{name}: expected {_kind_name(kind)}, got {value!r:.40}")
    if isinstance(value, float) and not math.isfinite(value):
        raise MessageError(f"{where}.{name}: expected a finite number")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return " or ".join(k.__name__ for k in kind)
    return kind.__name__


# --- events -----------------------------------------------------------------------


@dataclass(frozen=True)
class EventMessage:
    """One event of one station's stream."""

    station: str
    seq: int
    event_id: str
    event: ev.Event

    def to_dict(self) -> dict[str, Any]:
        """The JSON form published on ``…/events``."""
        return {
            "v": VERSION,
            "station": self.station,
            "seq": self.seq,
            "id": self.event_id,
            "at": ev.format_instant(self.event.at),
            "kind": self.event.KIND,
            "data": self.event.to_dict(),
        }


def parse_event(payload: bytes | str) -> EventMessage:
    """An event message, fully checked (including the event's own fields)."""
    data = decode(payload)
    station = _field(data, "station", str, "event")
    seq = _field(data, "seq", int, "event")
    if seq < 1:
        raise MessageError("event.seq: expected an integer of at least 1")
    event_id = _field(data, "id", str, "event")
    kind = _field(data, "kind", str, "event")
    body = _field(data, "data", dict, "event")
    try:
        event = ev.from_dict(kind, body)
    except ev.EventFormatError as exc:
        raise MessageError(f"event.data: {exc}") from None
    return EventMessage(station=station, seq=seq, event_id=event_id, event=event)


def event_dict(
    station: str, seq: int, event_id: str, at: str, kind: str, data: dict[str, Any]
) -> dict[str, Any]:
    """The JSON form of an event straight from its journal row."""
    return {
        "v": VERSION,
        "station": station,
        "seq": seq,
        "id": event_id,
        "at": at,
        "kind": kind,
        "data": data,
    }


# --- state --------------------------------------------------------------------------


def state_message(station: str, snapshot: dict[str, Any], health: dict[str, Any]) -> dict[str, Any]:
    """The retained ``…/state`` message: the station's snapshot plus its health.

    ``snapshot`` is :func:`andon.domain.snapshot.snapshot`; its ``seq`` is the last
    event folded in, so a consumer that starts from this message continues the
    event stream after it. ``health`` says whether the journal and the broker
    link are well (``journal_error``, ``unjournaled``, ``unpublished``).
    """
    return {"v": VERSION, **snapshot, "station": station, "health": health}


def parse_state(payload: bytes | str) -> dict[str, Any]:
    """A state message with the fields every consumer relies on checked."""
    data = decode(payload)
    _field(data, "station", str, "state")
    _field(data, "line", str, "state")
    _field(data, "seq", int, "state")
    _field(data, "at", str, "state")
    _field(data, "good", int, "state")
    _field(data, "planned", (int, float), "state")
    _field(data, "open_calls", list, "state")
    _field(data, "hours", list, "state")
    for call in data["open_calls"]:
        if not isinstance(call, dict) or not isinstance(call.get("call_id"), str):
            raise MessageError("state.open_calls: expected objects with a call_id")
    return data


# --- status -------------------------------------------------------------------------


def status_message(
    station: str, online: bool, at: str, version: str = "", detail: str = ""
) -> dict[str, Any]:
    """The retained ``…/status`` message (the Last Will carries ``online: false``)."""
    return {
        "v": VERSION,
        "station": station,
        "online": online,
        "at": at,
        "version": version,
        "detail": detail,
    }


# --- commands and replies -----------------------------------------------------------

COMMANDS = frozenset(
    {
        "raise",
        "acknowledge",
        "resolve",
        "cancel",
        "hour_cause",
        "stop_reason",
        "kanban",
        "downstream",
        "changeover",
        "start_order",
        "replay",
        "sim",
    }
)


@dataclass(frozen=True)
class CommandMessage:
    """A command sent to a station by a board, a notifier or the store."""

    name: str
    command_id: str
    by: str
    args: dict[str, Any]


def parse_command(name: str, payload: bytes | str) -> CommandMessage:
    """A command of a known name with an id; the arguments are checked by the station."""
    if name not in COMMANDS:
        raise MessageError(f"unknown command {name!r}")
    data = decode(payload)
    command_id = _field(data, "id", str, "command")
    if not command_id or len(command_id) > 128:
        raise MessageError("command.id: expected 1 to 128 characters")
    by = data.get("by", "")
    if not isinstance(by, str) or len(by) > 128:
        raise MessageError("command.by: expected a string of at most 128 characters")
    args = {k: v for k, v in data.items() if k not in ("v", "id", "by")}
    return CommandMessage(name=name, command_id=command_id, by=by, args=args)


def command_message(command_id: str, by: str = "", **args: Any) -> dict[str, Any]:
    """The JSON form of a command."""
    return {"v": VERSION, "id": command_id, "by": by, **args}


def reply_message(
    station: str, command: str, command_id: str, accepted: bool, reason: str = "", seq: int = 0
) -> dict[str, Any]:
    """The answer to one command, on the station's ``…/reply`` topic."""
    return {
        "v": VERSION,
        "station": station,
        "command": command,
        "command_id": command_id,
        "accepted": accepted,
        "reason": reason,
        "seq": seq,
    }
