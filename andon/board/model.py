"""The board's model: every message the stations publish, folded into views.

:class:`BoardModel` has no Textual and no MQTT in it. The feed calls
:meth:`BoardModel.ingest` on the network thread with each message and the
board's clock; the app calls :meth:`BoardModel.view` on its own thread. A lock
keeps the two apart; views are immutable.

The board never computes line state: figures, pace, KPIs and the hourly table
come from each station's retained ``state``. Between two snapshots the model
overlays the call events the station published after the snapshot (raised,
acknowledged, resolved, cancelled, escalated, an hour's cause), so the board
shows a station's decisions as soon as they arrive. Events are ordered and
de-duplicated per station with :class:`~andon.bus.sequence.SequenceTracker`;
a gap asks the station for a replay.

Commands from the board stay *pending* until the station confirms them: its
reply, and then the event (sequence number ≥ the reply's) that shows the
change. A refusal or a missing answer becomes a notice.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from andon.board.catalogue import BoardCatalogue
from andon.board.station_data import (
    CallData,
    HourCause,
    StateHead,
    StationSnapshot,
    StatusData,
    StopData,
    parse_reply,
    parse_state_head,
    parse_status,
    snapshot_of,
)
from andon.board.views import (
    BoardView,
    BrokerView,
    CallView,
    DiagnosticsView,
    HourView,
    LineView,
    Link,
    Notice,
    ParetoBar,
    PendingView,
    StationView,
    StopView,
    TopicProblem,
    worst_link,
)
from andon.bus import topics
from andon.bus.messages import EventMessage, MessageError, command_message, parse_event
from andon.bus.sequence import SequenceTracker
from andon.domain import events as ev

log = logging.getLogger(__name__)

TREND_POINTS = 30
"""Minutes of pace trend kept per line."""
OVERLAY_LIMIT = 2000
"""Events kept per station on top of its last snapshot."""
WAITING_LIMIT = 5000
"""Events held per station until its first snapshot arrives."""
NOTICE_LIMIT = 20
NOTICE_SHOWN_S = 60.0
COMMAND_TIMEOUT_S = 15.0
ROUTE_LIMIT = 50_000
"""Topics whose routing is remembered (a plant publishes on far fewer)."""


@dataclass(frozen=True)
class _Route:
    """Where the messages of one topic go."""

    shown: bool
    """A station topic of a line this board shows (not a command)."""
    path: str = ""
    line: str = ""
    station: str = ""
    channel: str = ""
    error: str = ""
    """Why the topic is not a station topic of this namespace ("" when it is one)."""


@dataclass(frozen=True)
class ReplayRequest:
    """Ask ``station`` to publish its events again from ``from_seq``."""

    station: str
    from_seq: int


@dataclass
class PendingCommand:
    """A command the board sent, until the station confirms or refuses it."""

    command_id: str
    station: str
    name: str
    args: dict[str, Any]
    by: str
    sent_at: datetime
    status: str = "sent"
    confirm_seq: int = 0

    def message(self) -> dict[str, Any]:
        """The JSON form published on ``…/cmd/<name>``."""
        return command_message(self.command_id, self.by, **self.args)

    def view(self) -> PendingView:
        return PendingView(
            self.command_id, self.station, self.name, dict(self.args), self.status, self.sent_at
        )


@dataclass
class _Station:
    path: str
    line_id: str
    station_id: str
    tracker: SequenceTracker[EventMessage] = field(default_factory=SequenceTracker)
    head: StateHead | None = None
    """The last state accepted (its envelope checked; the rest is parsed when shown)."""
    state_topic: str = ""
    parsed: tuple[StateHead, StationSnapshot | None] | None = None
    """The last head parsed whole, and its snapshot (``None``: it was malformed)."""
    good: StationSnapshot | None = None
    """The last state that parsed whole: shown while a newer one is malformed."""
    fallback: StateHead | None = None
    """The state before :attr:`head` when nobody asked for it yet: parsed only should
    :attr:`head` be malformed, to show the last good state."""
    status: StatusData | None = None
    offline_since: datetime | None = None
    last_heard: datetime | None = None
    overlay: list[EventMessage] = field(default_factory=list)
    waiting: list[EventMessage] = field(default_factory=list)
    highest_offered: int = 0
    """When the board last asked this station for a replay (cleared once no gap is open)."""
    shown: tuple[StationSnapshot, int, int, StationSnapshot] | None = None
    """The last overlaid snapshot: (snapshot, overlay length, its last seq, result)."""
    state_payload: bytes | str | None = None
    """The payload of :attr:`head`: the broker sends a retained state again on every
    (re)subscription, and the same bytes need no second parse."""
    status_payload: bytes | str | None = None
    """The payload of :attr:`status`, for the same reason."""

    def shown_snapshot(self, snap: StationSnapshot | None) -> StationSnapshot | None:
        """``snap`` with the events published after it applied (cached)."""
        overlay = self.overlay
        if snap is None or not overlay:
            return snap
        key = (snap, len(overlay), overlay[-1].seq)
        shown = self.shown
        if shown is not None and shown[0] is snap and shown[1:3] == key[1:]:
            return shown[3]
        result = _overlay(snap, overlay)
        self.shown = (*key, result)
        return result

    @property
    def gap_from(self) -> int | None:
        """The first missing sequence number while later events are held."""
        last = self.tracker.last(self.path)
        return last + 1 if self.highest_offered > last else None

    @property
    def applied_seq(self) -> int:
        """The last sequence number reflected in what the board shows."""
        seq = self.head.seq if self.head else 0
        return max(seq, self.tracker.last(self.path))


@dataclass
class _Trend:
    shift_start: datetime | None = None
    points: dict[datetime, float] = field(default_factory=dict)

    def add(self, snap: StateHead) -> None:
        shift_start = snap.shift.start if snap.shift else None
        if shift_start != self.shift_start:
            self.shift_start, self.points = shift_start, {}
        if snap.shift is None or not snap.in_shift:
            return
        minute = snap.at.replace(second=0, microsecond=0)
        self.points[minute] = snap.difference
        while len(self.points) > TREND_POINTS:
            del self.points[min(self.points)]

    def values(self) -> tuple[float, ...]:
        return tuple(self.points[k] for k in sorted(self.points))


class BoardModel:
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
        self._lock = threading.RLock()
        self._stations: dict[str, _Station] = {}
        self._trends: dict[str, _Trend] = {line.id: _Trend() for line in catalogue.lines}
        self._lines = {line.id for line in catalogue.lines}
        self._base = [catalogue.prefix, catalogue.site, catalogue.area]
        self._routable_lines = {line for line in self._lines if _valid_line(catalogue, line)}
        """Lines whose topics are routed without :func:`topics.parse` (valid address parts)."""
        self._malformed: Counter[str] = Counter()
        self._last_error: dict[str, str] = {}
        self._ignored = 0
        self._events = 0
        self._replays_requested = 0
        self._pending: dict[str, PendingCommand] = {}
        self._notices: deque[Notice] = deque(maxlen=NOTICE_LIMIT)
        self._broker = BrokerView(None)
        self._routes: dict[str, _Route] = {}
        self.version = 0
        """Incremented on every change."""

    # --- ingest (network thread) -----------------------------------------------------

    def ingest(self, topic: str, payload: bytes | str, now: datetime) -> list[ReplayRequest]:
        """Take one message; return the replays to ask for. Never raises on bad input."""
        with self._lock:
            self.version += 1
            route = self._routes.get(topic) or self._route(topic)
            if route.error:
                self._bad(topic, route.error)
                return []
            if not route.shown:
                self._ignored += 1
                return []
            station = self._stations.get(route.path) or self._station(route)
            channel = route.channel
            try:
                if channel == topics.EVENTS:
                    return self._on_event(station, topic, payload, now)
                if channel == topics.STATE:
                    return self._on_state(station, topic, payload, now)
                if channel == topics.STATUS:
                    self._on_status(station, topic, payload, now)
                elif channel == topics.REPLY:
                    self._on_reply(station, topic, payload, now)
            except MessageError as exc:
                self._bad(topic, str(exc))
            return []

    def _route(self, topic: str) -> _Route:
        """Where a topic's messages go (remembered: a station publishes on a few topics)."""
        levels = topic.split("/")
        if (
            len(levels) == 6
            and levels[:3] == self._base
            and levels[3] in self._routable_lines
            and levels[5] in topics.STATION_CHANNELS
            and _plain_segment(levels[4])
        ):
            # What topics.parse would say, without building and checking an address.
            route = _Route(True, "/".join(levels[1:5]), levels[3], levels[4], levels[5])
        else:
            try:
                address, channel = topics.parse(topic, self.catalogue.prefix)
            except ValueError as exc:
                route = _Route(False, error=str(exc))
            else:
                shown = (
                    address.site == self.catalogue.site
                    and address.area == self.catalogue.area
                    and address.line in self._lines
                    and not channel.startswith(topics.CMD)
                )
                route = _Route(shown, address.path, address.line, address.station, channel)
        if len(self._routes) >= ROUTE_LIMIT:
            self._routes.clear()
        self._routes[topic] = route
        return route

    def _bad(self, topic: str, error: str) -> None:
        self._malformed[topic] += 1
        self._last_error[topic] = error
        # The diagnostics screen shows every count; the log says it once per topic.
        level = logging.WARNING if self._malformed[topic] == 1 else logging.DEBUG
        log.log(level, "rejected a payload on %s: %s", topic, error)

    def _station(self, route: _Route) -> _Station:
        station = self._stations.get(route.path)
        if station is None:
            station = _Station(
                route.path,
                route.line,
                route.station,
                tracker=SequenceTracker(self._replay_retry_s),
            )
            self._stations[route.path] = station
        return station

    @staticmethod
    def _same_station(station: _Station, claimed: str, what: str) -> None:
        if claimed != station.path:
            raise MessageError(f"{what}.station: {claimed!r} published on {station.path!r}")

    def _on_state(
        self, station: _Station, topic: str, payload: bytes | str, now: datetime
    ) -> list[ReplayRequest]:
        if payload == station.state_payload:
            station.last_heard = now  # the retained state again: nothing new in it
            return []
        head = parse_state_head(payload)
        if head.station == station.station_id:
            # Some stations name themselves by id only in the state message.
            head = replace(head, station=station.path)
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
        if previous is not None and (station.parsed is None or station.parsed[0] is not previous):
            station.fallback = previous
        station.head = head
        station.state_topic = topic
        station.state_payload = payload
        station.tracker.baseline(station.path, head.seq)
        station.overlay = [m for m in station.overlay if m.seq > head.seq]
        if head.counts:
            self._trends[station.line_id].add(head)
        waiting, station.waiting = station.waiting, []
        replays: list[ReplayRequest] = []
        for message in waiting:
            if message.seq > head.seq:
                replays.extend(self._offer(station, message, now))
        self._settle_pending(station)
        return _unique(replays)

    def _restart(self, station: _Station) -> None:
        """The station starts a new journal: its numbering starts again."""
        station.tracker = SequenceTracker(self._replay_retry_s)
        station.head = station.parsed = station.good = station.fallback = None
        station.state_payload = None
        station.overlay = []
        station.highest_offered = 0

    def _snapshot(self, station: _Station) -> StationSnapshot | None:
        """The station's last state, parsed whole the first time it is asked for.

        A state whose body is malformed is counted and logged here, like any bad
        payload, and the last good one stays shown.
        """
        head = station.head
        if head is None:
            return None
        parsed = station.parsed
        if parsed is not None and parsed[0] is head:
            return parsed[1] or station.good
        snap = self._parse_whole(station, head)
        fallback, station.fallback = station.fallback, None
        if snap is None and fallback is not None:
            self._parse_whole(station, fallback)
        station.parsed = (head, snap)
        return snap or station.good

    def _parse_whole(self, station: _Station, head: StateHead) -> StationSnapshot | None:
        try:
            snap = snapshot_of(head)
        except MessageError as exc:
            self._bad(station.state_topic, str(exc))
            return None
        station.good = snap
        return snap

    def _on_status(
        self, station: _Station, topic: str, payload: bytes | str, now: datetime
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
        self, station: _Station, topic: str, payload: bytes | str, now: datetime
    ) -> list[ReplayRequest]:
        message = parse_event(payload)
        self._same_station(station, message.station, "event")
        station.last_heard = now
        self._events += 1
        if _fresh_journal(message) and station.applied_seq > 1 and _after_state(station, message):
            self._restart(station)
        if station.head is None and station.tracker.last(station.path) == 0:
            if len(station.waiting) < WAITING_LIMIT:
                station.waiting.append(message)
            return []
        replays = self._offer(station, message, now)
        self._settle_pending(station)
        return replays

    def _offer(
        self, station: _Station, message: EventMessage, now: datetime
    ) -> list[ReplayRequest]:
        offered = station.tracker.offer(station.path, message.seq, message, now.timestamp())
        station.highest_offered = max(station.highest_offered, message.seq)
        for _, delivered in offered.deliver:
            station.overlay.append(delivered)
        if len(station.overlay) > OVERLAY_LIMIT:
            del station.overlay[: len(station.overlay) - OVERLAY_LIMIT]
        if offered.replay_from is not None:  # the tracker asks once per gap and retry period
            self._replays_requested += 1
            return [ReplayRequest(station.path, offered.replay_from)]
        return []

    def _on_reply(self, station: _Station, topic: str, payload: bytes | str, now: datetime) -> None:
        reply = parse_reply(payload)
        self._same_station(station, reply.station, "reply")
        station.last_heard = now
        pending = self._pending.get(reply.command_id)
        if pending is None or pending.station != station.path:
            return  # another board's command, or one already settled
        if not reply.accepted:
            del self._pending[reply.command_id]
            self._notices.append(
                Notice(now, f"{station.station_id} refused {_describe(pending)}: {reply.reason}")
            )
            return
        pending.status = "accepted"
        pending.confirm_seq = reply.seq
        self._settle_pending(station)

    def _settle_pending(self, station: _Station) -> None:
        if not self._pending:  # the common case: no command of this board waits
            return
        applied = station.applied_seq
        for command_id, pending in list(self._pending.items()):
            if (
                pending.station == station.path
                and pending.status == "accepted"
                and pending.confirm_seq <= applied
            ):
                del self._pending[command_id]

    def broker_state(self, connected: bool, detail: str, now: datetime, endpoint: str = "") -> None:
        """The feed's connection to the broker changed."""
        with self._lock:
            self.version += 1
            if connected != self._broker.connected:
                self._broker = BrokerView(connected, detail, now, endpoint or self._broker.endpoint)
            else:
                self._broker = replace(self._broker, detail=detail)

    # --- commands (UI thread) --------------------------------------------------------

    def new_command(
        self, station: str, name: str, args: Mapping[str, Any], by: str, now: datetime
    ) -> PendingCommand:
        """Record a command about to be sent; it stays pending until confirmed."""
        with self._lock:
            self.version += 1
            pending = PendingCommand(uuid.uuid4().hex, station, name, dict(args), by, now)
            self._pending[pending.command_id] = pending
            return pending

    def command_failed(self, command_id: str, reason: str, now: datetime) -> None:
        """The command could not be handed to the broker."""
        with self._lock:
            self.version += 1
            pending = self._pending.pop(command_id, None)
            if pending is not None:
                self._notices.append(Notice(now, f"{_describe(pending)} not sent: {reason}"))

    def pending_for(self, station: str, name: str, **match: Any) -> PendingView | None:
        """The pending command ``name`` to ``station`` whose arguments include ``match``."""
        with self._lock:
            for pending in self._pending.values():
                if _matches(pending, station, name, match):
                    return pending.view()
        return None

    # --- time (UI thread) ------------------------------------------------------------

    def tick(self, now: datetime) -> list[ReplayRequest]:
        """Expire unanswered commands; return replays due again for open gaps."""
        with self._lock:
            for command_id, pending in list(self._pending.items()):
                age = (now - pending.sent_at).total_seconds()
                if age > self.command_timeout_s:
                    del self._pending[command_id]
                    self.version += 1
                    name = pending.station.rsplit("/", 1)[-1]
                    what = "no answer" if pending.status == "sent" else "no confirmation"
                    self._notices.append(Notice(now, f"{what} from {name} to {_describe(pending)}"))
            replays = []
            for station in self._stations.values():
                for path, seq in station.tracker.pending(now.timestamp()).items():
                    replays.append(ReplayRequest(path, seq))
                    self._replays_requested += 1
            return replays

    # --- views (UI thread) -------------------------------------------------------------

    def view(self, now: datetime) -> BoardView:
        """The whole board at ``now`` (the board's clock)."""
        with self._lock:
            pending = [p.view() for p in self._pending.values()]
            by_line: dict[str, list[_Station]] = {}
            for station in sorted(self._stations.values(), key=lambda s: s.station_id):
                by_line.setdefault(station.line_id, []).append(station)
            lines = tuple(
                self._line_view(
                    info.id, info.name, info.takt_s, now, pending, by_line.get(info.id, [])
                )
                for info in self.catalogue.lines
            )
            notices = tuple(
                n for n in self._notices if (now - n.at).total_seconds() <= NOTICE_SHOWN_S
            )
            return BoardView(
                now=now,
                title=self.catalogue.title,
                lines=lines,
                broker=self._broker,
                diagnostics=self._diagnostics(),
                notices=notices,
                pending=tuple(pending),
            )

    def _diagnostics(self) -> DiagnosticsView:
        gaps = {s.path: s.gap_from for s in self._stations.values() if s.gap_from is not None}
        return DiagnosticsView(
            malformed=tuple(
                TopicProblem(topic, count, self._last_error.get(topic, ""))
                for topic, count in sorted(self._malformed.items())
            ),
            ignored=self._ignored,
            duplicates=sum(s.tracker.duplicates for s in self._stations.values()),
            replays_requested=self._replays_requested,
            open_gaps=gaps,
            station_health={s.path: dict(s.head.health) for s in self._stations.values() if s.head},
            events=self._events,
        )

    def _station_view(self, station: _Station, now: datetime) -> StationView:
        age = None if station.last_heard is None else (now - station.last_heard).total_seconds()
        if station.status is not None and not station.status.online:
            link = Link.OFFLINE
        elif station.last_heard is None:
            link = Link.UNKNOWN
        elif age is not None and age > self.catalogue.stale_after_s:
            link = Link.STALE
        else:
            link = Link.OK
        snap = station.shown_snapshot(self._snapshot(station))
        return StationView(
            path=station.path,
            line_id=station.line_id,
            station_id=station.station_id,
            link=link,
            age_s=None if age is None else max(0.0, age),
            offline_since=station.offline_since if link is Link.OFFLINE else None,
            detail=station.status.detail if station.status else "",
            snapshot=snap,
            version=station.status.version if station.status else "",
        )

    def _line_view(
        self,
        line_id: str,
        name: str,
        takt_s: float | None,
        now: datetime,
        pending: list[PendingView],
        members: list[_Station],
    ) -> LineView:
        """``members``: the line's stations, by station id."""
        stations = tuple(self._station_view(s, now) for s in members)
        info = self.catalogue.line(line_id)
        counting = _counting_station(stations, info.counting_station if info else None)
        open_calls: list[CallView] = []
        closed_calls: list[CallView] = []
        stops: list[StopView] = []
        for station in stations:
            snap = station.snapshot
            if snap is None:
                continue
            stops.extend(
                StopView(
                    stop,
                    station.station_id,
                    station.path,
                    _pending_on(pending, station.path, "stop_reason", stop_id=stop.stop_id),
                )
                for stop in snap.stops
            )
            for call in snap.open_calls:
                elapsed = max(0.0, (now - call.raised_at).total_seconds())
                match = _pending_on(pending, station.path, call_id=call.call_id)
                open_calls.append(
                    CallView(
                        call,
                        line_id,
                        station.station_id,
                        station.path,
                        elapsed,
                        station.link,
                        match,
                    )
                )
            for call in snap.closed_calls:
                end = call.closed_at or now
                elapsed = max(0.0, (end - call.raised_at).total_seconds())
                closed_calls.append(
                    CallView(call, line_id, station.station_id, station.path, elapsed, station.link)
                )
        hours: tuple[HourView, ...] = ()
        if counting is not None and counting.snapshot is not None:
            hours = tuple(
                HourView(
                    h,
                    _pending_on(
                        pending,
                        counting.path,
                        "hour_cause",
                        hour_start=ev.format_instant(h.start),
                    ),
                )
                for h in counting.snapshot.hours
            )
        snap = counting.snapshot if counting else None
        return LineView(
            id=line_id,
            name=name,
            stations=stations,
            counting=counting,
            trend=self._trends[line_id].values() if line_id in self._trends else (),
            open_calls=tuple(sorted(open_calls, key=lambda c: (c.call.raised_at, c.call_id))),
            closed_calls=tuple(sorted(closed_calls, key=lambda c: (c.call.raised_at, c.call_id))),
            hours=hours,
            stops=tuple(sorted(stops, key=lambda s: (s.stop.started_at, s.stop_id))),
            pareto=pareto([s.stop for s in stops], self.catalogue.reason_label),
            link=worst_link([s.link for s in stations]),
            takt_s=snap.takt_s if snap and snap.takt_s else takt_s,
        )


# --- helpers -----------------------------------------------------------------------


def _valid_line(catalogue: BoardCatalogue, line: str) -> bool:
    try:
        topics.StationAddress(catalogue.prefix, catalogue.site, catalogue.area, line, "s")
    except ValueError:
        return False
    return True


def _plain_segment(level: str) -> bool:
    """A station level :class:`~andon.bus.topics.StationAddress` accepts as it is."""
    return (
        bool(level)
        and level[0] not in "$_"
        and "+" not in level
        and "#" not in level
        and "\0" not in level
    )


def _unique(replays: list[ReplayRequest]) -> list[ReplayRequest]:
    seen: dict[str, ReplayRequest] = {}
    for replay in replays:
        seen[replay.station] = replay
    return list(seen.values())


def _after_state(station: _Station, message: EventMessage) -> bool:
    """The event happened after the state the board holds (an event of a new journal),
    not before it (the first event of this journal, arriving late)."""
    return station.head is None or message.event.at > station.head.at


def _fresh_journal(message: EventMessage) -> bool:
    event = message.event
    return message.seq == 1 and isinstance(event, ev.StationStarted) and event.replayed == 0


def _counting_station(
    stations: tuple[StationView, ...], configured: str | None
) -> StationView | None:
    if configured is not None:
        chosen = next((s for s in stations if s.station_id == configured), None)
        if chosen is not None:
            return chosen
    return next((s for s in stations if s.counts), None)


def _matches(
    pending: PendingCommand | PendingView, station: str, name: str, match: Mapping[str, Any]
) -> bool:
    return (
        pending.station == station
        and pending.name == name
        and all(pending.args.get(k) == v for k, v in match.items())
    )


def _pending_on(
    pending: list[PendingView], station: str, name: str | None = None, **match: Any
) -> PendingView | None:
    for p in pending:
        if name is None and p.name not in ("acknowledge", "resolve", "cancel"):
            continue
        if _matches(p, station, name or p.name, match):
            return p
    return None


def _describe(pending: PendingCommand) -> str:
    keys = ("call_id", "hour_start", "stop_id", "call_type")
    target = next((str(pending.args[k]) for k in keys if pending.args.get(k)), "")
    return f"{pending.name.replace('_', ' ')} {target}".strip()


def pareto(stops: list[StopData], label: Any) -> tuple[ParetoBar, ...]:
    """Downtime of the shift by reason, longest first (stops without reason by source)."""
    totals: dict[str, list[float]] = {}
    flags: dict[str, bool] = {}
    for stop in stops:
        if stop.reason:
            key = label(stop.reason)
        elif stop.needs_reason:
            key = f"{stop.source.replace('_', ' ')}: no reason"
        else:
            key = "minor stops"
        total = totals.setdefault(key, [0.0, 0])
        total[0] += stop.duration_s
        total[1] += 1
        flags[key] = flags.get(key, False) or (not stop.reason and stop.needs_reason)
    bars = [ParetoBar(k, v[0], int(v[1]), flags[k]) for k, v in totals.items() if v[0] > 0]
    return tuple(sorted(bars, key=lambda b: (-b.seconds, b.label)))


# --- the overlay of call events on a snapshot ---------------------------------------


def _overlay(snap: StationSnapshot, events: list[EventMessage]) -> StationSnapshot:
    """The snapshot with the call, hour-cause and stop-reason events published after it."""
    calls = {c.call_id: c for c in (*snap.closed_calls, *snap.open_calls)}
    hours = list(snap.hours)
    stops = list(snap.stops)
    seq = snap.seq
    for message in events:
        seq = max(seq, message.seq)
        event = message.event
        if isinstance(event, ev.CallRaised):
            if event.call_id not in calls:
                calls[event.call_id] = CallData(
                    call_id=event.call_id,
                    call_type=event.call_type,
                    status="raised",
                    raised_at=event.at,
                    source=event.source,
                    raised_by=event.by,
                    part=event.part,
                    express=event.express,
                )
        elif isinstance(event, ev.CallAcknowledged):
            call = calls.get(event.call_id)
            if call is not None and call.status == "raised":
                calls[event.call_id] = replace(
                    call,
                    status="acknowledged",
                    acknowledged_at=event.at,
                    acknowledged_by=event.by,
                )
        elif isinstance(event, ev.CallResolved | ev.CallCancelled):
            call = calls.get(event.call_id)
            if call is not None and call.is_open:
                resolved = isinstance(event, ev.CallResolved)
                calls[event.call_id] = replace(
                    call,
                    status="resolved" if resolved else "cancelled",
                    closed_at=event.at,
                    closed_by=event.by,
                    reason=event.reason if isinstance(event, ev.CallResolved) else "",
                    note=event.note if isinstance(event, ev.CallResolved) else "",
                    acknowledged_at=call.acknowledged_at or (event.at if resolved else None),
                    acknowledged_by=call.acknowledged_by or (event.by if resolved else ""),
                    reason_required=False,
                )
        elif isinstance(event, ev.CallEscalated):
            call = calls.get(event.call_id)
            if call is not None and call.is_open:
                calls[event.call_id] = replace(call, level=max(call.level, event.level))
        elif isinstance(event, ev.HourCauseRecorded):
            hours = [
                replace(h, cause=HourCause(event.reason, event.note, event.by), unexplained=False)
                if h.start == event.hour_start
                else h
                for h in hours
            ]
        elif isinstance(event, ev.StopReasonRecorded):
            stops = [
                replace(
                    s,
                    reason=event.reason,
                    reason_by=event.by,
                    note=event.note,
                    needs_reason=False,
                )
                if s.stop_id == event.stop_id
                else s
                for s in stops
            ]
    ordered = sorted(calls.values(), key=lambda c: (c.raised_at, c.call_id))
    return replace(
        snap,
        seq=seq,
        open_calls=tuple(c for c in ordered if c.is_open),
        closed_calls=tuple(c for c in ordered if not c.is_open),
        hours=tuple(hours),
        stops=tuple(stops),
    )
