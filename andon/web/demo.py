"""The demo's web view: the demo's web file on the demo's broker, in plant time.

It is ``andon web``'s server: its own model and :class:`~andon.web.feed.WebFeed`, read
in the server's loop under the web file's consumer name, beside the board's own feed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from andon.bus.settings import parse_host_port
from andon.demo.run import DEMO_DIR, port_free
from andon.web.config import load_web, parse_listen
from andon.web.server import WebServer, with_broker

WEB_FILE = DEMO_DIR / "web.toml"


def start_web(
    broker_address: str,
    clock: Callable[[], datetime],
    speed: float,
    *,
    listen: str | None = None,
    language: str | None = None,
    web_file: Path = WEB_FILE,
    history_url: str = "",
) -> WebServer:
    """The web view of a running demo, started in a thread (port taken: any free one).

    Its pages follow ``clock`` (the demo's plant clock); staleness and command
    timeouts are stretched by ``speed`` as the board's are. With ``history_url`` (the
    demo's history) it has the history page too, reading the demo's station files.
    """
    setup = load_web(web_file)
    host, port = parse_listen(listen or setup.web.listen)
    if port and not port_free(host, port):
        port = 0
    board: dict[str, object] = {"stale_after_s": setup.board.stale_after_s * speed}
    if language:
        board["language"] = language
    web: dict[str, object] = {"listen": f"{host}:{port}"}
    if history_url:
        web |= {"historian": history_url, "history_config": web_file.parent}
    setup = replace(
        setup,
        web=setup.web.model_copy(update=web),
        board=setup.board.model_copy(update=board),
    )
    server = WebServer.from_setup(
        setup,
        broker=with_broker(setup, *parse_host_port(broker_address)),
        clock=clock,
        command_timeout_s=15 * speed,
    )
    return server.start()
