"""When to ask a station again for a replay: back-off per gap, bounded replays in flight.

A consumer that sees a gap in a station's stream asks the station to publish its
events again from the first missing ``seq``. When a WAN link or a broker comes back,
hundreds of stations can have a gap at once, and their replays queue behind each
other; asking every station again every few seconds while they drain would send
the same events many times over (a replay storm). So:

- a gap is asked for at once, then again only if nothing of it arrived meanwhile,
  after ``retry_s``, then twice as long each time up to ``max_retry_s``;
- while its first missing ``seq`` moves on (the replay is arriving), it is not asked
  again: its wait starts over from the new first missing ``seq``;
- at most ``max_in_flight`` replays are waited for at once (asked, and their wait not
  over); a gap beyond that is asked for once one of them is answered or its wait is
  over, the gap waiting longest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

RETRY_S = 2.0
MAX_RETRY_S = 60.0
MAX_IN_FLIGHT = 50


@dataclass
class _Gap:
    since: float
    """When the gap was asked for last, or first seen if it never was."""
    asked_from: int = 0
    """The first missing seq when last asked (0: never asked)."""
    wait: float = 0.0
    """How long the last request is waited for before asking again."""


class ReplayPacer:
    """The replay requests due for the open gaps of many stations; ``now`` is monotonic s."""

    def __init__(
        self,
        retry_s: float = RETRY_S,
        max_retry_s: float = MAX_RETRY_S,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        if retry_s <= 0 or max_retry_s < retry_s or max_in_flight < 1:
            raise ValueError(
                "replay pacing needs retry_s > 0, max_retry_s >= retry_s and max_in_flight >= 1"
            )
        self.retry_s = retry_s
        self.max_retry_s = max_retry_s
        self.max_in_flight = max_in_flight
        self._gaps: dict[str, _Gap] = {}
        self._flight: dict[str, float] = {}
        """Station → when the wait for its request is over."""
        self._earliest = float("inf")
        """The earliest of :attr:`_flight`'s ends (a full window stays full until then)."""

    def __contains__(self, station: str) -> bool:
        return station in self._gaps

    def in_flight(self, now: float) -> int:
        """Requests asked and still waited for."""
        self._prune(now)
        return len(self._flight)

    def ask(self, station: str, first_missing: int, now: float) -> int | None:
        """The station has a gap from ``first_missing``: the seq to ask a replay from now,
        or None (asked already and waiting, the gap is filling, or no room in flight)."""
        gap = self._gaps.get(station)
        if gap is None:
            gap = self._gaps[station] = _Gap(since=now)
        elif gap.asked_from:
            if now < gap.since + gap.wait:
                return None
            if first_missing > gap.asked_from:  # the replay is arriving: wait for the rest
                gap.since, gap.asked_from = now, first_missing
                if self._room(station, now):
                    self._fly(station, now + gap.wait)
                return None
        if not self._room(station, now):
            return None
        gap.wait = self.retry_s if not gap.asked_from else min(2 * gap.wait, self.max_retry_s)
        gap.since, gap.asked_from = now, first_missing
        self._fly(station, now + gap.wait)
        return first_missing

    def due(self, gaps: Mapping[str, int], now: float) -> dict[str, int]:
        """Of the open ``gaps`` (station → first missing seq), the requests due now,
        the longest waiting first."""
        order = sorted(gaps, key=lambda s: g.since if (g := self._gaps.get(s)) else now)
        out = {}
        for station in order:
            seq = self.ask(station, gaps[station], now)
            if seq is not None:
                out[station] = seq
        return out

    def closed(self, station: str) -> None:
        """The station's gap is filled: its back-off and its place in flight end."""
        if self._gaps.pop(station, None) is not None:
            self._flight.pop(station, None)

    def _room(self, station: str, now: float) -> bool:
        if station in self._flight or len(self._flight) < self.max_in_flight:
            return True
        if now < self._earliest:
            return False
        self._prune(now)
        return len(self._flight) < self.max_in_flight

    def _fly(self, station: str, until: float) -> None:
        self._flight[station] = until
        self._earliest = min(self._earliest, until)

    def _prune(self, now: float) -> None:
        self._flight = {s: end for s, end in self._flight.items() if end > now}
        self._earliest = min(self._flight.values(), default=float("inf"))
