"""Each line's view kept until the line changes: a redraw rebuilds only the lines that did.

The model counts a version per line, moved by every message of one of its
stations, and a version of the board's pending commands, which every line
shows. A line's view is built again when either moved or when the board's
clock has turned to another second (its timers and links' ages are worked out
at the view's instant, and the header's clock shows whole seconds); otherwise
the view built before is handed out again, the same object, so the screens can
tell at a glance that nothing on that line changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from andon.board.catalogue import BoardCatalogue, LineInfo
from andon.board.line_view import line_view, station_view
from andon.board.tracked import StationFacts
from andon.board.views import LineView, PendingView

Key = tuple[int, int, int]
"""(the line's version, the pending commands' version, the second of the view's instant)."""


@dataclass(frozen=True)
class LineWork:
    """What building one line's view needs, taken under the model's lock."""

    info: LineInfo
    key: Key
    stations: tuple[StationFacts, ...]
    trend: tuple[float, ...]


class LineViewCache:
    """The last view built of every line, and the versions it was built at."""

    def __init__(self, catalogue: BoardCatalogue) -> None:
        self.catalogue = catalogue
        self._built: dict[str, tuple[Key, LineView]] = {}
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

    def lines(
        self, now: datetime, work: list[LineWork], pending: list[PendingView]
    ) -> tuple[LineView, ...]:
        """Every line's view at ``now``: those in ``work`` built anew, the others kept."""
        stale_after = self.catalogue.stale_after_s
        for item in work:
            view = line_view(
                self.catalogue,
                item.info.id,
                item.info.name,
                item.info.takt_s,
                now,
                pending,
                tuple(station_view(f, now, stale_after) for f in item.stations),
                item.trend,
            )
            self._built[item.info.id] = (item.key, view)
            self.rebuilt += 1
        return tuple(self._built[info.id][1] for info in self.catalogue.lines)
