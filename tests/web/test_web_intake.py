"""The web server's intake process: chosen by the web file, people's commands go out
through it, its end is seen."""

from __future__ import annotations

import asyncio
import os
import queue
import signal
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from andon.bench.payloads import catalogue, plant, state, state_template
from andon.board.model import BoardModel
from andon.bus.client import BusClient, Message
from andon.config.errors import ConfigError
from andon.web.config import WebSetup
from andon.web.feed import WebFeed
from andon.web.hub import Hub
from andon.web.intake import IntakeFeed
from andon.web.server import make_site
from tests.conftest import Mosquitto

pytestmark = pytest.mark.mosquitto

WAIT_S = 15.0


async def until(check: Callable[[], bool]) -> None:
    for _ in range(int(WAIT_S / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("not within the time allowed")


def test_a_command_goes_out_through_the_intake_and_its_end_is_a_lost_connection(
    mosquitto: Mosquitto,
) -> None:
    stations = plant(1, 1)
    shown = catalogue(stations)
    model = BoardModel(shown)
    clock = lambda: datetime.now(UTC)  # noqa: E731
    feed = IntakeFeed(model, mosquitto.settings(client_id="web-intake"), clock)
    hub = Hub(shown, model, feed, clock)
    station = stations[0]
    heard: queue.Queue[Message] = queue.Queue()
    peer = BusClient(mosquitto.settings(client_id="station-peer")).start()
    peer.subscribe(station.address.cmd("acknowledge"), heard.put)
    assert peer.wait_subscribed(WAIT_S)
    message = state(station, state_template(clock()), seq=2)
    peer.publish(message.topic, message.payload, retain=True).wait(WAIT_S)

    def seq() -> int | None:
        shown_station = hub.view.station(station.address.path)
        snapshot = shown_station.snapshot if shown_station is not None else None
        return snapshot.seq if snapshot is not None else None

    async def scenario() -> None:
        await hub.start()
        try:
            await until(lambda: hub.view.broker.connected is True and seq() == 2)
            command = hub.send(station.address.path, "acknowledge", {"call_id": "C1"}, "Lena")
            sent = await asyncio.to_thread(heard.get, True, WAIT_S)
            assert command.command_id in sent.text()
            assert feed.intake_pid is not None
            os.kill(feed.intake_pid, signal.SIGKILL)  # the intake dies: the pages say so
            await until(lambda: hub.view.broker.connected is False)
            assert "intake process stopped" in hub.view.broker.detail
            again = hub.send(station.address.path, "acknowledge", {"call_id": "C2"}, "Lena")
            # refused at once, not left pending: the board's notice says why
            assert again.command_id not in {p.command_id for p in hub.view.pending}
            assert any("intake process" in n.text for n in hub.view.notices)
        finally:
            await hub.stop()

    try:
        asyncio.run(scenario())
    finally:
        peer.close()


def test_the_web_file_chooses_where_the_broker_is_read(
    web_setup: Callable[..., WebSetup],
) -> None:
    assert type(make_site(web_setup()).hub.feed) is WebFeed
    assert type(make_site(web_setup(intake="process")).hub.feed) is IntakeFeed
    with pytest.raises(ConfigError, match="intake"):
        web_setup(intake="thread")
