"""``cmd/replay``: publish a station's journaled events again, from a given seq on.

``from_seq`` alone asks for every event from there to the end of the journal;
with ``to_seq`` the replay stops there too (a consumer with a gap between events it
holds asks for the gap alone).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from andon.bus.client import BusClient
from andon.bus.commands import MAX_INTEGER
from andon.bus.topics import StationAddress
from andon.journal.store import Journal, JournalError
from andon.station.unreadable import publishable

log = logging.getLogger(__name__)

REPLAY_LIMIT = 5000
"""Rows one replay publishes at most (a consumer asks again from the last one it got)."""


class BadReplay(ValueError):
    """The replay's arguments are malformed (the command is refused and counted)."""


def replay_range(args: dict[str, Any]) -> tuple[int, int | None]:
    """The ``from_seq`` and ``to_seq`` (None: to the end) of a replay's arguments, or
    :class:`BadReplay`."""
    start, end = args.get("from_seq"), args.get("to_seq")
    if not _seq(start) or set(args) - {"from_seq", "to_seq"}:
        log.warning("bad command replay: from_seq %.40r", start)
        raise BadReplay("from_seq: expected an integer from 1 to 2^63 - 1")
    if end is not None and (not _seq(end) or end < start):
        log.warning("bad command replay: to_seq %.40r", end)
        raise BadReplay("to_seq: expected an integer from from_seq to 2^63 - 1")
    return start, end


def _seq(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and 1 <= value <= MAX_INTEGER


def replay(
    journal: Journal | None,
    bus: BusClient | None,
    address: StationAddress,
    start: int,
    unreadable: Mapping[int, str] | None = None,
    end: int | None = None,
) -> tuple[bool, str]:
    """Publish the journal's rows from ``start`` on, up to ``end`` if given (at most
    :data:`REPLAY_LIMIT`).

    Returns (accepted, reason): the reason names the seqs replayed, or why not.
    ``unreadable`` are the rows start-up could not read back as events, by seq.
    """
    unreadable = unreadable or {}
    if journal is None or bus is None:
        return False, "this station keeps no journal"
    try:
        limit = REPLAY_LIMIT if end is None else min(REPLAY_LIMIT, end - start + 1)
        rows = list(journal.rows(from_seq=start, limit=limit))
    except JournalError as exc:
        log.warning("replay from %s failed: %s", start, exc)
        return False, "the journal cannot be read now"
    for row in rows:  # an unreadable row goes out as its stand-in: no seq is left out
        payload = publishable(address.path, row, unreadable, check=True)
        bus.publish(address.events(), payload, qos=1)
    last = rows[-1].seq if rows else start - 1
    return True, f"replayed {start}..{last}"
