"""From a web file to a running server: the board's model and feed, the app, uvicorn.

>>> server = WebServer.from_setup(load_web("firmware_config/demo/web.toml"))  # doctest: +SKIP
>>> server.start()           # in a thread; server.url says where       # doctest: +SKIP
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType

import uvicorn

from andon.board.catalogue import BoardCatalogue
from andon.board.model import COMMAND_TIMEOUT_S, BoardModel
from andon.board.run import broker_settings
from andon.bus.credentials import BrokerSettings
from andon.web.app import build_app
from andon.web.auth import SignInLimiter
from andon.web.config import WebSetup, parse_listen
from andon.web.errors import DID_NOT_START, SECRET_SHORT
from andon.web.feed import WebFeed
from andon.web.hub import Clock, Hub, utc_now
from andon.web.intake import IntakeFeed
from andon.web.pages.common import Words
from andon.web.site import Site

log = logging.getLogger(__name__)

START_TIMEOUT_S = 10.0
WEB_ROLE = "web"
"""A web board logs in as ``web.<id>``, under the one client id of its bundle: one
connection for all its viewers."""


def read_secret(path: Path | None) -> bytes:
    """The cookie-signing key from its file, or a new one (sessions end at restart)."""
    if path is None:
        return secrets.token_bytes(32)
    data = path.read_bytes().strip()
    if len(data) < 32:
        raise ValueError(SECRET_SHORT.format(file=path, count=len(data)))
    return data


def make_site(
    setup: WebSetup,
    *,
    broker: BrokerSettings | None = None,
    clock: Clock = utc_now,
    hub: Hub | None = None,
    command_timeout_s: float = COMMAND_TIMEOUT_S,
) -> Site:
    """The site of a web file: its own model and feed (:class:`WebFeed`), or the ``hub`` given."""
    if hub is None:
        catalogue = BoardCatalogue.from_board(setup.board)
        model = BoardModel(catalogue, command_timeout_s=command_timeout_s)
        settings = broker or web_broker_settings(setup)
        settings.password()  # an unreadable password file fails here, before listening
        feed_type = IntakeFeed if setup.web.intake == "process" else WebFeed
        hub = Hub(catalogue, model, feed_type(model, settings, clock), clock)
    web = setup.web
    words = Words.of(hub.catalogue, setup.language, setup.board.plant_config)
    history = None
    if web.historian:
        from andon.web.history import History

        history = History(web.historian, web.history_config or web.plant, words)
    return Site(
        hub=hub,
        words=words,
        people=setup.people,
        kiosk_tokens=setup.kiosk,
        view_without_sign_in=web.view_without_sign_in,
        session_s=web.session_hours * 3600,
        limiter=SignInLimiter(web.sign_in_attempts, web.sign_in_window_s),
        history=history,
    )


class WebServer:
    """uvicorn serving one site, in the foreground (:meth:`run`) or a thread (:meth:`start`)."""

    def __init__(
        self,
        site: Site,
        host: str,
        port: int,
        *,
        secret: bytes,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        self.site = site
        self.app = build_app(site, secret, https=tls is not None)
        options: dict[str, object] = {}
        if tls is not None:
            options = {"ssl_certfile": str(tls[0]), "ssl_keyfile": str(tls[1])}
        self.config = uvicorn.Config(
            self.app,
            host=host,
            port=port,
            log_level="warning",
            log_config=None,  # uvicorn's records go where andon's go (the demo: its log file)
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=1,
            proxy_headers=False,
            **options,  # type: ignore[arg-type]
        )
        self.server = _Server(self.config, site.hub.close_streams)
        self.scheme = "https" if tls is not None else "http"
        self._thread: threading.Thread | None = None

    @classmethod
    def from_setup(
        cls, setup: WebSetup, site: Site | None = None, **site_options: object
    ) -> WebServer:
        web = setup.web
        host, port = parse_listen(web.listen)
        tls = (web.tls_cert, web.tls_key) if web.tls_cert and web.tls_key else None
        return cls(
            site or make_site(setup, **site_options),  # type: ignore[arg-type]
            host,
            port,
            secret=read_secret(web.secret_file),
            tls=tls,
        )

    @property
    def port(self) -> int:
        """The port listened on (the real one once started with port 0)."""
        servers = getattr(self.server, "servers", None) or []
        for server in servers:
            for sock in server.sockets:
                return int(sock.getsockname()[1])
        return int(self.config.port)

    @property
    def url(self) -> str:
        host = self.config.host
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        if ":" in shown:
            shown = f"[{shown}]"
        return f"{self.scheme}://{shown}:{self.port}"

    def run(self) -> None:
        """Serve until interrupted (blocks); open event streams end at once on SIGINT/SIGTERM."""
        self.server.run()

    def start(self) -> WebServer:
        """Serve in a background thread; returns once it listens."""
        self._thread = threading.Thread(target=self.server.run, name="andon-web", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(DID_NOT_START.format(port=self.config.port))
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.site.hub.close_streams()
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(5)


class _Server(uvicorn.Server):
    """uvicorn's server that ends the event streams first when told to exit (a signal)."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.on_exit()
        super().handle_exit(sig, frame)


def with_broker(setup: WebSetup, host: str, port: int) -> BrokerSettings:
    """The board's broker settings pointed elsewhere (``--broker``, the demo's broker)."""
    return replace(web_broker_settings(setup), host=host, port=port)


def web_broker_settings(setup: WebSetup) -> BrokerSettings:
    """How the server reaches the broker: as ``web.<id>``, under its bundle's client id
    (raises :class:`~andon.config.errors.ConfigError` for a bundle without one)."""
    return broker_settings(setup.board, WEB_ROLE)
