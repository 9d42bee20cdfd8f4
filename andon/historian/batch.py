"""What a stored batch of events does besides storing them: its rows, the stations'
positions, the checkpoints it makes stale, and the test of a shift section that a
back-fill made stale.

Only an event new to the history makes a checkpoint stale: a replay of events
already stored (a duplicate) leaves every checkpoint in place."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import orjson

from andon.bus.messages import EventMessage

_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
"""Made once: ``json.dumps`` with options builds a new encoder for every call."""


def encode_data(data: dict[str, Any]) -> str:
    """An event's ``data`` as compact JSON text: by orjson, or by ``json`` for what
    orjson refuses (an integer beyond 64 bits); either reads back to the same object."""
    try:
        return orjson.dumps(data).decode()
    except orjson.JSONEncodeError:
        return _ENCODE(data)


def event_row(m: EventMessage, at: Any, now: Any) -> tuple[Any, ...]:
    """An ``events`` row. Its ``data`` is the event's ``data`` object as received when
    the message kept it (the event was checked and made from that very object, and a
    report makes it again from it), else the event encoded again."""
    data = m.data if m.data is not None else m.event.to_dict()
    return (m.station, m.seq, m.event_id, m.event.KIND, at, encode_data(data), now)


INVALIDATE = "DELETE FROM checkpoints WHERE station = ? AND seq > ?"
"""A checkpoint before seq B no longer holds once an event below B is stored (a back-fill)."""

HELD_SEQS = "SELECT seq FROM events WHERE station = ? AND seq >= ? AND seq <= ?"
"""The seqs a station's replayed range already holds (parameters: station, first, last)."""


STALE_SECTIONS = (
    "DELETE FROM shift_sections WHERE shift_sections.line = ? AND shift_sections.rules = ?"
    " AND shift_sections.start_at >= ? AND shift_sections.start_at < ? AND EXISTS ("
    "SELECT 1 FROM f WHERE NOT EXISTS (SELECT 1 FROM checkpoints c"
    " WHERE c.station = f.station AND c.rules = f.rules"
    " AND c.at = shift_sections.end_at AND c.made_at <= shift_sections.made_at))"
)
"""A shift's section holds while each station of its line keeps the checkpoint at the
shift's end its fold passed when the section was made. A back-fill below that
checkpoint deletes it (:data:`INVALIDATE`); a later fold may make it again, then
newer than the section. Run once per line before the sections are read, after a
table ``f (station, rules)`` of the line's stations and their rules' fingerprints
(:func:`andon.historian.set_reads.values_table`; parameters: line, line rules, first
and last shift start), so a back-fill stales only the sections of its own line,
from its shift on."""


def seqs_by_station(messages: Sequence[EventMessage]) -> dict[str, list[int]]:
    seqs: dict[str, list[int]] = {}
    for m in messages:
        seqs.setdefault(m.station, []).append(m.seq)
    return seqs


def lowest_new(seqs: Sequence[int], held: set[int]) -> int | None:
    """The lowest of a station's ``seqs`` the history did not hold (None: all held)."""
    fresh = [n for n in seqs if n not in held]
    return min(fresh) if fresh else None


def last_by_station(messages: Sequence[EventMessage]) -> dict[str, int]:
    tops: dict[str, int] = {}
    for m in messages:
        if m.seq > tops.get(m.station, 0):
            tops[m.station] = m.seq
    return tops
