"""``andon board --config F``: the progress board in this terminal, or served to browsers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from andon.config.board import BoardFile

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.markers import N_

SERVED = N_("andon board {id} served on {url}")
SERVE_BOUND = N_(
    "--serve: the broker lets the account {account} connect once, under its bundle's client "
    "id, and every browser would start a board of its own; serve it to browsers with andon web"
)

NAME = "board"
HELP = N_("show the progress board of a board file (terminal, kiosk, or browsers with --serve)")

SCREENS = ("overview", "line", "calls", "store", "station", "diagnostics", "enterprise")


def _broker(text: str) -> tuple[str, int]:
    from andon.bus.settings import parse_host_port

    try:
        return parse_host_port(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(speech.broker(error)) from None


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument("--config", required=True, type=Path, help=_("the board file (TOML)"))
    parser.add_argument(
        "--serve", action="store_true", help=_("serve the board to browsers (textual-serve)")
    )
    parser.add_argument(
        "--host", help=_("address --serve listens on (default: serve_host of the board file)")
    )
    parser.add_argument(
        "--port",
        type=int,
        help=_("port --serve listens on (default: serve_port of the board file)"),
    )
    parser.add_argument(
        "--kiosk", action="store_true", help=_("wall-screen mode: no quit key (as kiosk = true)")
    )
    parser.add_argument(
        "--operator",
        help=_('name sent with commands (default: the board file\'s operator, else "board <id>")'),
    )
    parser.add_argument(
        "--broker",
        type=_broker,
        metavar="HOST:PORT",
        help=_("broker to use instead of the plant's"),
    )
    parser.add_argument("--screen", choices=SCREENS, help=_("first screen (default: by role)"))
    parser.add_argument(
        "--enterprise",
        type=Path,
        metavar="FILE",
        help=_("the enterprise file: add the enterprise overview (key p), fed from its broker"),
    )
    parser.add_argument("--enterprise-username", help=_("this board's account there"))
    parser.add_argument(
        "--enterprise-password-file", type=Path, metavar="FILE", help=_("that account's password")
    )
    parser.add_argument(
        "--language",
        metavar="CODE",
        help=_(
            "this screen's language (zh_CN, zh_TW, de, en); default: the board file's "
            "language, else the plant's"
        ),
    )


def _forwarded(args: argparse.Namespace) -> list[str]:
    """The options each served terminal gets again."""
    out: list[str] = []
    if args.kiosk:
        out.append("--kiosk")
    if args.operator:
        out += ["--operator", args.operator]
    if args.broker:
        host, port = args.broker
        out += ["--broker", f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    if args.screen:
        out += ["--screen", args.screen]
    if args.language:
        out += ["--language", args.language]
    if args.enterprise:
        out += ["--enterprise", str(args.enterprise.absolute())]
    if args.enterprise_username:
        out += ["--enterprise-username", args.enterprise_username]
    if args.enterprise_password_file:
        out += ["--enterprise-password-file", str(args.enterprise_password_file.absolute())]
    return out


def with_language(board: BoardFile, code: str | None) -> BoardFile:
    """``board`` speaking ``code`` when given (``UnknownLanguage`` names the shipped ones)."""
    if not code:
        return board
    from andon.i18n.catalog import normalise_language

    return board.model_copy(update={"language": normalise_language(code)})


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from andon.board.run import NEEDS_TEXTUAL_SERVE, broker_settings, build_app, serve
    from andon.bus.credentials import CredentialsError
    from andon.config.errors import ConfigError
    from andon.config.loader import load_board
    from andon.i18n.catalog import UnknownLanguage

    try:
        board = load_board(args.config)
    except ConfigError as error:
        for issue in error.errors:
            print(speech.issue(issue), file=sys.stderr)
        return 2
    try:
        board = with_language(board, args.language)
    except UnknownLanguage as error:
        print(speech.failed(speech.language(error)), file=sys.stderr)
        return 2
    try:
        settings = broker_settings(board)
    except ConfigError as error:
        for issue in error.errors:
            print(speech.issue(issue), file=sys.stderr)
        return 2
    if args.serve and settings.client_id:
        print(speech.failed(say(SERVE_BOUND, account=settings.username)), file=sys.stderr)
        return 2
    if args.serve:
        host = args.host or board.serve_host
        port = args.port or board.serve_port
        print(say(SERVED, id=board.id, url=f"http://{host}:{port}"), flush=True)
        try:
            serve(board, args.config, host, port, _forwarded(args))
        except RuntimeError as error:
            print(speech.failed(error, (NEEDS_TEXTUAL_SERVE,)), file=sys.stderr)
            return 1
        return 0
    enterprise = None
    if args.enterprise is not None:
        from andon.board.run import enterprise_settings
        from andon.provision.errors import ProvisionError

        try:
            enterprise = enterprise_settings(
                args.enterprise, args.enterprise_username, args.enterprise_password_file
            )
        except (ProvisionError, ValueError) as error:
            why = speech.say(speech.OPTION, option="--enterprise", error=speech.provision(error))
            print(speech.say(speech.ERROR, error=why), file=sys.stderr)
            return 2
    if args.broker:
        settings = replace(settings, host=args.broker[0], port=args.broker[1])
    try:
        app = build_app(
            board,
            settings,
            operator=args.operator,
            kiosk=True if args.kiosk else None,
            start_mode=args.screen,
            enterprise=enterprise,
        )
    except (CredentialsError, ValueError) as error:
        print(speech.say(speech.ERROR, error=speech.broker(error)), file=sys.stderr)
        return 1
    app.run()
    return 0
