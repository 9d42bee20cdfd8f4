"""The PNS driver against a loopback tower that parses frames and answers ACK/NAK."""

from __future__ import annotations

import re
import socket

import pytest

from andon.config.hardware import PnsTower
from hal.events import DeviceStatus
from hal.patterns import BuzzerPattern, Pattern, TowerState
from hal.pns import PnsClient, PnsConnectionError, PnsRejected, write_frame
from hal.pns_loopback import LoopbackPnsTower
from hal.pns_tower import PnsLampTower

FIVE = ["red", "yellow", "green", "blue", "white"]
RED_ON = TowerState(lamps={"red": Pattern.ON})


@pytest.fixture
def tower():
    with LoopbackPnsTower() as server:
        yield server


@pytest.fixture
def client(tower):
    pns = PnsClient("127.0.0.1", tower.port, timeout_s=2.0)
    yield pns
    pns.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_write_is_received_byte_for_byte_and_acknowledged(tower, client) -> None:
    data = write_frame(TowerState(lamps={"yellow": Pattern.SLOW}, buzzer="chirp"), FIVE)
    client.send(data)
    assert tower.frames == [data]
    assert tower.replies == [b"\x06"]
    assert tower.lamps == [0, 2, 0, 0, 0] and tower.buzzer == 3


def test_a_nak_raises_and_the_connection_stays_usable(tower, client) -> None:
    tower.nak_next()
    with pytest.raises(PnsRejected, match="NAK"):
        client.send(write_frame(RED_ON, FIVE))
    assert tower.lamps == [0] * 5
    client.send(write_frame(RED_ON, FIVE))
    assert tower.lamps == [1, 0, 0, 0, 0]
    assert client.connected


def test_the_tower_refuses_malformed_frames(tower, client) -> None:
    with pytest.raises(PnsRejected):
        client.send(b"XXS\x00\x00\x06\x07\x00\x00\x00\x00\x00")  # 07H is no lamp code
    with pytest.raises(PnsRejected):
        client.send(b"YYS\x00\x00\x00")


def test_after_a_tower_restart_the_next_write_reconnects(tower, client) -> None:
    client.send(write_frame(RED_ON, FIVE))
    tower.drop_connections()
    client.send(write_frame(TowerState(lamps={"green": Pattern.ON}), FIVE))
    assert tower.lamps == [0, 0, 1, 0, 0]


def test_a_connection_dropped_mid_write_is_retried_once_on_a_new_one(tower, client) -> None:
    client.send(write_frame(RED_ON, FIVE))
    tower.drop_next()
    client.send(write_frame(TowerState(lamps={"blue": Pattern.FAST}), FIVE))
    assert tower.lamps == [0, 0, 0, 3, 0]
    assert len(tower.frames) == 3  # the dropped one, then the same frame again


def test_a_fresh_connection_dropped_without_answer_is_an_error(tower, client) -> None:
    tower.drop_next()
    with pytest.raises(PnsConnectionError, match=re.escape(f"127.0.0.1:{tower.port}")):
        client.send(write_frame(RED_ON, FIVE))
    assert not client.connected
    client.send(write_frame(RED_ON, FIVE))  # the next write reconnects
    assert tower.lamps[0] == 1


def test_an_unreachable_tower_is_a_clear_error() -> None:
    port = free_port()
    client = PnsClient("127.0.0.1", port, timeout_s=1.0)
    with pytest.raises(PnsConnectionError, match=re.escape(f"PNS tower 127.0.0.1:{port}")):
        client.send(write_frame(RED_ON, FIVE))


def test_a_tower_that_never_answers_times_out() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:
        client = PnsClient("127.0.0.1", silent.getsockname()[1], timeout_s=0.2)
        with pytest.raises(PnsConnectionError, match=re.escape("no answer within 0.2 s")):
            client.send(write_frame(RED_ON, FIVE))
        client.close()


def config_for(tower: LoopbackPnsTower, **extra) -> PnsTower:
    return PnsTower(backend="pns", host="127.0.0.1", port=tower.port, **extra)


def test_the_lamp_tower_backend_shows_states(tower, clock, events) -> None:
    lamps = PnsLampTower(config_for(tower, colours=["red", "yellow", "green"]), clock=clock)
    try:
        assert lamps.wait_sent(5.0)  # the initial all-off
        lamps.show(TowerState(lamps={"green": Pattern.ON}, buzzer=BuzzerPattern.PULSE))
        assert lamps.wait_sent(5.0)
        assert tower.lamps == [0, 0, 1, 0, 0] and tower.buzzer == 2
        with pytest.raises(ValueError, match="no blue tier"):
            lamps.show(TowerState(lamps={"blue": Pattern.ON}))
    finally:
        lamps.close()
    assert tower.lamps == [0] * 5 and tower.buzzer == 0  # switched off on close
    assert lamps.closed


def test_the_backend_reports_a_nak_and_recovers(tower, clock, events) -> None:
    lamps = PnsLampTower(config_for(tower, retry_s=0.05), clock=clock, sink=events.append)
    try:
        assert lamps.wait_sent(5.0)
        tower.nak_next(2)
        lamps.show(RED_ON)
        assert not lamps.wait_sent(5.0)
        assert "NAK" in (lamps.problem or "")
        lamps.tick(clock())
        assert [(type(e), e.ok) for e in events] == [(DeviceStatus, False)]
        # It keeps sending the newest state every retry_s until the tower takes it.
        assert tower.wait_for_frames(4, timeout=5.0)
        assert lamps.wait_sent(5.0)
        assert tower.lamps[0] == 1
        lamps.tick(clock())
        assert [e.ok for e in events] == [False, True]
        assert events[0].device == "tower"
    finally:
        lamps.close()


def test_the_backend_survives_a_tower_that_is_down(clock, events) -> None:
    port = free_port()
    config = PnsTower(backend="pns", host="127.0.0.1", port=port, retry_s=0.05, timeout_s=1.0)
    lamps = PnsLampTower(config, clock=clock, sink=events.append)
    try:
        lamps.show(RED_ON)  # returns at once
        assert not lamps.wait_sent(5.0)
        lamps.tick(clock())
        assert events and not events[0].ok and f"127.0.0.1:{port}" in events[0].detail
        with LoopbackPnsTower(port=port) as server:
            assert server.wait_for_frames(1, timeout=5.0)
            assert lamps.wait_sent(5.0)
            assert server.lamps[0] == 1
            lamps.close()
    finally:
        lamps.close()
