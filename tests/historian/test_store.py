"""The history database on a real SQLite file and a real PostgreSQL: schema, idempotence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from andon.bus.messages import EventMessage
from andon.domain import events as ev
from andon.historian.schema import LATEST
from andon.historian.store import HistoryError
from andon.historian.stores import open_store

STATION = "demo-plant/assembly/line-a/a3"
T0 = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)


def counted(seq: int, at: datetime, station: str = STATION) -> EventMessage:
    return EventMessage(station, seq, f"{station}-{seq}", ev.Counted(at=at, good=1))


def test_schema_is_versioned_and_migrated_once(history_url: str) -> None:
    with open_store(history_url) as store:
        assert store.schema_version() == LATEST
        assert store.migrate() == []  # already there
    with open_store(history_url) as store:
        assert store.schema_version() == LATEST


def test_insert_is_idempotent_by_station_and_seq(history_url: str) -> None:
    with open_store(history_url) as store:
        batch = [counted(s, T0 + timedelta(seconds=s)) for s in range(1, 101)]
        assert store.insert(batch) == 100
        assert store.insert([*batch[40:60], counted(101, T0 + timedelta(seconds=101))]) == 1
        assert store.count() == 101
        assert store.seqs(STATION) == list(range(1, 102))
        assert store.last_seqs() == {STATION: 101}


def test_events_read_back_as_stored(history_url: str) -> None:
    other = "demo-plant/assembly/line-b/b2"
    with open_store(history_url) as store:
        store.insert([counted(1, T0, other), counted(1, T0), counted(2, T0 + timedelta(hours=3))])
        back = list(store.events([STATION, other], T0, T0 + timedelta(hours=1)))
        assert [(e.station, e.seq) for e in back] == [(STATION, 1), (other, 1)]
        assert back[0].event == ev.Counted(at=T0, good=1)


def test_events_cross_month_partitions(postgres_url: str) -> None:
    from andon.historian.postgres import PostgresStore

    with open_store(postgres_url) as store:
        assert isinstance(store, PostgresStore)
        # 30 Nov 22:00 UTC to 1 Dec 02:00 UTC: two months
        store.insert([counted(s, T0 + timedelta(hours=s - 1)) for s in range(1, 6)])
        assert store.partitions() == {"events_2026_11", "events_2026_12"}
        assert store.count() == 5
        assert store.apply_retention(datetime(2026, 12, 15, tzinfo=UTC)) == 1
        assert store.seqs(STATION) == [3, 4, 5]
        assert store.last_seqs() == {STATION: 5}  # removed on purpose: not fetched again


def test_sqlite_retention_keeps_the_stream_position(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        store.insert([counted(s, T0 + timedelta(days=s)) for s in range(1, 6)])
        assert store.apply_retention(T0 + timedelta(days=3)) == 2
        assert store.seqs(STATION) == [3, 4, 5]
        assert store.last_seqs() == {STATION: 5}


def test_a_bad_url_is_named(tmp_path) -> None:
    with pytest.raises(HistoryError, match=r"expected a database URL starting with sqlite:///"):
        open_store("mysql://x")
    with pytest.raises(HistoryError, match="cannot connect"):
        open_store(f"postgresql://nobody@/none?host={tmp_path}")


def test_sqlite_file_is_in_wal_mode(sqlite_url: str) -> None:
    import sqlite3

    open_store(sqlite_url).close()
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
