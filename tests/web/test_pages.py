"""Every page from a board model fed with a realistic morning: the board's figures, in the
plant's language, nothing from the internet; screenshots at phone and TV size (Chromium)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from andon.board.catalogue import BoardCatalogue
from andon.board.formatting import clock_s, number, seconds_text, signed, signed_percent
from andon.domain.shown_figures import shown_difference
from andon.i18n import translator
from andon.web.config import WebSetup
from andon.web.hub import Hub
from andon.web.server import WebServer, make_site
from tests.board.pilot import SetClock
from tests.board.scenario import BOARD_NOW, fed_model
from tests.support.stations import DEMO
from tests.web.conftest import PHONE, PIN, TV

PAGES = {
    "overview": "/",
    "line": "/line/line-a",
    "calls": "/calls",
    "store": "/store",
}


@pytest.fixture
def morning(
    web_setup: Callable[..., WebSetup], serve: Callable[..., WebServer]
) -> Iterator[WebServer]:
    """A server showing the demo morning at 09:30 (no broker: the model is fed directly)."""
    from andon.config.loader import load_board

    catalogue = BoardCatalogue.from_board(load_board(DEMO / "board.toml"))
    hub = Hub(catalogue, fed_model(catalogue), None, SetClock(BOARD_NOW))
    setup = web_setup(view_without_sign_in=True)
    yield serve(setup, make_site(setup, hub=hub))


def _get(server: WebServer, path: str) -> httpx.Response:
    return httpx.get(server.url + path, timeout=10)


def test_pages_show_the_boards_figures_in_the_plants_language(morning: WebServer) -> None:
    view = morning.site.view
    line = view.line("line-a")
    assert line is not None and line.snapshot is not None
    for path in PAGES.values():
        answer = _get(morning, path)
        assert answer.status_code == 200
        assert '<html lang="en">' in answer.text
    text = _get(morning, "/line/line-a").text
    # the figures are the board model's, written by the board's formatting
    en = translator("en")
    snap = line.snapshot
    assert f"<b>{number(snap.good, en)}</b>" in text
    assert f"<b>{signed(shown_difference(snap.good, snap.planned), en)}</b>" in text
    assert f"<b>{seconds_text(line.takt_s, en)}</b>" in text
    for hour in line.hours:
        assert f"<td>{hour.hour.actual}</td>" in text
        assert f">{signed_percent(hour.hour.variance, en)}</td>" in text
    for bar in line.pareto:
        assert bar.label in text
    calls = _get(morning, "/calls").text
    for call in view.open_calls:
        assert f'href="/call/{call.line_id}/{call.station_id}/{call.call_id}"' in calls


def test_nothing_is_loaded_from_the_internet(morning: WebServer) -> None:
    texts = [_get(morning, path).text for path in PAGES.values()]
    texts += [_get(morning, f"/static/{name}").text for name in ("web.css", "web.js")]
    for text in texts:
        assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", text)
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
        assert "@import" not in text and "@font-face" not in text
    headers = _get(morning, "/").headers
    assert "default-src 'self'" in headers["content-security-policy"]


def test_an_event_stream_starts_with_the_whole_live_part(morning: WebServer) -> None:
    with httpx.stream("GET", morning.url + "/events/calls", timeout=10) as answer:
        assert answer.headers["content-type"].startswith("text/event-stream")
        seen = ""
        for chunk in answer.iter_text():
            seen += chunk
            if "event: live" in seen and "\n\n" in seen.split("event: live", 1)[1]:
                break
    assert 'class="live"' in seen
    assert clock_s(BOARD_NOW, morning.site.hub.catalogue.zone) in seen  # the plant's clock


def test_the_alert_link_of_a_call_lands_on_its_page(morning: WebServer) -> None:
    call = morning.site.view.open_calls[0]
    text = _get(morning, f"/call/{call.line_id}/{call.station_id}/{call.call_id}").text
    assert f'data-status="{call.status}"' in text
    assert "Sign in to acknowledge or resolve this call" in text


BROKEN_CELLS = """() => [...document.querySelectorAll(
    'table.hours th, table.hours td:not(:last-child)')].filter(cell => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const rects = [...range.getClientRects()].filter(rect => rect.width > 0);
        return new Set(rects.map(rect => Math.round(rect.top))).size > 1;
    }).map(cell => cell.textContent)"""
"""The hourly table's figures and headers that wrap onto a second line (none may)."""


def test_screenshots_of_every_page_at_phone_and_tv_size(
    morning: WebServer, browser: Any, artefacts: Path
) -> None:
    """Review artefacts (docs/web.md): each page on a 360-px phone and a 1920×1080 TV."""
    call = morning.site.view.open_calls[0]
    pages = {**PAGES, "call": f"/call/{call.line_id}/{call.station_id}/{call.call_id}"}

    def _shoot(page: Any, name: str, full: bool) -> None:
        page.screenshot(path=str(artefacts / f"{name}.png"), full_page=full)

    for size, viewport in (("phone", PHONE), ("tv", TV)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(morning.url + "/sign-in")
        _shoot(page, f"sign-in-{size}", size == "phone")
        page.fill("input[name=badge]", "2001")
        page.fill("input[name=pin]", PIN)
        page.click("button[type=submit]")
        page.wait_for_url(morning.url + "/")
        for name, path in pages.items():
            page.goto(morning.url + path + ("?kiosk=1" if size == "tv" else ""))
            page.wait_for_selector("#live .live")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{name} scrolls sideways at {size} size"
            broken = page.evaluate(BROKEN_CELLS)
            assert not broken, f"{name} breaks {broken} across lines at {size} size"
            _shoot(page, f"{name}-{size}", size == "phone")
        context.close()
    assert len(list(artefacts.glob("*.png"))) >= 12


def test_an_alerts_link_opens_the_calls_page_in_the_web_view(
    morning: WebServer, tmp_path: Path
) -> None:
    from dataclasses import replace

    from andon.config.loader import load_plant
    from andon.notify.queue import AlertQueue
    from andon.notify.text import AlertWriter
    from tests.notify.specs import alert_spec

    call = morning.site.view.open_calls[0]
    spec = replace(
        alert_spec(call_id=call.call_id),
        station=call.station_path,
        line=call.line_id,
        call_type=call.call_type,
        raised_at=call.call.raised_at,
        escalated_at=call.call.raised_at,
    )
    queue = AlertQueue(tmp_path / "queue.sqlite")
    try:
        alert = queue.add(spec, call.call.raised_at)
        assert alert is not None
        writer = AlertWriter(load_plant(DEMO / "plant.toml"), None, web_url=morning.url + "/")
        link = writer.link(alert)
        assert link == f"{morning.url}/call/{call.line_id}/{call.station_id}/{call.call_id}"
        assert f"To acknowledge: open {link}," in writer.write(alert, BOARD_NOW, "link").body
    finally:
        queue.close()
    page = _get(morning, link.removeprefix(morning.url)).text
    assert f'data-status="{call.status}"' in page


NAV_BEYOND = """() => [...document.querySelectorAll('header nav a, header .who')]
    .filter(link => link.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map(link => link.textContent)"""
"""The navigation's links (and the sign-in) whose right edge lies beyond the viewport."""


def test_the_navigation_fits_a_phone(morning: WebServer, browser: Any) -> None:
    """On a 360-px phone every link of the navigation is on the screen (it wraps)."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        for path in PAGES.values():
            page.goto(morning.url + path)
            page.wait_for_selector("#live .live")
            assert page.locator("header nav a").count() >= 4
            assert page.evaluate(NAV_BEYOND) == [], f"{path}: links beyond a phone's edge"
    finally:
        context.close()
