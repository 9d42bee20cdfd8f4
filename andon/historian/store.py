"""The history database: raw events by (station, seq), on SQLite or PostgreSQL.

:func:`open_store` takes one URL: ``sqlite:///history.sqlite`` (relative path),
``sqlite:////var/lib/andon/history.sqlite`` (absolute path) or
``postgresql://user@host/dbname`` (any libpq URI; passwords belong in a
``.pgpass`` file or ``PGPASSFILE``, not in the URL). Opening applies the
migrations the database lacks (:mod:`andon.historian.schema`).

Writing is idempotent: :meth:`HistoryStore.insert` stores a batch in one
transaction and ignores events it already holds; ``streams.last_seq`` moves in
the same transaction, so after a crash the database says exactly where each
station's stream has to continue. Database failures raise :class:`HistoryError`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from andon.bus.messages import EventMessage
from andon.domain import events as ev
from andon.historian import errors as E
from andon.historian.batch import (
    HELD_SEQS,
    INVALIDATE,
    event_row,
    last_by_station,
    lowest_new,
    seqs_by_station,
)
from andon.historian.derived_store import DerivedTables
from andon.historian.schema import LATEST, MIGRATIONS, VERSIONS_TABLE
from andon.historian.set_reads import SetReads, decoded

SQLITE_PREFIX = "sqlite:///"
STATIONS_PER_QUERY = 500
"""Stations whose stream positions one query reads (well below SQLite's parameter limit)."""
POSTGRES_PREFIXES = ("postgresql://", "postgres://")


class HistoryError(Exception):
    """The history database cannot be opened, read or written."""


@dataclass(frozen=True)
class StoredEvent:
    """One event as the history holds it."""

    station: str
    seq: int
    event: ev.Event


def month_start(t: datetime) -> datetime:
    """The first instant (UTC) of the month ``t`` lies in."""
    t = t.astimezone(UTC)
    return datetime(t.year, t.month, 1, tzinfo=UTC)


def next_month(t: datetime) -> datetime:
    """The first instant of the month after the one starting at ``t``."""
    return datetime(t.year + (t.month == 12), t.month % 12 + 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Stored:
    """What storing a batch did: the events new to the history, and each station's
    lowest seq among them (a station whose events were all held already is absent)."""

    added: int
    lowest_new: dict[str, int]


class HistoryStore(DerivedTables, SetReads):
    """Common behaviour; :class:`SqliteStore` and :class:`PostgresStore` hold the dialect."""

    dialect = ""
    url = ""

    # --- dialect hooks ----------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _transaction(self, statements: list[tuple[str, Sequence[Any]]]) -> None:
        raise NotImplementedError

    def _instant(self, t: datetime) -> Any:
        raise NotImplementedError

    def store(self, messages: Sequence[EventMessage]) -> Stored:
        """Store a batch (any stations, any order) in one transaction with the streams'
        positions; an event new to the history below a checkpoint's seq deletes it."""
        raise NotImplementedError

    def insert(self, messages: Sequence[EventMessage]) -> int:
        """Store a batch; the number of events new to the store."""
        return self.store(messages).added

    def apply_retention(self, before: datetime) -> int:
        """Remove the events older than ``before``; the number removed (or partitions dropped)."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # --- shared -----------------------------------------------------------------------

    def migrate(self) -> list[int]:
        """Apply the migrations this database lacks; the versions applied."""
        self._transaction([(VERSIONS_TABLE[self.dialect], ())])
        have = {row[0] for row in self._execute("SELECT version FROM schema_migrations")}
        if have and max(have) > LATEST:
            raise HistoryError(
                E.SCHEMA_NEWER.format(url=self.url, version=max(have), latest=LATEST)
            )
        applied = []
        for migration in MIGRATIONS:
            if migration.version in have:
                continue
            sql = getattr(migration, self.dialect)
            steps: list[tuple[str, Sequence[Any]]] = [(s, ()) for s in sql]
            steps.append(
                (
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, self._instant(datetime.now(UTC))),
                )
            )
            self._transaction(steps)
            applied.append(migration.version)
        return applied

    def schema_version(self) -> int:
        rows = self._execute("SELECT max(version) FROM schema_migrations")
        return int(rows[0][0] or 0)

    def last_seqs(self) -> dict[str, int]:
        """The last seq stored (or removed by retention) for every station."""
        return {s: int(n) for s, n in self._execute("SELECT station, last_seq FROM streams")}

    def stations(self) -> list[str]:
        return sorted(self.last_seqs())

    def count(self, station: str | None = None) -> int:
        """Events held (of one station, or all)."""
        if station is None:
            rows = self._execute("SELECT count(*) FROM events")
        else:
            rows = self._execute("SELECT count(*) FROM events WHERE station = ?", (station,))
        return int(rows[0][0])

    def seqs(self, station: str) -> list[int]:
        """The seqs held for a station, in order (for checks against its journal)."""
        rows = self._execute("SELECT seq FROM events WHERE station = ? ORDER BY seq", (station,))
        return [int(r[0]) for r in rows]

    def database_bytes(self) -> int:
        """How much room the history takes on disk (the whole database)."""
        if self.dialect == "sqlite":
            pages = self._execute("PRAGMA page_count")[0][0]
            return int(pages) * int(self._execute("PRAGMA page_size")[0][0])
        return int(self._execute("SELECT pg_database_size(current_database())")[0][0])

    def bounds(self) -> tuple[datetime, datetime] | None:
        """The instants of the oldest and newest event held (None when empty)."""
        # Two queries: each is one look-up in the index on ``at`` (SQLite answers
        # min() and max() together by reading the whole table).
        first = self._execute("SELECT min(at) FROM events")
        if not first or first[0][0] is None:
            return None
        last = self._execute("SELECT max(at) FROM events")
        return self._read_instant(first[0][0]), self._read_instant(last[0][0])

    def events(
        self, stations: Sequence[str], start: datetime, end: datetime
    ) -> Iterator[StoredEvent]:
        """The events of ``stations`` with ``start <= at < end``, by station and seq."""
        for station in sorted(stations):
            rows = self._execute(
                "SELECT seq, kind, data FROM events WHERE station = ? AND at >= ? AND at < ?"
                " ORDER BY seq",
                (station, self._instant(start), self._instant(end)),
            )
            for seq, kind, data in rows:
                yield StoredEvent(station, int(seq), decoded(kind, data))

    def events_from(self, station: str, seq: int, end: datetime) -> Iterator[StoredEvent]:
        """The events of ``station`` from ``seq`` on with ``at < end``, by seq."""
        rows = self._execute(
            "SELECT seq, kind, data FROM events WHERE station = ? AND seq >= ? AND at < ?"
            " ORDER BY seq",
            (station, seq, self._instant(end)),
        )
        for number, kind, data in rows:
            yield StoredEvent(station, int(number), decoded(kind, data))

    def events_after(self, station: str, seq: int, limit: int) -> Iterator[StoredEvent]:
        """Up to ``limit`` events of ``station`` from ``seq`` on, by seq."""
        rows = self._execute(
            "SELECT seq, kind, data FROM events WHERE station = ? AND seq >= ?"
            " ORDER BY seq LIMIT ?",
            (station, seq, limit),
        )
        for number, kind, data in rows:
            yield StoredEvent(station, int(number), decoded(kind, data))

    def stations_from(
        self, starts: dict[str, int], end: datetime, *, rows: dict[str, int] | None = None
    ) -> Iterator[tuple[str, Iterator[StoredEvent]]]:
        """Each station of ``starts`` (station: first seq) with its events from that seq on
        with ``at < end`` and then its next one, decoded as they are taken (a few set
        queries for all of them: :meth:`events_from_each`)."""
        for station, found in self.events_from_each(starts, end, rows=rows):
            yield station, (StoredEvent(station, seq, decoded(k, d)) for seq, k, d in found)

    def count_between(self, stations: Sequence[str], start: datetime, end: datetime) -> int:
        """Events of ``stations`` with ``start <= at < end``."""
        return sum(self.counts_between(stations, start, end).values())

    def _read_instant(self, value: Any) -> datetime:
        if isinstance(value, datetime):
            return value.astimezone(UTC)
        return ev.parse_instant(value)

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SqliteStore(HistoryStore):
    """The embedded default: one SQLite file in WAL mode."""

    dialect = "sqlite"

    def __init__(self, path: Path, url: str) -> None:
        self.path = path
        self.url = url
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                str(path), isolation_level=None, check_same_thread=False, timeout=30
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a crash of the process loses nothing committed; a power cut may
            # lose the last commits, and with them their streams.last_seq, so they are
            # fetched again from the stations.
            self._conn.execute("PRAGMA synchronous=NORMAL")
        except (sqlite3.Error, OSError) as exc:
            raise HistoryError(E.CANNOT_OPEN.format(url=url, error=exc)) from exc

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.url}: {exc}") from exc

    def _transaction(self, statements: list[tuple[str, Sequence[Any]]]) -> None:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    self._conn.execute(sql, tuple(params))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.url}: {exc}") from exc

    def _instant(self, t: datetime) -> str:
        return ev.format_instant(t)

    def store(self, messages: Sequence[EventMessage]) -> Stored:
        if not messages:
            return Stored(0, {})
        now = ev.format_instant(datetime.now(UTC))
        rows = [event_row(m, ev.format_instant(m.event.at), now) for m in messages]
        tops = last_by_station(messages)
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                lows = self._new_lows(seqs_by_station(messages))
                before = conn.total_changes
                conn.executemany(
                    "INSERT INTO events (station, seq, id, kind, at, data, received_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    rows,
                )
                added = conn.total_changes - before
                conn.executemany(
                    "INSERT INTO streams (station, last_seq, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (station) DO UPDATE SET"
                    " last_seq = max(streams.last_seq, excluded.last_seq),"
                    " updated_at = excluded.updated_at",
                    [(s, n, now) for s, n in tops.items()],
                )
                conn.executemany(INVALIDATE, [(s, n) for s, (n, behind) in lows.items() if behind])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise HistoryError(E.CANNOT_STORE.format(url=self.url, error=exc)) from exc
        return Stored(added, {s: n for s, (n, _) in lows.items()})

    def _new_lows(self, seqs: dict[str, list[int]]) -> dict[str, tuple[int, bool]]:
        """Each station's lowest seq new to the history, and whether it lies at or below
        the stream's position (a back-fill, which may lie below a checkpoint)."""
        lows: dict[str, tuple[int, bool]] = {}
        names = list(seqs)
        positions: dict[str, int] = {}
        for i in range(0, len(names), STATIONS_PER_QUERY):  # one query for many stations
            chunk = names[i : i + STATIONS_PER_QUERY]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT station, last_seq FROM streams WHERE station IN ({marks})"
            positions.update(self._conn.execute(sql, chunk).fetchall())
        for station, numbers in seqs.items():
            last = positions.get(station)
            first = min(numbers)
            if last is None or first > last:
                lows[station] = (first, False)
                continue
            held = {r[0] for r in self._conn.execute(HELD_SEQS, (station, first, max(numbers)))}
            low = lowest_new(numbers, held)
            if low is not None:
                lows[station] = (low, low <= last)
        return lows

    def apply_retention(self, before: datetime) -> int:
        try:
            cursor = self._conn.execute(
                "DELETE FROM events WHERE at < ?", (ev.format_instant(before),)
            )
        except sqlite3.Error as exc:
            raise HistoryError(E.RETENTION_FAILED.format(url=self.url, error=exc)) from exc
        return cursor.rowcount

    def close(self) -> None:
        self._conn.close()
