"""Shared fixtures for the hardware layer's tests: mock pins, a manual clock,
an event list, the demo pin map, and a guard that no test leaves a thread behind."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from gpiozero.pins.mock import MockFactory
from hal_pinmaps import demo_station, demo_store

from andon.config.hardware import StationHardware, StoreHardware
from hal.clock import ManualClock
from hal.events import HalEvent
from hal.sim import mock_factory


@pytest.fixture(autouse=True)
def no_thread_left_behind() -> Iterator[None]:
    """Every thread a test starts must have ended when it returns."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 2.0
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    while leftover and time.monotonic() < deadline:
        time.sleep(0.01)
        leftover = [t for t in leftover if t.is_alive()]
    assert not leftover, f"threads left running: {[t.name for t in leftover]}"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1000.0)


@pytest.fixture
def factory() -> Iterator[MockFactory]:
    pins = mock_factory()
    yield pins
    pins.reset()


@pytest.fixture
def events() -> list[HalEvent]:
    return []


@pytest.fixture
def station_hw() -> StationHardware:
    return demo_station()


@pytest.fixture
def store_hw() -> StoreHardware:
    return demo_store()
