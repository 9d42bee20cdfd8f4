"""Notes on a call from a phone in Chromium: the station journals who wrote what, and the
note shows on the call page; operators may note, the store may not note a help call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from andon.domain.calls import CallStatus
from andon.station.assemble import StationRuntime
from andon.web.config import WebSetup
from andon.web.server import WebServer
from tests.conftest import Mosquitto
from tests.support.stations import wait_for
from tests.web.conftest import PHONE
from tests.web.test_browser_calls import A3, WAIT_MS, sign_in

pytestmark = pytest.mark.mosquitto


def _heard(server: WebServer) -> bool:
    station = server.site.view.station(A3)
    return station is not None and station.snapshot is not None


def _help_call(
    mosquitto: Mosquitto,
    station_factory: Callable[..., StationRuntime],
    web_setup: Callable[..., WebSetup],
    serve: Callable[..., WebServer],
) -> tuple[StationRuntime, WebServer, str]:
    runtime = station_factory(mosquitto.settings(client_id="station-a3", clean_session=False))
    assert runtime.agent.bus.wait_subscribed(10)
    server = serve(web_setup(), broker=mosquitto.settings())
    wait_for(lambda: _heard(server))
    assert runtime.sim is not None
    runtime.sim.press("help")
    call = wait_for(lambda: server.site.view.open_calls)[0]
    return runtime, server, f"/call/line-a/a3/{call.call_id}"


def test_maintenance_adds_a_note_and_sees_it_on_the_call(
    mosquitto: Mosquitto,
    station_factory: Callable[..., StationRuntime],
    web_setup: Callable[..., WebSetup],
    serve: Callable[..., WebServer],
    browser: Any,
) -> None:
    runtime, server, path = _help_call(mosquitto, station_factory, web_setup, serve)
    page = browser.new_page(viewport=PHONE)
    sign_in(page, server.url, "3001", path)
    page.fill("#note-text", "Belt worn, spare on its way")
    page.click("#add-note")
    page.wait_for_selector(".call-notes li", timeout=WAIT_MS)
    shown = page.locator(".call-notes li").inner_text()
    assert "Lena Fischer" in shown and "Belt worn, spare on its way" in shown
    call = runtime.agent.core.state.open_calls[0]
    assert call.status is CallStatus.RAISED  # a note takes nobody's call
    assert [(n.by, n.text) for n in call.notes] == [("Lena Fischer", "Belt worn, spare on its way")]
    assert page.locator("#acknowledge").count() == 1
    page.close()


def test_an_operator_notes_a_call_but_cannot_take_it(
    mosquitto: Mosquitto,
    station_factory: Callable[..., StationRuntime],
    web_setup: Callable[..., WebSetup],
    serve: Callable[..., WebServer],
    browser: Any,
) -> None:
    runtime, server, path = _help_call(mosquitto, station_factory, web_setup, serve)
    page = browser.new_page(viewport=PHONE)
    sign_in(page, server.url, "1001", path)
    assert page.locator("#acknowledge").count() == 0
    assert page.locator("#resolve").count() == 0
    page.fill("#note-text", "Jam after the tool change")
    page.click("#add-note")
    page.wait_for_selector(".call-notes li", timeout=WAIT_MS)
    assert "Jam after the tool change" in page.locator(".call-notes li").inner_text()
    assert runtime.agent.core.state.open_calls[0].notes[0].text == "Jam after the tool change"
    page.close()


def test_the_store_may_not_note_a_help_call_and_a_note_needs_its_token(
    mosquitto: Mosquitto,
    station_factory: Callable[..., StationRuntime],
    web_setup: Callable[..., WebSetup],
    serve: Callable[..., WebServer],
    browser: Any,
) -> None:
    runtime, server, path = _help_call(mosquitto, station_factory, web_setup, serve)
    page = browser.new_page(viewport=PHONE)
    sign_in(page, server.url, "4001", path)
    page.wait_for_selector("text=Your role does not handle this call.")
    assert page.locator("#add-note").count() == 0
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    refused = page.request.post(
        f"{server.url}{path}/note", form={"csrf": csrf, "text": "x"}, max_redirects=0
    )
    assert refused.status == 403
    forged = page.request.post(f"{server.url}{path}/note", form={"text": "x"}, max_redirects=0)
    assert forged.status == 403 and "expired" in forged.text()
    assert runtime.agent.core.state.open_calls[0].notes == ()
    page.close()
