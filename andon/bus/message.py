"""What travels on the bus: a received :class:`Message`, a :class:`Will`, payload encoding."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Payload = bytes | bytearray | str | Mapping[str, Any]


def encode_payload(payload: Payload) -> bytes:
    """Bytes as they are, text as UTF-8, a mapping as compact JSON."""
    if isinstance(payload, bytes | bytearray):
        return bytes(payload)
    if isinstance(payload, str):
        return payload.encode("utf-8")
    if isinstance(payload, Mapping):
        return json.dumps(
            dict(payload), separators=(",", ":"), ensure_ascii=False, allow_nan=False
        ).encode("utf-8")
    raise TypeError(f"payload: expected bytes, str or a mapping, got {type(payload).__name__}")


@dataclass(frozen=True)
class Message:
    """A received message."""

    topic: str
    payload: bytes
    qos: int
    retain: bool

    def text(self) -> str:
        """The payload as UTF-8 text."""
        return self.payload.decode("utf-8")

    def json(self) -> Any:
        """The payload parsed as JSON (raises ``ValueError`` when it is not)."""
        return json.loads(self.payload)


@dataclass(frozen=True)
class Will:
    """The Last Will: published by the broker when the client vanishes without goodbye."""

    topic: str
    payload: Payload
    qos: int = 1
    retain: bool = True
