"""Each line's view kept until the line changes: a redraw rebuilds only the lines that did.

The model counts a version per line, moved by every message of one of its
stations, and a version of the board's pending commands, which every line
shows. A line's view is built again when either moved or when the board's
clock has turned to another second (its timers and links' ages are worked out
at the view's instant, and the header's clock shows whole seconds); otherwise
the view built before is handed out again, the same object, so the screens can
tell at a glance that nothing on that line changed.

Within a line built again, each station is taken from the model only when its
own key moved (:attr:`~andon.board.tracked.TrackedStation.view_key`: one of
its messages, or a change of its shift's history): under the model's lock only
references are taken (:class:`~andon.board.tracked.FactsParts`); its facts and
its station view are made after the lock is let go, and a station whose key did
not move keeps its facts, and its station view within the same second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from andon.board.catalogue import BoardCatalogue, LineInfo
from andon.board.line_view import line_view, station_view
from andon.board.tracked import FactsParts, StationFacts, TrackedStation
from andon.board.views import LineView, PendingView, StationView

Key = tuple[int, int, int]
"""(the line's version, the pending commands' version, the second of the view's instant)."""
Taken = FactsParts | str
"""A station of a line being built: its parts taken anew, or only its path (unchanged)."""


@dataclass(frozen=True)
class LineWork:
    """What building one line's view needs, taken under the model's lock."""

    info: LineInfo
    key: Key
    stations: tuple[Taken, ...]
    trend: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class _Kept:
    key: tuple[int, int]
    facts: StationFacts
    second: int
    view: StationView


class LineViewCache:
    """The last view built of every line and station, and the versions they were built at."""

    def __init__(self, catalogue: BoardCatalogue) -> None:
        self.catalogue = catalogue
        self._built: dict[str, tuple[Key, LineView]] = {}
        self._stations: dict[str, _Kept] = {}
        self.rebuilt = 0
        """Line views built so far (the others were handed out again)."""

    def stale(
        self,
        now: datetime,
        versions: Callable[[str], int],
        pending_version: int,
    ) -> Iterable[tuple[LineInfo, Key]]:
        """The lines whose view must be built again for ``now``, with their new keys."""
        second = int(now.timestamp())
        for info in self.catalogue.lines:
            key = (versions(info.id), pending_version, second)
            built = self._built.get(info.id)
            if built is None or built[0] != key:
                yield info, key

    def take(self, stations: Iterable[TrackedStation]) -> tuple[Taken, ...]:
        """Under the model's lock: each station's parts, or its path when its key did not
        move since its facts were made."""
        kept = self._stations.get
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
        """Every line's view at ``now``: those in ``work`` built anew, the others kept."""
        stale_after = self.catalogue.stale_after_s
        second = int(now.timestamp())
        for item in work:
            view = line_view(
                self.catalogue,
                item.info.id,
                item.info.name,
                item.info.takt_s,
                now,
                pending,
                tuple(self._station(t, now, second, stale_after) for t in item.stations),
                item.trend,
            )
            self._built[item.info.id] = (item.key, view)
            self.rebuilt += 1
        return tuple(self._built[info.id][1] for info in self.catalogue.lines)

    def _station(
        self, taken: Taken, now: datetime, second: int, stale_after_s: float
    ) -> StationView:
        if isinstance(taken, str):
            kept = self._stations[taken]
            if kept.second == second:
                return kept.view
            key, facts = kept.key, kept.facts
        else:
            key, facts = taken.key, taken.facts()
        view = station_view(facts, now, stale_after_s)
        self._stations[facts.path] = _Kept(key, facts, second, view)
        return view
