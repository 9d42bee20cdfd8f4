"""BusClient against real brokers: Mosquitto and the embedded amqtt, both on loopback."""

import json
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from andon.bus.client import BusClient, Delivery, Will, encode_payload
from andon.bus.credentials import BrokerSettings
from andon.bus.topics import StationAddress

from .conftest import WAIT_S, Collector, wait_until

STATION = StationAddress("andon", "plant1", "assembly", "line2", "st3")


def test_publish_subscribe_round_trip(broker, make_client):
    received = Collector()
    consumer = make_client(broker.settings(client_id="board-1"))
    consumer.subscribe(STATION.line_filter().events(), received)
    assert consumer.wait_connected(WAIT_S)
    station = make_client(broker.settings(client_id="station-1"))
    assert station.wait_connected(WAIT_S)

    # The subscription is in place once a probe message comes back.
    assert wait_until(
        lambda: (
            station.publish(STATION.events(), {"probe": True}).wait(WAIT_S)
            and bool(received.messages)
        )
    )
    deliveries = [station.publish(STATION.events(), {"seq": n}) for n in range(1, 21)]
    assert all(d.wait(WAIT_S) for d in deliveries)

    def numbered() -> list[int]:
        return [m.json()["seq"] for m in list(received.messages) if "seq" in m.json()]

    assert wait_until(lambda: len(numbered()) >= 20)
    assert numbered() == list(range(1, 21))
    assert all(m.topic == STATION.events() and not m.retain for m in received.messages)


def test_qos1_delivery_is_acknowledged_with_callback(broker, make_client):
    client = make_client(broker.settings())
    assert client.wait_connected(WAIT_S)
    acked: list[Delivery] = []
    delivery = client.publish(STATION.events(), b"raw", qos=1, on_acked=acked.append)
    assert delivery.wait(WAIT_S)
    assert delivery.acknowledged and delivery.error is None and delivery.mid
    assert wait_until(lambda: acked == [delivery])
    late: list[Delivery] = []
    delivery.add_done_callback(late.append)  # already done: called at once
    assert late == [delivery]


def test_retained_state_reaches_a_late_subscriber_once(broker, make_client):
    station = make_client(broker.settings())
    assert station.wait_connected(WAIT_S)
    assert station.publish(STATION.state(), {"pace": "behind"}, retain=True).wait(WAIT_S)
    assert station.publish(STATION.state(), {"pace": "ahead"}, retain=True).wait(WAIT_S)

    other = Collector()  # another client's subscription must not leak to the late one
    make_client(broker.settings()).subscribe("andon/#", other)
    assert other.wait_for(1)

    late = Collector()
    board = make_client(broker.settings())
    board.subscribe(STATION.line_filter().state(), late)
    messages = late.wait_for(1)
    assert [m.json() for m in messages] == [{"pace": "ahead"}]
    assert messages[0].retain
    # A probe published after the retained one proves nothing else was queued before it.
    assert station.publish(STATION.state(), {"pace": "on"}, retain=True).wait(WAIT_S)
    assert [m.json()["pace"] for m in late.wait_for(2)] == ["ahead", "on"]


def test_an_empty_retained_message_clears_the_state(broker, make_client):
    station = make_client(broker.settings())
    assert station.wait_connected(WAIT_S)
    assert station.publish(STATION.state(), b"old", retain=True).wait(WAIT_S)
    assert station.publish(STATION.state(), b"", retain=True).wait(WAIT_S)
    assert station.publish(STATION.status(), b"marker", retain=True).wait(WAIT_S)
    late = Collector()
    board = make_client(broker.settings())
    board.subscribe(STATION.state(), late)
    board.subscribe(STATION.status(), late)
    # The retained status arrives; the cleared state must not (not even empty).
    assert late.wait_for(1)
    assert station.publish(STATION.state(), b"new").wait(WAIT_S)
    assert wait_until(lambda: b"new" in late.payloads())
    assert late.payloads() == [b"marker", b"new"]


def test_a_failing_handler_does_not_stop_the_network_thread(broker, make_client):
    def broken(message):
        raise RuntimeError("handler bug")

    received = Collector()
    client = make_client(broker.settings())
    client.subscribe(STATION.events(), broken)
    client.subscribe(STATION.events(), received)
    assert client.wait_connected(WAIT_S)
    assert wait_until(
        lambda: client.publish(STATION.events(), b"1").wait(WAIT_S) and received.messages
    )
    assert client.publish(STATION.events(), b"2").wait(WAIT_S)
    assert wait_until(lambda: b"2" in received.payloads())
    assert client.connected


def test_unsubscribe_stops_a_handler(broker, make_client):
    kept, dropped = Collector(), Collector()
    client = make_client(broker.settings())
    client.subscribe(STATION.events(), kept)
    client.subscribe(STATION.events(), dropped)
    assert client.wait_connected(WAIT_S)
    assert wait_until(
        lambda: client.publish(STATION.events(), b"a").wait(WAIT_S) and dropped.messages
    )
    client.unsubscribe(STATION.events(), dropped)
    assert client.publish(STATION.events(), b"b").wait(WAIT_S)
    assert wait_until(lambda: b"b" in kept.payloads())
    assert b"b" not in dropped.payloads()


WILL_CLIENT = textwrap.dedent(
    """
    import sys, time
    from andon.bus.client import BusClient, Will
    from andon.bus.credentials import BrokerSettings
    port, topic = int(sys.argv[1]), sys.argv[2]
    will = Will(topic, {"online": False})
    client = BusClient(BrokerSettings(port=port, client_id="doomed"), will=will).start()
    assert client.wait_connected(10)
    assert client.publish(topic, {"online": True}, retain=True).wait(10)
    print("ready", flush=True)
    time.sleep(60)
    """
)


def test_last_will_fires_when_a_client_is_killed(broker, make_client):
    status = Collector()
    board = make_client(broker.settings())
    board.subscribe(STATION.status(), status)
    assert board.wait_connected(WAIT_S)
    doomed = subprocess.Popen(
        [sys.executable, "-c", WILL_CLIENT, str(broker.port), STATION.status()],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert doomed.stdout is not None
        assert doomed.stdout.readline().strip() == "ready"
        assert status.wait_for(1)[0].json() == {"online": True}
        doomed.send_signal(signal.SIGKILL)  # no DISCONNECT: the broker must publish the will
    finally:
        doomed.kill()
        doomed.wait(WAIT_S)
        if doomed.stdout:
            doomed.stdout.close()
    assert status.wait_for(2)[1].json() == {"online": False}
    # The will was retained: a newcomer sees the station offline.
    newcomer = Collector()
    make_client(broker.settings()).subscribe(STATION.status(), newcomer)
    assert newcomer.wait_for(1)[0].json() == {"online": False}


def test_close_announces_the_will_itself(broker, make_client):
    status = Collector()
    board = make_client(broker.settings())
    board.subscribe(STATION.status(), status)
    assert board.wait_connected(WAIT_S)
    station = make_client(
        broker.settings(client_id="polite"), will=Will(STATION.status(), {"online": False})
    )
    assert station.wait_connected(WAIT_S)
    assert wait_until(lambda: board.connected and station.connected)
    station.close()
    assert not station.connected
    assert status.wait_for(1)[-1].json() == {"online": False}
    with pytest.raises(RuntimeError, match="closed"):
        station.publish(STATION.events(), b"late")


def test_a_clean_disconnect_without_announcing_sends_no_will(broker, make_client):
    status = Collector()
    board = make_client(broker.settings())
    board.subscribe(STATION.status(), status)
    assert board.wait_connected(WAIT_S)
    station = make_client(broker.settings(), will=Will(STATION.status(), {"online": False}))
    assert station.wait_connected(WAIT_S)
    assert station.publish(STATION.status(), {"online": True}, retain=True).wait(WAIT_S)
    assert status.wait_for(1)
    station.close(announce_will=False)
    time.sleep(0.2)  # room for a (wrong) will to be sent; it would arrive before the marker
    assert board.publish(STATION.status(), {"marker": True}).wait(WAIT_S)
    assert wait_until(lambda: status.messages[-1].json() == {"marker": True})
    # amqtt may hand a retained message published while the board was subscribing to
    # it twice (live and as retained); what matters is that no will came before the marker.
    assert {"online": False} not in [m.json() for m in status.messages]


def test_qos1_waits_for_the_broker_and_qos0_fails_without_one(make_client):
    # Nothing listens on this port: the client keeps trying in the background.
    client = make_client(BrokerSettings(port=1, reconnect_min_s=0.1, reconnect_max_s=0.2))
    assert not client.wait_connected(0.2)
    assert wait_until(lambda: client.last_error is not None)
    assert "cannot connect" in (client.last_error or "")
    lost = client.publish(STATION.events(), b"x", qos=0)
    assert lost.done and not lost.acknowledged and "not sent" in (lost.error or "")
    waiting = client.publish(STATION.events(), b"y", qos=1)
    assert not waiting.done
    client.close(timeout=0.5)
    assert waiting.done and not waiting.acknowledged
    assert "closed" in (waiting.error or "")


def test_bad_arguments_are_refused_before_anything_is_sent(make_client):
    client = make_client(BrokerSettings(port=1), start=False)
    with pytest.raises(ValueError, match="wildcards"):
        client.publish("andon/+/x", b"")
    with pytest.raises(ValueError, match="filter"):
        client.subscribe("andon/#/x", lambda m: None)
    with pytest.raises(ValueError, match="qos"):
        client.publish("andon/x", b"", qos=3)
    with pytest.raises(TypeError, match="payload"):
        client.publish("andon/x", 42)  # type: ignore[arg-type]


def test_payload_encoding():
    assert (
        encode_payload({"a": "é", "n": 1})
        == json.dumps({"a": "é", "n": 1}, separators=(",", ":"), ensure_ascii=False).encode()
    )
    assert encode_payload("text") == b"text"
    assert encode_payload(bytearray(b"\x00\x01")) == b"\x00\x01"
    with pytest.raises(ValueError):
        encode_payload({"x": float("nan")})


def test_construction_never_connects():
    client = BusClient(BrokerSettings(port=1))
    assert not client.connected and client.last_error is None
    client.close()  # closing a client that never started is fine


def test_wait_subscribed_means_the_next_publish_arrives(broker, make_client):
    """After wait_subscribed, no probe is needed: the broker has acknowledged every
    subscription, the connection's own and one added later."""
    station = make_client(broker.settings(client_id="station-sub"))
    assert station.wait_connected(WAIT_S)
    for round_ in range(5):
        early, late = Collector(), Collector()
        consumer = make_client(broker.settings(client_id=f"board-sub-{round_}"))
        consumer.subscribe(STATION.line_filter().events(), early)
        assert consumer.wait_subscribed(WAIT_S)
        consumer.subscribe(STATION.line_filter().state(), late)
        assert consumer.wait_subscribed(WAIT_S)
        assert station.publish(STATION.events(), {"seq": round_}).wait(WAIT_S)
        assert station.publish(STATION.state(), {"seq": round_}).wait(WAIT_S)
        assert wait_until(lambda e=early, s=late: e.messages and s.messages)
        consumer.close()


def test_wait_subscribed_is_false_while_no_broker_answers(make_client):
    lonely = make_client(BrokerSettings(port=1, reconnect_min_s=0.1, reconnect_max_s=0.2))
    lonely.subscribe("andon/#", Collector())
    assert not lonely.wait_subscribed(0.5)
