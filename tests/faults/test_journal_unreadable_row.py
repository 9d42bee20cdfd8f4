"""A row in the middle of a station's journal that cannot be read does not end its replay.

Another tool (or a damaged disk) leaves a row that is not UTF-8, malformed or
truncated JSON, NaN, a 5 000-digit integer or a lone surrogate. The station
replays the rows after it, lights the alarm and counts the row, never reissues
its seq, and publishes a ``row_unreadable`` stand-in under it, so that
consumers go on past it; ``verify-journal`` still fails and names the row.
"""

from __future__ import annotations

import sqlite3

import pytest

from andon.bus.client import BusClient
from andon.bus.commands import command_message
from andon.bus.consumer import EventFollower
from andon.bus.messages import encode, parse_event
from andon.bus.topics import StationFilter
from andon.domain import commands as cmd
from andon.domain import events as ev
from andon.journal.verify import verify
from tests.support.stations import wait_for

A3 = "demo-plant/assembly/line-a/a3"
AT = '{"at":"2025-03-04T08:00:00.000Z",'

BAD_ROWS = {
    "5000 digits": ("counted", AT + '"good":1' + "0" * 5000 + ',"scrap":0}'),
    "lone surrogate": ("counted", AT + '"good":1,"scrap":0,"serial":"\\ud800"}'),
    "NaN": ("counted", AT + '"good":NaN,"scrap":0}'),
    "truncated": ("counted", AT + '"good":1,"sc'),
    "not UTF-8": ("counted", (AT + '"good":1,"scrap":0,"serial":"\xff"}').encode("latin-1")),
    "unknown kind": ("nonsense", AT + '"good":1}'),
}


def test_a_station_starts_when_its_last_row_has_no_readable_instant(station_factory, tmp_path):
    journal = tmp_path / "a3.sqlite"
    station_factory(journal_path=journal).agent.stop()
    with sqlite3.connect(journal) as conn:
        conn.execute(
            "INSERT INTO events (seq, id, kind, at, payload, prev_hash, hash)"
            " SELECT MAX(seq) + 1, 'forged', 'counted', CAST(? AS TEXT), '{}', 'x', 'y'"
            " FROM events",
            (b"\xff\xfe",),
        )
    conn.close()
    agent = station_factory(journal_path=journal).agent
    assert len(agent.core.unreadable) == 1 and "alarm" in agent.active_signals()
    agent.run_on_loop(lambda: agent.core.execute(cmd.count, good=1))
    assert agent.core.state.good == 1


def _insert_bad_row(journal, kind: str, payload: str | bytes) -> int:
    """Append a row as another tool would: chained to the last row, its own hash wrong."""
    with sqlite3.connect(journal) as conn:
        seq, last_hash = conn.execute(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        conn.execute(
            "INSERT INTO events (seq, id, kind, at, payload, prev_hash, hash)"
            " VALUES (?, 'forged', ?, '2025-03-04T08:00:00.000Z', CAST(? AS TEXT), ?, ?)",
            (seq + 1, kind, payload, last_hash, "0" * 64),
        )
    conn.close()
    return seq + 1


def _counts(runtime, n: int) -> None:
    runtime.agent.run_on_loop(
        lambda: [runtime.agent.core.execute(cmd.count, good=1) for _ in range(n)]
    )


@pytest.mark.parametrize("bad", sorted(BAD_ROWS))
def test_replay_goes_on_past_an_unreadable_row_in_the_middle(
    bad, mosquitto, station_factory, collector_factory, tmp_path
):
    journal = tmp_path / "a3.sqlite"
    settings = mosquitto.settings(client_id="station-a3", clean_session=False)
    collector = collector_factory(mosquitto.settings(client_id="watcher"), f"andon/{A3}/events")
    first = station_factory(settings, journal_path=journal)
    _counts(first, 3)
    good_before = first.agent.core.state.good
    first.agent.stop()
    bad_seq = _insert_bad_row(journal, *BAD_ROWS[bad])

    second = station_factory(settings, journal_path=journal)
    assert second.agent.core.unreadable.keys() == {bad_seq}
    _counts(second, 2)  # journaled after the bad row
    after = second.agent.core.state.last_seq
    assert after > bad_seq + 2
    second.agent.stop()

    third = station_factory(settings, journal_path=journal)
    agent = third.agent
    assert agent.core.state.good == good_before + 2  # the rows after the bad one count
    assert agent.core.unreadable.keys() == {bad_seq}
    assert "alarm" in agent.active_signals()
    assert agent.state_payload()["health"]["unreadable_rows"] == 1
    _counts(third, 1)
    assert agent.core.state.last_seq > after  # no seq reissued
    wait_for(lambda: agent.bus.connected and agent.outbox.in_flight == 0, timeout=10)

    problems = verify(journal)
    assert problems and {p.seq for p in problems} == {bad_seq}

    # Every seq reaches a consumer once at least, each one a valid event; the bad
    # row's as its stand-in, so the stream goes on past it.
    last = agent.core.state.last_seq
    wait_for(lambda: {m["seq"] for m in collector.json("/events")} >= set(range(1, last + 1)))
    events = {}
    for message in collector.messages:
        parsed = parse_event(message.payload)
        events[parsed.seq] = parsed.event
    assert isinstance(events[bad_seq], ev.RowUnreadable) and events[bad_seq].problem
    assert not any(isinstance(e, ev.RowUnreadable) for s, e in events.items() if s != bad_seq)


def test_an_unreadable_row_is_replayed_as_its_stand_in_on_request(
    mosquitto, station_factory, collector_factory, tmp_path
):
    journal = tmp_path / "a3.sqlite"
    settings = mosquitto.settings(client_id="station-a3", clean_session=False)
    station_factory(settings, journal_path=journal).agent.stop()
    bad_seq = _insert_bad_row(journal, *BAD_ROWS["not UTF-8"])
    runtime = station_factory(settings, journal_path=journal)
    wait_for(lambda: runtime.agent.bus.connected and runtime.agent.outbox.in_flight == 0)
    collector = collector_factory(mosquitto.settings(client_id="watcher"), f"andon/{A3}/#")
    message = command_message("replay-1", "board", from_seq=bad_seq)
    collector.client.publish(f"andon/{A3}/cmd/replay", encode(message), qos=1)
    reply = wait_for(lambda: [r for r in collector.json("/reply") if r["command_id"] == "replay-1"])
    assert reply[0]["accepted"] and reply[0]["reason"].startswith(f"replayed {bad_seq}..")
    replayed = [parse_event(m.payload) for m in collector.messages if m.topic.endswith("/events")]
    assert any(e.seq == bad_seq and isinstance(e.event, ev.RowUnreadable) for e in replayed)


@pytest.mark.parametrize("bad", ["unknown kind", "not UTF-8"])
def test_a_row_written_under_a_running_station_reaches_a_follower_as_its_stand_in(
    bad, mosquitto, station_factory, tmp_path
):
    journal = tmp_path / "a3.sqlite"
    settings = mosquitto.settings(client_id="station-a3", clean_session=False)
    received: list = []
    bus = BusClient(mosquitto.settings(client_id="follower"))
    follower = EventFollower(bus, StationFilter("andon"), received.append, retry_s=0.5)
    bus.start()
    try:
        assert bus.wait_subscribed(10)  # listening before the station's first event
        runtime = station_factory(settings, journal_path=journal)
        agent = runtime.agent
        _counts(runtime, 2)
        wait_for(lambda: follower.last(A3) == agent.core.state.last_seq)
        bad_seq = _insert_bad_row(journal, *BAD_ROWS[bad])
        _counts(runtime, 2)  # sent from memory: the follower sees a gap and asks a replay
        assert agent.core.state.last_seq > bad_seq  # the forged seq is not reissued

        def caught_up() -> bool:
            follower.retry_gaps()
            return follower.last(A3) == agent.core.state.last_seq

        wait_for(caught_up)
        by_seq = {m.seq: m.event for m in received}
        assert sorted(by_seq) == list(range(1, agent.core.state.last_seq + 1))
        assert isinstance(by_seq[bad_seq], ev.RowUnreadable)
        assert sum(isinstance(e, ev.Counted) for e in by_seq.values()) == 4
    finally:
        bus.close()
