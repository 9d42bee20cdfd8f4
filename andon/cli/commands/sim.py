"""``andon sim``: poke a simulated input of a running ``andon station --sim`` over MQTT.

The command goes to the station's ``cmd/sim`` topic; the station works its
simulated pins (or scanner pty) and answers on ``…/reply``. Exit status:
0 the station did it, 1 the station refused (the reason is printed),
2 no answer within ``--timeout`` (or the broker or the file could not be used).

The wait is ``--timeout`` plus the time the input itself takes at the station
(a held button's seconds, a bin sensor's settle time, the pulses of a count).

The station answers once it has handled the input: "done" only when it took
it, "refused: <why>" when the pins moved but the station refused what they
meant (a badge with no call waiting, a long press with nothing to cancel).

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

NAME = "sim"
HELP = (
    "drive a running simulated station: press or hold a button, empty or fill a bin, count, "
    "set the fault, scan a code; prints the station's answer"
)

ACCEPTED, REFUSED, NO_ANSWER = 0, 1, 2
STEP_S = 0.01
"""The simulated inputs' time step (``hal.sim_controller.SimController.step_s``)."""


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--config",
        type=Path,
        default=default,
        help="the station's TOML file (it names the station and the plant's broker)",
    )
    parser.add_argument(
        "--broker", metavar="HOST:PORT", default=default, help="override the plant's broker"
    )
    parser.add_argument(
        "--as",
        dest="login",
        type=Path,
        metavar="BOARD_FILE",
        default=default,
        help="log in to the broker with this board file's account (its plant file's [broker] "
        "table, as 'andon board --config BOARD_FILE' does); on a secured broker a station's "
        "own account may not send it commands",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        default=argparse.SUPPRESS if suppress else 10.0,
        help="how long to wait for the station's answer (default 10)",
    )


def configure(parser: argparse.ArgumentParser) -> None:
    _common(parser, suppress=False)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True

    def action(name: str, help: str) -> argparse.ArgumentParser:
        child = actions.add_parser(name, help=help, description=help)
        _common(child, suppress=True)
        return child

    action("press", "press and release an andon button").add_argument(
        "call_type", help="help, quality, equipment ..."
    )
    hold = action("hold", "hold an andon button down (a long press cancels the call)")
    hold.add_argument("call_type")
    hold.add_argument("seconds", type=float)
    action("acknowledge", "press the acknowledge button")
    bin_ = action("bin", "empty or refill a bin (a call-material button: empty presses it)")
    bin_.add_argument("part")
    bin_.add_argument("level", choices=["empty", "full"])
    action("count", "N good parts past the cycle sensor").add_argument("n", type=int)
    action("scrap", "N presses of the scrap input").add_argument("n", type=int)
    action("fault", "set or clear the machine's fault signal").add_argument(
        "level", choices=["on", "off"]
    )
    action(
        "downstream-full", "the downstream buffer at (on) or below (off) its standard"
    ).add_argument("level", choices=["on", "off"])
    scan = action("scan", "the scanner reads TEXT (e.g. BD:1042, RC:MAT, SN:...)")
    scan.add_argument("text")
    scan.add_argument("--scanner", help="scanner name (default: the station's first scanner)")


def sim_arguments(args: argparse.Namespace, config: StationFile) -> dict[str, Any]:
    """The ``sim`` command's arguments for the chosen action; ``ValueError`` if unusable."""
    action = args.action
    if action == "press":
        return {"action": "press", "call_type": args.call_type}
    if action == "hold":
        if args.seconds <= 0:
            raise ValueError("hold: SECONDS must be positive")
        return {"action": "hold", "call_type": args.call_type, "seconds": args.seconds}
    if action == "acknowledge":
        return {"action": "acknowledge"}
    if action == "bin":
        return {"action": "bin", "part": args.part, "empty": args.level == "empty"}
    if action in ("count", "scrap"):
        if args.n < 1:
            raise ValueError(f"{action}: N must be at least 1")
        return {"action": action, "n": args.n}
    if action == "fault":
        return {"action": "fault", "active": args.level == "on"}
    if action == "downstream-full":
        return {"action": "downstream_full", "full": args.level == "on"}
    if action == "scan":
        scanner = args.scanner
        if scanner is None:
            if not config.hardware.scanners:
                raise ValueError("scan: the station has no scanner")
            scanner = config.hardware.scanners[0].name
        return {"action": "scan", "scanner": scanner, "text": args.text}
    raise ValueError(f"unknown action {action!r}")


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
    from andon.bus.settings import broker_settings
    from andon.bus.topics import StationAddress
    from andon.config.errors import ConfigError
    from andon.config.loader import load_board, load_station

    if args.config is None:
        print("sim: --config FILE is required (the station's TOML file)", file=sys.stderr)
        return NO_ANSWER
    if args.timeout <= 0:
        print("sim: --timeout must be positive", file=sys.stderr)
        return NO_ANSWER
    try:
        config = load_station(args.config)
    except ConfigError as exc:
        for issue in exc.errors:
            print(issue, file=sys.stderr)
        return NO_ANSWER
    site = config.plant_config.site
    address = StationAddress(site.topic_prefix, site.id, site.area, config.line, config.id)
    broker = config.plant_config.broker
    if args.login is not None:
        try:
            broker = load_board(args.login).plant_config.broker
        except ConfigError as exc:
            for issue in exc.errors:
                print(issue, file=sys.stderr)
            return NO_ANSWER
    try:
        sim = sim_arguments(args, config)
        settings = broker_settings(
            broker,
            client_id=f"andon-sim-{os.getpid()}-{secrets.token_hex(3)}",
            override=args.broker,
        )
    except ValueError as exc:
        print(f"sim: {exc}", file=sys.stderr)
        return NO_ANSWER
    if args.login is None and settings.username == own_account(config):
        # Logging in with it would at best be refused, at worst take the station's place.
        print(
            f"sim: account {settings.username} (from the station's plant file) is the "
            "station's own and may not command it; log in as a board with --as BOARD_FILE",
            file=sys.stderr,
        )
        return NO_ANSWER
    wait_s = args.timeout + input_seconds(config, sim)
    try:
        bus = BusClient(settings)
    except CredentialsError as exc:
        print(f"sim: {exc}", file=sys.stderr)
        return NO_ANSWER
    try:
        bus.start()
        if not bus.wait_connected(args.timeout):
            print(
                f"sim: cannot reach the broker at {settings.endpoint}: "
                f"{bus.last_error or 'no answer'}",
                file=sys.stderr,
            )
            return NO_ANSWER
        requester = CommandRequester(bus, address.reply(), who="andon sim")
        reply = requester.send(address, "sim", timeout_s=wait_s, **sim)
    except CredentialsError as exc:
        print(f"sim: {exc}", file=sys.stderr)
        return NO_ANSWER
    finally:
        bus.close()
    if reply is None:
        print(f"sim: no answer from {address.path} within {wait_s:g} s", file=sys.stderr)
        print(
            "sim: is 'andon station --sim' running with this station file and broker?",
            file=sys.stderr,
        )
        if settings.username:
            print(
                f"sim: on a secured broker, account {settings.username} needs the right to "
                f"command line {config.line} (a board's account has it: --as BOARD_FILE)",
                file=sys.stderr,
            )
        return NO_ANSWER
    if reply.accepted:
        print(f"{address.path}: {reply.reason or 'done'}")
        return ACCEPTED
    from andon.i18n import translator
    from andon.i18n.refusals import shown

    tr = translator(site.language)
    reason = shown(reply.reason, tr)
    refused = tr.gettext("{station}: refused: {reason}")
    print(refused.format(station=address.path, reason=reason), file=sys.stderr)
    return REFUSED
