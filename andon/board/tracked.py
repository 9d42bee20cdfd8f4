"""What the board holds of each station, and each line's pace trend."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from andon.board.overlay import SHOWN_KINDS, overlay_next
from andon.board.overlay import overlay as apply_events
from andon.board.shift_history import ShiftHistory
from andon.board.station_data import (
    StateHead,
    StationSnapshot,
    StatusData,
    parse_call,
    parse_stop,
)
from andon.board.views import DiagnosticsView, TopicProblem
from andon.bus.fields import get_objects
from andon.bus.messages import EventMessage, MessageError
from andon.bus.sequence import SequenceTracker
from andon.domain import events as ev

TREND_POINTS = 30
"""Minutes of pace trend kept per line."""
OVERLAY_LIMIT = 2000
"""Events kept per station on top of its last snapshot."""
WAITING_LIMIT = 5000
"""Events held per station until its first snapshot arrives."""


@dataclass(frozen=True)
class StationFacts:
    """What a view shows of a station, taken under the model's lock (immutable)."""

    path: str
    line_id: str
    station_id: str
    status: StatusData | None
    offline_since: datetime | None
    last_heard: datetime | None
    snapshot: StationSnapshot | None
    """The last snapshot with the shift's history and later events applied."""


@dataclass(frozen=True, slots=True)
class FactsParts:
    """A station's facts as taken under the model's lock: references only, no copies."""

    key: tuple[int, int]
    """The station's :attr:`TrackedStation.view_key` when they were taken."""
    path: str
    line_id: str
    station_id: str
    status: StatusData | None
    offline_since: datetime | None
    last_heard: datetime | None
    shown: StationSnapshot | None
    seq: int
    """The station's last seq: counts since ``shown`` was worked out raise only this."""

    def facts(self) -> StationFacts:
        """The facts a view shows (outside the lock: this copies the snapshot if needed)."""
        shown = self.shown
        if shown is not None and shown.seq < self.seq:
            shown = shown.evolve(seq=self.seq)
        return StationFacts(
            self.path,
            self.line_id,
            self.station_id,
            self.status,
            self.offline_since,
            self.last_heard,
            shown,
        )


@dataclass
class TrackedStation:
    path: str
    line_id: str
    station_id: str
    tracker: SequenceTracker[EventMessage] = field(default_factory=SequenceTracker)
    head: StateHead | None = None
    """The last state accepted (it orders the event stream, even with a malformed body)."""
    good: StationSnapshot | None = None
    """The last state that parsed whole: shown while a newer one is malformed."""
    status: StatusData | None = None
    offline_since: datetime | None = None
    last_heard: datetime | None = None
    overlay: list[EventMessage] = field(default_factory=list)
    waiting: list[EventMessage] = field(default_factory=list)
    highest_offered: int = 0
    """When the board last asked this station for a replay (cleared once no gap is open)."""
    shown: tuple[StationSnapshot, int, int, int, StationSnapshot] | None = None
    """What is shown of the last snapshot, kept up to date as events arrive: (snapshot,
    overlay length, its last seq, history version, result); the result's seq is raised
    to the last seq when it is shown (counts move nothing else)."""
    state_payload: bytes | str | None = None
    """The payload of :attr:`head`: the broker sends a retained state again on every
    (re)subscription, and the same bytes need no second parse."""
    status_payload: bytes | str | None = None
    """The payload of :attr:`status`, for the same reason."""
    history: ShiftHistory = field(default_factory=ShiftHistory)
    """This shift's calls and stops from the events (the state lists only some)."""
    version: int = 0
    """Moves with every message of this station (the model moves it)."""

    def shown_snapshot(self, snap: StationSnapshot | None) -> StationSnapshot | None:
        """``snap`` with the shift's closed calls and the events published after it.

        Kept up to date as events arrive (:meth:`deliver`); worked out from scratch
        (:meth:`derive_shown`) only for a new snapshot, or after an event that changed
        a stop of the shift.
        """
        if snap is None:
            return snap
        result, seq = self._shown(snap)
        if result.seq < seq:  # counts since: only the seq moves
            result = result.evolve(seq=seq)
            self.shown = (*self.shown[:4], result)  # type: ignore[index]
        return result

    def _shown(self, snap: StationSnapshot) -> tuple[StationSnapshot, int]:
        """What is shown of ``snap`` but for counts since, and the seq they raised it to."""
        shown = self.shown
        if shown is not None and shown[0] is snap and shown[1:4] == self._shown_key():
            return shown[4], shown[2]
        result = self.derive_shown(snap)
        key = self._shown_key()
        self.shown = (snap, *key, result)
        return result, key[1]

    @property
    def view_key(self) -> tuple[int, int]:
        """Moves whenever what a view shows of the station may have changed: with each of
        its messages (:attr:`version`) and each change of its shift's history."""
        return (self.version, self.history.version)

    def facts_parts(self) -> FactsParts:
        """What a view shows of the station, as references to immutable values: taken
        under the model's lock, made into :class:`StationFacts` after it is let go."""
        snap = self.snapshot()
        result, seq = (None, 0) if snap is None else self._shown(snap)
        return FactsParts(
            self.view_key,
            self.path,
            self.line_id,
            self.station_id,
            self.status,
            self.offline_since,
            self.last_heard,
            result,
            seq,
        )

    def derive_shown(self, snap: StationSnapshot) -> StationSnapshot:
        """What :meth:`shown_snapshot` shows of ``snap``, worked out from scratch."""
        since = snap.shift.start if snap.shift else None
        history = self.history
        result = snap.evolve(
            closed_calls=history.closed(since),
            stops=history.shift_stops(snap.stops, since),
        )
        return apply_events(result, self.overlay) if self.overlay else result

    def _shown_key(self) -> tuple[int, int, int]:
        events = self.overlay
        return (len(events), events[-1].seq if events else 0, self.history.version)

    def deliver(self, message: EventMessage) -> None:
        """An event in order after the last one: into the history, and on top of what
        is shown (when that is up to date)."""
        shown, events, history = self.shown, self.overlay, self.history
        version = history.version
        current = (
            shown is not None
            and shown[1] == len(events)
            and shown[3] == version
            and shown[2] == (events[-1].seq if events else 0)
        )
        events.append(message)
        history.apply(message)
        if len(events) > OVERLAY_LIMIT:
            del events[: len(events) - OVERLAY_LIMIT]
        if shown is None or not current:
            return
        moved = history.version != version
        if not moved and not isinstance(message.event, SHOWN_KINDS):
            result: StationSnapshot | None = shown[4]  # a count: its seq is raised when shown
        else:
            recorded = history.calls.get(getattr(message.event, "call_id", "")) if moved else None
            result = overlay_next(shown[4], message, history_moved=moved, recorded=recorded)
        key = (len(events), message.seq, history.version)
        self.shown = None if result is None else (shown[0], *key, result)

    def restart(self, tracker: SequenceTracker[EventMessage]) -> None:
        """The station starts a new journal: its numbering starts again."""
        self.tracker = tracker
        self.head = self.good = None
        self.state_payload = None
        self.overlay = []
        self.highest_offered = 0
        self.history = ShiftHistory()

    def take_state(self, head: StateHead, snap: StationSnapshot | None) -> None:
        """A newer state accepted: ``snap`` is its body parsed whole (``None``: malformed,
        and the last good state stays shown)."""
        self.head = head
        if snap is not None:
            self.good = snap
        self.shown = None  # worked out again when first shown

    def snapshot(self) -> StationSnapshot | None:
        """The station's last good state, once it has sent one."""
        return self.good if self.head is not None else None

    def complete_history(
        self,
        head: StateHead,
        *,
        first: bool,
        now: datetime,
        snap: StationSnapshot | None = None,
    ) -> None:
        """Know the state's open calls, and want the shift's events not seen up to it.

        ``snap`` is the state parsed whole, when it parsed; its calls and stops are taken
        from it rather than parsed again. At the station's first state (the board
        started) the events are asked for at once; later ones wait a retry period, for
        events still on their way.
        """
        history = self.history
        history.prune(head.shift.start if head.shift else None)
        if snap is not None:
            listed, stops = snap.open_calls, snap.stops
        else:
            try:
                listed = tuple(parse_call(c, "state.open_calls") for c in head.data["open_calls"])
                stops = tuple(parse_stop(s) for s in get_objects(head.data, "stops", "state"))
            except MessageError:
                listed, stops = (), ()  # the body's error is reported with the state
        seen = self.tracker.last(self.path)
        start = max(seen, head.history_seq) + 1
        history.adopt(listed, head.at, complete=start > head.seq, stops=stops)
        history.want(start, head.seq, None if first else now.timestamp())

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
class Trend:
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


def diagnostics_of(
    duplicates: int,
    gapped: dict[str, TrackedStation],
    health: Mapping[str, Mapping[str, Any]],
    malformed: Mapping[str, int],
    last_error: Mapping[str, str],
    *,
    ignored: int,
    replays_requested: int,
    events: int,
) -> DiagnosticsView:
    """What the diagnostics screen shows of the board's stations and the payloads refused.

    ``gapped`` holds every station whose stream may have a gap (a gap opens only when
    an event is offered past one); those whose gap closed meanwhile are taken out of
    it. ``health`` is each station's last accepted state's own health, by path (shown
    as it is: the caller hands a copy that nothing changes afterwards). ``duplicates``:
    the events the stations' trackers dropped, counted as they drop them.
    """
    gaps = {}
    for path, station in list(gapped.items()):
        seq = station.gap_from
        if seq is None:
            del gapped[path]
        else:
            gaps[path] = seq
    return DiagnosticsView(
        malformed=tuple(
            TopicProblem(topic, count, last_error.get(topic, ""))
            for topic, count in sorted(malformed.items())
        ),
        ignored=ignored,
        duplicates=duplicates,
        replays_requested=replays_requested,
        open_gaps=dict(sorted(gaps.items())),
        station_health=health,
        events=events,
    )


def after_state(station: TrackedStation, message: EventMessage) -> bool:
    """The event happened after the state the board holds (an event of a new journal),
    not before it (the first event of this journal, arriving late)."""
    return station.head is None or message.event.at > station.head.at


def fresh_journal(message: EventMessage) -> bool:
    event = message.event
    return message.seq == 1 and isinstance(event, ev.StationStarted) and event.replayed == 0
