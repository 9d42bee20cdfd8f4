"""Calls handled from a phone in Chromium: a real station on simulated hardware, a real
Mosquitto, the web server fed by the board's model, Playwright driving the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from andon.domain.calls import CallStatus
from andon.station.assemble import StationRuntime
from andon.web.config import WebSetup
from andon.web.server import WebServer
from tests.conftest import Mosquitto
from tests.support.stations import wait_for
from tests.web.conftest import PHONE, PIN

pytestmark = pytest.mark.mosquitto

A3 = "demo-plant/assembly/line-a/a3"
WAIT_MS = 15_000


def _station(station_factory: Callable[..., StationRuntime], mosquitto: Mosquitto) -> Any:
    runtime = station_factory(mosquitto.settings(client_id="station-a3", clean_session=False))
    assert runtime.agent.bus.wait_subscribed(10)
    return runtime


def _heard(server: WebServer) -> bool:
    station = server.site.view.station(A3)
    return station is not None and station.snapshot is not None


def sign_in(page: Any, base: str, badge: str, target: str = "/calls") -> None:
    page.goto(f"{base}{target}")
    page.wait_for_url(re.compile(r".*/sign-in\?next=.*"))
    page.fill("input[name=badge]", badge)
    page.fill("input[name=pin]", PIN)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{target}")


def lamp_samples(sim: Any, count: int = 8) -> list[bool]:
    """The yellow tier read every 0.1 s (a flashing tier alternates)."""
    import time

    samples = []
    for _ in range(count):
        samples.append(sim.lamp_lit("yellow"))
        time.sleep(0.1)
    return samples


def test_a_press_appears_within_a_second_then_is_acknowledged_and_resolved_from_the_phone(
    mosquitto: Mosquitto,
    station_factory: Callable[..., StationRuntime],
    web_setup: Callable[..., WebSetup],
    serve: Callable[..., WebServer],
    browser: Any,
) -> None:
    runtime = _station(station_factory, mosquitto)
    sim, core = runtime.sim, runtime.agent.core
    assert sim is not None
    server = serve(web_setup(), broker=mosquitto.settings())
    wait_for(lambda: _heard(server))
    page = browser.new_page(viewport=PHONE)
    sign_in(page, server.url, "3001")
    page.wait_for_selector("text=No open calls.")

    sim.press("help")  # the operator presses the help button on the simulated station
    page.wait_for_selector(".call.call-raised", timeout=1000)  # within a second of the press
    wait_for(lambda: len(set(lamp_samples(sim))) == 2)  # the yellow tier flashes: a new call

    page.click(".call a")
    page.wait_for_selector("#acknowledge")
    page.click("#acknowledge")
    page.wait_for_selector(".call-page[data-status=acknowledged]", timeout=WAIT_MS)
    call = core.state.open_calls[0]
    assert call.status is CallStatus.ACKNOWLEDGED
    assert call.acknowledged_by == "Lena Fischer"  # the plant file's name for badge 3001
    wait_for(lambda: all(lamp_samples(sim)))  # steady yellow: the call is taken

    code = next(r.code for r in server.site.words.catalogue.reasons_for_call("help"))
    assert code in core.state.rules.reasons
    page.select_option("#reason", code)
    page.fill("#note", "Fixture re-seated")
    page.click("#resolve")
    page.wait_for_selector(".call-page[data-status=resolved]", timeout=WAIT_MS)
    closed = core.state.calls[call.call_id]
    assert closed.status is CallStatus.RESOLVED
    assert (closed.closed_by, closed.reason, closed.note) == (
        "Lena Fischer",
        code,
        "Fixture re-seated",
    )
    wait_for(lambda: not all(lamp_samples(sim)))  # no longer the taken call's steady yellow
    page.close()


def test_a_role_that_does_not_handle_the_call_is_refused(
    mosquitto: Mosquitto,
    station_factory: Callable[..., StationRuntime],
    web_setup: Callable[..., WebSetup],
    serve: Callable[..., WebServer],
    browser: Any,
) -> None:
    runtime = _station(station_factory, mosquitto)
    server = serve(web_setup(), broker=mosquitto.settings())
    wait_for(lambda: _heard(server))
    assert runtime.sim is not None
    runtime.sim.press("help")
    call = wait_for(lambda: server.site.view.open_calls)[0]
    page = browser.new_page(viewport=PHONE)
    path = f"/call/line-a/a3/{call.call_id}"
    sign_in(page, server.url, "4001", path)  # the store handles material calls only
    page.wait_for_selector("text=Your role does not handle this call.")
    assert page.locator("#acknowledge").count() == 0
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    answer = page.request.post(
        f"{server.url}{path}/acknowledge", form={"csrf": csrf}, max_redirects=0
    )
    assert answer.status == 403
    assert runtime.agent.core.state.open_calls[0].status is CallStatus.RAISED
    page.close()


def test_a_post_without_its_csrf_token_is_refused(
    mosquitto: Mosquitto,
    station_factory: Callable[..., StationRuntime],
    web_setup: Callable[..., WebSetup],
    serve: Callable[..., WebServer],
    browser: Any,
) -> None:
    runtime = _station(station_factory, mosquitto)
    server = serve(web_setup(), broker=mosquitto.settings())
    wait_for(lambda: _heard(server))
    assert runtime.sim is not None
    runtime.sim.press("help")
    call = wait_for(lambda: server.site.view.open_calls)[0]
    page = browser.new_page(viewport=PHONE)
    path = f"/call/line-a/a3/{call.call_id}"
    sign_in(page, server.url, "3001", path)
    page.wait_for_selector("#acknowledge")
    for form in ({}, {"csrf": "forged-token-of-another-session-0000000000"}):
        answer = page.request.post(f"{server.url}{path}/acknowledge", form=form, max_redirects=0)
        assert answer.status == 403
        assert "expired" in answer.text()
    assert runtime.agent.core.state.open_calls[0].status is CallStatus.RAISED
    page.close()
