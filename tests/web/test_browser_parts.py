"""In Chromium: a page kept up to date by changed parts only ends up as the server's page.

The model is fed half of the demo morning, the pages are opened, then the rest of the
morning arrives in steps while the plant clock moves; after each step the page in the
browser (changed rows and timers put in place by ``web.js``) must be the live part the
server renders from scratch.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx

from andon.board.catalogue import BoardCatalogue
from andon.board.model import BoardModel
from andon.config.loader import load_board
from andon.web.config import WebSetup
from andon.web.hub import TICK_S, Hub
from andon.web.server import WebServer, make_site
from tests.board.pilot import SetClock
from tests.board.scenario import morning_messages
from tests.support.stations import DEMO
from tests.web.conftest import TV

LIVE = re.compile(r'<main id="live"[^>]*>(.*)</main>', re.S)
SAME = """(fresh) => {
  const holder = document.createElement("template");
  holder.innerHTML = fresh;
  return document.getElementById("live").innerHTML === holder.innerHTML;
}"""


def test_pages_updated_part_by_part_match_the_servers_pages(
    web_setup: Callable[..., WebSetup], serve: Callable[..., WebServer], browser: Any
) -> None:
    catalogue = BoardCatalogue.from_board(load_board(DEMO / "board.toml"))
    messages = morning_messages()
    model = BoardModel(catalogue)
    half = len(messages) // 2
    for message in messages[:half]:
        model.ingest(message.topic, message.payload, message.at)
    clock = SetClock(messages[half].at)
    setup = web_setup(view_without_sign_in=True)
    server = serve(setup, make_site(setup, hub=Hub(catalogue, model, None, clock)))
    context = browser.new_context(viewport=TV)
    pages = {path: context.new_page() for path in ("/", "/calls", "/line/line-a", "/store")}
    for path, page in pages.items():
        page.goto(server.url + path)
        page.wait_for_selector("#live .live")
    steps = 6
    rest = messages[half:]
    for step in range(1, steps + 1):
        for message in rest[(step - 1) * len(rest) // steps : step * len(rest) // steps]:
            model.ingest(message.topic, message.payload, message.at)
        clock.now = max(clock.now, rest[step * len(rest) // steps - 1].at)
        time.sleep(2 * TICK_S + 0.5)  # the hub's ticker builds a generation a second
        for path, page in pages.items():
            expected = LIVE.search(httpx.get(server.url + path, timeout=10).text)
            assert expected is not None
            # the server's view does not move until the next step: wait for the page
            page.wait_for_function(SAME, arg=expected.group(1), timeout=5000)
    context.close()
