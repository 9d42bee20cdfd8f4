"""Reads of many stations at once: a report asks a few set queries per line, not one per station.

A station set is passed as a table of values (``WITH f (station, …) AS (VALUES …)``),
which SQLite and PostgreSQL both read; the answers are those of the one-station
reads of :class:`andon.historian.store.HistoryStore` station by station. Every
read is cut into chunks of at most :data:`STATIONS_PER_SET` stations (well below
SQLite's parameter limit), and the events into chunks of about
:data:`ROWS_PER_READ` rows, so a long period is not held in memory at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from andon.domain import event_decoding

STATIONS_PER_SET = 400
"""Stations one set query names (two parameters each, below SQLite's 32 766)."""
ROWS_PER_READ = 50_000
"""About the most events one read holds (a line's shift is a few thousand; a station's
month about 40 000): stations are read together up to it, a larger one alone."""

_RANGE = (
    "SELECT e.station, e.seq, e.kind, e.data FROM f JOIN events e"
    " ON e.station = f.station AND e.seq >= f.seq WHERE e.at < ? ORDER BY e.station, e.seq"
)
RANGE_LATERAL = (
    "SELECT f.station, e.seq, e.kind, e.data FROM f CROSS JOIN LATERAL ("
    "SELECT seq, kind, data FROM events WHERE station = f.station AND seq >= f.seq AND at < ?"
    " ORDER BY seq) e ORDER BY f.station, e.seq"
)
"""The same on PostgreSQL: a lateral read makes it one index range per station (a join of
the partitioned ``events`` with the table of values is planned as a scan of every row)."""
_NEXT = (
    "SELECT e.station, e.seq, e.kind, e.data FROM f JOIN events e ON e.station = f.station"
    " AND e.seq = (SELECT min(n.seq) FROM events n WHERE n.station = f.station AND n.seq > f.seq)"
)


def values_table(name: str, columns: str, rows: Sequence[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    """``WITH name (columns) AS (VALUES (?, ?), …)`` for ``rows``, and its parameters."""
    width = len(rows[0])
    marks = ", ".join("(" + ", ".join("?" * width) + ")" for _ in rows)
    return f"WITH {name} ({columns}) AS (VALUES {marks}) ", [v for row in rows for v in row]


def chunks(items: Sequence[Any], size: int = STATIONS_PER_SET) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def by_rows(stations: Sequence[str], rows: dict[str, int], most: int) -> Iterator[list[str]]:
    """``stations`` in order, grouped so that each group's ``rows`` add up to about
    ``most`` (a station above it alone), and no group names more than
    :data:`STATIONS_PER_SET`."""
    group: list[str] = []
    held = 0
    for station in stations:
        size = rows.get(station, 0)
        if group and (held + size > most or len(group) >= STATIONS_PER_SET):
            yield group
            group, held = [], 0
        group.append(station)
        held += size
    if group:
        yield group


class SetReads:
    """Set queries over many stations; the store gives the dialect's statements."""

    _range_sql = _RANGE

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _instant(self, t: datetime) -> Any:
        raise NotImplementedError

    def counts_between(
        self, stations: Sequence[str], start: datetime, end: datetime
    ) -> dict[str, int]:
        """Events with ``start <= at < end`` of each of ``stations`` (0 for one with none)."""
        counts = dict.fromkeys(stations, 0)
        for part in chunks(list(dict.fromkeys(stations))):
            marks = ", ".join("?" * len(part))
            rows = self._execute(
                f"SELECT station, count(*) FROM events WHERE station IN ({marks})"
                " AND at >= ? AND at < ? GROUP BY station",
                (*part, self._instant(start), self._instant(end)),
            )
            counts.update({str(s): int(n) for s, n in rows})
        return counts

    def events_from_each(
        self, starts: dict[str, int], end: datetime, *, rows: dict[str, int] | None = None
    ) -> Iterator[tuple[str, list[tuple[int, str, Any]]]]:
        """Each station of ``starts`` (station: first seq) in that order, with its rows
        ``(seq, kind, data)`` from its first seq on with ``at < end``, in seq order, then
        its next event (the lowest seq above the last of those, at any instant): what
        ``events_from`` and then ``events_after(…, 1)`` answer for it. ``rows``: the
        events expected of each station, to read about :data:`ROWS_PER_READ` at once."""
        order = list(starts)
        for group in by_rows(order, rows or {}, ROWS_PER_READ):
            found: dict[str, list[tuple[int, str, Any]]] = {s: [] for s in group}
            head, params = values_table("f", "station, seq", [(s, starts[s]) for s in group])
            for station, seq, kind, data in self._execute(
                head + self._range_sql, (*params, self._instant(end))
            ):
                found[str(station)].append((int(seq), kind, data))
            lasts = [(s, got[-1][0] if got else starts[s] - 1) for s, got in found.items()]
            head, params = values_table("f", "station, seq", lasts)
            for station, seq, kind, data in self._execute(head + _NEXT, params):
                found[str(station)].append((int(seq), kind, data))
            yield from found.items()


def decoded(kind: str, data: Any) -> Any:
    """A stored row's event (``data`` is text on SQLite, already JSON on PostgreSQL)."""
    body = json.loads(data) if isinstance(data, str) else data
    return event_decoding.from_dict(kind, body)
