"""Typed readers of a decoded JSON payload: each names the field it refuses and why.

Each reader takes the common case first (the value is there and of the right
type): a board parses every state message of every station it shows. A missing
key (or ``null``) takes the reader's ``default`` when one is given, else it is
a :class:`~andon.bus.messages.MessageError` naming ``where.key``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from andon.bus.messages import MessageError, brief
from andon.domain.events import parse_instant

MISSING: Any = ...


def _missing(data: Mapping[str, Any], key: str, where: str, default: Any) -> Any:
    """``default`` for a missing key (or ``null``), else :class:`MessageError`."""
    if default is MISSING:
        raise MessageError(f"{where}.{key}: missing")
    return default


def get_value(data: Mapping[str, Any], key: str, where: str, default: Any = MISSING) -> Any:
    """The value of ``key``; a missing key (or ``null``) takes ``default`` when one is given."""
    value = data.get(key)
    if value is None:
        return _missing(data, key, where, default)
    return value


def get_str(data: Mapping[str, Any], key: str, where: str, default: Any = MISSING) -> str:
    value = data.get(key)
    if isinstance(value, str):
        return value
    if value is None:
        value = _missing(data, key, where, default)
        if isinstance(value, str):
            return value
    raise MessageError(f"{where}.{key}: expected a string, got {brief(value)}")


def get_bool(data: Mapping[str, Any], key: str, where: str, default: Any = MISSING) -> bool:
    value = data.get(key)
    if value is True or value is False:
        return value
    if value is None:
        value = _missing(data, key, where, default)
        if isinstance(value, bool):
            return value
    raise MessageError(f"{where}.{key}: expected true or false, got {brief(value)}")


def get_int(data: Mapping[str, Any], key: str, where: str, default: Any = MISSING) -> int:
    value = data.get(key)
    if value is None:
        value = _missing(data, key, where, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise MessageError(f"{where}.{key}: expected an integer, got {brief(value)}")
    return value


def get_num(data: Mapping[str, Any], key: str, where: str, default: Any = MISSING) -> float:
    value = data.get(key)
    if value is None:
        value = _missing(data, key, where, default)
    kind = type(value)
    if kind is float:
        if math.isfinite(value):
            return value  # type: ignore[no-any-return]
    elif kind is int or (
        not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
    ):
        return float(value)
    raise MessageError(f"{where}.{key}: expected a number, got {brief(value)}")


def get_opt_num(data: Mapping[str, Any], key: str, where: str) -> float | None:
    if data.get(key) is None:
        return None
    return get_num(data, key, where)


INSTANT_CACHE_LIMIT = 4096
"""Instants remembered by their text (hour and shift bounds repeat in every state)."""
INSTANTS: dict[str, datetime] = {}
"""Each instant read, by its text (emptied when it holds :data:`INSTANT_CACHE_LIMIT`)."""
_instants = INSTANTS


def get_instant(data: Mapping[str, Any], key: str, where: str) -> datetime:
    text = data.get(key)
    if isinstance(text, str):
        instant = _instants.get(text)
        if instant is not None:
            return instant
    text = get_str(data, key, where)
    try:
        instant = parse_instant(text)
    except ValueError as exc:
        raise MessageError(f"{where}.{key}: {exc}") from None
    if len(_instants) >= INSTANT_CACHE_LIMIT:
        _instants.clear()
    _instants[text] = instant
    return instant


def get_opt_instant(data: Mapping[str, Any], key: str, where: str) -> datetime | None:
    if data.get(key) is None:
        return None
    return get_instant(data, key, where)


def get_objects(data: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise MessageError(f"{where}.{key}: expected a list of objects")
    return value
