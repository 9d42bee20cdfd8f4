"""The embedded amqtt broker: loopback only, port 0, restart, sessions, `andon broker`."""

import signal
import socket
import subprocess
import sys
import time

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from andon.bus import embedded_broker as embedded_broker_module
from andon.bus.credentials import BrokerSettings
from andon.bus.embedded_broker import BrokerStartError, EmbeddedBroker, is_loopback
from andon.cli.main import main

from .conftest import WAIT_S, Collector, wait_until


def test_port_zero_picks_a_free_loopback_port():
    with EmbeddedBroker("127.0.0.1", 0) as broker:
        assert broker.running and broker.port > 0
        with socket.create_connection(("127.0.0.1", broker.port), timeout=WAIT_S):
            pass
    assert not broker.running
    with pytest.raises(RuntimeError, match="not started"):
        _ = broker.port


def test_a_taken_port_is_a_clear_error(embedded_broker):
    with pytest.raises(BrokerStartError, match=str(embedded_broker.port)):
        EmbeddedBroker("127.0.0.1", embedded_broker.port).start()


def test_non_loopback_hosts_need_consent():
    with pytest.raises(ValueError, match="loopback"):
        EmbeddedBroker("0.0.0.0", 0)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    EmbeddedBroker("0.0.0.0", 0, allow_remote=True)  # allowed, not started


def test_stop_then_start_again():
    broker = EmbeddedBroker("127.0.0.1", 0)
    broker.start()
    broker.stop()
    broker.stop()  # idempotent
    broker.start()
    try:
        assert broker.running
    finally:
        broker.stop()


def test_a_persistent_session_gets_what_was_published_while_it_was_away(
    embedded_broker, make_client
):
    """amqtt forgets anonymous sessions; the embedded broker's access plugin keeps them."""
    received = Collector()
    board = make_client(_settings(embedded_broker, client_id="board", clean_session=False))
    board.subscribe("andon/p/a/l/s/events", received)
    station = make_client(_settings(embedded_broker, client_id="station"))
    assert wait_until(
        lambda: station.publish("andon/p/a/l/s/events", b"1").wait(WAIT_S) and received.messages
    )
    board.close(announce_will=False)
    # amqtt sweeps sessions it will not keep once a second; let one sweep pass.
    time.sleep(1.2)
    assert station.publish("andon/p/a/l/s/events", b"2").wait(WAIT_S)
    ups: list[bool] = []
    back = make_client(
        _settings(embedded_broker, client_id="board", clean_session=False),
        on_connect=ups.append,
        start=False,
    )
    queued = Collector()
    # subscribed before connecting: the queued message comes right after the connection
    back.subscribe("andon/p/a/l/s/events", queued)
    back.start()
    assert queued.wait_for(1)[0].payload == b"2"
    assert ups == [True]


def _retained_seen_by_a_narrow_subscriber(broker, make_client) -> list[tuple[str, bytes]]:
    """Two retained topics, a client subscribed to both, then a raw paho client
    (no handler filtering) subscribing to one of them: what the raw client receives."""
    publisher = make_client(_settings(broker))
    assert publisher.publish("andon/a/state", b"A", retain=True).wait(WAIT_S)
    assert publisher.publish("andon/b/state", b"B", retain=True).wait(WAIT_S)
    watcher = Collector()
    make_client(_settings(broker)).subscribe("andon/#", watcher)
    assert len(watcher.wait_for(2)) == 2

    seen: list[tuple[str, bytes]] = []
    raw = paho.Client(CallbackAPIVersion.VERSION2, protocol=paho.MQTTv311)
    raw.on_message = lambda c, u, m: seen.append((m.topic, m.payload))
    raw.on_connect = lambda c, u, f, rc, p: c.subscribe("andon/a/#", 1)
    raw.connect(broker.host, broker.port)
    raw.loop_start()
    try:
        assert wait_until(lambda: bool(seen))
        assert publisher.publish("andon/a/state", b"A2", retain=True).wait(WAIT_S)
        assert wait_until(lambda: ("andon/a/state", b"A2") in seen)
        time.sleep(0.2)  # anything else the broker sends on connect has arrived
    finally:
        raw.disconnect()
        raw.loop_stop()
    return seen


def test_retained_messages_go_only_to_matching_subscriptions(embedded_broker, make_client):
    seen = _retained_seen_by_a_narrow_subscriber(embedded_broker, make_client)
    assert seen == [("andon/a/state", b"A"), ("andon/a/state", b"A2")]


def test_upstream_amqtt_still_sends_other_clients_retained_topics(make_client, monkeypatch):
    """The bug the embedded broker's override works around is still in amqtt.

    On connect, amqtt 0.12 publishes the retained messages of every topic filter any
    client subscribed to (amqtt/broker.py, the loop added by Yakifo/amqtt#248,
    https://github.com/Yakifo/amqtt/pull/248). When this fails, amqtt fixed it:
    drop ``OwnRetainedBroker`` in andon/bus/embedded_broker.py and this test.
    """
    from amqtt.broker import Broker

    monkeypatch.setattr(embedded_broker_module, "_broker_class", lambda: Broker)
    with EmbeddedBroker("127.0.0.1", 0) as upstream:
        seen = _retained_seen_by_a_narrow_subscriber(upstream, make_client)
    assert ("andon/b/state", b"B") in seen


def _settings(broker, **overrides):
    values = dict(host=broker.host, port=broker.port, reconnect_min_s=0.1, reconnect_max_s=0.5)
    values.update(overrides)
    return BrokerSettings(**values)


# --- the command --------------------------------------------------------------------


def test_broker_command_refuses_a_remote_host_without_consent(capsys):
    assert main(["broker", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_broker_command_serves_until_sigterm(make_client):
    process = subprocess.Popen(
        [sys.executable, "-m", "andon", "broker", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("andon broker listening on 127.0.0.1:"), line
        port = int(line.rsplit(":", 1)[1])
        client = make_client(BrokerSettings(port=port))
        assert client.wait_connected(WAIT_S)
        client.close()
        process.send_signal(signal.SIGTERM)
        assert process.wait(WAIT_S) == 0
        assert "stopped" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(WAIT_S)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
