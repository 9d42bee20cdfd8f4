"""``andon station``: the station agent at the line."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.markers import N_

CANNOT_START = N_("{file}: cannot start the station: {error}")

NAME = "station"
HELP = N_(
    "run the station agent: buttons, sensors and scanners in; lamps, relay, journal and MQTT out"
)

log = logging.getLogger("andon.station")


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument("--config", required=True, type=Path, help=_("the station's TOML file"))
    parser.add_argument(
        "--sim",
        action="store_true",
        help=_("simulated hardware: mock pins and a pty per scanner (drive it with 'andon sim')"),
    )
    parser.add_argument("--broker", metavar="HOST:PORT", help=_("override the plant's broker"))
    parser.add_argument("--journal", type=Path, help=_("override the journal file"))
    parser.add_argument(
        "--seconds", type=float, help=_("stop after this many seconds (default: run until stopped)")
    )


def run(args: argparse.Namespace) -> int:
    from andon.bus.credentials import BrokerSettings
    from andon.config.errors import ConfigError
    from andon.config.loader import load_station
    from andon.journal.store import JournalError
    from andon.sd_notify import sd_notify
    from andon.station.assemble import build_station
    from hal.errors import HalError

    try:
        config = load_station(args.config)
    except ConfigError as exc:
        for issue in exc.errors:
            print(speech.issue(issue), file=sys.stderr)
        return 1
    try:
        # a password file that cannot be used is said here, before the hardware opens
        BrokerSettings.from_config(config.plant_config.broker).password()
        runtime = build_station(config, sim=args.sim, broker=args.broker, journal_path=args.journal)
    except (HalError, OSError, ValueError, JournalError) as exc:
        print(say(CANNOT_START, file=args.config, error=speech.starting(exc)), file=sys.stderr)
        return 1
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    agent = runtime.agent
    agent.start()
    log.info(
        "station %s running (%s); journal replayed %d events",
        agent.address.path,
        "simulated hardware" if args.sim else "hardware",
        agent.core.replayed,
    )
    if runtime.sim is not None:
        for name, port in runtime.sim.ports.items():
            log.info("simulated scanner %r reads from %s", name, port.path)
    sd_notify("READY=1")
    deadline = args.seconds
    waited = 0.0
    try:
        while not stop.wait(1.0):
            if agent.alive_within(5.0):
                sd_notify("WATCHDOG=1")  # a hung loop stops the pings: systemd restarts us
            else:
                log.error("the station loop has not turned for 5 s")
            waited += 1.0
            if deadline is not None and waited >= deadline:
                break
    finally:
        sd_notify("STOPPING=1")
        agent.stop()
    return 0
