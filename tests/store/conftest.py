"""A store board on simulated pins against a real Mosquitto, beside simulated stations.

The store runs on a :class:`~hal.clock.ManualClock` without its hardware loop:
its lamps switch as soon as the calls change, and the tests move its clock
(buzzer cues, flash patterns) and scan through its controller. The stations
run in real time (``station_factory`` of :mod:`tests.support.stations`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from andon.bus.client import BusClient
from andon.bus.credentials import BrokerSettings
from andon.bus.request import CommandRequester, Reply
from andon.bus.topics import StationAddress
from andon.config.loader import load_store
from andon.store.assemble import StoreRuntime, build_store
from hal.clock import ManualClock
from tests.support.stations import DEMO, wait_for

PREFIX = "andon"
SITE_AREA = "demo-plant/assembly"


def station_address(line: str, station: str) -> StationAddress:
    return StationAddress.from_path(f"{SITE_AREA}/{line}/{station}", PREFIX)


def station_settings(mosquitto: Any, name: str) -> BrokerSettings:
    return mosquitto.settings(client_id=f"test-station-{name}", clean_session=False)


@dataclass
class Store:
    """A started store board, its simulation controller and its manual clock."""

    runtime: StoreRuntime
    clock: ManualClock

    @property
    def board(self) -> Any:
        return self.runtime.board

    @property
    def sim(self) -> Any:
        assert self.runtime.sim is not None
        return self.runtime.sim

    def scan(self, text: str | bytes) -> None:
        """The handler scans ``text`` at the store; returns once the outcome is known."""
        before = self.board.scans
        self.sim.scan("scanner", text)
        wait_for(lambda: self.board.scans > before)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass on the store's clock, ticking the board."""
        self.sim.advance(seconds)
        self.board.tick(self.clock())


@pytest.fixture
def store_factory() -> Iterator[Callable[..., Store]]:
    """``make(settings, **kwargs)`` → a started store board (stopped after the test)."""
    started: list[Store] = []

    def make(settings: BrokerSettings | None, **kwargs: Any) -> Store:
        clock = ManualClock()
        runtime = build_store(
            load_store(DEMO / "store.toml"),
            sim=True,
            connect=settings is not None,
            settings=settings,
            clock=clock,
            **kwargs,
        )
        runtime.board.start(run_loop=False)
        store = Store(runtime, clock)
        started.append(store)
        return store

    yield make
    for store in started:
        store.board.stop()


class Commander:
    """Sends board commands (``raise`` …) to stations and returns their replies."""

    def __init__(self, settings: BrokerSettings) -> None:
        self.bus = BusClient(settings).start()
        assert self.bus.wait_connected(10)
        self.requester = CommandRequester(self.bus, f"{PREFIX}/+/+/+/+/reply", who="test board")

    def send(self, address: StationAddress, name: str, **args: Any) -> Reply:
        reply = self.requester.send(address, name, timeout_s=10, **args)
        assert reply is not None, f"no reply to {name} from {address.path}"
        return reply

    def close(self) -> None:
        self.bus.close()


@pytest.fixture
def commander(mosquitto: Any) -> Iterator[Commander]:
    commander = Commander(mosquitto.settings(client_id=f"test-board-{uuid.uuid4().hex[:6]}"))
    yield commander
    commander.close()
