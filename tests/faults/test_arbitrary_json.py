"""Arbitrary JSON on every topic a station, a board and a notifier subscribe to.

Lone surrogates, 5 000-digit integers, NaN and Infinity literals, numbers that
overflow, duplicate keys, nesting 2 000 deep, any type in any field:

* a station (real, through a real Mosquitto), on every ``cmd/*``: one reply for
  every message, carrying the message's id; afterwards it still journals and
  publishes a valid command, and its journal verifies;
* a board model, on ``state``, ``status``, ``events`` and ``reply``: it never
  raises, counts each refusal once, and still takes a valid state; and the same
  through a real Mosquitto and the board's feed;
* a notifier (through a real Mosquitto), on ``events``, ``state`` and ``reply``:
  it never stops, and counts what it refuses.
"""

from __future__ import annotations

import itertools
import json
import threading
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from andon.board.feed import BoardFeed
from andon.board.model import BoardModel
from andon.bus.client import BusClient
from andon.bus.command_schemas import COMMAND_ARGS
from andon.bus.commands import COMMANDS, command_message
from andon.bus.messages import encode
from andon.bus.topics import StationAddress
from andon.journal.verify import verify
from tests.faults.arbitrary_json import command_payload, mutated
from tests.faults.garbage import valid
from tests.faults.test_fuzzed_topics import catalogue, notifier  # noqa: F401  (fixtures)
from tests.support.stations import wait_for

FEW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
PER_COMMAND = settings(FEW, max_examples=8)
"""Each of the 12 command topics gets its own examples (not a share of one sample)."""
A3 = StationAddress("andon", "demo-plant", "assembly", "line-a", "a3")
A1 = StationAddress("andon", "demo-plant", "assembly", "line-a", "a1")


@pytest.fixture
def station(mosquitto, station_factory):
    runtime = station_factory(mosquitto.settings(client_id="station-a3", clean_session=False))
    replies: list[dict] = []
    events: list[dict] = []
    lock = threading.Lock()

    def keep(into: list[dict]):  # type: ignore[no-untyped-def]
        def handler(message) -> None:  # type: ignore[no-untyped-def]
            with lock:
                into.append(json.loads(message.payload))

        return handler

    sender = BusClient(mosquitto.settings(client_id="fuzzer"))
    sender.subscribe(A3.reply(), keep(replies))
    sender.subscribe(A3.events(), keep(events))
    sender.start()
    assert sender.wait_subscribed(10)
    assert runtime.agent.bus.wait_subscribed(10)
    yield runtime.agent, sender, replies, events
    sender.close()


def _send(sender: BusClient, replies: list[dict], name: str, payload: bytes) -> dict:
    before = len(replies)
    sender.publish(A3.cmd(name), payload).wait(5)
    wait_for(lambda: len(replies) > before, timeout=15, step=0.005)
    assert len(replies) == before + 1, "one message, one reply"
    return replies[-1]


@pytest.mark.parametrize("name", sorted(COMMANDS))
@PER_COMMAND
@given(data=st.data())
def test_a_station_answers_arbitrary_json_on_every_command_topic_and_keeps_working(
    station, name, data
):
    agent, sender, replies, events = station
    command_id = str(uuid.uuid4())
    payload = data.draw(command_payload(tuple(COMMAND_ARGS[name]), command_id))
    reply = _send(sender, replies, name, payload)
    assert reply["command_id"] == command_id
    assert reply["accepted"] or reply["reason"]
    assert agent.alive_within(2.0)
    # Afterwards: a valid command is journaled and its event published.
    quantity = len(replies)
    ok = _send(
        sender,
        replies,
        "downstream",
        encode(command_message("q" + command_id, "t", quantity=quantity)),
    )
    assert ok["accepted"] is True
    wait_for(
        lambda: any(
            e["kind"] == "downstream_changed" and e["data"]["quantity"] == quantity for e in events
        )
    )
    assert agent.core.journal_error == "" and agent.core.refused_events == 0
    assert verify(agent.journal.path) == []


# --- the board --------------------------------------------------------------------------


def _rejections(model: BoardModel) -> int:
    diagnostics = model.view(datetime.now(UTC)).diagnostics
    return sum(p.count for p in diagnostics.malformed) + diagnostics.ignored


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.data_too_large])
@given(channel=st.sampled_from(["state", "status", "events", "reply"]), data=st.data())
def test_a_board_takes_or_counts_arbitrary_json_on_every_channel(catalogue, channel, data):  # noqa: F811
    model = BoardModel(catalogue)
    now = datetime.now(UTC)
    payload = data.draw(mutated(valid(channel, A3.path, A3.line)))
    model.ingest(f"{A3.base}/{channel}", payload, now)
    assert _rejections(model) <= 1  # refused once, or taken
    model.view(now)  # the view can still be drawn
    model.ingest(
        f"{A3.base}/state", json.dumps(valid("state", A3.path, A3.line, seq=99)).encode(), now
    )
    assert model.view(now).line("line-a").stations[0].snapshot is not None


def _deepest_decodable() -> int:
    """The deepest nesting the JSON decoder still takes from here (near the stack limit)."""
    depth = 2000
    while True:
        try:
            json.loads("[" * depth + "]" * depth)
            return depth
        except RecursionError:
            depth -= 1


def test_state_fields_nested_as_deep_as_the_decoder_takes_are_refused_not_raised(catalogue):  # noqa: F811
    """Just under the decoder's limit (the few frames deeper it runs in the model), the
    decoder takes the value, and walking it again for the error message would exhaust
    the stack: every such depth is one counted refusal, none an exception."""
    now = datetime.now(UTC)
    text = json.dumps(valid("state", A3.path, A3.line))
    assert '"working": true' in text
    assert text.startswith('{"v": 2,')
    top = _deepest_decodable()
    for depth in range(top, top - 40, -1):
        deep = "[" * depth + "]" * depth
        for field in ('"working": true', '"v": 2'):
            model = BoardModel(catalogue)
            key = field.split(":")[0]
            payload = text.replace(field, f"{key}: {deep}", 1).encode()
            assert model.ingest(f"{A3.base}/state", payload, now) == [], (field, depth)
            assert _rejections(model) == 1, (field, depth)


@pytest.fixture
def board_feed(mosquitto, catalogue):  # noqa: F811
    model = BoardModel(catalogue)
    feed = BoardFeed(model, mosquitto.settings(client_id="board"), lambda: datetime.now(UTC))
    feed.start()
    publisher = BusClient(mosquitto.settings(client_id="fuzzer")).start()
    assert feed.bus.wait_connected(10) and publisher.wait_connected(10)
    yield model, publisher, itertools.count(100)
    publisher.close()
    feed.close()


def _snapshot_seq(model: BoardModel, station: str) -> int | None:
    stations = model.view(datetime.now(UTC)).line("line-a").stations
    shown = [s.snapshot.seq for s in stations if s.station_id == station and s.snapshot]
    return shown[0] if shown else None


@FEW
@given(channel=st.sampled_from(["state", "status", "events", "reply"]), data=st.data())
def test_a_board_feed_through_the_broker_takes_or_counts_arbitrary_json(board_feed, channel, data):
    """The same through Mosquitto and the board's feed: a bad payload for a3 never stops
    the feed, and the valid state of a1 published behind it is shown (a1: a mutated a3
    state may carry a valid, larger seq that would make a later one of a3 look old)."""
    model, publisher, seqs = board_feed
    payload = data.draw(mutated(valid(channel, A3.path, A3.line)))
    assert publisher.publish(f"{A3.base}/{channel}", payload).wait(5)
    seq = next(seqs)
    good = json.dumps(valid("state", A1.path, A1.line, seq=seq)).encode()
    assert publisher.publish(f"{A1.base}/state", good).wait(5)
    wait_for(lambda: _snapshot_seq(model, A1.station) == seq, timeout=10, step=0.005)
    model.view(datetime.now(UTC))  # the view can still be drawn


# --- the notifier -----------------------------------------------------------------------


@FEW
@given(channel=st.sampled_from(["events", "state", "reply"]), data=st.data())
def test_a_notifier_never_stops_on_arbitrary_json(notifier, channel, data):  # noqa: F811
    service, publisher = notifier
    kind = {"events": "event"}.get(channel, channel)
    payload = data.draw(mutated(valid(channel, A3.path, A3.line)))
    topic = f"{A3.base}/{channel}"
    publisher.publish(topic, payload).wait(5)
    before = service.rejected[kind]
    publisher.publish(topic, b"\x00 not json").wait(5)  # a sentinel behind it, surely refused
    wait_for(lambda: service.rejected[kind] > before, timeout=10, step=0.005)
    assert service._thread is not None and service._thread.is_alive()
