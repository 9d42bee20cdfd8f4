"""The page when the broker or the server goes away, and when they come back (Chromium)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from andon.station.assemble import StationRuntime
from andon.web.config import WebSetup
from andon.web.server import WebServer
from tests.conftest import Mosquitto
from tests.web.conftest import PHONE

pytestmark = pytest.mark.mosquitto

WAIT_MS = 15_000


def test_connection_lost_shows_the_age_of_the_data_then_catches_up(
    mosquitto: Mosquitto,
    station_factory: Callable[..., StationRuntime],
    web_setup: Callable[..., WebSetup],
    serve: Callable[..., WebServer],
    browser: Any,
) -> None:
    runtime = station_factory(mosquitto.settings(client_id="station-a3", clean_session=False))
    assert runtime.agent.bus.wait_subscribed(10)
    setup = web_setup(view_without_sign_in=True)
    server = serve(setup, broker=mosquitto.settings())
    page = browser.new_page(viewport=PHONE)
    page.goto(server.url + "/line/line-a")
    page.wait_for_selector(".chip.link-ok >> text=a3", timeout=WAIT_MS)
    assert page.locator(".banner.lost:visible").count() == 0

    mosquitto.kill()  # the broker is gone: the server says so on every page
    page.wait_for_selector("#live .banner.lost", timeout=WAIT_MS)
    assert "Connection lost to the broker" in page.inner_text("#live .banner.lost")
    mosquitto.start()
    page.wait_for_selector("#live .banner.lost", state="detached", timeout=WAIT_MS)

    clock_before = page.inner_text(".plant-clock b")
    server.stop()  # the server is gone: the page says how old what it shows is
    lost = page.wait_for_selector("#stream-lost:visible", timeout=WAIT_MS)
    assert lost is not None
    text = lost.inner_text()
    assert text.startswith("Connection lost: showing the data of ")
    assert clock_before[:5] in text or page.inner_text(".plant-clock b")[:5] in text

    serve(setup, broker=mosquitto.settings())  # back on the same address: it catches up
    page.wait_for_selector("#stream-lost", state="hidden", timeout=WAIT_MS)
    page.wait_for_selector(".chip.link-ok >> text=a3", timeout=WAIT_MS)
    page.close()
