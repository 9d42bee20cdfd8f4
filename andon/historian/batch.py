"""What a stored batch of events does besides storing them: its rows, the stations'
positions, and the checkpoints and shift sections it makes stale."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from andon.bus.messages import EventMessage

_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
"""Made once: ``json.dumps`` with options builds a new encoder for every call."""


def event_row(m: EventMessage, at: Any, now: Any) -> tuple[Any, ...]:
    return (m.station, m.seq, m.event_id, m.event.KIND, at, _ENCODE(m.event.to_dict()), now)


INVALIDATE = "DELETE FROM checkpoints WHERE station = ? AND seq > ?"
"""A checkpoint before seq B no longer holds once an event below B is stored (a back-fill)."""


INVALIDATE_SECTIONS = "DELETE FROM shift_sections WHERE end_at > ?"
"""A shift's section no longer holds once an event before the shift's end is stored
(a back-fill into or before the shift); sections of every line go, as the store does
not know which line a station is on."""


def earliest(messages: Sequence[EventMessage]) -> datetime:
    """The instant of the earliest event of a batch."""
    return min(m.event.at for m in messages)


def first_by_station(messages: Sequence[EventMessage]) -> dict[str, int]:
    firsts: dict[str, int] = {}
    for m in messages:
        if m.station not in firsts or m.seq < firsts[m.station]:
            firsts[m.station] = m.seq
    return firsts


def last_by_station(messages: Sequence[EventMessage]) -> dict[str, int]:
    tops: dict[str, int] = {}
    for m in messages:
        if m.seq > tops.get(m.station, 0):
            tops[m.station] = m.seq
    return tops
