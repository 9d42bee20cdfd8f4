"""The web server of the viewers benchmark, in a process of its own (measured alone).

``python -m andon.bench.web_child BROKER_PORT LINES PER_LINE [loop|process]``: the
production web server (its feed and the board's model, hub, Starlette app, uvicorn) for
the synthetic plant of :mod:`andon.bench.payloads`, view only, on a free loopback port;
its broker read in the server's loop (``loop``, :class:`~andon.web.feed.WebFeed`) or in
a process of its own (``process``, :class:`~andon.web.intake.IntakeFeed`). It prints
``{"url": …, "intake": pid}`` once it listens (the intake process's id, or ``null``),
answers ``viewers`` with ``{"viewers": n}`` and ``marks`` with ``{"marks": {call_id:
monotonic}}`` (when its model took each marker call, so the bench can tell the
broker's part of a marker's way from the web's), and stops when its standard input
closes.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
import time
from datetime import UTC, datetime

from andon.bench.payloads import catalogue, plant
from andon.board.catalogue import BoardCatalogue
from andon.board.model import BoardModel, ReplayRequest
from andon.bus.credentials import BrokerSettings
from andon.web.feed import WebFeed
from andon.web.hub import Hub
from andon.web.intake import IntakeFeed
from andon.web.pages.common import Words
from andon.web.server import WebServer
from andon.web.site import Site

MARK = re.compile(rb"MARK-[0-9]+")


class StampingModel(BoardModel):
    """The production model, noting when it has taken each marker call (monotonic clock)."""

    def __init__(self, catalogue: BoardCatalogue) -> None:
        super().__init__(catalogue)
        self.marks: dict[str, float] = {}

    def ingest(self, topic: str, payload: bytes | str, now: datetime) -> list[ReplayRequest]:
        replays = super().ingest(topic, payload, now)
        raw = payload.encode() if isinstance(payload, str) else payload
        if b"MARK-" in raw and (found := MARK.search(raw)) is not None:
            self.marks.setdefault(found.group().decode(), time.monotonic())
        return replays


def main(argv: list[str]) -> int:
    port, lines, per_line = (int(a) for a in argv[:3])
    mode = argv[3] if len(argv) > 3 else "loop"
    shown = catalogue(plant(lines, per_line))
    model = StampingModel(shown)
    settings = BrokerSettings(host="127.0.0.1", port=port, client_id="bench-web")
    clock = lambda: datetime.now(UTC)  # noqa: E731
    feed = (IntakeFeed if mode == "process" else WebFeed)(model, settings, clock)
    hub = Hub(shown, model, feed, clock)
    site = Site(hub=hub, words=Words.of(shown, "en"), people={}, view_without_sign_in=True)
    server = WebServer(site, "127.0.0.1", 0, secret=secrets.token_bytes(32)).start()
    intake = feed.intake_pid if isinstance(feed, IntakeFeed) else None
    print(json.dumps({"url": server.url, "intake": intake}), flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == "viewers":
                print(json.dumps({"viewers": hub.viewers}), flush=True)
            elif line.strip() == "marks":
                print(json.dumps({"marks": dict(model.marks)}), flush=True)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
