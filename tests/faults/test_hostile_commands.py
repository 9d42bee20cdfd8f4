"""Commands that once silenced a station, through a real broker: each is refused or done once.

A lone surrogate escape, a 5 000-digit integer, a ``from_seq`` past 2^63, oversize text,
a repeated key, a NaN literal: a refusal
that carries the command's id, counted, logged, and nothing journaled; the station
journals and publishes what comes after. A command id delivered again (QoS 1
redelivery, or after a restart from the broker's persistent session) is answered
with the first outcome and not done again.
"""

from __future__ import annotations

import json
import logging
import re
import threading

import pytest

from andon.bus.client import BusClient
from andon.bus.commands import command_message
from andon.bus.messages import encode
from andon.bus.topics import StationAddress
from andon.journal.verify import verify
from tests.support.stations import wait_for

A3 = StationAddress("andon", "demo-plant", "assembly", "line-a", "a3")
HUGE = "1" + "0" * 5000


class Console:
    """Sends commands to station a3 and keeps its replies and events."""

    def __init__(self, mosquitto) -> None:  # type: ignore[no-untyped-def]
        self.replies: list[dict] = []
        self.events: list[dict] = []
        self._lock = threading.Lock()
        self.bus = BusClient(mosquitto.settings(client_id="console"))
        self.bus.subscribe(A3.reply(), self._keep(self.replies))
        self.bus.subscribe(A3.events(), self._keep(self.events))
        self.bus.start()
        assert self.bus.wait_subscribed(10)

    def _keep(self, into: list[dict]):  # type: ignore[no-untyped-def]
        def handler(message) -> None:  # type: ignore[no-untyped-def]
            with self._lock:
                into.append(json.loads(message.payload))

        return handler

    def send(self, name: str, payload: bytes, timeout: float = 10.0) -> dict:
        before = len(self.replies)
        self.bus.publish(A3.cmd(name), payload, qos=1).wait(5)
        wait_for(lambda: len(self.replies) > before, timeout=timeout, step=0.005)
        return self.replies[before]

    def kinds(self) -> list[str]:
        with self._lock:
            return [e["kind"] for e in self.events]


@pytest.fixture
def console(mosquitto):
    made = Console(mosquitto)
    yield made
    made.bus.close()


def _station(station_factory, mosquitto):  # type: ignore[no-untyped-def]
    runtime = station_factory(mosquitto.settings(client_id="station-a3", clean_session=False))
    assert runtime.agent.bus.wait_subscribed(10)
    return runtime


HOSTILE = [
    ("raise", rb'{"v":1,"id":"s1","by":"\ud800","call_type":"help"}'),
    ("raise", rb'{"v":1,"id":"s2","by":"x","call_type":"help\udfff"}'),
    ("resolve", rb'{"v":1,"id":"s3","by":"x","call_id":"c","note":"\ud83d"}'),
    ("downstream", b'{"v":1,"id":"n1","by":"x","quantity":' + HUGE.encode() + b"}"),
    ("sim", b'{"v":1,"id":"n2","by":"x","action":"count","n":' + HUGE.encode() + b"}"),
    ("downstream", b'{"v":1,"id":"n3","by":"x","quantity":99999999999999999999}'),
    ("replay", b'{"v":1,"id":"r1","by":"x","from_seq":9223372036854775808}'),
    ("replay", b'{"v":1,"id":"r2","by":"x","from_seq":5,"to_seq":4}'),
    ("replay", b'{"v":1,"id":"r3","by":"x","from_seq":1,"to_seq":9223372036854775808}'),
    ("downstream", b'{"v":1,"id":"f1","by":"x","quantity":1e999}'),
    ("raise", b'{"v":1,"id":"d1","by":"x","call_type":' + b"[" * 20 + b"]" * 20 + b"}"),
    ("raise", b'{"v":1,"id":"l1","by":"' + b"x" * 5000 + b'","call_type":"help"}'),
    ("resolve", b'{"v":1,"id":"l2","by":"x","call_id":"c","note":"' + b"n" * 501 + b'"}'),
    ("raise", rb'{"v":1,"id":"k1","by":"x","by":"\ud800","call_type":"help"}'),  # repeated key
    ("downstream", b'{"v":1,"id":"f2","by":"x","quantity":NaN}'),
]


def test_hostile_commands_are_refused_with_their_id_counted_logged_and_nothing_journaled(
    mosquitto, station_factory, console, caplog
):
    runtime = _station(station_factory, mosquitto)
    agent = runtime.agent
    journaled = agent.journal.last_seq()
    with caplog.at_level(logging.WARNING, logger="andon.station"):
        for number, (name, payload) in enumerate(HOSTILE, start=1):
            reply = console.send(name, payload)
            command_id = re.search(rb'"id":"([^"]+)"', payload).group(1).decode()
            assert reply["accepted"] is False and reply["reason"], (name, payload[:60])
            assert reply["command_id"] == command_id
            assert agent.health.bad_commands == number
    assert len([r for r in caplog.records if r.getMessage().startswith("bad command")]) == len(
        HOSTILE
    )
    assert agent.journal.last_seq() == journaled  # nothing journaled for them
    # The station still journals, publishes and answers.
    ok = console.send("raise", encode(command_message("ok", "Li Wei", call_type="help")))
    assert ok["accepted"] is True
    wait_for(lambda: "call_raised" in console.kinds())
    wait_for(lambda: agent.journal.unpublished_count() == 0)
    assert agent.core.journal_error == "" and agent.core.refused_events == 0
    assert "alarm" not in agent.active_signals()
    assert verify(agent.journal.path) == []


def test_a_repeated_sim_id_counts_once(mosquitto, station_factory, console):
    runtime = _station(station_factory, mosquitto)
    agent = runtime.agent
    payload = encode(command_message("sim-1", "andon-sim", action="count", n=1))
    first = console.send("sim", payload)
    again = console.send("sim", payload)
    assert first["accepted"] is True and again == {**first, "seq": again["seq"]}
    wait_for(lambda: agent.core.state.good == 1)
    other = console.send("sim", encode(command_message("sim-2", "andon-sim", action="count", n=1)))
    assert other["accepted"] is True
    wait_for(lambda: agent.core.state.good == 2)
    assert agent.run_on_loop(lambda: agent.core.state.good) == 2


def test_a_repeated_replay_id_is_answered_and_not_replayed_again(
    mosquitto, station_factory, console
):
    runtime = _station(station_factory, mosquitto)
    agent = runtime.agent
    wait_for(lambda: agent.journal.unpublished_count() == 0)
    wait_for(lambda: console.kinds())
    published = len(console.kinds())
    payload = encode(command_message("replay-1", "board", from_seq=1))
    first = console.send("replay", payload)
    assert first["accepted"] is True
    wait_for(lambda: len(console.kinds()) >= 2 * published)
    replayed = len(console.kinds())
    again = console.send("replay", payload)
    assert again["accepted"] is True and again["reason"] == first["reason"]
    assert agent.health.replays == 1
    assert len(console.kinds()) == replayed


def test_a_replay_to_a_seq_sends_that_stretch_of_the_journal_alone(
    mosquitto, station_factory, console
):
    runtime = _station(station_factory, mosquitto)
    agent = runtime.agent
    for n in range(3):
        sim = command_message(f"sim-{n}", "andon-sim", action="count", n=1)
        assert console.send("sim", encode(sim))["accepted"] is True
    wait_for(lambda: agent.journal.last_seq() >= 4 and agent.journal.unpublished_count() == 0)
    top = agent.journal.last_seq()
    wait_for(lambda: len(console.events) >= top)
    before = len(console.events)
    reply = console.send("replay", encode(command_message("r-2", "board", from_seq=2, to_seq=3)))
    assert reply["accepted"] is True and reply["reason"] == "replayed 2..3"
    last = console.send("replay", encode(command_message("r-3", "x", from_seq=top, to_seq=top)))
    assert last["reason"] == f"replayed {top}..{top}"
    wait_for(lambda: len(console.events) >= before + 3)
    assert [e["seq"] for e in console.events[before:]] == [2, 3, top]  # nothing after 3


def test_a_command_delivered_again_after_a_restart_is_not_done_again(
    mosquitto, station_factory, console, tmp_path
):
    journal = tmp_path / "a3.sqlite"
    runtime = _station(lambda s: station_factory(s, journal_path=journal), mosquitto)
    payload = encode(command_message("raise-1", "Li Wei", call_type="help"))
    first = console.send("raise", payload)
    assert first["accepted"] is True
    runtime.agent.stop()
    restarted = _station(lambda s: station_factory(s, journal_path=journal), mosquitto)
    again = console.send("raise", payload)
    assert again["accepted"] is True and again["reason"] == ""
    agent = restarted.agent
    assert [c.call_type for c in agent.core.state.open_calls] == ["help"]
    raised = [r for r in agent.journal.rows() if r.kind == "call_raised"]
    assert len(raised) == 1
    # A refused command is remembered as refused.
    refused = encode(command_message("raise-2", "Li Wei", call_type="nope"))
    assert console.send("raise", refused)["accepted"] is False
    assert agent.journal.command_outcome("raise-2").accepted is False
