"""``andon sim``: poke a simulated input of a running ``andon station --sim`` over MQTT.

The command goes to the station's ``cmd/sim`` topic; the station works its
simulated pins (or scanner pty) and answers on ``…/reply``. Exit status:
0 the station did it, 1 the station refused (the reason is printed),
2 no answer within ``--timeout`` (or the broker or the file could not be used).

The wait is ``--timeout`` plus the time the input itself takes at the station
(a held button's seconds, a bin sensor's settle time, the pulses of a count).

The station answers once it has handled the input: "<station>: done" (in the
terminal's language) only when it took it, "refused: <why>" when the pins moved
but the station refused what they meant (a badge with no call waiting, a long
press with nothing to cancel).

Credentials come from a plant file's ``[broker]`` table, as for every other
command: the station file's plant by default (an unsecured broker, the demo),
or with ``--as BOARD_FILE`` the board's account, which a provisioned broker
lets send commands to the stations of its lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from andon.config.station import StationFile

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.markers import N_

NAME = "sim"
LOG_LEVEL = "WARNING"
"""A one-shot command: its answer, not the connection log."""
HELP = N_(
    "drive a running simulated station: press or hold a button, empty or fill a bin, count, "
    "set the fault, scan a code; prints the station's answer"
)

ACCEPTED, REFUSED, NO_ANSWER = 0, 1, 2
STEP_S = 0.01

HOLD_POSITIVE = N_("hold: SECONDS must be positive")
AT_LEAST_ONE = N_("{action}: N must be at least 1")
NO_SCANNER = N_("scan: the station has no scanner")
UNKNOWN_ACTION = N_("unknown action {action}")
ARGUMENTS = (HOLD_POSITIVE, AT_LEAST_ONE, NO_SCANNER, UNKNOWN_ACTION)
CONFIG_REQUIRED = N_("sim: --config FILE is required (the station's TOML file)")
TIMEOUT_POSITIVE = N_("sim: --timeout must be positive")
PROBLEM = N_("sim: {problem}")
OWN_ACCOUNT = N_(
    "sim: account {account} (from the station's plant file) is the station's own and may not "
    "command it; log in as a board with --as BOARD_FILE"
)
NO_BROKER = N_("sim: cannot reach the broker at {endpoint}: {error}")
NO_BROKER_ANSWER = N_("sim: cannot reach the broker at {endpoint}: no answer")
NO_ANSWER_IN_TIME = N_("sim: no answer from {station} within {seconds} s")
IS_IT_RUNNING = N_("sim: is 'andon station --sim' running with this station file and broker?")
NEEDS_RIGHT = N_(
    "sim: on a secured broker, account {account} needs the right to command line {line} "
    "(a board's account has it: --as BOARD_FILE)"
)
DONE = N_("{station}: done")
REFUSED_WITH = N_("{station}: refused: {reason}")
"""The simulated inputs' time step (``hal.sim_controller.SimController.step_s``)."""


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    _ = speech.terminal().gettext
    default: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--config",
        type=Path,
        default=default,
        help=_("the station's TOML file (it names the station and the plant's broker)"),
    )
    parser.add_argument(
        "--broker", metavar="HOST:PORT", default=default, help=_("override the plant's broker")
    )
    parser.add_argument(
        "--as",
        dest="login",
        type=Path,
        metavar="BOARD_FILE",
        default=default,
        help=_(
            "log in to the broker with this board file's account (its plant file's [broker] "
            "table, as 'andon board --config BOARD_FILE' does); on a secured broker a station's "
            "own account may not send it commands"
        ),
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        default=argparse.SUPPRESS if suppress else 10.0,
        help=_("how long to wait for the station's answer (default {seconds})").format(seconds=10),
    )


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    _common(parser, suppress=False)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help: str) -> argparse.ArgumentParser:
        words = _(help)
        child = actions.add_parser(name, help=words, description=words)
        _common(child, suppress=True)
        return child

    action("press", N_("press and release an andon button")).add_argument(
        "call_type", help=_("the call type, e.g. help, quality, equipment")
    )
    hold = action("hold", N_("hold an andon button down (a long press cancels the call)"))
    hold.add_argument("call_type")
    hold.add_argument("seconds", type=float)
    action("acknowledge", N_("press the acknowledge button"))
    bin_ = action("bin", N_("empty or refill a bin (a call-material button: empty presses it)"))
    bin_.add_argument("part")
    bin_.add_argument("level", choices=["empty", "full"])
    action("count", N_("N good parts past the cycle sensor")).add_argument("n", type=int)
    action("scrap", N_("N presses of the scrap input")).add_argument("n", type=int)
    action("fault", N_("set or clear the machine's fault signal")).add_argument(
        "level", choices=["on", "off"]
    )
    action(
        "downstream-full", N_("the downstream buffer at (on) or below (off) its standard")
    ).add_argument("level", choices=["on", "off"])
    scan = action("scan", N_("the scanner reads TEXT (e.g. BD:1042, RC:MAT, SN:...)"))
    scan.add_argument("text")
    scan.add_argument("--scanner", help=_("scanner name (default: the station's first scanner)"))


def sim_arguments(args: argparse.Namespace, config: StationFile) -> dict[str, Any]:
    """The ``sim`` command's arguments for the chosen action; ``ValueError`` if unusable."""
    action = args.action
    if action == "press":
        return {"action": "press", "call_type": args.call_type}
    if action == "hold":
        if args.seconds <= 0:
            raise ValueError(HOLD_POSITIVE)
        return {"action": "hold", "call_type": args.call_type, "seconds": args.seconds}
    if action == "acknowledge":
        return {"action": "acknowledge"}
    if action == "bin":
        return {"action": "bin", "part": args.part, "empty": args.level == "empty"}
    if action in ("count", "scrap"):
        if args.n < 1:
            raise ValueError(AT_LEAST_ONE.format(action=action))
        return {"action": action, "n": args.n}
    if action == "fault":
        return {"action": "fault", "active": args.level == "on"}
    if action == "downstream-full":
        return {"action": "downstream_full", "full": args.level == "on"}
    if action == "scan":
        scanner = args.scanner
        if scanner is None:
            if not config.hardware.scanners:
                raise ValueError(NO_SCANNER)
            scanner = config.hardware.scanners[0].name
        return {"action": "scan", "scanner": scanner, "text": args.text}
    raise ValueError(UNKNOWN_ACTION.format(action=repr(action)))


def input_seconds(config: StationFile, sim: dict[str, Any]) -> float:
    """Roughly how long the station takes to perform the input (added to the timeout)."""
    hw = config.hardware
    action = sim["action"]

    def click(debounce_s: float) -> float:
        return 2 * (debounce_s + STEP_S)

    if action == "hold":
        return float(sim["seconds"])
    if action in ("count", "scrap"):
        pin = hw.counter if action == "count" else hw.scrap
        return int(sim["n"]) * click(pin.debounce_s if pin is not None else 0.0)
    if action == "bin":
        sensor = next((b for b in hw.bins if b.part == sim["part"]), None)
        if sensor is None:
            return 0.0
        if sensor.button:
            return click(sensor.debounce_s)
        return max(sensor.settle_s, sensor.debounce_s) + STEP_S
    return 1.0


def own_account(config: StationFile) -> str:
    """The broker account ``andon provision`` makes for the station itself."""
    return f"station.{config.line}.{config.id}"


def run(args: argparse.Namespace) -> int:
    import os
    import secrets

    from andon.bus.client import BusClient
    from andon.bus.credentials import CredentialsError
    from andon.bus.request import CommandRequester
    from andon.bus.settings import TEMPLATES as ADDRESS
    from andon.bus.settings import broker_settings
    from andon.bus.topics import StationAddress
    from andon.config.broker import account_name, bound_client_id
    from andon.config.errors import ConfigError
    from andon.config.loader import load_board, load_station
    from andon.i18n import translator
    from andon.i18n.formats import number

    if args.config is None:
        print(say(CONFIG_REQUIRED), file=sys.stderr)
        return NO_ANSWER
    if args.timeout <= 0:
        print(say(TIMEOUT_POSITIVE), file=sys.stderr)
        return NO_ANSWER
    try:
        config = load_station(args.config)
    except ConfigError as exc:
        for issue in exc.errors:
            print(speech.issue(issue), file=sys.stderr)
        return NO_ANSWER
    site = config.plant_config.site
    tr = translator(site.language)  # from here on, the plant's language (docs/i18n.md)
    address = StationAddress(site.topic_prefix, site.id, site.area, config.line, config.id)
    broker = config.plant_config.broker
    client_id = f"andon-sim-{os.getpid()}-{secrets.token_hex(3)}"
    if args.login is not None:
        try:
            login = load_board(args.login)
            broker = login.plant_config.broker
            # The board's account connects under its bundle's id only: while this runs,
            # a board running on that bundle is off the broker.
            account = account_name("board", login.id)
            client_id = bound_client_id(broker, account, login.plant) or client_id
        except ConfigError as exc:
            for issue in exc.errors:
                print(speech.issue(issue, tr), file=sys.stderr)
            return NO_ANSWER
    try:
        sim = sim_arguments(args, config)
        settings = broker_settings(
            broker,
            client_id=client_id,
            override=args.broker,
        )
    except ValueError as exc:
        print(
            say(PROBLEM, tr, problem=speech.shown(str(exc), (*ARGUMENTS, *ADDRESS), tr)),
            file=sys.stderr,
        )
        return NO_ANSWER
    if args.login is None and settings.username == own_account(config):
        # Logging in with it would at best be refused, at worst take the station's place.
        print(say(OWN_ACCOUNT, tr, account=settings.username), file=sys.stderr)
        return NO_ANSWER
    wait_s = args.timeout + input_seconds(config, sim)
    try:
        bus = BusClient(settings)
    except CredentialsError as exc:
        print(say(PROBLEM, tr, problem=speech.broker(exc, tr)), file=sys.stderr)
        return NO_ANSWER
    try:
        bus.start()
        if not bus.wait_connected(args.timeout):
            if bus.last_error:
                shown = say(NO_BROKER, tr, endpoint=settings.endpoint, error=bus.last_error)
            else:
                shown = say(NO_BROKER_ANSWER, tr, endpoint=settings.endpoint)
            print(shown, file=sys.stderr)
            return NO_ANSWER
        requester = CommandRequester(bus, address.reply(), who="andon sim")
        reply = requester.send(address, "sim", timeout_s=wait_s, **sim)
    except CredentialsError as exc:
        print(say(PROBLEM, tr, problem=speech.broker(exc, tr)), file=sys.stderr)
        return NO_ANSWER
    finally:
        bus.close()
    if reply is None:
        seconds = number(wait_s, tr.language, digits=0 if float(wait_s).is_integer() else 2)
        print(say(NO_ANSWER_IN_TIME, tr, station=address.path, seconds=seconds), file=sys.stderr)
        print(say(IS_IT_RUNNING, tr), file=sys.stderr)
        if settings.username:
            needs = say(NEEDS_RIGHT, tr, account=settings.username, line=config.line)
            print(needs, file=sys.stderr)
        return NO_ANSWER
    if reply.accepted:
        # The station's own words for an accepted input are English ("press done"): the
        # command says it in the terminal's language.
        print(say(DONE, tr, station=address.path))
        return ACCEPTED
    from andon.i18n.refusals import shown
    from andon.station.sim_refusals import TEMPLATES as SIM_REFUSALS

    # a domain refusal, the station's word on a simulated input, or the hardware layer's
    reason = speech.with_hardware(shown(reply.reason, tr), SIM_REFUSALS, tr)
    print(say(REFUSED_WITH, tr, station=address.path, reason=reason), file=sys.stderr)
    return REFUSED
