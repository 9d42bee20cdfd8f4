"""Back in a persistent session, a client does not subscribe again to what the session holds.

Each SUBSCRIBE has the broker resend every retained message under its filter (a
site's every station state for a historian). Against a real Mosquitto that keeps
its sessions over a restart: a resumed session's subscriptions are not sent again
(the retained state comes once), one added while away is, and so is one
acknowledged too shortly before the connection was lost to be sure the broker
had saved it.
"""

import pytest

from andon.bus.client import BusClient, Message

from .conftest import WAIT_S, Collector, wait_until

pytestmark = pytest.mark.mosquitto

STATES = "andon/p/a/l/+/state"
EVENTS = "andon/p/a/l/+/events"


def _retained(collector: Collector) -> list[Message]:
    return [m for m in collector.messages if m.retain]


def _bounce(broker, client: BusClient, ups: list[bool]) -> None:
    """A graceful broker restart: the sessions are saved and resumed."""
    broker.stop()
    assert client.wait_disconnected(WAIT_S)
    broker.start()
    assert client.wait_connected(WAIT_S) and client.wait_subscribed(WAIT_S)
    assert ups[-1] is True  # the session was resumed


def _marker_arrives(station: BusClient, topic: str, collector: Collector) -> bool:
    """Publish on ``topic`` until the collector has it: whatever the broker sent before
    it (a resent retained state, say) has arrived by then."""
    return wait_until(
        lambda: (
            station.publish(topic, b"marker").wait(WAIT_S)
            and any(m.topic == topic and m.payload == b"marker" for m in collector.messages)
        )
    )


def _start(broker, make_client, saved_s: float | None) -> tuple[BusClient, Collector, list[bool]]:
    ups: list[bool] = []
    options = {} if saved_s is None else {"session_saved_s": saved_s}
    client = make_client(
        broker.settings(client_id="historian", clean_session=False),
        on_connect=ups.append,
        start=False,
        **options,
    )
    states = Collector()
    client.subscribe(STATES, states)
    client.start()
    assert client.wait_subscribed(WAIT_S)
    return client, states, ups


def test_a_resumed_session_is_not_subscribed_again(mosquitto_factory, make_client):
    broker = mosquitto_factory(persistence=True)
    station = make_client(broker.settings(client_id="station"))
    assert station.publish("andon/p/a/l/s1/state", b"s1", retain=True).wait(WAIT_S)
    client, states, ups = _start(broker, make_client, saved_s=0)
    assert states.wait_for(1) and len(_retained(states)) == 1

    events = Collector()
    broker.stop()
    assert client.wait_disconnected(WAIT_S)
    client.subscribe(EVENTS, events)  # added while away: sent at the reconnect
    broker.start()
    assert client.wait_connected(WAIT_S) and client.wait_subscribed(WAIT_S)
    assert ups == [False, True]
    assert station.wait_connected(WAIT_S)

    assert _marker_arrives(station, "andon/p/a/l/s2/state", states)  # still subscribed
    assert _marker_arrives(station, "andon/p/a/l/s2/events", events)
    assert len(_retained(states)) == 1  # the retained state was not sent again
    assert client.session.kept == 1

    _bounce(broker, client, ups)
    assert station.wait_connected(WAIT_S)
    assert _marker_arrives(station, "andon/p/a/l/s3/state", states)
    assert len(_retained(states)) == 1
    assert client.session.kept == 3


def test_a_subscription_younger_than_the_brokers_save_is_made_again(mosquitto_factory, make_client):
    broker = mosquitto_factory(persistence=True)
    station = make_client(broker.settings(client_id="station"))
    assert station.publish("andon/p/a/l/s1/state", b"s1", retain=True).wait(WAIT_S)
    client, states, ups = _start(broker, make_client, saved_s=None)
    assert states.wait_for(1) and len(_retained(states)) == 1

    _bounce(broker, client, ups)
    assert station.wait_connected(WAIT_S)
    assert _marker_arrives(station, "andon/p/a/l/s2/state", states)
    assert len(_retained(states)) == 2  # a crash could have restored a save without it
    assert client.session.kept == 0


def test_a_session_the_broker_did_not_keep_is_subscribed_again(mosquitto, make_client):
    station = make_client(mosquitto.settings(client_id="station"))
    assert station.publish("andon/p/a/l/s1/state", b"s1", retain=True).wait(WAIT_S)
    client, states, ups = _start(mosquitto, make_client, saved_s=0)
    assert states.wait_for(1)

    mosquitto.kill()  # no persistence: the session is gone, and with it the retained state
    assert client.wait_disconnected(WAIT_S)
    mosquitto.start()
    assert client.wait_connected(WAIT_S) and client.wait_subscribed(WAIT_S)
    assert ups == [False, False]
    assert station.wait_connected(WAIT_S)
    assert _marker_arrives(station, "andon/p/a/l/s2/state", states)
    assert client.session.kept == 0
