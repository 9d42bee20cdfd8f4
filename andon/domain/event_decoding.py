"""An event's JSON form read back into the catalogue's class, checked field by field.

:func:`from_dict` is the inverse of :meth:`andon.domain.events.Event.to_dict`; any
mismatch (an unknown kind or field, a missing field, a wrong type) raises
:class:`EventFormatError` saying what is wrong.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from typing import Any

from andon.domain.events import EVENT_TYPES, Event, parse_instant


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
