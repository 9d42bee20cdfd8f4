"""Stations whose retained ``state`` is ahead of the history: asked for the events between.

A station's retained state says its last journaled seq. When that is ahead of
what the follower handed over, the station is asked for a replay from the first
missing seq, paced with the gaps in the streams (the follower's
:class:`~andon.bus.replay_pacing.ReplayPacer`: again only when nothing of it arrived
meanwhile, with a back-off and a bound on the replays in flight). A state below the
history names a replaced journal, once.
"""

from __future__ import annotations

import logging
import threading

from andon.bus.client import Message
from andon.bus.consumer import EventFollower
from andon.bus.messages import STATE_VERSION, MessageError, decode
from andon.bus.topics import StationAddress, parse
from andon.historian.stats import HistorianStats

log = logging.getLogger(__name__)


class CatchUp:
    """The stations' positions as their states say, and the replays asked for them."""

    def __init__(self, prefix: str, stats: HistorianStats) -> None:
        self.prefix = prefix
        self.stats = stats
        self.restarted: set[str] = set()
        """Stations whose journal starts again below what the history holds."""
        self._known: dict[str, int] = {}
        self._lock = threading.Lock()

    def on_state(self, follower: EventFollower, message: Message) -> None:
        """A retained state ahead of what is stored: ask for the events in between."""
        try:
            address, _ = parse(message.topic)
            seq = decode(message.payload, STATE_VERSION).get("seq")
        except (ValueError, MessageError):
            return
        if type(seq) is not int or seq < 0:
            return  # only the position is read here: the rest of the state is the board's
        stored = follower.last(address.path)
        # seq 0 (nothing journaled yet) and 1 (the first event) are also what a state
        # retained before the stored events says when it is delivered after them; a
        # replaced journal shows once its state passes seq 1 still below the history
        if 1 < seq < stored and address.path not in self.restarted:
            self.restarted.add(address.path)
            log.error(
                "station %s says its last event is seq %d, but the history holds it up to "
                "seq %d: its journal was replaced; events up to seq %d are not stored again",
                address.path,
                seq,
                stored,
                stored,
            )
        with self._lock:
            self._known[address.path] = max(seq, self._known.get(address.path, 0))
        self.ask(follower, address.path)

    def ask_all(self, follower: EventFollower) -> None:
        """Ask again every station still behind, when its replay is due."""
        with self._lock:
            stations = list(self._known)
        for station in stations:
            self.ask(follower, station)

    def ask(self, follower: EventFollower, station: str) -> None:
        with self._lock:
            known = self._known.get(station, 0)
        if known <= follower.last(station):
            return
        if follower.announce(StationAddress.from_path(station, self.prefix), known):
            self.stats.catch_up_requests += 1
