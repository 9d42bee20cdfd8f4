"""Per-station ordering of event streams: in order, none twice, gaps replayed.

Every station numbers its events 1, 2, 3 … A consumer hands each received
event to :meth:`SequenceTracker.offer`, which releases events strictly in
order, drops duplicates (replays and QoS 1 redeliveries), holds events that
arrive after a gap, and says when to ask the station for a replay: at once, then
with a back-off per gap and a bound on the replays in flight
(:class:`~andon.bus.replay_pacing.ReplayPacer`), so that many gaps at once (a WAN
link or a broker back) do not become a replay storm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from andon.bus.replay_pacing import MAX_IN_FLIGHT, MAX_RETRY_S, ReplayPacer

T = TypeVar("T")


@dataclass
class Offered(Generic[T]):
    """What to do after one offer: deliver these, and maybe request a replay from a seq."""

    deliver: list[tuple[int, T]] = field(default_factory=list)
    duplicate: bool = False
    replay_from: int | None = None


@dataclass
class _Stream(Generic[T]):
    last: int = 0
    held: dict[int, T] = field(default_factory=dict)
    top: int = 0
    """The last seq the station says it sent (:meth:`SequenceTracker.announce`)."""

    @property
    def gapped(self) -> bool:
        """Events are missing: some arrived after a gap, or the station sent more."""
        return bool(self.held) or self.last < self.top


class SequenceTracker(Generic[T]):
    """Orders the events of many stations; ``now`` is a monotonic time in seconds."""

    def __init__(
        self,
        retry_s: float = 2.0,
        max_held: int = 50_000,
        *,
        max_retry_s: float = MAX_RETRY_S,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self._streams: dict[str, _Stream[T]] = {}
        self._pacer = ReplayPacer(retry_s, max(max_retry_s, retry_s), max_in_flight)
        self._max_held = max_held
        self.duplicates = 0

    def _stream(self, station: str) -> _Stream[T]:
        stream = self._streams.get(station)
        if stream is None:  # not setdefault: that would build a stream for every call
            stream = self._streams[station] = _Stream()
        return stream

    def last(self, station: str) -> int:
        """The last sequence number delivered for a station (0: none)."""
        stream = self._streams.get(station)
        return stream.last if stream else 0

    def baseline(self, station: str, seq: int) -> None:
        """Start a station's stream after ``seq`` (e.g. from its retained state snapshot)."""
        stream = self._stream(station)
        if seq > stream.last:
            stream.last = seq
            stream.held = {s: m for s, m in stream.held.items() if s > seq}
            if not stream.gapped:
                self._pacer.closed(station)

    def announce(self, station: str, seq: int, now: float) -> int | None:
        """The station says it sent up to ``seq`` (its retained state): events beyond what
        was received are a gap too. Returns the seq to ask a replay from now, if due."""
        stream = self._stream(station)
        stream.top = max(stream.top, seq)
        if stream.gapped:
            return self._pacer.ask(station, stream.last + 1, now)
        return None

    def offer(self, station: str, seq: int, message: T, now: float) -> Offered[T]:
        """Take one event; return what is now deliverable, in order."""
        stream = self._stream(station)
        result: Offered[T] = Offered()
        if seq <= stream.last or seq in stream.held:
            self.duplicates += 1
            result.duplicate = True
        elif len(stream.held) < self._max_held:
            stream.held[seq] = message
        while stream.last + 1 in stream.held:
            stream.last += 1
            result.deliver.append((stream.last, stream.held.pop(stream.last)))
        if stream.gapped:
            result.replay_from = self._pacer.ask(station, stream.last + 1, now)
        elif station in self._pacer:
            self._pacer.closed(station)
        return result

    def pending(self, now: float) -> dict[str, int]:
        """Stations whose gap is still open and due for another replay request."""
        gaps = {s: stream.last + 1 for s, stream in self._streams.items() if stream.gapped}
        return self._pacer.due(gaps, now) if gaps else {}

    def replays_in_flight(self, now: float) -> int:
        """Replays asked and still waited for (at most ``max_in_flight``)."""
        return self._pacer.in_flight(now)
