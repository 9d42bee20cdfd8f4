"""Publishing the journal: every event goes out in order, and again until the broker has it.

The journal is the outbox. ``pump`` publishes the rows the broker has not yet
acknowledged, a window at a time; a row counts as published only on the
broker's PUBACK. After a reconnect everything unacknowledged is sent again, so
a consumer may see an event twice and de-duplicates it by (station, seq).
Acknowledgements arrive on the network thread and are applied to the journal
on the station's own thread, in ``pump``: after sending (new events first),
all waiting acknowledgements in one transaction.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from typing import Any, Protocol

from andon.bus.client import BusClient, Delivery
from andon.bus.messages import encode, event_dict
from andon.journal.store import JournalError

log = logging.getLogger(__name__)


class Row(Protocol):
    """What the outbox needs of a journal row."""

    seq: int
    id: str
    kind: str
    at: str
    payload: dict[str, Any]


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

    def reset(self) -> None:
        """After a reconnect: send every unacknowledged row again."""
        with self._lock:
            self._in_flight.clear()
            self._generation += 1

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
        if not self.bus.connected:
            return 0
        room = self.window - len(self._in_flight)
        if room <= 0:
            return 0
        sent = 0
        with self._lock:
            # Acknowledged rows not yet recorded (after a reconnect too) are not sent again.
            acked = set(self._acked)
        for row in self.journal.unpublished(limit=self.window):
            if row.seq in self._in_flight or row.seq in acked:
                continue
            message = event_dict(self.station, row.seq, row.id, row.at, row.kind, row.payload)
            with self._lock:
                self._in_flight.add(row.seq)
                generation = self._generation
            self.bus.publish(
                self.topic,
                encode(message),
                qos=1,
                on_acked=lambda d, seq=row.seq, g=generation: self._on_acked(d, seq, g),
            )
            sent += 1
            if sent >= room:
                break
        return sent

    def _on_acked(self, delivery: Delivery, seq: int, generation: int) -> None:
        with self._lock:
            if delivery.acknowledged:
                self._acked.append(seq)
            elif generation == self._generation:
                self._in_flight.discard(seq)

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
