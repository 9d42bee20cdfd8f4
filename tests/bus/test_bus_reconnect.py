"""A broker outage: Mosquitto killed and restarted on the same port."""

import pytest

from andon.bus.topics import StationAddress

from .conftest import WAIT_S, Collector, wait_until

pytestmark = pytest.mark.mosquitto

STATION = StationAddress("andon", "plant1", "assembly", "line2", "st3")


def test_clients_reconnect_and_subscriptions_come_back(mosquitto, make_client):
    events = Collector()
    ups: list[bool] = []
    downs: list[str] = []
    board = make_client(
        mosquitto.settings(client_id="board", clean_session=False),
        on_connect=ups.append,
        on_disconnect=downs.append,
    )
    board.subscribe(STATION.events(), events)
    station = make_client(mosquitto.settings(client_id="station", clean_session=False))
    assert board.wait_connected(WAIT_S) and station.wait_connected(WAIT_S)
    assert wait_until(
        lambda: station.publish(STATION.events(), b"before").wait(WAIT_S) and events.messages
    )

    mosquitto.kill()  # a crash: no persistence, so the broker forgets every session
    assert board.wait_disconnected(WAIT_S) and station.wait_disconnected(WAIT_S)
    assert wait_until(lambda: bool(downs))  # the hook runs right after the state changed
    assert "disconnected" in (board.last_error or "")
    # QoS 1 published during the outage waits in the client for the reconnect.
    during = station.publish(STATION.events(), b"during")
    assert not during.done

    mosquitto.start()  # same port
    assert board.wait_connected(WAIT_S) and station.wait_connected(WAIT_S)
    assert during.wait(WAIT_S)
    assert board.connects == 2 and station.connects == 2
    assert ups == [False, False]  # the restarted broker had no session to resume
    # The board subscribed again by itself: new events arrive.
    assert wait_until(
        lambda: (
            station.publish(STATION.events(), b"after").wait(WAIT_S)
            and b"after" in events.payloads()
        )
    )


def test_a_persistent_session_survives_a_graceful_broker_restart(mosquitto_factory, make_client):
    broker = mosquitto_factory(persistence=True)
    events = Collector()
    ups: list[bool] = []
    board = make_client(
        broker.settings(client_id="board", clean_session=False), on_connect=ups.append
    )
    board.subscribe(STATION.events(), events)
    assert board.wait_connected(WAIT_S)
    station = make_client(broker.settings(client_id="station"))
    assert wait_until(
        lambda: station.publish(STATION.events(), b"probe").wait(WAIT_S) and events.messages
    )

    broker.stop()  # SIGTERM: Mosquitto saves its sessions
    assert board.wait_disconnected(WAIT_S)
    broker.start()
    assert board.wait_connected(WAIT_S)
    assert ups == [False, True]  # the session (and its subscription) was resumed
