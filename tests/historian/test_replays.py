"""Replays and silent stations against checkpoints and shift sections, on a real SQLite
file and a real PostgreSQL.

A replay of events the history already holds (the documented back-fill asked for
again, or a station answering a replay twice) must leave every checkpoint and every
shift section in place; only an event new to the history, earlier than a
checkpoint, deletes that station's later checkpoints. A line with a station that
never sent an event still keeps its shift sections, and once that station's events
arrive for a kept shift the section is folded again.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from andon.bench.history_data import bench_site, station_paths
from andon.bus.messages import EventMessage
from andon.historian.site import Site, load_site
from andon.historian.stores import open_store
from tests.historian.test_checkpoints import (
    everything,
    execute,
    fill,
    journal,
    report,
    whole_range,
    wipe_checkpoints,
)

LINE = "bench-01"
STATION = "demo-plant/assembly/bench-01/s01"
SILENT = "demo-plant/assembly/bench-01/s02"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_site(bench_site(tmp_path_factory.mktemp("bench-site"), 2, 2))


@pytest.fixture(scope="module")
def journals() -> dict[str, list[EventMessage]]:
    return {p: journal(p) for p in station_paths(2, 2)}


def made(url: str, station: str) -> list[tuple[object, ...]]:
    """Every checkpoint of a station with the instant it was made."""
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            sql = "SELECT at, seq, made_at FROM checkpoints WHERE station = ? ORDER BY at"
            return db.execute(sql, (station,)).fetchall()
    import psycopg

    with psycopg.connect(url) as db:
        sql = "SELECT at, seq, made_at FROM checkpoints WHERE station = %s ORDER BY at"
        return db.execute(sql, (station,)).fetchall()


def sections_of(url: str, line: str = LINE) -> list[tuple[str, str, datetime, str]]:
    with open_store(url) as store:
        return store.held_shift_sections(line)


def test_a_duplicate_replay_leaves_checkpoints_and_sections(history_url, site, journals):
    fill(history_url, everything(journals))
    first = report(history_url, site, whole_range(), LINE)
    checkpoints_before = made(history_url, STATION)
    sections_before = sections_of(history_url)
    assert checkpoints_before and sections_before
    whole = journals[STATION]
    with open_store(history_url) as store:
        # the whole journal again, and a replay from the middle as a station answers it
        assert store.insert(whole[:5000]) == 0
        assert store.insert(whole[1000:1200]) == 0
    assert made(history_url, STATION) == checkpoints_before
    assert report(history_url, site, whole_range(), LINE) == first
    assert sections_of(history_url) == sections_before


def test_only_a_new_event_in_a_replay_deletes_later_checkpoints(history_url, site, journals):
    fill(history_url, everything(journals))
    report(history_url, site, whole_range(), LINE)
    hole = journals[STATION][2000]
    # the event goes missing from the history (a lost commit), its position stays
    execute(history_url, f"DELETE FROM events WHERE station = '{STATION}' AND seq = {hole.seq}")
    below = [(at, seq) for at, seq in _checkpoints(history_url) if seq <= hole.seq]
    assert below and len(_checkpoints(history_url)) > len(below)
    others = made(history_url, SILENT)
    # a replay of stored events around the missing one, with the missing one among them
    with open_store(history_url) as store:
        stored = store.store(journals[STATION][1500:2500])
    assert stored.added == 1 and stored.lowest_new == {STATION: hole.seq}
    assert _checkpoints(history_url) == below
    assert made(history_url, SILENT) == others  # another station's checkpoints stay


def _checkpoints(url: str) -> list[tuple[datetime, int]]:
    with open_store(url) as store:
        return store.checkpoints(STATION)


def test_a_station_without_events_does_not_block_its_lines_sections(history_url, site, journals):
    fill(history_url, [m for m in everything(journals) if m.station != SILENT])
    first = report(history_url, site, whole_range(), LINE)
    kept = sections_of(history_url)
    assert len(kept) >= 3 * 2  # the closed shifts of two days at least
    assert report(history_url, site, whole_range(), LINE) == first  # read from the sections
    wipe_checkpoints(history_url)
    assert report(history_url, site, whole_range(), LINE) == first  # folded from raw events
    # the silent station's events arrive (a back-fill after an outage): its line's
    # sections are folded again and equal a report from the complete history
    fill(history_url, journals[SILENT])
    after = report(history_url, site, whole_range(), LINE)
    assert after != first
    wipe_checkpoints(history_url)
    assert report(history_url, site, whole_range(), LINE) == after


def test_the_silent_station_report_is_the_same_from_both_databases(
    sqlite_url, postgres_url, site, journals
):
    messages = [m for m in everything(journals) if m.station != SILENT]
    fill(sqlite_url, messages)
    fill(postgres_url, messages)
    assert report(sqlite_url, site, whole_range(), LINE) == report(
        postgres_url, site, whole_range(), LINE
    )
    kept = [(start, data) for _, _, start, data in sections_of(sqlite_url)]
    assert kept and kept == [(start, data) for _, _, start, data in sections_of(postgres_url)]
