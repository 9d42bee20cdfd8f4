"""The web server of the viewers benchmark, in a process of its own (measured alone).

``python -m andon.bench.web_child BROKER_PORT LINES PER_LINE``: the production web
server (board feed and model, hub, Starlette app, uvicorn) for the synthetic plant
of :mod:`andon.bench.payloads`, view only, on a free loopback port. It prints
``{"url": …}`` once it listens, answers ``viewers`` with ``{"viewers": n}`` and stops
when its standard input closes.
"""

from __future__ import annotations

import json
import secrets
import sys
from datetime import UTC, datetime

from andon.bench.payloads import catalogue, plant
from andon.board.feed import BoardFeed
from andon.board.model import BoardModel
from andon.bus.credentials import BrokerSettings
from andon.web.hub import Hub
from andon.web.pages.common import Words
from andon.web.server import WebServer
from andon.web.site import Site


def main(argv: list[str]) -> int:
    port, lines, per_line = (int(a) for a in argv[:3])
    shown = catalogue(plant(lines, per_line))
    model = BoardModel(shown)
    settings = BrokerSettings(host="127.0.0.1", port=port, client_id="bench-web")
    clock = lambda: datetime.now(UTC)  # noqa: E731
    hub = Hub(shown, model, BoardFeed(model, settings, clock), clock)
    site = Site(hub=hub, words=Words.of(shown, "en"), people={}, view_without_sign_in=True)
    server = WebServer(site, "127.0.0.1", 0, secret=secrets.token_bytes(32)).start()
    print(json.dumps({"url": server.url}), flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == "viewers":
                print(json.dumps({"viewers": hub.viewers}), flush=True)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
