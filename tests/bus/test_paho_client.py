"""Block reads and batched acknowledgements, on both brokers, and paho's internals they use."""

from __future__ import annotations

import time

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from andon.bus.buffered_socket import BufferedSocket
from andon.bus.paho_client import BatchingClient
from tests.bus.conftest import Collector, wait_until

COUNT = 500
SESSION_SWEEP_S = 1.2
"""amqtt settles a persistent session about a second after its client left."""


def _publish_while_away(broker, make_client, client_id: str, topic: str) -> None:
    """A persistent session subscribed to ``topic``, then COUNT messages sent while it is away."""
    away = make_client(broker.settings(client_id=client_id, clean_session=False))
    seen = Collector()
    away.subscribe(topic, seen)
    publisher = make_client(broker.settings())
    # The session is subscribed once a message reaches it.
    assert wait_until(lambda: publisher.publish(topic, b"ready").wait(10) and seen.messages)
    away.close(timeout=1.0, announce_will=False)
    time.sleep(SESSION_SWEEP_S)
    deliveries = [publisher.publish(topic, f"m{i}".encode()) for i in range(COUNT)]
    assert all(d.wait(10) for d in deliveries)


def test_a_queued_stream_is_taken_in_order_and_every_message_acknowledged(broker, make_client):
    topic = "andon/t/batch/events"
    _publish_while_away(broker, make_client, "batch-reader", topic)

    got = Collector()
    reader = make_client(
        broker.settings(client_id="batch-reader", clean_session=False), start=False
    )
    reader.subscribe(topic, got)  # before connecting: the queue comes at once
    reader.start()
    messages = got.wait_for(COUNT)
    assert [m.payload for m in messages] == [f"m{i}".encode() for i in range(COUNT)]
    assert isinstance(reader._mqtt._sock, BufferedSocket)
    # Closed at once, while the last batch may still be in the network thread's turn:
    # its acknowledgements must go out before the DISCONNECT.
    reader.close(timeout=1.0, announce_will=False)
    time.sleep(SESSION_SWEEP_S)

    # Had any message gone unacknowledged, the broker would send it again now.
    again = Collector()
    back = make_client(broker.settings(client_id="batch-reader", clean_session=False), start=False)
    back.subscribe(topic, again)
    back.start()
    assert wait_until(lambda: back.connected)
    probe = make_client(broker.settings())
    # A broker may take a moment to restore the session's subscription: probe until one arrives.
    assert wait_until(lambda: probe.publish(topic, b"probe").wait(10) and again.messages)
    assert {m.payload for m in again.messages} == {b"probe"}


def test_the_paho_internals_the_client_relies_on_are_there():
    client = BatchingClient(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    for name in ("_sock", "_thread", "_out_packet", "_send_puback", "_create_socket"):
        assert hasattr(client, name), f"paho no longer has {name}"
    assert client._out_packet.__class__.__name__ == "deque"
    assert mqtt.PUBACK == 0x40
