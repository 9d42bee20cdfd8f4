"""The notifier's input: each station's event stream, in order, and its retained state.

Events are put in order per station (a gap asks the station to replay); a
station that starts a new journal is followed on its new numbering, its old
calls closed. A station's retained state is read when it says more than the
events did (always the first one): it tells what happened while the notifier
was away.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from andon.bus.client import BusClient
from andon.bus.commands import command_message
from andon.bus.messages import EventMessage, MessageError, encode, parse_event, parse_state
from andon.bus.sequence import SequenceTracker
from andon.bus.topics import StationAddress
from andon.config.notify import NotifyFile
from andon.domain import events as ev
from andon.notify.calls import CallBook, Change, Closed
from andon.notify.clock import Clock
from andon.notify.queue import AlertQueue

log = logging.getLogger(__name__)


class StationStream:
    """Events and states in, changes to the call book out (mixed into the notifier)."""

    config: NotifyFile
    clock: Clock
    prefix: str
    bus: BusClient | None
    book: CallBook
    queue: AlertQueue
    _trackers: dict[str, SequenceTracker[Any]]
    _seen: set[str]
    _synced: set[str]
    _first_ids: dict[str, str]
    apply: Callable[[list[Change]], None]
    _reject: Callable[[str, str, Exception], None]
    _start_workers_when_synced: Callable[[], None]

    def _on_event(self, station: str, payload: bytes) -> None:
        try:
            event = parse_event(payload)
        except MessageError as exc:
            self._reject("event", station, exc)
            return
        tracker = self._tracker(station)
        if self._starts_over(station, event):
            log.warning("%s started a new journal; following its new sequence", station)
            tracker = self._trackers[station] = SequenceTracker()
            gone = {c.call_id for c in self.book.open_calls(station)}
            gone |= self.queue.live_calls(station)
            self.book.forget(station)
            self.apply([Closed(station, call_id, "closed") for call_id in sorted(gone)])
        elif station not in self._seen:
            # The first word of a station: start its stream here (its state may follow).
            tracker.baseline(station, event.seq - 1)
        self._seen.add(station)
        offered = tracker.offer(station, event.seq, event, self.clock.monotonic())
        for _, message in offered.deliver:
            self.apply(self.book.apply(station, message.event))
        if offered.replay_from is not None:
            self._ask_replay(station, offered.replay_from)

    def _on_state(self, station: str, payload: bytes) -> None:
        try:
            state = parse_state(payload)
        except MessageError as exc:
            self._reject("state", station, exc)
            return
        seq = int(state["seq"])
        tracker = self._tracker(station)
        if station in self._synced and seq <= tracker.last(station):
            return  # nothing new: the events already told it
        # The first state of a station is always read: it tells what happened while
        # the notifier was away (calls closed or taken, levels reached).
        self._seen.add(station)
        self._synced.add(station)
        changes = self.book.reconcile(station, state)
        tracker.baseline(station, seq)
        listed = {call["call_id"] for call in state["open_calls"]}
        known = {c.call_id for c in changes if isinstance(c, Closed)}
        for call_id in sorted(self.queue.waiting_calls(station) - listed - known):
            changes.append(Closed(station, call_id, "closed"))
        self.apply(changes)
        self._start_workers_when_synced()

    def _starts_over(self, station: str, event: EventMessage) -> bool:
        """A new first event of a station: it started over with a new journal.

        A station's event 1 is its ``station_started``; one with another id than the
        event 1 seen before (or after later events) begins a new numbering.
        """
        if event.seq != 1 or not isinstance(event.event, ev.StationStarted):
            return False
        first = self._first_ids.get(station)
        self._first_ids[station] = event.event_id
        if first == event.event_id:
            return False  # the same event again (a redelivery)
        return first is not None or self._tracker(station).last(station) > 1

    def _tracker(self, station: str) -> SequenceTracker[Any]:
        """The ordering of one station's events (one per station, so it can start over)."""
        return self._trackers.setdefault(station, SequenceTracker())

    def _ask_replay(self, station: str, from_seq: int) -> None:
        if self.bus is None:
            return
        address = StationAddress.from_path(station, self.prefix)
        command = command_message(uuid.uuid4().hex, f"notifier {self.config.id}", from_seq=from_seq)
        self.bus.publish(address.cmd("replay"), encode(command), qos=1)
        log.info("asked %s to replay from %d", station, from_seq)
