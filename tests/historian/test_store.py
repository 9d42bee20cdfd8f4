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


def test_events_kept_as_received_read_back_as_parsed(history_url: str) -> None:
    """A message that kept its ``data`` as received is stored with it (not encoded again):
    every kind reads back as the event parsed, an integer given for a float and a field
    left to its default included, and as the same event stored the other way."""
    import dataclasses
    import json
    import typing

    from andon.bus.messages import parse_event

    samples: dict[object, object] = {
        datetime: ev.format_instant(T0),
        str: "x",
        int: 3,
        float: 2,  # an integer where the event holds a float
        bool: True,
        tuple[str, ...]: ["a", "b"],
        dict[str, str]: {"k": "v"},
    }
    received, encoded = [], []
    for seq, (kind, cls) in enumerate(sorted(ev.EVENT_TYPES.items()), start=1):
        hints = typing.get_type_hints(cls)
        data = {
            f.name: samples[hints[f.name]]
            for f in dataclasses.fields(cls)
            if f.default is dataclasses.MISSING or f.name == "at" or seq % 2
        }
        envelope = {"v": 1, "station": STATION, "seq": seq, "id": f"e{seq}", "kind": kind}
        message = parse_event(json.dumps({**envelope, "data": data}).encode(), keep_data=True)
        assert message.data == data
        received.append(message)
        encoded.append(dataclasses.replace(message, station=f"{STATION}x", data=None))
    # an integer beyond 64 bits is kept exactly too
    big = {"v": 1, "station": STATION, "seq": len(received) + 1, "id": "big", "kind": "counted"}
    data = {"at": ev.format_instant(T0), "good": 2**70}
    received.append(parse_event(json.dumps({**big, "data": data}).encode(), keep_data=True))
    encoded.append(dataclasses.replace(received[-1], station=f"{STATION}x", data=None))
    with open_store(history_url) as store:
        assert store.insert(received) == len(received)
        assert store.insert(encoded) == len(encoded)
        end = T0 + timedelta(seconds=1)
        back = [e.event for e in store.events([STATION], T0, end)]
        again = [e.event for e in store.events([f"{STATION}x"], T0, end)]
    assert back == [m.event for m in received]
    assert again == back
