"""``cmd/replay``: publish a station's journaled events again, from a given seq on."""

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


def replay_from(args: dict[str, Any]) -> int:
    """The ``from_seq`` of a replay's arguments, or :class:`BadReplay`."""
    start = args.get("from_seq")
    if (
        isinstance(start, bool)
        or not isinstance(start, int)
        or not 1 <= start <= MAX_INTEGER
        or set(args) - {"from_seq"}
    ):
        log.warning("bad command replay: from_seq %.40r", start)
        raise BadReplay("from_seq: expected an integer from 1 to 2^63 - 1")
    return start


def replay(
    journal: Journal | None,
    bus: BusClient | None,
    address: StationAddress,
    start: int,
    unreadable: Mapping[int, str] | None = None,
) -> tuple[bool, str]:
    """Publish the journal's rows from ``start`` on (at most :data:`REPLAY_LIMIT`).

    Returns (accepted, reason): the reason names the seqs replayed, or why not.
    ``unreadable`` are the rows start-up could not read back as events, by seq.
    """
    unreadable = unreadable or {}
    if journal is None or bus is None:
        return False, "this station keeps no journal"
    try:
        rows = list(journal.rows(from_seq=start, limit=REPLAY_LIMIT))
    except JournalError as exc:
        log.warning("replay from %s failed: %s", start, exc)
        return False, "the journal cannot be read now"
    for row in rows:  # an unreadable row goes out as its stand-in: no seq is left out
        payload = publishable(address.path, row, unreadable, check=True)
        bus.publish(address.events(), payload, qos=1)
    last = rows[-1].seq if rows else start - 1
    return True, f"replayed {start}..{last}"
