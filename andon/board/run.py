"""Start the board: from a board file to a running app, in a terminal or for browsers.

>>> app = build_app(load_board("firmware_config/demo/board.toml"))   # doctest: +SKIP
>>> app.run()                                                           # doctest: +SKIP
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

from andon.board.app import BoardApp, Clock, utc_now
from andon.board.catalogue import BoardCatalogue
from andon.board.feed import BoardFeed
from andon.board.model import COMMAND_TIMEOUT_S, BoardModel
from andon.board.sites import SitesModel
from andon.board.sites_feed import SitesFeed
from andon.bus.credentials import BrokerSettings
from andon.config.board import BoardFile
from andon.config.broker import account_name, bound_client_id
from andon.i18n.markers import N_

NEEDS_TEXTUAL_SERVE = N_("serving to browsers needs textual-serve: pip install 'andon[web]'")
"""Why ``--serve`` cannot start: raised in English, written in the reader's language."""


def broker_settings(board: BoardFile, role: str = "board") -> BrokerSettings:
    """How the board reaches the broker: the plant file's ``[broker]`` table, under the
    client id its bundle is bound to (``role``: ``web`` for a web board's account).

    Raises :class:`~andon.config.errors.ConfigError` naming the plant copy and
    ``broker.client_id`` for a bundle provisioned before boards were bound.
    """
    broker = board.plant_config.broker
    client_id = bound_client_id(broker, account_name(role, board.id), board.plant)
    return BrokerSettings.from_config(broker, client_id=client_id)


def enterprise_settings(
    path: Path, username: str | None, password_file: Path | None
) -> tuple[str, BrokerSettings]:
    """(enterprise prefix, how to reach its broker) from the enterprise file (docs/sites.md).

    Raises :class:`~andon.provision.errors.ProvisionError` naming the file and key or
    the option when the settings cannot be used.
    """
    from andon.provision import errors
    from andon.provision.enterprise_file import load_enterprise

    enterprise = load_enterprise(path)
    broker = enterprise.broker
    if password_file is not None and not username:
        raise errors.ProvisionError(
            errors.ENTERPRISE_PASSWORD_NO_USER.format(password_file=password_file)
        )
    try:
        settings = BrokerSettings(
            host=broker.host,
            port=broker.port,
            tls=broker.tls,
            ca_file=broker.ca_file,
            username=username,
            password_file=password_file,
        )
    except ValueError as exc:
        raise errors.ProvisionError(
            errors.ENTERPRISE_BROKER_UNUSABLE.format(file=path, error=exc)
        ) from None
    return enterprise.enterprise.id, settings


def build_app(
    board: BoardFile,
    broker: BrokerSettings | None = None,
    *,
    operator: str | None = None,
    kiosk: bool | None = None,
    start_mode: str | None = None,
    clock: Clock = utc_now,
    command_timeout_s: float = COMMAND_TIMEOUT_S,
    enterprise: tuple[str, BrokerSettings] | None = None,
) -> BoardApp:
    """A board app connected to the broker (default: the plant's); call ``.run()`` on it.

    ``operator`` is the name sent as ``by`` with commands (default: the board file's
    ``operator``, else ``"board <id>"``);
    ``kiosk`` overrides the board file's setting; ``start_mode`` names the first
    screen (``overview``, ``line``, ``calls``, ``store``, ``station``, ``diagnostics``).
    ``clock`` is the board's clock (ages, timers); ``command_timeout_s`` how long a
    command waits for the station's answer, in that clock's seconds. ``enterprise``
    (prefix, broker settings) adds the enterprise overview fed from that broker.
    """
    catalogue = BoardCatalogue.from_board(board)
    model = BoardModel(catalogue, command_timeout_s=command_timeout_s)
    settings = broker or broker_settings(board)
    settings.password()  # an unreadable password file fails here, before the screen opens
    feed = BoardFeed(model, settings, clock)
    sites_feed = None
    if enterprise is not None:
        enterprise[1].password()
        sites_feed = SitesFeed(SitesModel(enterprise[0]), enterprise[1], clock)
    return BoardApp(
        catalogue,
        model=model,
        feed=feed,
        clock=clock,
        operator=operator,
        kiosk=kiosk,
        start_mode=start_mode,
        sites_feed=sites_feed,
    )


def serve_command(config: Path, extra: list[str]) -> str:
    """The shell command textual-serve runs for each browser: this board in a terminal."""
    parts = [sys.executable, "-m", "andon", "board", "--config", str(config.absolute()), *extra]
    return shlex.join(parts)


def serve(board: BoardFile, config: Path, host: str, port: int, extra: list[str]) -> None:
    """Serve the board to browsers with textual-serve until interrupted (blocks)."""
    try:
        from textual_serve.server import Server
    except ModuleNotFoundError:
        raise RuntimeError(NEEDS_TEXTUAL_SERVE) from None
    from andon.board.page import page_templates

    templates = page_templates(board.shown_language)
    try:
        server = Server(
            serve_command(config, extra),
            host=host,
            port=port,
            title=board.title_in(board.shown_language),
            templates_path=templates,
        )
        server.serve()
    finally:
        shutil.rmtree(templates, ignore_errors=True)
