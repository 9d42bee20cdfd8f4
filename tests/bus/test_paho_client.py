"""Block reads and batched acknowledgements, on both brokers, and paho's internals they use."""

from __future__ import annotations

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from andon.bus.buffered_socket import BufferedSocket
from andon.bus.paho_client import BatchingClient
from tests.bus.conftest import Collector, wait_until

COUNT = 500


def _publish_while_away(broker, make_client, client_id: str, topic: str) -> None:
    """A persistent session subscribed to ``topic``, then COUNT messages sent while it is away."""
    away = make_client(broker.settings(client_id=client_id, clean_session=False))
    away.subscribe(topic, Collector())
    assert wait_until(lambda: away.connected)
    away.close(timeout=1.0, announce_will=False)
    publisher = make_client(broker.settings())
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
    reader.close(timeout=1.0, announce_will=False)

    # Had any message gone unacknowledged, the broker would send it again now.
    again = Collector()
    back = make_client(broker.settings(client_id="batch-reader", clean_session=False), start=False)
    back.subscribe(topic, again)
    back.start()
    assert wait_until(lambda: back.connected)
    probe = make_client(broker.settings())
    assert probe.publish(topic, b"probe").wait(10)
    assert [m.payload for m in again.wait_for(1)] == [b"probe"]


def test_the_paho_internals_the_client_relies_on_are_there():
    client = BatchingClient(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    for name in ("_sock", "_thread", "_out_packet", "_send_puback", "_create_socket"):
        assert hasattr(client, name), f"paho no longer has {name}"
    assert client._out_packet.__class__.__name__ == "deque"
    assert mqtt.PUBACK == 0x40
