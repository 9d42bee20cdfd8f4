"""``andon watchdog``: on the broker host, restart the broker when it hangs."""

from __future__ import annotations

import argparse
import logging
import shlex
import signal
import subprocess
import sys
import threading
from pathlib import Path

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.markers import N_

BAD_COMMAND = N_("--restart-command: expected a command, got {command!r}")
BAD_TIMES = N_("--grace and --cooldown: expected seconds greater than 0")
CANNOT_START = N_("{file}: cannot start the broker watchdog: {error}")
RESTART_FAILED = N_("{command} exited with status {status}")
RESTART_FAILED_SAYING = N_("{command} exited with status {status}: {output}")

NAME = "watchdog"
HELP = N_(
    "on the broker host: restart the broker when its process runs but no longer answers "
    "(a stopped broker is left to its service manager)"
)
DEFAULT_RESTART = "systemctl kill --signal=SIGKILL mosquitto.service"
"""A hung Mosquitto ignores SIGTERM; killed, ``Restart=on-failure`` starts it again."""

log = logging.getLogger("andon.watchdog")


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "--config",
        required=True,
        type=Path,
        metavar="FILE",
        help=_(
            "the plant file of the watchdog's bundle (andon provision writes clients/watchdog/)"
        ),
    )
    parser.add_argument(
        "--restart-command",
        default=DEFAULT_RESTART,
        metavar="COMMAND",
        help=_("what restarts a hung broker (default: {command})").format(command=DEFAULT_RESTART),
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help=_(
            "how long the broker may not answer before it is restarted (default {seconds})"
        ).format(seconds=30),
    )
    parser.add_argument(
        "--cooldown",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help=_("the least time between two restarts (default {seconds})").format(seconds=120),
    )


def run_command(argv: list[str]) -> None:
    """Run the restart command; raises when it fails."""
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip()
        command, status = shlex.join(argv), done.returncode
        if output:
            raise RuntimeError(
                say(RESTART_FAILED_SAYING, command=command, status=status, output=output)
            )
        raise RuntimeError(say(RESTART_FAILED, command=command, status=status))


def run(args: argparse.Namespace) -> int:
    from andon.bus.credentials import BrokerSettings, CredentialsError
    from andon.bus.watchdog import BrokerWatchdog
    from andon.config.errors import ConfigError
    from andon.config.loader import load_plant
    from andon.sd_notify import sd_notify

    argv = shlex.split(args.restart_command)
    if not argv:
        print(say(BAD_COMMAND, command=args.restart_command), file=sys.stderr)
        return 2
    if args.grace <= 0 or args.cooldown <= 0:
        print(say(BAD_TIMES), file=sys.stderr)
        return 2
    try:
        plant = load_plant(args.config)
    except ConfigError as exc:
        for issue in exc.errors:
            print(speech.issue(issue), file=sys.stderr)
        return 1
    # Its bundle's client id: the only one the broker lets the watchdog account use.
    settings = BrokerSettings.from_config(plant.broker, client_id=plant.broker.client_id or "")
    try:
        watchdog = BrokerWatchdog(
            settings, lambda: run_command(argv), grace_s=args.grace, cooldown_s=args.cooldown
        ).start()
    except (CredentialsError, OSError, ValueError) as exc:
        print(say(CANNOT_START, file=args.config, error=speech.broker(exc)), file=sys.stderr)
        return 1
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    log.info("watching broker %s; a hang runs: %s", settings.endpoint, shlex.join(argv))
    sd_notify("READY=1")
    try:
        while not stop.wait(5.0):
            sd_notify("WATCHDOG=1")
    finally:
        sd_notify("STOPPING=1")
        watchdog.stop()
    return 0
