"""Helpers for the bus tests: a message collector, a client factory, both brokers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from andon.bus.client import BusClient, Message, Will
from andon.bus.credentials import BrokerSettings
from andon.bus.embedded_broker import EmbeddedBroker

WAIT_S = 10.0
"""Generous upper bound for anything network-bound; tests never assert durations."""


def wait_until(predicate: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


class Collector:
    """A handler that keeps what it receives and lets a test wait for it."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._cond = threading.Condition()

    def __call__(self, message: Message) -> None:
        with self._cond:
            self.messages.append(message)
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float = WAIT_S) -> list[Message]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)

    def payloads(self) -> list[bytes]:
        with self._cond:
            return [m.payload for m in self.messages]


@dataclass(frozen=True)
class Broker:
    """Either broker under test, reduced to what a client needs."""

    kind: str
    host: str
    port: int

    def settings(self, **overrides: object) -> BrokerSettings:
        values: dict[str, object] = {
            "host": self.host,
            "port": self.port,
            "reconnect_min_s": 0.1,
            "reconnect_max_s": 0.5,
        }
        values.update(overrides)
        return BrokerSettings(**values)  # type: ignore[arg-type]


@pytest.fixture(params=[pytest.param("mosquitto", marks=pytest.mark.mosquitto), "amqtt"])
def broker(request: pytest.FixtureRequest) -> Broker:
    """Each test using it runs once against Mosquitto and once against the embedded broker."""
    if request.param == "mosquitto":
        server = request.getfixturevalue("mosquitto")
        return Broker("mosquitto", server.host, server.port)
    embedded: EmbeddedBroker = request.getfixturevalue("embedded_broker")
    return Broker("amqtt", embedded.host, embedded.port)


ClientFactory = Callable[..., BusClient]


@pytest.fixture
def make_client() -> Iterator[ClientFactory]:
    """``make_client(settings, will=None, start=True, ...)``; all closed at teardown."""
    clients: list[BusClient] = []

    def factory(
        settings: BrokerSettings, *, will: Will | None = None, start: bool = True, **hooks: object
    ) -> BusClient:
        client = BusClient(settings, will=will, **hooks)  # type: ignore[arg-type]
        clients.append(client)
        return client.start() if start else client

    yield factory
    for client in clients:
        client.close(timeout=1.0)
