"""The history on PostgreSQL (psycopg 3): the same schema, ``events`` partitioned by month.

A month's partition is made when its first event arrives. Retention drops the
partitions that lie wholly before the cut-off (a whole month at a time, never
half of one). psycopg is an optional dependency: ``pip install 'andon[historian]'``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from andon.bus.messages import EventMessage
from andon.historian import errors as E
from andon.historian.batch import event_row, last_by_station
from andon.historian.set_reads import RANGE_LATERAL
from andon.historian.store import HistoryError, HistoryStore, Stored, month_start, next_month

PARTITION_PREFIX = "events_"

# A batch is two statements whatever its size: each takes its rows as arrays
# (one parameter per column), so the server plans it once (psycopg prepares a
# statement it has run five times) and nothing is sent row by row. The events'
# columns go in binary (``%b``): text arrays need no quoting of the JSON.
INSERT_EVENTS = (
    "WITH added AS ("
    "INSERT INTO events (station, seq, id, kind, at, data, received_at)"
    " SELECT s, q, i, k, a, d::jsonb, %s"
    " FROM unnest(%b::text[], %b::bigint[], %b::text[], %b::text[], %b::timestamptz[],"
    " %b::text[]) AS t (s, q, i, k, a, d)"
    " ON CONFLICT DO NOTHING RETURNING station, seq),"
    " lows AS (SELECT station, min(seq) AS seq, count(*) AS n FROM added GROUP BY station),"
    " stale AS (DELETE FROM checkpoints c USING lows"
    " WHERE c.station = lows.station AND c.seq > lows.seq RETURNING 1)"
    " SELECT station, seq, n FROM lows"
)
"""The events new to the history (a duplicate is left out), and in the same statement
the checkpoints they make stale (as :data:`andon.historian.batch.INVALIDATE`): each
station's above the lowest seq it added. Answers each station's lowest new seq and count."""
UPDATE_STREAMS = (
    "INSERT INTO streams (station, last_seq, updated_at)"
    " SELECT s, q, %s FROM unnest(%s::text[], %s::bigint[]) AS t (s, q)"
    " ON CONFLICT (station) DO UPDATE SET"
    " last_seq = greatest(streams.last_seq, excluded.last_seq),"
    " updated_at = excluded.updated_at"
)


def partition_name(start: datetime) -> str:
    """``events_2026_11`` for the month starting at ``start``."""
    return f"{PARTITION_PREFIX}{start.year:04d}_{start.month:02d}"


class PostgresStore(HistoryStore):
    """The history in a PostgreSQL database (15 or later)."""

    dialect = "postgresql"
    _range_sql = RANGE_LATERAL

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise HistoryError(
                f"{_safe(url)}: PostgreSQL needs psycopg: pip install 'andon[historian]'"
            ) from exc
        self._psycopg = psycopg
        self.url = _safe(url)
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise HistoryError(
                E.CANNOT_CONNECT.format(url=self.url, error=_first_line(exc))
            ) from exc
        self._partitions: set[str] | None = None

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            cursor = self._conn.execute(self._sql(sql), tuple(params))
            return cursor.fetchall() if cursor.description else []
        except self._psycopg.Error as exc:
            raise HistoryError(f"{self.url}: {_first_line(exc)}") from exc

    def _transaction(self, statements: list[tuple[str, Sequence[Any]]]) -> None:
        try:
            with self._conn.transaction(), self._conn.cursor() as cursor:
                # a run of the same statement is sent at once (psycopg pipelines it)
                for sql, runs in groupby(statements, key=lambda statement: statement[0]):
                    cursor.executemany(self._sql(sql), [tuple(p) for _, p in runs])
        except self._psycopg.Error as exc:
            raise HistoryError(f"{self.url}: {_first_line(exc)}") from exc

    def _instant(self, t: datetime) -> datetime:
        return t.astimezone(UTC)

    def partitions(self) -> set[str]:
        """The names of the month partitions of ``events``."""
        rows = self._execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'events'"
        )
        return {r[0] for r in rows}

    def _ensure_partitions(self, messages: Sequence[EventMessage]) -> None:
        if self._partitions is None:
            self._partitions = self.partitions()
        months = {month_start(m.event.at) for m in messages}
        for start in sorted(months):
            name = partition_name(start)
            if name in self._partitions:
                continue
            end = next_month(start)
            self._execute(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF events"
                f" FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
            self._partitions.add(name)

    def store(self, messages: Sequence[EventMessage]) -> Stored:
        if not messages:
            return Stored(0, {})
        self._ensure_partitions(messages)
        now = datetime.now(UTC)
        rows = [event_row(m, m.event.at, now) for m in messages]
        columns = [list(column) for column in zip(*rows, strict=True)]  # lists: arrays
        tops = last_by_station(messages)
        try:
            with self._conn.transaction(), self._conn.cursor() as cursor:
                cursor.execute(INSERT_EVENTS, (now, *columns[:6]))
                lows = cursor.fetchall()
                cursor.execute(UPDATE_STREAMS, (now, list(tops), list(tops.values())))
        except self._psycopg.Error as exc:
            self._partitions = None  # a failed transaction may have lost a new partition
            raise HistoryError(E.CANNOT_STORE.format(url=self.url, error=_first_line(exc))) from exc
        return Stored(sum(int(n) for _, _, n in lows), {s: int(q) for s, q, _ in lows})

    def apply_retention(self, before: datetime) -> int:
        cut = month_start(before)
        dropped = 0
        for name in sorted(self.partitions()):
            try:
                year, month = int(name[-7:-3]), int(name[-2:])
            except ValueError:
                continue
            if next_month(datetime(year, month, 1, tzinfo=UTC)) <= cut:
                self._execute(f"DROP TABLE {name}")
                dropped += 1
        self._partitions = None
        return dropped

    def close(self) -> None:
        self._conn.close()


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _safe(url: str) -> str:
    """The URL without a password, for messages."""
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if not at or ":" not in creds:
        return url
    return f"{scheme}{sep}{creds.split(':', 1)[0]}:***@{host}"


__all__ = ["PostgresStore", "partition_name"]
