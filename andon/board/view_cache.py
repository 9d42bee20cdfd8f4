"""Each line's view kept until the line changes: a redraw rebuilds only what moved.

The model counts a version per line, moved by every message of one of its
stations, and a version of the board's pending commands, which every line
shows. When either moved, the line's base — all that the clock does not move
(:mod:`andon.board.line_base`) — is made again. When the board's clock turns to
another second, only the line's clock part is worked out again from its base
(:func:`andon.board.line_view.line_at`: the stations' links and ages, the calls'
timers, the figures over the shift so far; the header's clock shows whole
seconds). Otherwise the view built before is handed out again, the same object,
so the screens can tell at a glance that nothing on that line changed.

Within a line whose base is made again, each station is taken from the model only
when its own key moved (:attr:`~andon.board.tracked.TrackedStation.view_key`: one
of its messages, or a change of its shift's history): under the model's lock only
references are taken (:class:`~andon.board.tracked.FactsParts`); its facts are
made after the lock is let go, and a station whose key did not move keeps its
facts, and its station view within the same second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from andon.board.catalogue import BoardCatalogue, LineInfo
from andon.board.line_base import LineBase, line_base
from andon.board.line_view import Shown, line_at, station_view
from andon.board.tracked import FactsParts, StationFacts, TrackedStation
from andon.board.views import LineView, PendingView, StationView

Key = tuple[int, int]
"""(the line's version, the pending commands' version)."""
Taken = FactsParts | str
"""A station of a line being built: its parts taken anew, or only its path (unchanged)."""


@dataclass(frozen=True)
class LineWork:
    """What making one line's base needs, taken under the model's lock."""

    info: LineInfo
    key: Key
    stations: tuple[Taken, ...]
    trend: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class _Facts:
    key: tuple[int, int]
    facts: StationFacts


@dataclass(slots=True)
class _Seen:
    """A station's view, the facts it shows and the second it is of (updated in place:
    a thousand stations are seen again at every second)."""

    facts: StationFacts
    second: int
    view: StationView


class LineViewCache:
    """The last base and view of every line and station, and the versions they are of."""

    def __init__(self, catalogue: BoardCatalogue) -> None:
        self.catalogue = catalogue
        self._keys: dict[str, Key] = {}
        self._bases: dict[str, LineBase] = {}
        self._shown: dict[str, Shown] = {}
        self._facts: dict[str, _Facts] = {}
        self._seen: dict[str, _Seen] = {}
        self._index = {info.id: index for index, info in enumerate(catalogue.lines)}
        self._views: list[LineView] = []
        """Every line's view, in the catalogue's order (filled at the first second)."""
        self._second: int | None = None

    def stale(
        self, versions: Callable[[str], int], pending_version: int
    ) -> Iterable[tuple[LineInfo, Key]]:
        """The lines whose base must be made again, with their new keys."""
        keys = self._keys.get
        for info in self.catalogue.lines:
            key = (versions(info.id), pending_version)
            if keys(info.id) != key:
                yield info, key

    def take(self, stations: Iterable[TrackedStation]) -> tuple[Taken, ...]:
        """Under the model's lock: each station's parts, or its path when its key did not
        move since its facts were made."""
        kept = self._facts.get
        taken: list[Taken] = []
        for station in stations:
            known = kept(station.path)
            if known is not None and known.key == station.view_key:
                taken.append(station.path)
            else:
                taken.append(station.facts_parts())
        return tuple(taken)

    def lines(
        self, now: datetime, work: list[LineWork], pending: list[PendingView]
    ) -> tuple[LineView, ...]:
        """Every line's view at ``now``: the bases in ``work`` made anew, each line's clock
        part worked out again at a new second, the others kept."""
        catalogue = self.catalogue
        for item in work:
            info = item.info
            self._bases[info.id] = line_base(
                catalogue,
                info.id,
                info.name,
                info.takt_s,
                pending,
                tuple(self._station_facts(t) for t in item.stations),
                item.trend,
            )
            self._keys[info.id] = item.key
        second = int(now.timestamp())
        if second != self._second:  # the clock part of every line
            self._second = second
            self._views = [self._line_at(info.id, now, second) for info in catalogue.lines]
        else:  # within the second: only the lines made again
            for item in work:
                index = self._index[item.info.id]
                self._views[index] = self._line_at(item.info.id, now, second)
        return tuple(self._views)

    def _line_at(self, line_id: str, now: datetime, second: int) -> LineView:
        base = self._bases[line_id]
        shown = self._shown.get(line_id)
        if shown is not None and shown.base is base and shown.second == second:
            return shown.view
        stale_after = self.catalogue.stale_after_s
        stations = tuple(
            self._station_view(facts, now, second, stale_after) for facts in base.stations
        )
        view, losses, explained = line_at(self.catalogue, base, stations, now, shown)
        self._shown[line_id] = Shown(base, second, view, losses, explained)
        return view

    def _station_facts(self, taken: Taken) -> StationFacts:
        if isinstance(taken, str):
            return self._facts[taken].facts
        facts = taken.facts()
        self._facts[facts.path] = _Facts(taken.key, facts)
        return facts

    def _station_view(
        self, facts: StationFacts, now: datetime, second: int, stale_after_s: float
    ) -> StationView:
        seen = self._seen.get(facts.path)
        if seen is None:
            view = station_view(facts, now, stale_after_s)
            self._seen[facts.path] = _Seen(facts, second, view)
            return view
        if seen.facts is facts:
            if seen.second == second:
                return seen.view
            view = station_view(facts, now, stale_after_s, seen.view)
        else:
            view = station_view(facts, now, stale_after_s)
            seen.facts = facts
        seen.second, seen.view = second, view
        return view
