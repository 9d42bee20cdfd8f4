"""A station's state to and from JSON, and a fingerprint of the rules it was folded under.

A checkpoint of the state spares a station replaying its whole journal at start-up.
The state is written without its ``rules`` (they come from the configuration when
the station starts) and read back equal to what was written, field by field. The
codec walks the dataclasses and their type hints, so a field added to
:class:`~andon.domain.station_state.StationState` or to the records it holds is carried
without more code; a field of a type without a JSON form here makes encoding fail
with :class:`TypeError` instead of being dropped.

``apply`` folds events with the rules, so a checkpoint is only good under the rules
it was made with: :func:`rules_fingerprint` is a stable hash of them (the same rules
give the same hash in every process; caches inside them do not count).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import Enum
from functools import cache
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo

from andon.domain.rules import StationRules
from andon.domain.station_state import StationState

FORMAT = "andon-state/1"
"""The version of the JSON form; a checkpoint of another version is not read."""

Encode = Callable[[Any], Any]
Decode = Callable[[Any, str], Any]


class StateFormatError(ValueError):
    """The text is not a station state of this format."""


# --- state ------------------------------------------------------------------------------


def encode_state(state: StationState) -> str:
    """The state as JSON text, without its rules."""
    encode, _ = _state_codec()
    body = {"format": FORMAT, "state": encode(state)}
    try:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError as exc:
        raise ValueError(f"station state cannot be written as JSON: {exc}") from None


def decode_state(text: str | bytes, rules: StationRules) -> StationState:
    """The state written by :func:`encode_state`, under ``rules``.

    Raises :class:`StateFormatError` (a ValueError) naming what is wrong and where.
    """
    if not isinstance(text, str | bytes):
        raise StateFormatError(f"expected JSON text, got {type(text).__name__}")
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise StateFormatError(f"not JSON: {exc}") from None
    if not isinstance(body, dict) or set(body) != {"format", "state"}:
        raise StateFormatError("expected an object with 'format' and 'state'")
    if body["format"] != FORMAT:
        raise StateFormatError(f"format {body['format']!r} is not {FORMAT!r}")
    _, decode = _state_codec()
    fields = decode(body["state"], "state")
    try:
        state = StationState(rules=rules, **fields)
    except (TypeError, ValueError) as exc:
        raise StateFormatError(f"state: not a valid StationState: {exc}") from None
    return state.evolve(tally=state.summed)


@cache
def _state_codec() -> tuple[Encode, Decode]:
    """The state's own fields; ``rules`` and the tally (worked out again from the calls and
    stops) are left out, and decoding gives the other fields."""
    return _dataclass_codec(StationState, skip=("rules", "tally"))


# --- one codec per type hint --------------------------------------------------------------


@cache
def _codec(hint: Any) -> tuple[Encode, Decode]:
    """Encoder and decoder of values of one type hint."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is bool or hint is int or hint is str or hint is float:
        return _identity, _scalar_decoder(hint)
    if hint is datetime:
        return _encode_instant, _decode_instant
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum_codec(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_codec(hint)
    if origin is UnionType or origin is Union:
        return _optional_codec(hint, args)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _tuple_codec(args[0])
    if origin is frozenset and len(args) == 1:
        return _set_codec(args[0])
    if origin in (Mapping, dict) and len(args) == 2:
        return _mapping_codec(args[0], args[1])
    raise TypeError(f"the state codec has no JSON form for {hint!r}")


def _identity(value: Any) -> Any:
    return value


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _scalar_decoder(hint: type) -> Decode:
    def decode(value: Any, where: str) -> Any:
        if hint is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if type(value) is not hint:
            raise StateFormatError(f"{where}: expected {hint.__name__}, got {_kind(value)}")
        return value

    return decode


def _encode_instant(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: state instants must carry a time zone")
    return value.isoformat()


def _decode_instant(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise StateFormatError(f"{where}: expected an ISO 8601 instant, got {_kind(value)}")
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise StateFormatError(f"{where}: {value!r} is not an ISO 8601 instant") from None
    if instant.utcoffset() is None:
        raise StateFormatError(f"{where}: instant {value!r} has no time zone")
    return instant


def _enum_codec(cls: type[Enum]) -> tuple[Encode, Decode]:
    def encode(value: Enum) -> Any:
        return value.value

    def decode(value: Any, where: str) -> Enum:
        try:
            return cls(value)
        except ValueError:
            raise StateFormatError(f"{where}: {value!r} is not a {cls.__name__}") from None

    return encode, decode


def _dataclass_codec(cls: type[Any], skip: tuple[str, ...] = ()) -> tuple[Encode, Decode]:
    """A JSON object of the fields (all of them must be given to ``__init__``).

    With ``skip``, those fields are left out and decoding gives the others as keywords.
    """
    hints = get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.name not in skip]
    not_init = [f.name for f in fields if not f.init]
    if not_init:
        raise TypeError(f"{cls.__name__}: fields {not_init} cannot be restored by __init__")
    parts = [(f.name, *_codec(hints[f.name])) for f in fields]
    names = {name for name, _, _ in parts}

    def encode(value: Any) -> dict[str, Any]:
        return {name: enc(getattr(value, name)) for name, enc, _ in parts}

    def decode(value: Any, where: str) -> Any:
        if not isinstance(value, dict):
            raise StateFormatError(f"{where}: expected an object, got {_kind(value)}")
        missing, unknown = names - set(value), set(value) - names
        if missing or unknown:
            raise StateFormatError(
                f"{where}: {cls.__name__} fields do not match"
                f" (missing {sorted(missing)}, unknown {sorted(unknown)})"
            )
        kwargs = {name: dec(value[name], f"{where}.{name}") for name, _, dec in parts}
        if skip:
            return kwargs
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as exc:
            raise StateFormatError(f"{where}: not a valid {cls.__name__}: {exc}") from None

    return encode, decode


def _optional_codec(hint: Any, args: tuple[Any, ...]) -> tuple[Encode, Decode]:
    others = [a for a in args if a is not NoneType]
    if len(others) != 1 or len(args) != 2:
        raise TypeError(f"the state codec reads only 'X | None' unions, not {hint!r}")
    enc, dec = _codec(others[0])

    def encode(value: Any) -> Any:
        return None if value is None else enc(value)

    def decode(value: Any, where: str) -> Any:
        return None if value is None else dec(value, where)

    return encode, decode


def _tuple_codec(item: Any) -> tuple[Encode, Decode]:
    enc, dec = _codec(item)

    def encode(value: Any) -> list[Any]:
        return list(value) if enc is _identity else [enc(v) for v in value]

    def decode(value: Any, where: str) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise StateFormatError(f"{where}: expected a list, got {_kind(value)}")
        return tuple(dec(v, f"{where}[{i}]") for i, v in enumerate(value))

    return encode, decode


def _set_codec(item: Any) -> tuple[Encode, Decode]:
    enc, dec = _codec(item)

    def encode(value: Any) -> list[Any]:
        items = [enc(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))

    def decode(value: Any, where: str) -> frozenset[Any]:
        if not isinstance(value, list):
            raise StateFormatError(f"{where}: expected a list, got {_kind(value)}")
        items = [dec(v, f"{where}[{i}]") for i, v in enumerate(value)]
        found = frozenset(items)
        if len(found) != len(items):
            raise StateFormatError(f"{where}: a set holds an item twice")
        return found

    return encode, decode


def _mapping_codec(key: Any, item: Any) -> tuple[Encode, Decode]:
    """A list of ``[key, value]`` pairs in the mapping's order (keys need not be strings)."""
    enc_key, dec_key = _codec(key)
    enc_item, dec_item = _codec(item)

    def encode(value: Any) -> list[list[Any]]:
        return [[enc_key(k), enc_item(v)] for k, v in value.items()]

    def decode(value: Any, where: str) -> dict[Any, Any]:
        if not isinstance(value, list):
            raise StateFormatError(f"{where}: expected a list of pairs, got {_kind(value)}")
        out: dict[Any, Any] = {}
        for i, pair in enumerate(value):
            if not isinstance(pair, list) or len(pair) != 2:
                raise StateFormatError(f"{where}[{i}]: expected a [key, value] pair")
            k = dec_key(pair[0], f"{where}[{i}].key")
            if k in out:
                raise StateFormatError(f"{where}[{i}]: key {pair[0]!r} repeated")
            out[k] = dec_item(pair[1], f"{where}[{i}].value")
        return out

    return encode, decode


# --- fingerprint of the rules ------------------------------------------------------------


def rules_fingerprint(rules: StationRules) -> str:
    """A stable hash of the rules: equal rules give the same hex digest in every process.

    Dataclasses count by their compared fields (caches are not compared), mappings and
    sets by their sorted contents, time zones by name. A value of a type not covered
    raises :class:`TypeError`.
    """
    text = json.dumps(_canonical(rules), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: object) -> Any:
    """A JSON value that only depends on what ``value`` means, not where it lives."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return {"float": repr(value)}
        return int(value) if value.is_integer() else value
    if isinstance(value, Enum):
        return {"enum": type(value).__qualname__, "value": _canonical(value.value)}
    if isinstance(value, datetime | date | time | timedelta):
        return {type(value).__name__: str(value), "tz": _canonical(getattr(value, "tzinfo", None))}
    if isinstance(value, tzinfo):
        return {"zone": _zone_name(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return {
            "type": type(value).__qualname__,
            "fields": {f.name: _canonical(getattr(value, f.name)) for f in fields if f.compare},
        }
    if isinstance(value, Mapping):
        pairs = [[_canonical(k), _canonical(v)] for k, v in value.items()]
        return {"map": sorted(pairs, key=_sort_key)}
    if isinstance(value, frozenset | set):
        return {"set": sorted((_canonical(v) for v in value), key=_sort_key)}
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    raise TypeError(f"rules fingerprint: no stable form for {type(value).__name__} {value!r}")


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _zone_name(zone: tzinfo) -> str:
    if isinstance(zone, ZoneInfo) and zone.key:
        return f"zoneinfo:{zone.key}"
    if isinstance(zone, timezone):
        offset = zone.utcoffset(None)
        return f"offset:{offset.total_seconds()}:{zone.tzname(None)}"
    # Another tzinfo has no name to rely on: its repr may change between processes,
    # which only means a checkpoint is not used.
    return f"{type(zone).__module__}.{type(zone).__qualname__}:{zone!r}"
