"""The history's derived tables: the stations' checkpoints and the lines' shift sections.

Both are kept by folds of the raw events (:mod:`andon.historian.checkpoints`,
:mod:`andon.historian.sections`) and read back by reports; this is their SQL, shared
by SQLite and PostgreSQL (:class:`andon.historian.store.HistoryStore`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from andon.historian.batch import STALE_SECTIONS
from andon.historian.set_reads import chunks, values_table


class DerivedTables:
    """Checkpoints and shift sections; the store gives the dialect's statements."""

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _transaction(self, statements: list[tuple[str, Sequence[Any]]]) -> None:
        raise NotImplementedError

    def _instant(self, t: datetime) -> Any:
        raise NotImplementedError

    def _read_instant(self, value: Any) -> datetime:
        raise NotImplementedError

    # --- checkpoints --------------------------------------------------------------------

    def checkpoint_at_or_before(
        self, station: str, rules: str, at: datetime
    ) -> tuple[datetime, int, str] | None:
        """The latest checkpoint of a station under ``rules`` at or before ``at``:
        (instant, seq, state text)."""
        rows = self._execute(
            "SELECT at, seq, state FROM checkpoints WHERE station = ? AND rules = ? AND at <= ?"
            " ORDER BY at DESC LIMIT 1",
            (station, rules, self._instant(at)),
        )
        if not rows:
            return None
        return self._read_instant(rows[0][0]), int(rows[0][1]), str(rows[0][2])

    def checkpoints_at_or_before(
        self, stations: dict[str, str], at: datetime
    ) -> dict[str, tuple[datetime, int, str]]:
        """:meth:`checkpoint_at_or_before` of many stations (path: rules' fingerprint) in
        one query; a station without one is absent."""
        found: dict[str, tuple[datetime, int, str]] = {}
        for part in chunks(list(stations.items())):
            head, params = values_table("f", "station, rules", part)
            rows = self._execute(
                head + "SELECT c.station, c.at, c.seq, c.state FROM f JOIN checkpoints c"
                " ON c.station = f.station AND c.rules = f.rules AND c.at = ("
                "SELECT max(m.at) FROM checkpoints m"
                " WHERE m.station = f.station AND m.rules = f.rules AND m.at <= ?)",
                (*params, self._instant(at)),
            )
            for station, instant, seq, text in rows:
                found[str(station)] = (self._read_instant(instant), int(seq), str(text))
        return found

    def latest_checkpoint(self, station: str, rules: str) -> tuple[datetime, int, str] | None:
        """The latest checkpoint of a station under ``rules``: (instant, seq, state text)."""
        rows = self._execute(
            "SELECT at, seq, state FROM checkpoints WHERE station = ? AND rules = ?"
            " ORDER BY at DESC LIMIT 1",
            (station, rules),
        )
        if not rows:
            return None
        return self._read_instant(rows[0][0]), int(rows[0][1]), str(rows[0][2])

    def save_checkpoints(
        self, station: str, rules: str, rows: Sequence[tuple[datetime, int, str]]
    ) -> None:
        """Keep checkpoints (instant, seq, state text); one already held is left as it is."""
        self.save_station_checkpoints([(station, rules, at, seq, text) for at, seq, text in rows])

    def save_station_checkpoints(self, rows: Sequence[tuple[str, str, datetime, int, str]]) -> None:
        """Keep checkpoints of any stations in one transaction (station, rules, instant,
        seq, state text); one already held is left as it is."""
        if not rows:
            return
        now = self._instant(datetime.now(UTC))
        self._transaction(
            [
                (
                    "INSERT INTO checkpoints (station, rules, at, seq, state, made_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (station, rules, self._instant(at), seq, text, now),
                )
                for station, rules, at, seq, text in rows
            ]
        )

    # --- shift sections -----------------------------------------------------------------

    def clear_shift_sections(self) -> None:
        """Forget every shift section (the next reports of a line fold its closed shifts
        again and keep them)."""
        self._transaction([("DELETE FROM shift_sections", ())])

    def shift_sections(
        self, line: str, rules: str, code: str, start: datetime, end: datetime
    ) -> list[tuple[datetime, str]]:
        """The sections of ``line`` under ``rules`` and ``code`` with shifts starting in
        ``[start, end)``: (shift start, data text), in order."""
        rows = self._execute(
            "SELECT start_at, data FROM shift_sections WHERE line = ? AND rules = ? AND code = ?"
            " AND start_at >= ? AND start_at < ? ORDER BY start_at",
            (line, rules, code, self._instant(start), self._instant(end)),
        )
        return [(self._read_instant(at), str(data)) for at, data in rows]

    def save_shift_sections(
        self, line: str, rules: str, code: str, rows: Sequence[tuple[datetime, datetime, str]]
    ) -> None:
        """Keep sections (shift start, shift end, data text); one already held is left."""
        if not rows:
            return
        now = self._instant(datetime.now(UTC))
        self._transaction(
            [
                (
                    "INSERT INTO shift_sections"
                    " (line, rules, code, start_at, end_at, data, made_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (line, rules, code, self._instant(start), self._instant(end), text, now),
                )
                for start, end, text in rows
            ]
        )

    def drop_stale_shift_sections(
        self, line: str, rules: str, stations: dict[str, str], start: datetime, end: datetime
    ) -> None:
        """Delete the sections of ``line`` under ``rules`` with shifts starting in
        ``[start, end)`` that a back-fill may have changed: those a station of
        ``stations`` (path: its rules' fingerprint) holds no checkpoint for at the
        shift's end that was made no later than the section."""
        if not stations:
            return
        first, last = self._instant(start), self._instant(end)
        self._transaction(
            [
                (head + STALE_SECTIONS, (*params, line, rules, first, last))
                for head, params in (
                    values_table("f", "station, rules", part)
                    for part in chunks(list(stations.items()))
                )
            ]
        )

    def held_shift_sections(self, line: str) -> list[tuple[str, str, datetime, str]]:
        """Every section held for a line (any rules, any code): (rules, code, shift
        start, data text), by shift start."""
        rows = self._execute(
            "SELECT rules, code, start_at, data FROM shift_sections WHERE line = ?"
            " ORDER BY start_at, rules, code",
            (line,),
        )
        return [(str(r), str(c), self._read_instant(at), str(d)) for r, c, at, d in rows]

    def checkpoints(self, station: str) -> list[tuple[datetime, int]]:
        """The checkpoints held for a station (any rules): (instant, seq), in order."""
        rows = self._execute(
            "SELECT at, seq FROM checkpoints WHERE station = ? ORDER BY at, seq", (station,)
        )
        return [(self._read_instant(at), int(seq)) for at, seq in rows]
