"""The board's model: every message the stations publish, folded into views.

:class:`BoardModel` has no Textual and no MQTT in it. The feed calls
:meth:`BoardModel.ingest` on the network thread with each message and the
board's clock; the app calls :meth:`BoardModel.view` on its own thread. A lock
keeps the two apart, held by a view only to take each station's immutable facts;
views are built from those outside it, and are immutable.

The board never decides line state: plan, actual, pace and the hourly table come
from each station's retained ``state``; the line's KPIs and Pareto are worked out
from every station's stops by :func:`andon.domain.line_figures.line_figures`, as
the reports do (docs/figures.md). Between two snapshots the model
overlays the call events the station published after the snapshot (raised,
acknowledged, resolved, cancelled, escalated, an hour's cause), so the board
shows a station's decisions as soon as they arrive. Events are ordered and
de-duplicated per station with :class:`~andon.bus.sequence.SequenceTracker`;
a gap asks the station for a replay.

Commands from the board stay *pending* until the station confirms them
(:class:`~andon.board.command_book.CommandBook`). A view rebuilds only the lines
whose stations changed (:class:`~andon.board.view_cache.LineViewCache`).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from andon.board.catalogue import BoardCatalogue
from andon.board.command_book import CommandBook
from andon.board.deliveries import DeliveryBook
from andon.board.line_view import pareto
from andon.board.model_side import ModelSideInputs
from andon.board.pending import COMMAND_TIMEOUT_S, PendingCommand, ReplayRequest, unique_replays
from andon.board.routing import Route, Router
from andon.board.services import ServiceView
from andon.board.shift_history import paced_replays
from andon.board.station_data import (
    ReadState,
    parse_reply,
    parse_status,
    read_state,
)
from andon.board.tracked import (
    WAITING_LIMIT,
    TrackedStation,
    Trend,
    after_state,
    diagnostics_of,
    fresh_journal,
)
from andon.board.view_cache import LineViewCache, LineWork
from andon.board.views import BoardView, BrokerView, DiagnosticsView
from andon.bus import topics
from andon.bus.messages import EventMessage, MessageError, parse_event
from andon.bus.replay_pacing import MAX_RETRY_S, ReplayPacer
from andon.bus.sequence import SequenceTracker

__all__ = ["COMMAND_TIMEOUT_S", "BoardModel", "PendingCommand", "ReplayRequest", "pareto"]

log = logging.getLogger(__name__)

STATE_SUFFIX = "/" + topics.STATE


class BoardModel(ModelSideInputs):
    """Holds what the stations of the board's lines published; thread-safe."""

    def __init__(
        self,
        catalogue: BoardCatalogue,
        *,
        replay_retry_s: float = 2.0,
        command_timeout_s: float = COMMAND_TIMEOUT_S,
    ) -> None:
        self.catalogue = catalogue
        self.command_timeout_s = command_timeout_s
        self._replay_retry_s = replay_retry_s
        self._history_pacer = ReplayPacer(replay_retry_s, max(MAX_RETRY_S, replay_retry_s))
        """Paces the replays of the shift's earlier events (every station's)."""
        self._lock = threading.RLock()
        self._stations: dict[str, TrackedStation] = {}
        self._by_line: dict[str, list[TrackedStation]] = {}
        """Each line's stations, by station id."""
        self._line_versions: dict[str, int] = {}
        """Moves with every message of one of the line's stations."""
        self._views = LineViewCache(catalogue)
        self._trends: dict[str, Trend] = {line.id: Trend() for line in catalogue.lines}
        self._malformed: Counter[str] = Counter()
        self._last_error: dict[str, str] = {}
        self._ignored = 0
        self._events = 0
        self._replays_requested = 0
        self._commands = CommandBook()
        self._broker = BrokerView(None)
        self._services: dict[tuple[str, str], ServiceView] = {}
        self._deliveries = DeliveryBook()
        self._router = Router(catalogue)
        self._gapped: dict[str, TrackedStation] = {}
        """Stations whose stream may have a gap (the diagnostics drop those it closed)."""
        self._health: dict[str, Mapping[str, Any]] = {}
        """Each station's health, from its last accepted state."""
        self._health_shown: Mapping[str, Mapping[str, Any]] | None = None
        """A copy of :attr:`_health` for the views, made again only after it changed."""
        self._duplicates = 0
        """Duplicates the stations' trackers dropped: kept as they count, never walked."""
        self._state_payloads: dict[str, bytes | str] = {}
        """Each state topic's last accepted payload (read without the lock: a hint only)."""
        self.version = 0
        """Incremented on every change."""

    # --- ingest (network thread) -----------------------------------------------------

    def ingest(self, topic: str, payload: bytes | str, now: datetime) -> list[ReplayRequest]:
        """Take one message; return the replays to ask for. Never raises on bad input.

        A state is parsed whole before the lock is taken (the same bytes as the topic's
        last state are not parsed again), so a view never waits for a parse.
        """
        read: ReadState | MessageError | None = None
        if topic.endswith(STATE_SUFFIX) and payload != self._state_payloads.get(topic):
            try:
                read = read_state(payload)
            except MessageError as exc:
                read = exc
        with self._lock:
            self.version += 1
            route = self._router.route(topic)
            if route.error:
                self._bad(topic, route.error)
                return []
            if not route.shown:
                self._ignored += 1
                return []
            station = self._stations.get(route.path) or self._station(route)
            line_id = station.line_id
            self._line_versions[line_id] = self._line_versions.get(line_id, 0) + 1
            station.version += 1
            channel = route.channel
            try:
                if channel == topics.EVENTS:
                    return self._on_event(station, topic, payload, now)
                if channel == topics.STATE:
                    return self._on_state(station, topic, payload, now, read)
                if channel == topics.STATUS:
                    self._on_status(station, topic, payload, now)
                elif channel == topics.REPLY:
                    self._on_reply(station, topic, payload, now)
            except MessageError as exc:
                self._bad(topic, str(exc))
            return []

    def _bad(self, topic: str, error: str) -> None:
        self._malformed[topic] += 1
        self._last_error[topic] = error
        # The diagnostics screen shows every count; the log says it once per topic.
        level = logging.WARNING if self._malformed[topic] == 1 else logging.DEBUG
        log.log(level, "rejected a payload on %s: %s", topic, error)

    def _station(self, route: Route) -> TrackedStation:
        station = self._stations.get(route.path)
        if station is None:
            station = TrackedStation(
                route.path,
                route.line,
                route.station,
                tracker=SequenceTracker(self._replay_retry_s),
            )
            self._stations[route.path] = station
            line = self._by_line.setdefault(route.line, [])
            line.append(station)
            line.sort(key=lambda s: s.station_id)
        return station

    @staticmethod
    def _same_station(station: TrackedStation, claimed: str, what: str) -> None:
        if claimed != station.path:
            raise MessageError(f"{what}.station: {claimed!r} published on {station.path!r}")

    def _on_state(
        self,
        station: TrackedStation,
        topic: str,
        payload: bytes | str,
        now: datetime,
        read: ReadState | MessageError | None,
    ) -> list[ReplayRequest]:
        if payload == station.state_payload:
            station.last_heard = now  # the retained state again: nothing new in it
            return []
        if read is None:  # read before, but the topic's last state changed meanwhile
            read = read_state(payload)
        elif isinstance(read, MessageError):
            raise read
        head, snap = read.head, read.snapshot
        if head.station == station.station_id:
            # Some stations name themselves by id only in the state message.
            head = replace(head, station=station.path)
            snap = None if snap is None else snap.evolve(station=station.path)
        self._same_station(station, head.station, "state")
        if head.line != station.line_id:
            raise MessageError(f"state.line: {head.line!r} published on {station.path!r}")
        station.last_heard = now
        previous = station.head
        if previous is not None and head.seq < previous.seq:
            if head.at <= previous.at:
                return []  # an older snapshot overtaken by a newer one
            # A newer state numbered lower: the station started a new journal, and the
            # board missed its first event (it came before the board subscribed).
            self._restart(station)
            previous = None
        if snap is None:
            self._bad(topic, read.error)  # the last good state stays shown
        station.take_state(head, snap)
        if self._health.get(station.path) is not head.health:
            self._health[station.path] = head.health
            self._health_shown = None
        station.state_payload = self._state_payloads[topic] = payload
        station.complete_history(head, first=previous is None, now=now, snap=snap)
        station.tracker.baseline(station.path, head.seq)
        station.overlay = [m for m in station.overlay if m.seq > head.seq]
        if head.counts:
            self._trends[station.line_id].add(head)
        waiting, station.waiting = station.waiting, []
        replays: list[ReplayRequest] = []
        for message in waiting:
            if message.seq > head.seq:
                replays.extend(self._offer(station, message, now))
            else:
                station.history.replayed(message)
        replays.extend(self._history_replays(now, [station]))
        self._settle_pending(station)
        return unique_replays(replays)

    def _restart(self, station: TrackedStation) -> None:
        self._duplicates -= station.tracker.duplicates
        station.restart(SequenceTracker(self._replay_retry_s))
        if self._health.pop(station.path, None) is not None:
            self._health_shown = None

    def _on_status(
        self, station: TrackedStation, topic: str, payload: bytes | str, now: datetime
    ) -> None:
        if payload == station.status_payload:
            station.last_heard = now  # the retained status again: nothing new in it
            return
        status = parse_status(payload)
        self._same_station(station, status.station, "status")
        station.last_heard = now
        station.status_payload = payload
        if status.online:
            station.offline_since = None
        elif station.status is None or station.status.online or station.offline_since is None:
            station.offline_since = status.at or now
        station.status = status

    def _on_event(
        self, station: TrackedStation, topic: str, payload: bytes | str, now: datetime
    ) -> list[ReplayRequest]:
        message = parse_event(payload)
        self._same_station(station, message.station, "event")
        station.last_heard = now
        self._events += 1
        if fresh_journal(message) and station.applied_seq > 1 and after_state(station, message):
            self._restart(station)
        if station.head is None and station.tracker.last(station.path) == 0:
            if len(station.waiting) < WAITING_LIMIT:
                station.waiting.append(message)
            return []
        old = message.seq <= station.tracker.last(station.path)
        if old and station.history.replayed(message):  # one of the shift's earlier events
            return []
        replays = self._offer(station, message, now)
        self._settle_pending(station)
        return replays

    def _history_replays(
        self, now: datetime, stations: Iterable[TrackedStation] | None = None
    ) -> list[ReplayRequest]:
        """The replays of the shift's earlier events due now (of ``stations``, or all)."""
        histories = {s.path: s.history for s in stations or self._stations.values()}
        due = paced_replays(histories, self._history_pacer, now.timestamp())
        self._replays_requested += len(due)
        return [ReplayRequest(path, seq) for path, seq in due.items()]

    def _offer(
        self, station: TrackedStation, message: EventMessage, now: datetime
    ) -> list[ReplayRequest]:
        tracker = station.tracker
        duplicates = tracker.duplicates
        offered = tracker.offer(station.path, message.seq, message, now.timestamp())
        self._duplicates += tracker.duplicates - duplicates
        station.highest_offered = max(station.highest_offered, message.seq)
        for _, delivered in offered.deliver:
            station.deliver(delivered)
        if station.highest_offered > station.tracker.last(station.path):
            self._gapped[station.path] = station  # a gap is open: the diagnostics show it
        if offered.replay_from is not None:  # the tracker asks once per gap and retry period
            self._replays_requested += 1
            return [ReplayRequest(station.path, offered.replay_from)]
        return []

    def _on_reply(
        self, station: TrackedStation, topic: str, payload: bytes | str, now: datetime
    ) -> None:
        reply = parse_reply(payload)
        self._same_station(station, reply.station, "reply")
        station.last_heard = now
        if self._commands.replied(station.path, station.station_id, reply, now):
            self._settle_pending(station)

    def _settle_pending(self, station: TrackedStation) -> None:
        self._commands.settle(station.path, station.applied_seq)

    # --- time (UI thread) ------------------------------------------------------------

    def tick(self, now: datetime) -> list[ReplayRequest]:
        """Expire unanswered commands; return replays due again for open gaps."""
        with self._lock:
            if self._commands.expire(now, self.command_timeout_s):
                self.version += 1
            replays = []
            for station in self._stations.values():
                for path, seq in station.tracker.pending(now.timestamp()).items():
                    replays.append(ReplayRequest(path, seq))
                    self._replays_requested += 1
            replays.extend(self._history_replays(now))
            return unique_replays(replays)

    # --- views (UI thread) -------------------------------------------------------------

    def knows_state(self, topic: str) -> bool:
        """Whether a state was taken on ``topic`` (read without the lock: a hint only)."""
        return topic in self._state_payloads

    @property
    def stations_seen(self) -> int:
        """How many stations the board has heard of."""
        return len(self._stations)

    def view(self, now: datetime) -> BoardView:
        """The whole board at ``now`` (the board's clock).

        Under the lock only references are taken, and only of the stations that changed
        on the lines that changed (their snapshot with the later events applied, kept up
        to date as the events arrive, and their link's facts): immutable values. The
        stations' facts, the line views and their figures are made from those after the
        lock is let go, so ingest never waits for a view being built; the lines that did
        not change keep the view built before. The diagnostics are kept as messages
        come in, never worked out by walking the stations.
        """
        with self._lock:
            pending = self._commands.views()
            versions = self._line_versions.get
            take = self._views.take
            work = [
                LineWork(
                    info,
                    key,
                    take(self._by_line.get(info.id, ())),
                    self._trends[info.id].values(),
                )
                for info, key in self._views.stale(
                    lambda line: versions(line, 0), self._commands.version
                )
            ]
            notices = self._commands.notices(now)
            broker = self._broker
            diagnostics = self._diagnostics()
            services = tuple(self._services[k] for k in sorted(self._services))
            deliveries = self._deliveries.latest()
        return BoardView(
            now=now,
            title=self.catalogue.title,
            lines=self._views.lines(now, work, pending),
            broker=broker,
            diagnostics=diagnostics,
            notices=notices,
            pending=tuple(pending),
            services=services,
            deliveries=deliveries,
        )

    def _diagnostics(self) -> DiagnosticsView:
        if self._health_shown is None:
            self._health_shown = dict(self._health)
        return diagnostics_of(
            self._duplicates,
            self._gapped,
            self._health_shown,
            self._malformed,
            self._last_error,
            ignored=self._ignored,
            replays_requested=self._replays_requested,
            events=self._events,
        )
