"""The JSON messages on the bus: events, state and status (commands and replies:
:mod:`andon.bus.commands`).

Every message is an object with ``"v"`` (the schema version). Parsing never
trusts the payload: anything malformed raises :class:`MessageError` with a
reason, which consumers log and count instead of crashing. The contract is
documented in ``docs/mqtt.md`` and ``docs/asyncapi.yaml``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from andon.bus.fast_json import NOT_READ, fast_loads
from andon.domain import event_decoding
from andon.domain import events as ev

VERSION = 1
STATE_VERSION = 2
"""The retained state's own version: 2 holds what is open now and a bounded summary of
the shift (version 1 listed the shift's closed calls and every stop)."""
MAX_PAYLOAD = 256 * 1024


class MessageError(ValueError):
    """A payload that does not follow the contract."""


def encode(message: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def decode(payload: bytes | bytearray | str, version: int = 1) -> dict[str, Any]:
    """A JSON object of ``version`` (the messages' ``v``), or :class:`MessageError`.

    Refused besides malformed JSON: NaN and infinities, integers of more than
    4 300 digits, nesting deeper than the interpreter allows, and text that is
    not valid Unicode (a ``\\ud800`` escape without its pair), which could be
    neither journaled nor published again. What is taken and what is refused, and
    why, is the standard library's ``json`` (:func:`fast_loads` only reads faster).
    """
    if len(payload) > MAX_PAYLOAD:
        raise MessageError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD}")
    data = fast_loads(payload)
    if data is NOT_READ:
        data = _strict_loads(payload)
    if not isinstance(data, dict):
        raise MessageError("a message must be a JSON object")
    found = data.get("v")
    if found != version:
        raise MessageError(f"unsupported message version {brief(found)} (expected {version})")
    return data


def _strict_loads(payload: bytes | bytearray | str) -> Any:
    """The standard library's reading of ``payload``, or :class:`MessageError` saying why not."""
    try:
        text = payload.decode("utf-8") if isinstance(payload, bytes | bytearray) else payload
        data = _DECODER.decode(text)
    except MessageError as exc:  # NaN or an infinity
        raise MessageError(f"not JSON: {exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise MessageError(f"not JSON: {exc}") from None
    except ValueError:  # the interpreter's limit on the digits of an integer
        raise MessageError("not JSON for this contract: an integer has too many digits") from None
    if _SURROGATE_ESCAPE.search(text) and not valid_unicode(data):
        raise MessageError("text is not valid Unicode (an unpaired surrogate escape)")
    return data


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""Where a lone surrogate can come from in JSON text (a pair is one valid character)."""


def valid_unicode(value: Any) -> bool:
    """True when every string in ``value`` (keys too) can be written as UTF-8."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError, RecursionError):
        return False
    return True


def brief(value: Any, width: int = 40) -> str:
    """``repr(value)`` cut to ``width`` characters for an error message; a value nested too
    deep to ``repr`` (the decoder takes nesting the interpreter cannot walk again) is named
    by its type instead of raising ``RecursionError``."""
    try:
        return repr(value)[:width]
    except RecursionError:
        return f"a {type(value).__name__} nested too deep"


def _reject_constant(name: str) -> Any:
    raise MessageError(f"{name} is not allowed")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
"""Made once: ``json.loads`` with an option builds a new decoder for every payload."""


def _field(data: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = data.get(name)
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise MessageError(f"{where}.{name}: expected a number, got a boolean")
    if not isinstance(value, kind):
        raise MessageError(f"{where}.{name}: expected {_kind_name(kind)}, got {brief(value)}")
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
    data: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    """The event's ``data`` object as received, when :func:`parse_event` was asked to
    keep it (a consumer that stores events writes it instead of encoding the event
    again); None otherwise."""

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


def parse_event(payload: bytes | str, keep_data: bool = False) -> EventMessage:
    """An event message, fully checked (including the event's own fields); with
    ``keep_data`` it keeps the event's ``data`` object as received."""
    data = decode(payload)
    get = data.get
    station, seq, event_id, kind, body = (
        get("station"),
        get("seq"),
        get("id"),
        get("kind"),
        get("data"),
    )
    if not (  # the common case checked at once
        type(station) is str
        and type(seq) is int
        and seq >= 1
        and type(event_id) is str
        and type(kind) is str
        and type(body) is dict
    ):
        station = _field(data, "station", str, "event")
        seq = _field(data, "seq", int, "event")
        if seq < 1:
            raise MessageError("event.seq: expected an integer of at least 1")
        event_id = _field(data, "id", str, "event")
        kind = _field(data, "kind", str, "event")
        body = _field(data, "data", dict, "event")
    event = _plain_event(kind, body)
    if event is None:
        try:
            event = event_decoding.from_dict(kind, body)
        except event_decoding.EventFormatError as exc:
            raise MessageError(f"event.data: {exc}") from None
    return EventMessage(station, seq, event_id, event, body if keep_data else None)


# --- the common case of an event's data, quickly ------------------------------------
# :func:`andon.domain.event_decoding.from_dict` resolves every field's type per call. Here each
# event class gets a plan once: per field, a reader that takes a value already of the
# declared JSON type and gives what ``from_dict`` gives for it. Anything else (a missing
# field, a wrong type, a bad instant) goes to ``from_dict``, which says what is wrong.

_NO: Any = object()
"""A reader's answer for a value it does not take."""


def _read_instant(value: Any) -> Any:
    if type(value) is not str:
        return _NO
    try:
        return ev.parse_instant(value)
    except ValueError:
        return _NO


def _read_str(value: Any) -> Any:
    return value if type(value) is str else _NO


def _read_int(value: Any) -> Any:
    return value if type(value) is int else _NO


def _read_float(value: Any) -> Any:
    kind = type(value)
    return value if kind is float else float(value) if kind is int else _NO


def _read_bool(value: Any) -> Any:
    return value if value is True or value is False else _NO


def _read_strings(value: Any) -> Any:
    if type(value) is list and all(type(v) is str for v in value):
        return tuple(value)
    return _NO


_READERS: dict[Any, Callable[[Any], Any]] = {
    datetime: _read_instant,
    str: _read_str,
    int: _read_int,
    float: _read_float,
    bool: _read_bool,
    tuple[str, ...]: _read_strings,
}


@dataclass(frozen=True)
class _Plan:
    cls: type[ev.Event]
    names: frozenset[str]
    fields: tuple[tuple[str, bool, Callable[[Any], Any]], ...]
    """(name, required, reader) in declaration order."""


_PLANS: dict[str, _Plan | None] = {}


def _plan(kind: str) -> _Plan | None:
    """The plan of an event kind (``None`` for an unknown kind or a field type without one)."""
    if kind in _PLANS:
        return _PLANS[kind]
    cls = ev.EVENT_TYPES.get(kind)
    plan = None
    if cls is not None:
        hints = typing.get_type_hints(cls)
        fields = dataclasses.fields(cls)
        readers = [_READERS.get(hints[f.name]) for f in fields]
        if all(r is not None for r in readers):
            plan = _Plan(
                cls,
                frozenset(f.name for f in fields),
                tuple(
                    (f.name, f.default is dataclasses.MISSING, reader)
                    for f, reader in zip(fields, readers, strict=True)
                    if reader is not None
                ),
            )
    if len(_PLANS) < 4 * len(ev.EVENT_TYPES):  # unknown kinds come from the network
        _PLANS[kind] = plan
    return plan


def _plain_event(kind: str, data: dict[str, Any]) -> ev.Event | None:
    """The event of well-formed ``data``, as ``from_dict`` makes it; ``None`` otherwise."""
    plan = _plan(kind)
    if plan is None or not data.keys() <= plan.names:
        return None
    values = {}
    for name, required, read in plan.fields:
        if name not in data:
            if required:
                return None
            continue
        value = read(data[name])
        if value is _NO:
            return None
        values[name] = value
    return plan.cls(**values)


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
    return {"v": STATE_VERSION, **snapshot, "station": station, "health": health}


def parse_state(payload: bytes | str) -> dict[str, Any]:
    """A state message of :data:`STATE_VERSION` with the fields every consumer relies on checked.

    A state of another version is refused (an old state that still lists closed
    calls, or a newer one this program cannot read) rather than read wrongly.
    """
    data = decode(payload, STATE_VERSION)
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
