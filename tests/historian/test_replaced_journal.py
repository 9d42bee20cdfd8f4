"""A station's retained state behind the history: a replaced journal, or an early state.

Real parts: Mosquitto, the historian on an SQLite file that already holds five
events of a station, and the station's retained states published to the broker.
A state at seq 0 or 1 (what a state retained before those events says) is no
replaced journal; a state at seq 3 is, and the historian says so once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from andon.bench.payloads import state_template
from andon.bus.client import BusClient
from andon.bus.messages import EventMessage, encode
from andon.bus.topics import StationAddress
from andon.config.loader import load_plant
from andon.historian.service import Historian
from andon.historian.stores import open_store
from tests.historian.test_checkpoints import journal
from tests.support.stations import DEMO, wait_for

pytestmark = pytest.mark.mosquitto

PATH = "demo-plant/assembly/line-a/a3"


def state_at(seq: int) -> bytes:
    data = state_template(datetime.now(UTC))
    data.update(station=PATH, line="line-a", seq=seq)
    return encode(data)


def test_only_a_state_past_seq_1_below_the_history_is_a_replaced_journal(
    mosquitto, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    events = [m.event for m in journal("demo-plant/assembly/bench-01/s01")[:5]]
    with open_store(url) as store:
        store.insert([EventMessage(PATH, n, f"{PATH}#{n}", e) for n, e in enumerate(events, 1)])
    plant = load_plant(DEMO / "plant.toml")
    h = Historian.for_plant(plant, url, mosquitto.settings(client_id="historian"), retry_s=0.2)
    publisher = BusClient(mosquitto.settings(client_id="a3-states"))
    publisher.start()
    topic = StationAddress.from_path(PATH).state()
    caplog.set_level(logging.ERROR, logger="andon.historian.service")
    h.start(wait_database_s=10)
    try:
        assert h.bus is not None and h.bus.wait_subscribed(10)
        for seq in (0, 1, 5, 3, 2):
            # one state at a time: the historian reads each station's latest once a round
            read = h.stats.states_read
            assert publisher.publish(topic, state_at(seq), retain=True).wait(10)
            wait_for(lambda read=read: h.stats.states_read > read, timeout=10)
        wait_for(lambda: PATH in h.restarted, timeout=10)
        assert publisher.publish(topic, state_at(6), retain=True).wait(10)
        wait_for(lambda: h.stats.catch_up_requests >= 1, timeout=10)
    finally:
        h.stop()
        publisher.publish(topic, b"", retain=True).wait(10)
        publisher.close()
    said = [r.getMessage() for r in caplog.records if "journal was replaced" in r.getMessage()]
    assert said == [
        f"station {PATH} says its last event is seq 3, but the history holds it up to seq 5:"
        " its journal was replaced; events up to seq 5 are not stored again"
    ]


def test_a_state_read_after_the_events_that_followed_it_is_no_replaced_journal(
    mosquitto, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The historian reads states once a round, after the events that came behind them:
    a state is judged against the stream as it stood when the state arrived."""
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    events = [m.event for m in journal("demo-plant/assembly/bench-01/s01")[:30]]
    messages = [EventMessage(PATH, n, f"{PATH}#{n}", e) for n, e in enumerate(events, 1)]
    with open_store(url) as store:
        store.insert(messages[:5])
    plant = load_plant(DEMO / "plant.toml")
    h = Historian.for_plant(plant, url, mosquitto.settings(client_id="historian"), retry_s=0.2)
    publisher = BusClient(mosquitto.settings(client_id="a3-live"))
    publisher.start()
    address = StationAddress.from_path(PATH)
    caplog.set_level(logging.ERROR)
    h.start(wait_database_s=10)
    try:
        assert h.bus is not None and h.bus.wait_subscribed(10)
        for message in messages[5:]:  # a live station: each event, then its state
            payload = encode(message.to_dict())
            assert publisher.publish(address.events(), payload).wait(10)
            assert publisher.publish(address.state(), state_at(message.seq), retain=True).wait(10)
        wait_for(lambda: h.stored_upto.get(PATH, 0) == 30, timeout=20)
        wait_for(lambda: not h.catch_up.waiting(), timeout=10)
    finally:
        h.stop()
        publisher.publish(address.state(), b"", retain=True).wait(10)
        publisher.close()
    assert PATH not in h.restarted
    assert not [r for r in caplog.records if "journal was replaced" in r.getMessage()]
