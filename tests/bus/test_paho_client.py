"""Block reads, batched acknowledgements, writes from the publisher's thread, paho's internals."""

from __future__ import annotations

import random
import threading
import time

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from andon.bus.buffered_socket import BufferedSocket
from andon.bus.client import BusClient
from andon.bus.paho_client import BatchingClient
from tests.bus.conftest import WAIT_S, Collector, wait_until
from tests.bus.test_bus_credentials import make_ca_and_server_cert

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
    for name in (
        "_sock",
        "_thread",
        "_out_packet",
        "_send_puback",
        "_create_socket",
        "_packet_queue",
        "_packet_write",
        "_sock_send",
        "_ssl",
        "_sockpairW",
        "_msgtime_mutex",
        "_last_msg_out",
    ):
        assert hasattr(client, name), f"paho no longer has {name}"
    for method in ("_sock_recv", "_sock_send", "_call_socket_register_write"):
        assert hasattr(mqtt.Client, method), f"paho no longer has {method}"  # overridden here
    assert client._ssl is False
    assert client._out_packet.__class__.__name__ == "deque"
    assert mqtt.PUBACK == 0x40
    assert mqtt.PUBLISH == 0x30
    assert callable(mqtt.time_func)
    assert isinstance(mqtt.sockpair_data, bytes)


# --- publishing from the caller's thread -------------------------------------------


def _record_writers(client: BusClient) -> list[tuple[str, int]]:
    """From now on, (writing thread, packet type) of every write on the client's connection."""
    sock = client._mqtt._sock
    assert isinstance(sock, BufferedSocket)
    writes: list[tuple[str, int]] = []
    send = sock.send

    def recording_send(data: bytes | bytearray | memoryview) -> int:
        writes.append((threading.current_thread().name, bytes(data[:1])[0] & 0xF0))
        return send(data)

    sock.send = recording_send  # type: ignore[method-assign]
    return writes


def test_a_qos1_message_is_written_by_the_thread_that_publishes_it(broker, make_client):
    client = make_client(broker.settings())
    assert client.wait_connected(WAIT_S)
    writes = _record_writers(client)
    assert client.publish("andon/t/direct/events", b"e1", qos=1).wait(WAIT_S)
    assert (threading.current_thread().name, mqtt.PUBLISH) in writes
    # QoS 0 (nothing to wait for) stays with the network thread, as in paho.
    writes.clear()
    client.publish("andon/t/direct/events", b"e0", qos=0).wait(WAIT_S)
    assert wait_until(lambda: writes)
    assert writes[0][1] == mqtt.PUBLISH
    assert writes[0][0] != threading.current_thread().name


@pytest.mark.mosquitto
def test_over_tls_only_the_network_thread_writes(mosquitto_factory, make_client, tmp_path):
    ca, cert, key = make_ca_and_server_cert(tmp_path)
    server = mosquitto_factory(tls=(ca, cert, key))
    client = make_client(server.settings(tls=True, ca_file=ca))
    assert client.wait_connected(WAIT_S)
    writes = _record_writers(client)
    assert client.publish("andon/t/direct/events", b"sealed", qos=1).wait(WAIT_S)
    publishers = {name for name, kind in writes if kind == mqtt.PUBLISH}
    assert publishers and threading.current_thread().name not in publishers


def test_the_network_thread_waits_while_a_publisher_writes():
    client = BatchingClient(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    written = threading.Event()

    def network_turn() -> None:
        client._packet_write()
        written.set()

    with client._write_lock:  # a publishing thread is writing
        turn = threading.Thread(target=network_turn)
        turn.start()
        assert not written.wait(0.2)
    assert written.wait(WAIT_S)
    turn.join()


def test_threads_publishing_at_once_lose_and_mix_nothing(broker, make_client):
    """Four threads publish at once, some messages far larger than a socket's buffer.

    Writes from the publishing threads and from the network thread (which takes
    over a message the socket could not take whole) must not interleave.
    """
    topic = "andon/t/direct/many"
    got = Collector()
    reader = make_client(broker.settings())
    reader.subscribe(topic, got)
    writer = make_client(broker.settings())
    assert reader.wait_connected(WAIT_S) and writer.wait_connected(WAIT_S)
    assert wait_until(lambda: writer.publish(topic, b"ready").wait(WAIT_S) and got.messages)
    per_thread, threads = 40, 4
    rng = random.Random(7)
    choices = (10, 300, 5_000, 2_000_000)
    sizes = [[rng.choice(choices) for _ in range(per_thread)] for _ in range(threads)]
    failures: list[str] = []

    def publish_all(index: int) -> None:
        deliveries = []
        for n, size in enumerate(sizes[index]):
            head = f"{index}:{n}:".encode()
            deliveries.append(writer.publish(topic, head + bytes([65 + index]) * size))
        if not all(d.wait(30) for d in deliveries):
            failures.append(f"thread {index}: not all acknowledged")

    workers = [threading.Thread(target=publish_all, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not failures

    def published() -> list:
        return [m for m in got.wait_for(0) if m.payload != b"ready"]

    assert wait_until(lambda: len(published()) >= threads * per_thread, timeout=30)
    messages = published()
    assert len(messages) == threads * per_thread
    order: dict[int, list[int]] = {i: [] for i in range(threads)}
    for message in messages:
        index, n, body = message.payload.split(b":", 2)
        thread, number = int(index), int(n)
        assert body == bytes([65 + thread]) * sizes[thread][number]
        order[thread].append(number)
    assert all(numbers == list(range(per_thread)) for numbers in order.values())
