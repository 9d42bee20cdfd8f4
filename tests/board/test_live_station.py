"""The board with the real station agent on simulated hardware, over a real Mosquitto."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.board.catalogue import BoardCatalogue
from andon.board.screens.reason_picker import ReasonPicker
from andon.bus.client import BusClient
from andon.bus.commands import command_message
from andon.bus.messages import encode
from andon.config.loader import load_board
from andon.domain.calls import CallStatus
from andon.domain.commands import new_stop_id
from andon.domain.downtime import Stop
from andon.domain.events import StopEnded, StopStarted
from andon.station.assemble import StationRuntime
from tests.board.live import live_app, until, until_text
from tests.board.pilot import run
from tests.conftest import Mosquitto
from tests.support.stations import DEMO

pytestmark = pytest.mark.mosquitto

A1 = "andon/demo-plant/assembly/line-a/a1"


def demo_catalogue() -> BoardCatalogue:
    return BoardCatalogue.from_board(load_board(DEMO / "board.toml"))


def test_button_press_appears_and_acknowledging_reaches_the_station(
    mosquitto: Mosquitto, station_factory: Callable[..., StationRuntime]
) -> None:
    runtime = station_factory(mosquitto.settings(client_id="station-a3", clean_session=False))
    sim = runtime.sim
    assert sim is not None
    core = runtime.agent.core
    app = live_app(demo_catalogue(), mosquitto.settings())

    async def check(pilot: Pilot[None]) -> None:
        await until_text(pilot, "Assembly line A", "a3 ✓")
        sim.press("help")  # the operator presses the help button on the simulated HAL
        await until_text(pilot, "HELP", "RAISED")
        await pilot.press("c", "a")
        await until(
            pilot,
            lambda: (
                core.state.open_calls and core.state.open_calls[0].status is CallStatus.ACKNOWLEDGED
            ),
        )
        assert core.state.open_calls[0].acknowledged_by == "Lena Fischer"
        await until_text(pilot, "taken by Lena Fischer", absent=("pending",))
        runtime.agent.stop()  # goodbye: the station says it is offline
        await pilot.press("o")
        await until_text(pilot, "a3 ✕ OFFLINE")

    run(app, check, size=(120, 30))


def test_a_stop_reason_from_the_keyboard_reaches_the_station(
    mosquitto: Mosquitto, station_factory: Callable[..., StationRuntime]
) -> None:
    runtime = station_factory(
        mosquitto.settings(client_id="station-a1", clean_session=False), name="station-a1.toml"
    )
    agent = runtime.agent
    app = live_app(demo_catalogue(), mosquitto.settings(), start_mode="line")

    def long_fault() -> str:
        """A 40-minute machine stop that just ended (the station runs on the real clock)."""
        core = agent.core
        now = core.clock.now()
        stop_id = new_stop_id(core.state)
        since = now - timedelta(minutes=40)
        core.record(
            [
                StopStarted(at=now, stop_id=stop_id, source="fault", since=since),
                StopEnded(at=now, stop_id=stop_id),
            ]
        )
        return stop_id

    def stop_of(stop_id: str) -> Stop:
        return next(s for s in agent.core.state.stops if s.stop_id == stop_id)

    async def check(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, BoardApp)
        await until_text(pilot, "Assembly line A", "a1 ✓")
        stop_id = agent.run_on_loop(long_fault)
        await until_text(pilot, "NEEDED (r)", "⚠ Machine fault: reason missing")
        await pilot.press("r")
        assert isinstance(pilot.app.screen, ReasonPicker)
        await pilot.press("tab", *"bearing", "enter")  # the first reason: BRK-MECH
        await until(pilot, lambda: stop_of(stop_id).reason)
        stop = stop_of(stop_id)
        assert (stop.reason, stop.by, stop.note) == ("BRK-MECH", "Lena Fischer", "bearing")
        await until_text(
            pilot, "Mechanical breakdown", absent=("NEEDED (r)", "sent, waiting", "reason missing")
        )
        assert app.model.view(app.clock()).pending == ()

    run(app, check, size=(120, 40))


@pytest.fixture
def station_process(
    mosquitto: Mosquitto, tmp_path: Path
) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "andon",
                "--log-level",
                "WARNING",
                "station",
                "--config",
                str(DEMO / f"station-{name}.toml"),
                "--sim",
                "--broker",
                f"{mosquitto.host}:{mosquitto.port}",
                "--journal",
                str(tmp_path / f"{name}.sqlite"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        if process.stderr:
            process.stderr.close()


def test_a_killed_station_is_shown_offline_by_its_last_will(
    mosquitto: Mosquitto, station_process: Callable[[str], subprocess.Popen[bytes]]
) -> None:
    process = station_process("a1")
    poke = BusClient(mosquitto.settings())
    poke.start()
    app = live_app(demo_catalogue(), mosquitto.settings())

    async def check(pilot: Pilot[None]) -> None:
        await until_text(pilot, "a1 ✓")
        # A fault on the simulated machine input (jidoka) raises an equipment call.
        fault = command_message("poke-1", "test", action="fault", active=True)
        poke.publish(f"{A1}/cmd/sim", encode(fault)).wait(5)
        await until_text(pilot, "EQUIPMENT", "a1")
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        await until_text(pilot, "a1 ✕ OFFLINE")
        assert "EQUIPMENT" in (await until_text(pilot, "a1 ✕ OFFLINE"))  # last known calls stay

    try:
        run(app, check, size=(120, 30))
    finally:
        poke.close()
