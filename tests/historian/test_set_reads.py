"""The reads of many stations at once, on a real SQLite file and a real PostgreSQL.

Each set read answers what the one-station reads answer station by station (events
out of instant order, a gap, a station without events, one unknown to the history,
reads cut into chunks), and a site report asks as many queries for a line of five
stations as for a line of two.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from andon.bench.history_data import START, bench_site, station_events, station_paths
from andon.bus.messages import EventMessage
from andon.domain import events as ev
from andon.historian.period import Period
from andon.historian.report import Scope, build_report
from andon.historian.site import load_site
from andon.historian.store import HistoryStore
from andon.historian.stores import open_store

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
A, B, C, GONE = "p/x/l/a", "p/x/l/b", "p/x/l/c", "p/x/l/never"


def counted(station: str, seq: int, minutes: int) -> EventMessage:
    at = T0 + timedelta(minutes=minutes)
    return EventMessage(station, seq, f"{station}-{seq}", ev.Counted(at=at, good=1))


def history(store: HistoryStore) -> None:
    # A: seq 3 stamped late (a clock ahead), seq 4 back in order, a gap at 6..7
    a = [(1, 0), (2, 5), (3, 500), (4, 10), (5, 15), (8, 20), (9, 400)]
    b = [(n, n) for n in range(1, 30)]
    c = [(1, 300)]  # every event at or after the end
    store.insert([counted(A, n, m) for n, m in a] + [counted(B, n, m) for n, m in b])
    store.insert([counted(C, n, m) for n, m in c])


def one_by_one(store: HistoryStore, starts: dict[str, int], end: datetime) -> list:
    out = []
    for station, first in starts.items():
        read = [(e.seq, e.event) for e in store.events_from(station, first, end)]
        last = read[-1][0] if read else first - 1
        read += [(e.seq, e.event) for e in store.events_after(station, last + 1, 1)]
        out.append((station, read))
    return out


def together(store: HistoryStore, starts: dict[str, int], end: datetime, **kw) -> list:
    return [
        (station, [(e.seq, e.event) for e in events])
        for station, events in store.stations_from(starts, end, **kw)
    ]


def test_events_of_many_stations_are_each_stations_own(history_url: str) -> None:
    end = T0 + timedelta(minutes=100)
    with open_store(history_url) as store:
        history(store)
        for starts in ({A: 0, B: 0, C: 0, GONE: 0}, {B: 12, A: 4, C: 1}, {A: 9}, {A: 10}):
            expected = one_by_one(store, starts, end)
            assert together(store, starts, end) == expected
            # each station read on its own (as when a station holds many events)
            alone = together(store, starts, end, rows=dict.fromkeys(starts, 10**9))
            assert alone == expected
        got = dict(together(store, {A: 0}, end))
        assert [seq for seq, _ in got[A]] == [1, 2, 4, 5, 8, 9]  # 3 is after the end; 9 next


def test_counts_and_checkpoints_of_many_stations(history_url: str) -> None:
    start, end = T0, T0 + timedelta(minutes=100)
    with open_store(history_url) as store:
        history(store)
        counts = store.counts_between([A, B, C, GONE], start, end)
        assert counts == {s: store.count_between([s], start, end) for s in (A, B, C, GONE)}
        assert counts == {A: 5, B: 29, C: 0, GONE: 0}
        store.save_station_checkpoints(
            [(A, "r1", T0 + timedelta(minutes=m), m, f"a-{m}") for m in (10, 20, 30)]
            + [(A, "r2", T0 + timedelta(minutes=15), 15, "a-r2")]
            + [(B, "r1", T0 + timedelta(minutes=40), 40, "b-40")]
        )
        at = T0 + timedelta(minutes=25)
        rules = {A: "r1", B: "r1", C: "r1", GONE: "r2"}
        single = {s: store.checkpoint_at_or_before(s, r, at) for s, r in rules.items()}
        assert store.checkpoints_at_or_before(rules, at) == {
            s: found for s, found in single.items() if found is not None
        }
        assert store.checkpoints_at_or_before({A: "r2"}, at)[A][2] == "a-r2"


def counted_queries(store: HistoryStore) -> list[str]:
    """Every statement the store sends from now on (a transaction counts as one)."""
    sent: list[str] = []
    execute, transaction = store._execute, store._transaction

    def counting_execute(sql, params=()):
        sent.append(sql)
        return execute(sql, params)

    def counting_transaction(statements):
        sent.append(statements[0][0] if statements else "")
        return transaction(statements)

    store._execute = counting_execute  # type: ignore[method-assign]
    store._transaction = counting_transaction  # type: ignore[method-assign]
    return sent


def site_report_queries(url: str, folder: Path, per_line: int) -> tuple[int, int, str]:
    """(queries of a site report folded from scratch, of the same again, the report)."""
    site = load_site(bench_site(folder, 2, per_line))
    now = START + timedelta(days=1)
    with open_store(url) as store:
        batch = [
            EventMessage(p, n, f"{p}#{n}", e)
            for p in station_paths(2, per_line)
            for n, e in enumerate((m.event for m in station_events(p, 1)), start=1)
        ]
        store.insert(batch)
        sent = counted_queries(store)
        scope, period = Scope("site", site.plant.site.id), Period("range", START, now)
        data = build_report(store, site, scope, period, now=now)
        first = len(sent)
        build_report(store, site, scope, period, now=now)
    return first, len(sent) - first, json.dumps(data["summary"], sort_keys=True)


def test_a_site_report_asks_as_many_queries_for_more_stations(tmp_path: Path) -> None:
    few = site_report_queries(f"sqlite:///{tmp_path}/few.sqlite", tmp_path / "few", 2)
    many = site_report_queries(f"sqlite:///{tmp_path}/many.sqlite", tmp_path / "many", 5)
    assert few[:2] == many[:2]
    assert few[0] <= 30  # five lines (three without stations): a handful each
    assert few[2] != many[2]  # the stations were there: more of them, other figures
