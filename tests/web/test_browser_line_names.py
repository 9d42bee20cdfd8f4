"""Every listed call names its line as the plant file does, in the page's language (Chromium)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from andon.board.catalogue import BoardCatalogue
from andon.config.loader import load_board, load_plant
from andon.web.config import WebSetup
from andon.web.hub import Hub
from andon.web.server import WebServer, make_site
from tests.board.pilot import SetClock
from tests.board.scenario import BOARD_NOW, fed_model
from tests.support.stations import DEMO
from tests.web.conftest import PHONE


def _served(
    web_setup: Callable[..., WebSetup], serve: Callable[..., WebServer], language: str
) -> WebServer:
    """The demo morning (no broker: the model is fed directly), the site in ``language``."""
    catalogue = BoardCatalogue.from_board(load_board(DEMO / "board.toml"))
    hub = Hub(catalogue, fed_model(catalogue), None, SetClock(BOARD_NOW))
    setup = web_setup(view_without_sign_in=True, language=language)
    return serve(setup, make_site(setup, hub=hub))


@pytest.mark.parametrize("language", ["en", "de", "zh_CN"])
def test_call_rows_name_the_configured_line(
    web_setup: Callable[..., WebSetup],
    serve: Callable[..., WebServer],
    browser: Any,
    language: str,
) -> None:
    server = _served(web_setup, serve, language)
    plant = load_plant(DEMO / "plant.toml")
    view = server.site.view
    calls = view.open_calls
    material = [c for c in calls if c.call.part]
    assert calls and material  # the morning has calls, a material one among them
    expected = {
        f"{c.station_path}#{c.call_id}": (
            f"{plant.line(c.line_id).name_in(language)} · {c.station_id}"
        )
        for c in calls
    }
    assert all(c.line_id not in name for c, name in zip(calls, expected.values(), strict=True))

    page = browser.new_page(viewport=PHONE)
    for path, shown in (("/calls", calls), ("/store", material)):
        page.goto(server.url + path)
        page.wait_for_selector(".call .call-where")
        rows = page.locator(".call")
        assert rows.count() == len(shown)
        seen = {
            rows.nth(i).get_attribute("data-call"): rows.nth(i).locator(".call-where").inner_text()
            for i in range(rows.count())
        }
        assert seen == {key: expected[key] for key in seen}
        assert set(seen) == {f"{c.station_path}#{c.call_id}" for c in shown}

    call = calls[0]
    page.goto(f"{server.url}/call/{call.line_id}/{call.station_id}/{call.call_id}")
    page.wait_for_selector(".call-page")
    assert expected[f"{call.station_path}#{call.call_id}"] in page.inner_text(".call-page")
    page.close()
