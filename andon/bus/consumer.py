"""Follow the event streams of many stations: in order, none twice, gaps replayed.

:class:`EventFollower` subscribes to the stations' ``events`` and retained
``state`` topics, starts each stream after the seq of the retained state,
hands every event to ``on_event`` exactly once and in order, and asks a
station for a replay (``cmd/replay``) when it sees a gap. Malformed payloads
are counted in ``rejected`` and logged, never raised. With ``subscribe=False``
its owner subscribes and routes messages to :meth:`EventFollower.on_event_message`
and :meth:`EventFollower.on_state_message` (through a
:class:`~andon.bus.gate.MessageGate`, say, subscribed before connecting).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable

from andon.bus.client import BusClient, Message
from andon.bus.commands import command_message
from andon.bus.messages import EventMessage, MessageError, encode, parse_event, parse_state
from andon.bus.sequence import SequenceTracker
from andon.bus.topics import StationAddress, StationFilter, TopicAddresses

log = logging.getLogger(__name__)

ADDRESSES_KEPT = 50_000
"""Station topics whose parsed address is kept (topics come from the network: bounded)."""


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
        keep_data: bool = False,
        subscribe: bool = True,
    ) -> None:
        self.bus = bus
        self.stations = stations
        self.on_event = on_event
        self.who = who
        self.keep_data = keep_data
        """Hand each event over with its ``data`` as received (:attr:`EventMessage.data`)."""
        self.tracker: SequenceTracker[EventMessage] = SequenceTracker(retry_s=retry_s)
        self.rejected: dict[str, int] = {}
        self.replay_requests = 0
        self._lock = threading.Lock()
        self._address = TopicAddresses(ADDRESSES_KEPT)
        """Parsed event topics: a topic is checked once, not for every event."""
        self._use_state = use_state_baseline
        if subscribe:  # else the owner routes messages to the two handlers below
            bus.subscribe(stations.events(), self.on_event_message)
            if use_state_baseline:
                bus.subscribe(stations.state(), self.on_state_message)

    def _reject(self, topic: str, error: Exception) -> None:
        with self._lock:
            self.rejected[topic] = self.rejected.get(topic, 0) + 1
        log.warning("rejected payload on %s: %s", topic, error)

    def on_state_message(self, message: Message) -> None:
        try:
            address = self._address(message.topic)
            state = parse_state(message.payload)
        except (ValueError, MessageError) as exc:
            self._reject(message.topic, exc)
            return
        with self._lock:
            if self.tracker.last(address.path) == 0:
                self.tracker.baseline(address.path, state["seq"])

    def on_event_message(self, message: Message) -> None:
        try:
            address = self._address(message.topic)
            event = parse_event(message.payload, self.keep_data)
        except (ValueError, MessageError) as exc:
            self._reject(message.topic, exc)
            return
        if event.station != address.path:
            self._reject(message.topic, MessageError("station does not match the topic"))
            return
        station = event.station
        with self._lock:
            offered = self.tracker.offer(station, event.seq, event, time.monotonic())
        for _, deliverable in offered.deliver:
            try:
                self.on_event(deliverable)
            except Exception:
                log.exception("handling event %s/%s failed", station, deliverable.seq)
        if offered.replay_from is not None:  # the tracker asks once per gap and retry period
            self.request_replay(address, offered.replay_from)

    def request_replay(self, address: StationAddress, from_seq: int) -> None:
        """Ask a station to publish its events again from ``from_seq``."""
        self.replay_requests += 1
        message = command_message(str(uuid.uuid4()), self.who, from_seq=from_seq)
        self.bus.publish(address.cmd("replay"), encode(message), qos=1)

    def announce(self, address: StationAddress, seq: int) -> bool:
        """The station says it sent up to ``seq``: ask for what is missing, if due now
        (paced with the gaps, :class:`~andon.bus.replay_pacing.ReplayPacer`)."""
        with self._lock:
            from_seq = self.tracker.announce(address.path, seq, time.monotonic())
        if from_seq is None:
            return False
        self.request_replay(address, from_seq)
        return True

    def retry_gaps(self) -> None:
        """Ask again for replays of gaps still open (call now and then)."""
        with self._lock:
            due = self.tracker.pending(time.monotonic())
        for path, from_seq in due.items():
            self.request_replay(StationAddress.from_path(path, self.stations.prefix), from_seq)

    def last(self, station_path: str) -> int:
        """The last seq delivered for a station."""
        with self._lock:
            return self.tracker.last(station_path)
