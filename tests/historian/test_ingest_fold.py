"""The historian's own checkpoints, kept as it stores, on a real SQLite file and a real
PostgreSQL.

The history is the checkpoints' (:mod:`tests.historian.test_checkpoints`), stored in
batches as the historian's writer stores them (every station's events in seq order,
the stations interleaved) through :class:`andon.historian.ingest_fold.IngestFold`.
Its checkpoints must be, state for state, the ones a report's fold keeps from the raw
events; a report then starts at the shift before its period and equals the one folded
from scratch; a gap holds a station's checkpoints until it is filled; a duplicate
replay changes nothing; a historian started again over its history continues from
its checkpoints.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from andon.bench.history_data import START, bench_site, station_paths
from andon.bus.messages import EventMessage
from andon.domain.state_codec import rules_fingerprint
from andon.historian import checkpoints
from andon.historian.ingest_fold import IngestFold, fold_rules
from andon.historian.site import Site, load_site
from andon.historian.stores import open_store
from andon.station.build import station_rules
from tests.historian.test_checkpoints import (
    fill,
    journal,
    last_day,
    report,
    whole_range,
    wipe_checkpoints,
)

STATION = "demo-plant/assembly/bench-01/s01"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_site(bench_site(tmp_path_factory.mktemp("bench-site"), 2, 2))


@pytest.fixture(scope="module")
def journals() -> dict[str, list[EventMessage]]:
    return {p: journal(p) for p in station_paths(2, 2)}


def interleaved(journals: dict[str, list[EventMessage]]) -> list[EventMessage]:
    """Every station's events in seq order, the stations taking turns by instant."""
    every = [m for ms in journals.values() for m in ms]
    return sorted(every, key=lambda m: (m.event.at, m.station, m.seq))


def ingest(
    url: str, site: Site, messages: list[EventMessage], batch: int = 700, started: bool = False
) -> IngestFold:
    """Store ``messages`` as the historian's writer does, folding each committed batch
    (``started``: first following what the history holds, as the historian starts)."""
    fold = IngestFold(fold_rules(site), budget=900)
    with open_store(url) as store:
        if started:
            fold.start(store)
        for n in range(0, len(messages), batch):
            part = messages[n : n + batch]
            fold.after(store, part, store.store(part))
        for _ in range(100):  # the writer's housekeeping while nothing arrives
            if fold.in_step():
                break
            fold.catch_up(store)
    return fold


def states(url: str) -> dict[tuple[str, datetime], tuple[int, str]]:
    """Every checkpoint: (station, instant) → (seq, state text)."""
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            rows = db.execute("SELECT station, at, seq, state FROM checkpoints").fetchall()
    else:
        import psycopg

        with psycopg.connect(url) as db:
            rows = db.execute("SELECT station, at, seq, state FROM checkpoints").fetchall()
    return {(s, at): (q, str(t)) for s, at, q, t in rows}


def by_instant(found: dict[tuple[str, datetime], tuple[int, str]]) -> dict[tuple[str, str], object]:
    """Keyed by ISO instant in UTC, so SQLite's text and PostgreSQL's timestamps compare."""
    out: dict[tuple[str, str], object] = {}
    for (station, at), (seq, text) in found.items():
        when = at if isinstance(at, datetime) else datetime.fromisoformat(at.replace("Z", "+00:00"))
        out[(station, when.isoformat())] = (seq, json.loads(text))
    return out


def test_ingest_keeps_the_checkpoints_a_report_would_keep(history_url, site, journals):
    messages = interleaved(journals)
    fold = ingest(history_url, site, messages)
    assert fold.folded == len(messages) and fold.in_step()
    kept = by_instant(states(history_url))
    calendar = site.plant.domain_calendar()
    last = max(m.event.at for m in messages)
    ends = {w.end for w in calendar.windows(START, last) if START < w.end <= last}
    with open_store(history_url) as store:
        assert {at for at, _ in store.checkpoints(STATION)} >= ends  # every shift end passed
    # a report over the history without them keeps the same states
    wipe_checkpoints(history_url)
    report(history_url, site, whole_range())
    from_report = by_instant(states(history_url))
    assert from_report and from_report.items() <= kept.items()


def test_a_report_after_ingest_starts_at_its_period(history_url, site, journals):
    ingest(history_url, site, interleaved(journals))
    period = last_day()
    path = STATION
    rules = station_rules(site.stations[path])
    with open_store(history_url) as store:
        start = checkpoints.resume(store, path, rules, rules_fingerprint(rules), period.start)
    assert start is not None and period.start - start.at < timedelta(hours=9)
    got = report(history_url, site, period)
    wipe_checkpoints(history_url)
    assert report(history_url, site, period) == got


def test_a_gap_holds_the_checkpoints_until_it_is_filled(history_url, site, journals):
    whole = journals[STATION]
    missing = whole[2000:2050]
    messages = [m for m in interleaved(journals) if m not in missing]
    fold = ingest(history_url, site, messages)
    with open_store(history_url) as store:
        assert max(seq for _, seq in store.checkpoints(STATION)) <= missing[0].seq
    with open_store(history_url) as store:  # the gap replayed, and caught up
        fold.after(store, missing, store.store(missing))
        while not fold.in_step():
            fold.catch_up(store)
        assert max(seq for _, seq in store.checkpoints(STATION)) > whole[-200].seq
    kept = by_instant(states(history_url))
    wipe_checkpoints(history_url)
    report(history_url, site, whole_range())
    assert by_instant(states(history_url)).items() <= kept.items()


def test_a_duplicate_replay_and_a_restart_change_nothing(history_url, site, journals):
    messages = interleaved(journals)
    half = len(messages) // 2
    ingest(history_url, site, messages[:half])
    # a new historian over the same history: continues from its checkpoints
    again = ingest(history_url, site, messages[half - 3000 :])
    assert again.folded < len(messages) - half + 3000
    kept = states(history_url)
    ingest(history_url, site, messages[:5000])  # a replay of what is held
    assert states(history_url) == kept


def test_a_history_stored_without_folding_is_caught_up(history_url, site, journals):
    """As after an upgrade: the first new event of each station folds its history."""
    messages = interleaved(journals)
    lasts = [ms[-1] for ms in journals.values()]
    fill(history_url, [m for m in messages if m not in lasts])
    assert states(history_url) == {}
    fresh = ingest(history_url, site, lasts)
    assert fresh.folded == len(messages)
    kept = by_instant(states(history_url))
    wipe_checkpoints(history_url)
    report(history_url, site, whole_range())
    from_report = by_instant(states(history_url))
    assert from_report and from_report.items() <= kept.items()


def test_new_stations_fold_from_the_batch_in_hand(history_url, site, journals):
    """Started on an empty history, a station's first events are folded as they come
    (nothing read back), keeping the checkpoints a fold from the database keeps."""
    messages = interleaved(journals)
    fold = IngestFold(fold_rules(site), budget=0)  # reads nothing back from the database
    with open_store(history_url) as store:
        fold.start(store)
        first = [m for m in messages if m.seq <= 150]  # each station's head, no gap
        fold.after(store, first, store.store(first))
        assert fold.folded == len(first) and fold.in_step()
    ingest(history_url, site, [m for m in messages if m.seq > 150], started=True)
    kept = by_instant(states(history_url))
    wipe_checkpoints(history_url)
    report(history_url, site, whole_range())
    from_report = by_instant(states(history_url))
    assert from_report and from_report.items() <= kept.items()


def test_a_new_station_with_a_gap_is_held_at_the_gap(history_url, site, journals):
    whole = journals[STATION]
    missing = whole[2000:2050]
    messages = [m for m in interleaved(journals) if m not in missing]
    fold = ingest(history_url, site, messages, started=True)
    with open_store(history_url) as store:
        assert max(seq for _, seq in store.checkpoints(STATION)) <= missing[0].seq
        fold.after(store, missing, store.store(missing))
        while not fold.in_step():
            fold.catch_up(store)
        assert max(seq for _, seq in store.checkpoints(STATION)) > whole[-200].seq
