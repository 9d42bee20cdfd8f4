"""``andon web --config F``: one server for every browser and phone (pages, live updates,
call handling); ``andon web --hash-pin``: a PIN hash for the people file."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.markers import N_

PINS_DIFFER = N_("error: the two PINs differ")
PIN_PROMPT = N_("PIN: ")
PIN_AGAIN = N_("PIN again: ")
CONFIG_REQUIRED = N_("error: --config is required (the web file)")
SPEED = N_("--speed: expected a number greater than 0")
SERVING = N_("andon web: {title} on {url}")

NAME = "web"
HELP = N_("serve the plant to browsers and phones (overview, lines, calls, store, history)")


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument("--config", type=Path, help=_('the web file (TOML, kind = "web")'))
    parser.add_argument(
        "--listen", metavar="HOST:PORT", help=_("listen here instead of the web file's listen")
    )
    parser.add_argument(
        "--broker", metavar="HOST:PORT", help=_("broker to use instead of the plant's")
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help=_(
            "the plant's time runs this many times faster (a demo's --speed; default {speed})"
        ).format(speed=1),
    )
    parser.add_argument(
        "--hash-pin",
        action="store_true",
        help=_("read a PIN (twice, not echoed) and print its hash for the people file"),
    )


def _hash_pin() -> int:
    from andon.web.errors import TEMPLATES
    from andon.web.pins import hash_pin

    if sys.stdin.isatty():
        pin = getpass.getpass(say(PIN_PROMPT))
        if getpass.getpass(say(PIN_AGAIN)) != pin:
            print(say(PINS_DIFFER), file=sys.stderr)
            return 2
    else:
        pin = sys.stdin.readline().rstrip("\n")
    try:
        print(hash_pin(pin))
    except ValueError as error:
        print(speech.failed(error, TEMPLATES), file=sys.stderr)
        return 2
    return 0


def run(args: argparse.Namespace) -> int:
    if args.hash_pin:
        return _hash_pin()
    if args.config is None:
        print(say(CONFIG_REQUIRED), file=sys.stderr)
        return 2
    if args.speed <= 0:
        print(say(SPEED), file=sys.stderr)
        return 2
    from dataclasses import replace

    from andon.bus.credentials import TEMPLATES as BROKER
    from andon.bus.credentials import CredentialsError
    from andon.bus.settings import parse_host_port
    from andon.config.errors import ConfigError
    from andon.config.wording import LISTEN
    from andon.i18n.markers import most_specific_first
    from andon.web.config import load_web, parse_listen
    from andon.web.errors import TEMPLATES
    from andon.web.hub import PlantClock, utc_now
    from andon.web.server import WebServer, web_broker_settings

    try:
        setup = load_web(args.config)
    except ConfigError as error:
        for issue in error.errors:
            print(speech.issue(issue), file=sys.stderr)
        return 2
    options: dict[str, object] = {}
    try:
        settings = web_broker_settings(setup)  # a bundle without its client id fails here
    except ConfigError as error:
        for issue in error.errors:
            print(speech.issue(issue), file=sys.stderr)
        return 2
    if args.broker:
        try:
            host, port = parse_host_port(args.broker)
        except ValueError as error:
            shown = speech.broker(error)
            print(say(speech.OPTION, option="--broker", error=shown), file=sys.stderr)
            return 2
        settings = replace(settings, host=host, port=port)
    options["broker"] = settings
    if args.speed != 1:
        options["clock"] = PlantClock(args.speed)
        options["command_timeout_s"] = 15 * args.speed
    else:
        options["clock"] = utc_now
    board = setup.board
    if args.speed != 1:  # staleness is measured in plant time, as the demo's board does
        board = board.model_copy(update={"stale_after_s": board.stale_after_s * args.speed})
    web = setup.web
    if args.listen:
        try:
            parse_listen(args.listen)
        except ValueError as error:
            shown = speech.shown(str(error), (LISTEN,))
            print(say(speech.OPTION, option="--listen", error=shown), file=sys.stderr)
            return 2
        web = web.model_copy(update={"listen": args.listen})
    setup = replace(setup, web=web, board=board)
    try:
        server = WebServer.from_setup(setup, **options)
    except (CredentialsError, ValueError, OSError) as error:
        # a broker setting or password file, or the server's own reason (its secret file)
        why = most_specific_first((*BROKER, *TEMPLATES))
        print(speech.failed(error, why), file=sys.stderr)
        return 1
    print(say(SERVING, title=setup.board.title, url=setup.web.url or server.url), flush=True)
    server.run()
    return 0
