"""The web server's feed, its broker read in the server's loop or in a process of its own:
TLS, a password, losing the broker and back; a command through the intake process."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from andon.bench.payloads import catalogue, plant, state, state_template
from andon.board.model import BoardModel
from andon.bus.client import BusClient
from andon.bus.credentials import BrokerSettings
from andon.web.feed import WebFeed
from andon.web.hub import Hub
from andon.web.intake import IntakeFeed
from tests.bus.test_bus_credentials import make_ca_and_server_cert

pytestmark = pytest.mark.mosquitto

WAIT_S = 15.0


def secret(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o600)
    return path


async def until(check: Callable[[], bool]) -> None:
    for _ in range(int(WAIT_S / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("not within the time allowed")


@pytest.mark.parametrize("feed_type", [WebFeed, IntakeFeed], ids=["loop", "process"])
def test_the_feed_logs_in_over_tls_loses_the_broker_and_catches_up(
    mosquitto_factory: Callable[..., object], tmp_path: Path, feed_type: type[WebFeed]
) -> None:
    ca, cert, key = make_ca_and_server_cert(tmp_path)
    passwd_binary = shutil.which("mosquitto_passwd")
    if passwd_binary is None:
        pytest.skip("mosquitto_passwd is not installed")
    passwd = tmp_path / "passwd"
    subprocess.run([passwd_binary, "-c", "-b", str(passwd), "web", "w3b!"], check=True)
    broker = mosquitto_factory(allow_anonymous=False, password_file=passwd, tls=(ca, cert, key))
    settings: BrokerSettings = broker.settings(  # type: ignore[attr-defined]
        tls=True, ca_file=ca, username="web", password_file=secret(tmp_path / "pw", "w3b!\n")
    )
    stations = plant(1, 2)
    shown = catalogue(stations)
    model = BoardModel(shown)
    clock = lambda: datetime.now(UTC)  # noqa: E731
    feed = feed_type(model, settings, clock)
    hub = Hub(shown, model, feed, clock)
    publisher = BusClient(
        broker.settings(  # type: ignore[attr-defined]
            tls=True, ca_file=ca, username="web", password_file=tmp_path / "pw", client_id="pub"
        )
    ).start()
    template = state_template(clock())

    def shown_seq(index: int) -> int | None:
        path = stations[index].address.path
        for line in hub.view.lines:
            for station in line.stations:
                if station.path == path and station.snapshot is not None:
                    return station.snapshot.seq
        return None

    async def scenario() -> None:
        await hub.start()
        try:
            await until(lambda: hub.view.broker.connected is True)
            assert publisher.wait_connected(WAIT_S)
            message = state(stations[0], template, seq=3)
            publisher.publish(message.topic, message.payload, retain=True).wait(WAIT_S)
            await until(lambda: shown_seq(0) == 3)

            broker.kill()  # type: ignore[attr-defined]
            await until(lambda: hub.view.broker.connected is False)
            assert "broker lost" in hub.view.broker.detail
            broker.start()  # type: ignore[attr-defined]
            await until(lambda: hub.view.broker.connected is True)
            assert publisher.wait_connected(WAIT_S)
            message = state(stations[1], template, seq=7)
            publisher.publish(message.topic, message.payload, retain=True).wait(WAIT_S)
            await until(lambda: shown_seq(1) == 7)
            assert feed.backlog == 0
        finally:
            await hub.stop()
        assert not feed.bus.connected

    try:
        asyncio.run(scenario())
    finally:
        publisher.close()
