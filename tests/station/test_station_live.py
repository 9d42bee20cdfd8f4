"""The station on simulated hardware against a real Mosquitto on loopback."""

from __future__ import annotations

import json

import pytest

from andon.bus.credentials import BrokerSettings
from andon.bus.messages import parse_event, parse_state
from tests.support.stations import wait_for


@pytest.fixture(params=["mosquitto", "embedded"])
def broker_settings(request):
    """Client settings for a real Mosquitto, then for the embedded broker."""
    if request.param == "mosquitto":
        return request.getfixturevalue("mosquitto").settings
    broker = request.getfixturevalue("embedded_broker")

    def settings(**overrides):
        values = {"host": "127.0.0.1", "port": broker.port, "reconnect_min_s": 0.1}
        return BrokerSettings(**{**values, **overrides})

    return settings


def test_a_button_press_reaches_a_subscriber_once_and_lights_the_tower(
    broker_settings, station_factory, collector_factory
):
    collector = collector_factory(broker_settings(client_id="watcher"), "andon/#")
    runtime = station_factory(broker_settings(client_id="test-station", clean_session=False))
    sim = runtime.sim
    assert sim is not None
    assert runtime.agent.bus.wait_subscribed(10)

    sim.press("help")

    raised = wait_for(lambda: [e for e in collector.json("/events") if e["kind"] == "call_raised"])
    assert len(raised) == 1
    message = parse_event(json.dumps(raised[0]))
    assert message.station == "demo-plant/assembly/line-a/a3"
    assert message.event.call_type == "help"  # type: ignore[attr-defined]
    # the yellow tier flashes for an unacknowledged help call; the state says so
    wait_for(lambda: sim.lamp_lit("yellow"))
    states = wait_for(lambda: [s for s in collector.json("/state") if s["open_calls"]], timeout=10)
    state = parse_state(json.dumps(states[-1]))
    assert state["open_calls"][0]["type"] == "help"
    # every event arrived exactly once, in order
    seqs = [e["seq"] for e in collector.json("/events")]
    assert seqs == sorted(set(seqs))
