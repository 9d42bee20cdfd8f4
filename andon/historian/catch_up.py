"""Stations whose retained ``state`` is ahead of the history: asked for the events between.

A station's retained state says its last journaled seq. When that is ahead of
what the follower handed over, the station is asked for a replay from the first
missing seq, paced with the gaps in the streams (the follower's
:class:`~andon.bus.replay_pacing.ReplayPacer`: again only when nothing of it arrived
meanwhile, with a back-off and a bound on the replays in flight). A state below the
history names a replaced journal, once.

The bus thread only keeps each station's latest state (:meth:`CatchUp.offer`); the
writer reads them at its next round (:meth:`CatchUp.round`), so a burst of states
(a station publishes one after its events, and the broker sends every retained one
again when the historian subscribes) costs one decoding per station and round, off
the bus thread.
A state is judged against the stream as it stood when the state arrived: by the round,
the events that came behind it have been handed over, and a state below them is no
replaced journal.
"""

from __future__ import annotations

import logging
import threading

from andon.bus.client import Message
from andon.bus.consumer import EventFollower
from andon.bus.messages import STATE_VERSION, MessageError, decode
from andon.bus.topics import StationAddress, TopicAddresses
from andon.historian.stats import HistorianStats

log = logging.getLogger(__name__)

STATES_KEPT = 50_000
"""States waiting for the next round at most (topics come from the network: bounded);
past it a state is read at once."""


class CatchUp:
    """The stations' positions as their states say, and the replays asked for them."""

    def __init__(self, prefix: str, stats: HistorianStats) -> None:
        self.prefix = prefix
        self.stats = stats
        self.restarted: set[str] = set()
        """Stations whose journal starts again below what the history holds."""
        self._known: dict[str, tuple[int, StationAddress]] = {}
        """Each station's highest seq its states said, and its address (for the replays)."""
        self._arrived: dict[str, tuple[bytes, int | None]] = {}
        """The latest state of each topic since the last round, not read yet, with the
        seq the follower had handed over for its station when it arrived (None: a topic
        that names no station)."""
        self._raised: set[str] = set()
        """Stations whose position rose past what the follower had handed over, since
        the last round: the ones it asks."""
        self._address = TopicAddresses(STATES_KEPT)
        """Parsed state topics: a topic is checked once, not at every state."""
        self._lock = threading.Lock()

    def offer(self, follower: EventFollower, message: Message) -> bool:
        """Keep a state for the next round (a newer one of its topic replaces it), with
        the stream's position at its arrival; False when too many wait: then read it
        now (:meth:`on_state`)."""
        try:
            position: int | None = follower.last(self._address(message.topic).path)
        except ValueError:
            position = None
        with self._lock:
            arrived = self._arrived
            if len(arrived) >= STATES_KEPT and message.topic not in arrived:
                return False
            arrived[message.topic] = (message.payload, position)
            return True

    def waiting(self) -> int:
        """How many states wait for the next round."""
        with self._lock:
            return len(self._arrived)

    def round(self, follower: EventFollower) -> None:
        """Read the states kept since the last round, then ask each station whose
        position rose past the stream for a replay. Each is asked once for it: the
        follower then holds the stream for gapped up to that seq, and asks again for
        it as for any gap (:meth:`EventFollower.retry_gaps`, paced)."""
        with self._lock:
            arrived, self._arrived = self._arrived, {}
        for topic, (payload, position) in arrived.items():
            self._read(follower, topic, payload, position)
        with self._lock:
            raised, self._raised = self._raised, set()
        for station in raised:
            self.ask(follower, station)

    def on_state(self, follower: EventFollower, message: Message) -> None:
        """A retained state ahead of what is stored: ask for the events in between."""
        station = self._read(follower, message.topic, message.payload)
        if station is not None:
            self.ask(follower, station)

    def _read(
        self, follower: EventFollower, topic: str, payload: bytes, position: int | None = None
    ) -> str | None:
        """Take a state's seq as the station's position; the station (None: not a state).
        ``position``: the seq handed over for the station when the state arrived (None:
        now, the state being read as it arrives)."""
        try:
            address = self._address(topic)
            seq = decode(payload, STATE_VERSION).get("seq")
        except (ValueError, MessageError):
            return None
        self.stats.states_read += 1
        if type(seq) is not int or seq < 0:
            return None  # only the position is read here: the rest of the state is the board's
        station = address.path
        stored = follower.last(station)
        then = stored if position is None else position
        # seq 0 (nothing journaled yet) and 1 (the first event) are also what a state
        # retained before the stored events says when it is delivered after them; a
        # replaced journal shows once its state passes seq 1 still below the history
        if 1 < seq < then and station not in self.restarted:
            self.restarted.add(station)
            log.error(
                "station %s says its last event is seq %d, but the history holds it up to "
                "seq %d: its journal was replaced; events up to seq %d are not stored again",
                station,
                seq,
                then,
                then,
            )
        with self._lock:
            known = self._known.get(station)
            if known is None or seq > known[0]:
                self._known[station] = (seq, known[1] if known else address)
                if seq > stored:
                    self._raised.add(station)
        return station

    def ask(self, follower: EventFollower, station: str) -> None:
        """Tell the follower how far the station's stream goes; it asks for what is
        missing now, if due (a replay in flight, or none allowed yet: later)."""
        with self._lock:
            seq, address = self._known[station]
            self._raised.discard(station)
        if seq <= follower.last(station):
            return
        if follower.announce(address, seq):
            self.stats.catch_up_requests += 1
