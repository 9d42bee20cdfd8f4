"""Simulated stations from the demo configuration, and a plain MQTT collector (fixtures)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from andon.bus.client import BusClient, Message
from andon.bus.credentials import BrokerSettings
from andon.config.loader import load_station
from andon.config.station import StationFile
from andon.station.assemble import StationRuntime, build_station

DEMO = Path(__file__).resolve().parents[2] / "firmware_config" / "demo"


def demo_station(name: str = "station-a3.toml") -> StationFile:
    return load_station(DEMO / name)


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, step: float = 0.02) -> Any:
    """Poll until ``predicate()`` is truthy; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")


class Collector:
    """A plain MQTT subscriber that keeps every message it receives, per topic."""

    def __init__(self, settings: BrokerSettings, pattern: str) -> None:
        self.messages: list[Message] = []
        self._lock = threading.Lock()
        self.client = BusClient(settings)
        self.client.subscribe(pattern, self._on_message)
        self.client.start()
        assert self.client.wait_subscribed(10)  # what is published from now on arrives

    def _on_message(self, message: Message) -> None:
        with self._lock:
            self.messages.append(message)

    def json(self, suffix: str) -> list[dict[str, Any]]:
        with self._lock:
            return [json.loads(m.payload) for m in self.messages if m.topic.endswith(suffix)]

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def collector_factory() -> Iterator[Callable[[BrokerSettings, str], Collector]]:
    made: list[Collector] = []

    def make(settings: BrokerSettings, pattern: str) -> Collector:
        collector = Collector(settings, pattern)
        made.append(collector)
        return collector

    yield make
    for collector in made:
        collector.close()


@pytest.fixture
def station_factory(tmp_path: Path) -> Iterator[Callable[..., StationRuntime]]:
    """``make(settings=None, name=..., **kwargs)`` → a started simulated station (stopped after)."""
    started: list[StationRuntime] = []

    def make(
        settings: BrokerSettings | None = None, name: str = "station-a3.toml", **kwargs: Any
    ) -> StationRuntime:
        config = demo_station(name)
        kwargs.setdefault("journal_path", tmp_path / f"{config.line}-{config.id}.sqlite")
        runtime = build_station(
            config, sim=True, connect=settings is not None, settings=settings, **kwargs
        )
        runtime.agent.start()
        started.append(runtime)
        return runtime

    yield make
    for runtime in started:
        runtime.agent.stop()
