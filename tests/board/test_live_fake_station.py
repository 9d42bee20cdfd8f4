"""The board against a real Mosquitto on loopback, with a small fake station."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.board.screens.calls import CallsScreen
from andon.bus.client import BusClient, Message
from tests.board.fake_station import FakeStation
from tests.board.live import live_app, until, until_text
from tests.board.pilot import run, screen_text
from tests.board.scenario import catalogue
from tests.conftest import Mosquitto

pytestmark = pytest.mark.mosquitto


@pytest.fixture
def stations(mosquitto: Mosquitto) -> Iterator[list[FakeStation]]:
    started: list[FakeStation] = []
    yield started
    for station in started:
        station.close()


def start_station(mosquitto: Mosquitto, stations: list[FakeStation], **kw: str) -> FakeStation:
    station = FakeStation(mosquitto.settings(), **kw).start()
    stations.append(station)
    return station


def test_a_call_shows_and_is_acknowledged_from_the_keyboard(
    mosquitto: Mosquitto, stations: list[FakeStation]
) -> None:
    station = start_station(mosquitto, stations)
    app = live_app(catalogue(), mosquitto.settings())

    async def check(pilot: Pilot[None]) -> None:
        await until_text(pilot, "✓ broker", "Assembly line A", "a3 ✓", "No open calls")
        call_id = station.raise_call("help")
        await until_text(pilot, "HELP", "RAISED")
        await pilot.press("c")
        assert isinstance(app.screen, CallsScreen)
        await pilot.press("a")
        (command,) = await until(pilot, lambda: station.received("acknowledge"))
        assert command.args == {"call_id": call_id}
        assert command.by == "Lena Fischer"
        await until_text(pilot, "TAKEN", absent=("pending",))
        assert app.model.view(app.clock()).pending == ()

    run(app, check, size=(120, 30))


def test_a_refusal_is_shown_and_the_call_stays(
    mosquitto: Mosquitto, stations: list[FakeStation]
) -> None:
    station = start_station(mosquitto, stations)
    station.refuse_resolve = "scan the reason card"
    station.raise_call("help")
    app = live_app(catalogue(), mosquitto.settings(), start_mode="calls")

    async def check(pilot: Pilot[None]) -> None:
        await until_text(pilot, "Help", "raised")
        await pilot.press("r")
        await pilot.press("enter")  # the first reason for help calls
        await until(pilot, lambda: station.received("resolve"))
        await until_text(pilot, "a3 refused resolve", "scan the reason card")
        assert "Help" in screen_text(app)

    run(app, check, size=(120, 30))


def test_a_lost_event_is_replayed_on_request(
    mosquitto: Mosquitto, stations: list[FakeStation]
) -> None:
    station = start_station(mosquitto, stations)
    app = live_app(catalogue(), mosquitto.settings(), start_mode="calls")

    async def check(pilot: Pilot[None]) -> None:
        await until_text(pilot, "No open calls")
        first = station.raise_call("help", lose=True, state=False)  # never reaches the board
        second = station.raise_call("quality", state=False)
        replays = await until(pilot, lambda: station.replays)
        assert replays[0] == station.seq - 1
        text = await until_text(pilot, "Help", "Quality")
        assert "Open calls: 2" in text
        view = app.model.view(app.clock())
        assert {c.call_id for c in view.open_calls} == {first, second}
        assert view.diagnostics.open_gaps == {}

    run(app, check, size=(120, 30))


def test_a_restarted_board_rebuilds_from_retained_state(
    mosquitto: Mosquitto, stations: list[FakeStation]
) -> None:
    station = start_station(mosquitto, stations)
    station.raise_call("help")
    station.raise_call("equipment")
    station.publish_state()

    for _ in range(2):  # the second board starts from the retained messages alone
        app = live_app(catalogue(), mosquitto.settings(), start_mode="calls")

        async def check(pilot: Pilot[None]) -> None:
            await until_text(pilot, "Open calls: 2", "Help", "Equipment")

        run(app, check, size=(120, 30))


def test_losing_the_broker_shows_a_banner_and_the_board_reconnects(
    mosquitto: Mosquitto, stations: list[FakeStation]
) -> None:
    station = start_station(mosquitto, stations)
    app = live_app(catalogue(), mosquitto.settings())

    async def check(pilot: Pilot[None]) -> None:
        await until_text(pilot, "✓ broker")
        mosquitto.kill()
        await until_text(pilot, "⚠ BROKER LOST: reconnecting to")
        assert "Assembly line A" in screen_text(app)  # the last known state stays
        mosquitto.start()
        await until_text(pilot, "✓ broker")
        assert station.bus.wait_connected(10)
        station.publish_status(True)
        station.publish_state()
        station.raise_call("equipment")
        await until_text(pilot, "EQUIPMENT")

    run(app, check, size=(120, 30))


def test_malformed_payloads_are_counted_not_fatal(
    mosquitto: Mosquitto, stations: list[FakeStation]
) -> None:
    station = start_station(mosquitto, stations)
    app = live_app(catalogue(), mosquitto.settings())

    async def check(pilot: Pilot[None]) -> None:
        await until_text(pilot, "a3 ✓")
        station.publish_raw("events", b"{not json")
        station.publish_raw("reply", b'{"v":9}')
        await until_text(pilot, "⚠ 2 bad messages (d)")
        station.raise_call("help")
        await until_text(pilot, "HELP")
        await pilot.press("d")
        await until_text(pilot, "not JSON", "unsupported message version 9")

    run(app, check, size=(120, 30))


def test_an_offline_station_is_shown_offline(
    mosquitto: Mosquitto, stations: list[FakeStation]
) -> None:
    station = start_station(mosquitto, stations)
    start_station(mosquitto, stations, station="a1")
    app = live_app(catalogue(), mosquitto.settings())

    async def check(pilot: Pilot[None]) -> None:
        await until_text(pilot, "a1 ✓", "a3 ✓")
        station.publish_status(False, "stopped")
        await until_text(pilot, "a3 ✕ OFFLINE")

    run(app, check, size=(120, 30))


def test_the_board_announces_itself(mosquitto: Mosquitto) -> None:
    seen: list[Message] = []
    watcher = BusClient(mosquitto.settings())
    watcher.subscribe("andon/demo-plant/_boards/+/status", seen.append)
    watcher.start()
    app = live_app(catalogue(), mosquitto.settings())

    async def check(pilot: Pilot[None]) -> None:
        await until(pilot, lambda: any(b'"online":true' in m.payload for m in seen))

    try:
        run(app, check)
        assert isinstance(app, BoardApp)
        assert watcher.wait_connected(5)
        # Leaving says goodbye: the retained status turns offline.
        import time

        deadline = time.monotonic() + 10
        while not any(b'"online":false' in m.payload for m in seen):
            assert time.monotonic() < deadline, seen
            time.sleep(0.02)
        assert seen[-1].topic == "andon/demo-plant/_boards/supervisor/status"
    finally:
        watcher.close()
