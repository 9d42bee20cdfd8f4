"""Follow the event streams of many stations: in order, none twice, gaps replayed.

:class:`EventFollower` subscribes to the stations' ``events`` and retained
``state`` topics, starts each stream after the seq of the retained state,
hands every event to ``on_event`` exactly once and in order, and asks a
station for a replay (``cmd/replay``) when it sees a gap. Malformed payloads
are counted in ``rejected`` and logged, never raised.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable

from andon.bus.client import BusClient, Message
from andon.bus.messages import (
    EventMessage,
    MessageError,
    command_message,
    encode,
    parse_event,
    parse_state,
)
from andon.bus.sequence import SequenceTracker
from andon.bus.topics import StationAddress, StationFilter, parse

log = logging.getLogger(__name__)


class EventFollower:
    """Ordered, de-duplicated events of every station under a filter."""

    def __init__(
        self,
        bus: BusClient,
        stations: StationFilter,
        on_event: Callable[[EventMessage], None],
        *,
        use_state_baseline: bool = True,
        retry_s: float = 2.0,
        who: str = "follower",
    ) -> None:
        self.bus = bus
        self.stations = stations
        self.on_event = on_event
        self.who = who
        self.tracker: SequenceTracker[EventMessage] = SequenceTracker(retry_s=retry_s)
        self.rejected: dict[str, int] = {}
        self.replay_requests = 0
        self._retry_s = retry_s
        self._highest: dict[str, int] = {}
        self._asked_at: dict[str, float] = {}
        self._lock = threading.Lock()
        self._use_state = use_state_baseline
        bus.subscribe(stations.events(), self._on_event_message)
        if use_state_baseline:
            bus.subscribe(stations.state(), self._on_state_message)

    def _reject(self, topic: str, error: Exception) -> None:
        with self._lock:
            self.rejected[topic] = self.rejected.get(topic, 0) + 1
        log.warning("rejected payload on %s: %s", topic, error)

    def _on_state_message(self, message: Message) -> None:
        try:
            address, _ = parse(message.topic)
            state = parse_state(message.payload)
        except (ValueError, MessageError) as exc:
            self._reject(message.topic, exc)
            return
        with self._lock:
            if self.tracker.last(address.path) == 0:
                self.tracker.baseline(address.path, state["seq"])

    def _on_event_message(self, message: Message) -> None:
        try:
            address, _ = parse(message.topic)
            event = parse_event(message.payload)
        except (ValueError, MessageError) as exc:
            self._reject(message.topic, exc)
            return
        if event.station != address.path:
            self._reject(message.topic, MessageError("station does not match the topic"))
            return
        now = time.monotonic()
        with self._lock:
            offered = self.tracker.offer(address.path, event.seq, event, now)
            ask = self._should_ask(address.path, event.seq, offered.replay_from, now)
        for _, deliverable in offered.deliver:
            try:
                self.on_event(deliverable)
            except Exception:
                log.exception("handling event %s/%s failed", address.path, deliverable.seq)
        if ask and offered.replay_from is not None:
            self.request_replay(address, offered.replay_from)

    def _should_ask(self, path: str, seq: int, replay_from: int | None, now: float) -> bool:
        """Ask once per gap and ``retry_s``: a station replays from the seq asked up to its
        last event, so a gap that only moved on as the replay filled it is covered already
        (asking again for every replayed event would multiply the replays). Lock held."""
        highest = max(self._highest.get(path, 0), seq)
        self._highest[path] = highest
        if highest <= self.tracker.last(path):
            self._asked_at.pop(path, None)  # no gap open
            return False
        asked = self._asked_at.get(path)
        if replay_from is None or (asked is not None and now - asked < self._retry_s):
            return False
        self._asked_at[path] = now
        return True

    def request_replay(self, address: StationAddress, from_seq: int) -> None:
        """Ask a station to publish its events again from ``from_seq``."""
        self.replay_requests += 1
        message = command_message(str(uuid.uuid4()), self.who, from_seq=from_seq)
        self.bus.publish(address.cmd("replay"), encode(message), qos=1)

    def retry_gaps(self) -> None:
        """Ask again for replays of gaps still open (call now and then)."""
        now = time.monotonic()
        with self._lock:
            due = self.tracker.pending(now)
            self._asked_at.update(dict.fromkeys(due, now))
        for path, from_seq in due.items():
            self.request_replay(StationAddress.from_path(path, self.stations.prefix), from_seq)

    def last(self, station_path: str) -> int:
        """The last seq delivered for a station."""
        with self._lock:
            return self.tracker.last(station_path)
