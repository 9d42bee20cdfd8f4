"""Every subscribed topic fuzzed with random and malformed payloads: no crash, every
rejection counted, and the consumer still works afterwards.

* a station's ``cmd/*`` (through a real broker): every command gets exactly one
  answer; each malformed one is refused and counted in the station's health;
* the board's ``state``/``status``/``events``/``reply`` (the feed hands every
  message to :meth:`BoardModel.ingest`): each bad payload is one malformed count;
* the event follower, the store board and the notifier, through a real broker.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from andon.board.catalogue import BoardCatalogue
from andon.board.model import BoardModel
from andon.bus.client import BusClient
from andon.bus.commands import COMMANDS, command_message
from andon.bus.consumer import EventFollower
from andon.bus.messages import encode
from andon.bus.topics import StationAddress, StationFilter
from andon.config.loader import load_board, load_notify, load_store
from andon.notify.channels import SendResult
from andon.notify.service import Notifier
from andon.store.assemble import build_store
from hal.clock import ManualClock
from tests.faults.garbage import REQUIRED, json_values, not_a_message, refused, topic_levels, valid
from tests.support.stations import DEMO, wait_for

LIVE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
A3 = StationAddress("andon", "demo-plant", "assembly", "line-a", "a3")
CHANNELS = tuple(REQUIRED)


# --- a station's commands -------------------------------------------------------------

REQUIRED_ARGS = {
    "raise": ("call_type", ""),
    "acknowledge": ("call_id", ""),
    "cancel": ("call_id", ""),
    "resolve": ("call_id", ""),
    "hour_cause": ("hour_start", ""),
    "stop_reason": ("stop_id", ""),
    "kanban": ("part", ""),
    "downstream": ("quantity", 0),
    "start_order": ("index", 0),
    "replay": ("from_seq", 1),
}
"""A required argument of each command and a value of its type (the wrong type breaks it)."""


@st.composite
def malformed_command(draw: st.DrawFn) -> tuple[str, bytes]:
    """A command the station must refuse as malformed (and count)."""
    kind = draw(st.sampled_from(["unknown", "payload", "argument"]))
    if kind == "unknown":
        name = draw(topic_levels.filter(lambda n: n not in COMMANDS))
        return name, encode(command_message(str(uuid.uuid4()), "fuzz"))
    if kind == "payload":
        name = draw(st.sampled_from(sorted(COMMANDS)))
        bad_id = st.one_of(st.none(), st.integers(), st.just(""), st.just("x" * 129))
        payload = draw(
            st.one_of(
                not_a_message(),
                bad_id.map(lambda i: json.dumps({"v": 1, "id": i, "by": "fuzz"}).encode()),
            )
        )
        return name, payload
    name = draw(st.sampled_from(sorted(REQUIRED_ARGS)))
    arg, value = REQUIRED_ARGS[name]
    wrong = draw(
        st.one_of(st.none(), st.lists(st.integers(), max_size=2))
        if isinstance(value, str)
        else st.one_of(st.text(max_size=5), st.booleans(), st.none(), st.just(0.5))
    )
    if name == "replay":
        wrong = draw(st.one_of(st.just(wrong), st.integers(max_value=0)))
    return name, encode(command_message(str(uuid.uuid4()), "fuzz", **{arg: wrong}))


WELL_FORMED = ("raise", "acknowledge", "cancel", "resolve", "downstream", "start_order")
"""Commands whose one required argument is all they need."""


@st.composite
def well_formed_command(draw: st.DrawFn) -> tuple[str, bytes]:
    """A command of the right shape with random values: the domain may accept or refuse it."""
    name = draw(st.sampled_from(WELL_FORMED))
    arg, value = REQUIRED_ARGS[name]
    given_value = draw(st.text(max_size=12) if isinstance(value, str) else st.integers(0, 50))
    return name, encode(command_message(str(uuid.uuid4()), "fuzz", **{arg: given_value}))


@pytest.fixture
def fuzzed_station(mosquitto, station_factory):
    runtime = station_factory(mosquitto.settings(client_id="station-a3", clean_session=False))
    replies: list[dict] = []
    lock = threading.Lock()

    def keep(message) -> None:
        with lock:
            replies.append(json.loads(message.payload))

    sender = BusClient(mosquitto.settings(client_id="fuzzer"))
    sender.subscribe(A3.reply(), keep)
    sender.start()
    assert sender.wait_subscribed(10)
    assert runtime.agent.bus.wait_subscribed(10)
    yield runtime.agent, sender, replies
    sender.close()


def _send(sender: BusClient, replies: list[dict], name: str, payload: bytes) -> dict:
    before = len(replies)
    sender.publish(A3.cmd(name), payload).wait(5)
    wait_for(lambda: len(replies) > before, timeout=10, step=0.005)
    assert len(replies) == before + 1, "one command, one answer"
    return replies[-1]


@LIVE
@given(command=malformed_command())
def test_malformed_station_commands_are_refused_and_counted(fuzzed_station, command):
    agent, sender, replies = fuzzed_station
    before = agent.health.bad_commands
    reply = _send(sender, replies, *command)
    assert reply["accepted"] is False and reply["reason"]
    assert agent.health.bad_commands == before + 1
    assert agent.alive_within(2.0)


@LIVE
@given(command=well_formed_command())
def test_well_formed_station_commands_with_random_values_get_an_answer(fuzzed_station, command):
    agent, sender, replies = fuzzed_station
    before = agent.health.bad_commands
    reply = _send(sender, replies, *command)
    assert reply["accepted"] or reply["reason"]  # a refusal says why
    assert agent.health.bad_commands == before
    assert agent.alive_within(2.0)


def test_the_station_still_works_after_malformed_commands(fuzzed_station):
    agent, sender, replies = fuzzed_station
    for name, payload in (
        ("acknowledge", b"\x00\xff"),
        ("nonsense", encode(command_message("x", "fuzz"))),
        ("replay", encode(command_message("y", "fuzz", from_seq="1"))),
        ("sim", encode(command_message("z", "fuzz", action="hold", call_type="help", seconds=1e9))),
    ):
        assert _send(sender, replies, name, payload)["accepted"] is False
    reply = _send(sender, replies, "raise", encode(command_message("ok", "fuzz", call_type="help")))
    assert reply["accepted"] is True
    wait_for(lambda: "call.help" in agent.active_signals())
    assert agent.health.bad_commands == 3  # the sim hold was well formed, only out of bounds


# --- the board ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue() -> BoardCatalogue:
    return BoardCatalogue.from_board(load_board(DEMO / "board.toml"))


def _rejections(model: BoardModel) -> int:
    diagnostics = model.view(datetime.now(UTC)).diagnostics
    return sum(p.count for p in diagnostics.malformed) + diagnostics.ignored


@settings(max_examples=200, deadline=None)
@given(channel=st.sampled_from(CHANNELS), data=st.data())
def test_board_counts_every_refused_payload_on_its_four_channels(catalogue, channel, data):
    model = BoardModel(catalogue)
    now = datetime.now(UTC)
    message = valid(channel, A3.path, A3.line)
    payload = data.draw(refused(message, channel))
    topic = f"{A3.base}/{channel}"
    assert model.ingest(topic, payload, now) == []
    diagnostics = model.view(now).diagnostics
    assert [(p.topic, p.count) for p in diagnostics.malformed] == [(topic, 1)]
    assert diagnostics.malformed[0].last_error
    # The same station still gets through with a valid message.
    model.ingest(f"{A3.base}/state", json.dumps(valid("state", A3.path, A3.line)).encode(), now)
    assert _rejections(model) == 1
    assert model.view(now).line("line-a").stations[0].snapshot is not None


@settings(max_examples=200, deadline=None)
@given(
    levels=st.lists(topic_levels, min_size=1, max_size=8),
    payload=st.one_of(st.binary(max_size=100), json_values().map(lambda v: json.dumps(v).encode())),
)
def test_board_counts_messages_on_topics_that_are_not_its_stations(catalogue, levels, payload):
    model = BoardModel(catalogue)
    topic = "/".join(levels)
    model.ingest(topic, payload, datetime.now(UTC))
    assert _rejections(model) == 1  # malformed topic, or a topic of no station it shows


@pytest.mark.parametrize("channel", CHANNELS)
def test_board_refuses_a_message_claiming_another_station(catalogue, channel):
    model = BoardModel(catalogue)
    message = valid(channel, "demo-plant/assembly/line-a/a1", A3.line)
    model.ingest(f"{A3.base}/{channel}", json.dumps(message).encode(), datetime.now(UTC))
    assert _rejections(model) == 1


# --- the event follower, the store board and the notifier, through a broker ---------------


def _publisher(mosquitto, name: str) -> BusClient:
    bus = BusClient(mosquitto.settings(client_id=name))
    bus.start()
    assert bus.wait_connected(10)
    return bus


@pytest.fixture
def follower(mosquitto):
    received: list = []
    bus = BusClient(mosquitto.settings(client_id="follower"))
    follower = EventFollower(bus, StationFilter("andon"), received.append, retry_s=60)
    bus.start()
    assert bus.wait_subscribed(10)
    publisher = _publisher(mosquitto, "fuzzer")
    yield follower, publisher, received
    publisher.close()
    bus.close()


@LIVE
@given(channel=st.sampled_from(["events", "state"]), data=st.data())
def test_event_follower_counts_every_refused_payload(follower, channel, data):
    follower, publisher, _ = follower
    topic = f"{A3.base}/{channel}"
    payload = data.draw(refused(valid(channel, A3.path, A3.line), channel))
    before = sum(follower.rejected.values())
    publisher.publish(topic, payload).wait(5)
    wait_for(lambda: sum(follower.rejected.values()) > before, timeout=10, step=0.005)
    assert sum(follower.rejected.values()) == before + 1


def test_event_follower_still_follows_after_garbage(follower):
    follower, publisher, received = follower
    for payload in (b"\x00\xff", b"[]", b'{"v": 9}'):
        publisher.publish(A3.events(), payload).wait(5)
    publisher.publish(A3.events(), json.dumps(valid("events", A3.path, A3.line)).encode())
    wait_for(lambda: received)
    assert received[0].seq == 1 and sum(follower.rejected.values()) == 3


@pytest.fixture
def store(mosquitto):
    runtime = build_store(
        load_store(DEMO / "store.toml"),
        sim=True,
        settings=mosquitto.settings(client_id="store"),
        clock=ManualClock(),
    )
    board = runtime.board.start(run_loop=False)
    publisher = _publisher(mosquitto, "fuzzer")
    wait_for(lambda: board.online)
    yield board, publisher
    publisher.close()
    board.stop()


@LIVE
@given(data=st.data())
def test_store_board_counts_every_refused_state(store, data):
    board, publisher = store
    address = StationAddress("andon", "demo-plant", "assembly", board.lines[0], "a1")
    payload = data.draw(refused(valid("state", address.path, address.line), "state"))
    before = board.rejected_states
    publisher.publish(address.state(), payload).wait(5)
    wait_for(lambda: board.rejected_states > before, timeout=10, step=0.005)
    assert board.rejected_states == before + 1
    assert board.alive


@pytest.fixture
def notifier(mosquitto, tmp_path):
    config = load_notify(DEMO / "notify.toml").model_copy(
        update={"queue": tmp_path / "notify.sqlite", "ack_listen": None}
    )
    sent: list = []

    def send(alert, text, address) -> SendResult:
        sent.append(alert)
        return SendResult(ok=True)

    service = Notifier(
        config,
        {channel.id: send for channel in config.channels},
        broker=mosquitto.settings(client_id="notifier"),
    ).start()
    publisher = _publisher(mosquitto, "fuzzer")
    wait_for(lambda: service.bus is not None and service.bus.connected)
    yield service, publisher
    publisher.close()
    service.stop()


@LIVE
@given(channel=st.sampled_from(["events", "state", "reply"]), data=st.data())
def test_notifier_refuses_counts_and_logs_every_bad_payload(notifier, caplog, channel, data):
    service, publisher = notifier
    payload = data.draw(refused(valid(channel, A3.path, A3.line), channel))
    kind = {"events": "event"}.get(channel, channel)
    before = service.rejected[kind]

    def complaints() -> int:
        return len([r for r in caplog.records if r.getMessage().startswith(f"bad {kind} ")])

    with caplog.at_level(logging.WARNING, logger="andon.notify.service"):
        caplog.clear()
        publisher.publish(f"{A3.base}/{channel}", payload).wait(5)
        wait_for(
            lambda: service.rejected[kind] > before and complaints() > 0, timeout=10, step=0.005
        )
        assert service.rejected[kind] == before + 1
        assert complaints() == 1
    assert service._thread is not None and service._thread.is_alive()
