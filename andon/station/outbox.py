"""Publishing the journal: every event goes out in order, and again until the broker has it.

The journal is the outbox. ``pump`` publishes the rows the broker has not yet
acknowledged, a window at a time; a row counts as published only on the
broker's PUBACK. After a reconnect everything unacknowledged is sent again, so
a consumer may see an event twice and de-duplicates it by (station, seq).
Acknowledgements arrive on the network thread and are applied to the journal
on the station's own thread, in ``pump``: after sending (new events first),
all waiting acknowledgements in one transaction.

While the outbox is caught up (every unacknowledged row it read from the
journal is in flight), the rows just journaled are handed to :meth:`Outbox.add`
and sent from memory: a press's event goes out without being read back from
the file. Anything that could leave a row behind (a lost connection, a refused
delivery, more fresh rows than the window) puts the outbox back to reading the
journal, which holds every row until it is acknowledged.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Mapping
from typing import Any, Protocol

from andon.bus.client import BusClient, Delivery
from andon.bus.messages import encode, event_dict
from andon.journal.store import JournalError, JournalRow
from andon.station.unreadable import publishable

log = logging.getLogger(__name__)


class Row(Protocol):
    """What the outbox needs of a journal row."""

    @property
    def seq(self) -> int: ...

    @property
    def id(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def at(self) -> str: ...

    @property
    def payload(self) -> dict[str, Any]: ...


class Source(Protocol):
    """The journal, seen as an outbox."""

    def unpublished(self, limit: int | None = None) -> list[Any]: ...

    def mark_published_many(self, seqs: list[int]) -> None: ...


class Outbox:
    """Moves journal rows to the broker with QoS 1, in order, at most ``window`` in flight."""

    def __init__(
        self, journal: Source, bus: BusClient, topic: str, station: str, window: int = 500
    ) -> None:
        self.journal = journal
        self.bus = bus
        self.topic = topic
        self.station = station
        self.window = window
        self._in_flight: set[int] = set()
        self._acked: deque[int] = deque()
        self._lock = threading.Lock()
        self._generation = 0
        self.published = 0
        self._fresh: deque[Row] = deque()
        """Rows journaled since the outbox caught up, not sent yet (station thread only)."""
        self._caught_up = False
        """Every unacknowledged row is in flight or in ``_fresh``: no need to read the journal."""
        self._refused = False
        """A delivery failed (network thread): read the journal again at the next pump."""
        self.unreadable: Mapping[int, str] = {}
        """Rows start-up could not read back as events (by seq): sent as stand-ins."""

    def reset(self) -> None:
        """After a reconnect: send every unacknowledged row again."""
        with self._lock:
            self._in_flight.clear()
            self._generation += 1
        self._fall_back()

    def add(self, row: Row) -> None:
        """A row just journaled (station thread): sent from memory while caught up."""
        if not self._caught_up:
            return  # the journal has it; the next read finds it
        if len(self._fresh) >= self.window:
            self._fall_back()  # the broker is not keeping up: the journal holds them
            return
        self._fresh.append(row)

    def _fall_back(self) -> None:
        self._caught_up = False
        self._fresh.clear()

    @property
    def acks_waiting(self) -> int:
        """How many acknowledgements wait to be recorded in the journal."""
        return len(self._acked)

    @property
    def in_flight(self) -> int:
        """Rows sent and not yet acknowledged."""
        return len(self._in_flight)

    def pump(self) -> int:
        """Send what is due, then record acknowledgements; returns how many were sent."""
        try:
            return self._send()
        finally:
            self._apply_acks()

    def _send(self) -> int:
        if self._refused:
            self._refused = False
            self._fall_back()
        if not self.bus.connected:
            self._fall_back()
            return 0
        room = self.window - len(self._in_flight)
        if room <= 0:
            return 0
        if self._caught_up:
            return self._send_fresh(room)
        sent = 0
        with self._lock:
            # Acknowledged rows not yet recorded (after a reconnect too) are not sent again.
            acked = set(self._acked)
        rows = self.journal.unpublished(limit=self.window)
        for row in rows:
            if row.seq in self._in_flight or row.seq in acked:
                continue
            if sent >= room:
                return sent
            self._publish(row)
            sent += 1
        # Every unacknowledged row is in flight now: rows journaled from here on
        # can be sent from memory, until something makes the journal needed again.
        self._caught_up = len(rows) < self.window
        return sent

    def _send_fresh(self, room: int) -> int:
        fresh = self._fresh
        sent = 0
        while fresh and sent < room:
            self._publish(fresh.popleft())
            sent += 1
        return sent

    def _publish(self, row: Row) -> None:
        if isinstance(row, JournalRow):  # a row of the file: it may be unreadable
            payload = publishable(self.station, row, self.unreadable)
        else:
            message = event_dict(self.station, row.seq, row.id, row.at, row.kind, row.payload)
            payload = encode(message)
        with self._lock:
            self._in_flight.add(row.seq)
            generation = self._generation
        self.bus.publish(
            self.topic,
            payload,
            qos=1,
            on_acked=lambda d, seq=row.seq, g=generation: self._on_acked(d, seq, g),
        )

    def _on_acked(self, delivery: Delivery, seq: int, generation: int) -> None:
        with self._lock:
            if delivery.acknowledged:
                self._acked.append(seq)
            elif generation == self._generation:
                self._in_flight.discard(seq)
                self._refused = True  # sent again from the journal

    def _apply_acks(self) -> None:
        with self._lock:
            seqs = list(self._acked)
            self._acked.clear()
        if not seqs:
            return
        try:
            self.journal.mark_published_many(seqs)
        except JournalError:
            # The journal cannot be written (disk full, read-only): keep the
            # acknowledgements and the rows in flight, so they are neither sent
            # again nor forgotten, and try again at the next pump.
            with self._lock:
                self._acked.extendleft(reversed(seqs))
            return
        with self._lock:
            self._in_flight.difference_update(seqs)
        self.published += len(seqs)
