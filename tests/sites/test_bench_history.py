"""The load test's stations send real events, and its history check counts what differs."""

from __future__ import annotations

import selectors

from andon.bench import mqtt_wire as wire
from andon.bench import sites_stations as st
from andon.bench.mqtt_wire import Reader
from andon.bench.sites_pg import compare
from andon.bus.messages import parse_event


def _sent(station: st.Station, seq: int) -> bytes:
    """The payload of ``seq`` as the station sends it (not connected: outbox only)."""
    st._send_event(station, seq, False, selectors.DefaultSelector())
    (packet,) = Reader().feed(station.unacked[station.packet_id][0])
    return packet.message()[2]


def test_a_station_publishes_a_counted_event_of_the_contract_the_same_on_every_resend():
    station = st.Station(
        "site-00/assembly/line-000/s0000", b"andon/x/events", "site-00", 1, 0, None
    )
    station.seq = 1
    station.sent_ns.append(st.time.monotonic_ns())
    first, again = _sent(station, 1), _sent(station, 1)
    assert first == again
    event = parse_event(first)
    assert (event.station, event.seq, event.event.KIND) == (station.path, 1, "counted")
    assert event.event.good == 1 and event.event_id == f"{station.path}#1"


def test_the_history_is_held_to_each_journal_by_events_and_last_seq():
    journals = {"a": 5, "b": 3, "c": 2}
    history = {"a": (5, 5, 5), "b": (4, 3, 3), "x": (1, 1, 1)}
    seen = compare(journals, history)
    assert seen.missing == 2  # c's two events
    assert seen.duplicated == 1  # b holds one seq twice
    assert seen.foreign == 1  # x sent by nobody
    assert seen.differ == 3  # b, c and x; a is its journal


def test_a_history_ahead_of_a_journal_is_foreign_not_complete():
    seen = compare({"a": 3}, {"a": (3, 3, 4)})
    assert seen.foreign == 1 and seen.missing == 1 and seen.differ == 1


def test_a_station_answers_a_replay_to_a_seq_with_that_stretch_alone():
    station = st.Station("site-00/assembly/line-000/s0001", b"andon/x", "site-00", 1, 1, None)
    for _ in range(6):
        station.seq += 1
        station.sent_ns.append(st.time.monotonic_ns())
    body = b'{"v":1,"id":"r","from_seq":2,"to_seq":4}'
    command = next(Reader().feed(wire.publish(station.replay_topic, body, 1)))
    st._command(station, command, selectors.DefaultSelector())
    packets = [next(Reader().feed(packet)) for packet, _ in station.unacked.values()]
    resent = [parse_event(p.message()[2]).seq for p in packets if p.kind == wire.PUBLISH]
    assert resent == [2, 3, 4] and station.replayed == 3
