"""``andon store``: the material-call board at the store."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.markers import N_

CANNOT_START = N_("{file}: cannot start the store board: {error}")

NAME = "store"
HELP = N_(
    "run the store's material-call board: a lamp under each called part's plate, the beacon, "
    "the buzzer, and the kanban scanner that closes calls at the stations"
)

log = logging.getLogger("andon.store")


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument("--config", required=True, type=Path, help=_("the store's TOML file"))
    parser.add_argument(
        "--sim",
        action="store_true",
        help=_(
            "simulated hardware: mock pins and a pty for the scanner; each line typed on "
            "standard input is scanned"
        ),
    )
    parser.add_argument("--broker", metavar="HOST:PORT", help=_("override the plant's broker"))
    parser.add_argument(
        "--seconds", type=float, help=_("stop after this many seconds (default: run until stopped)")
    )


def _scan_stdin(sim: Any, scanner: str) -> None:
    """Under ``--sim``: every line read from standard input is scanned, until end of input."""
    for line in sys.stdin:
        text = line.strip()
        if text:
            try:
                sim.scan(scanner, text)
            except OSError as exc:
                log.warning("cannot scan %r: %s", text, exc)


def run(args: argparse.Namespace) -> int:
    from andon.bus.credentials import BrokerSettings
    from andon.config.errors import ConfigError
    from andon.config.loader import load_store
    from andon.sd_notify import sd_notify
    from andon.store.assemble import build_store
    from hal.errors import HalError

    try:
        config = load_store(args.config)
    except ConfigError as exc:
        for issue in exc.errors:
            print(speech.issue(issue), file=sys.stderr)
        return 1
    try:
        # a password file that cannot be used is said here, before the hardware opens
        BrokerSettings.from_config(config.plant_config.broker).password()
        tr = speech.terminal()  # the handler reads each scan's outcome in the log
        runtime = build_store(config, sim=args.sim, broker=args.broker, tr=tr)
    except ConfigError as exc:  # a bundle from before the broker bound store boards
        for issue in exc.errors:
            print(speech.issue(issue), file=sys.stderr)
        return 1
    except (HalError, OSError, ValueError) as exc:
        print(say(CANNOT_START, file=args.config, error=speech.starting(exc)), file=sys.stderr)
        return 1
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    board = runtime.board
    board.start()
    log.info(
        "store %s running (%s) for %s; status on %s",
        config.id,
        "simulated hardware" if args.sim else "hardware",
        ", ".join(board.lines),
        board.me.status(),
    )
    if runtime.sim is not None:
        for name, port in runtime.sim.ports.items():
            log.info("simulated scanner %r reads from %s", name, port.path)
        if runtime.sim.ports:
            scanner = next(iter(runtime.sim.ports))
            threading.Thread(
                target=_scan_stdin, args=(runtime.sim, scanner), name="sim-stdin", daemon=True
            ).start()
            log.info("type a code and Enter to scan it with the simulated scanner %r", scanner)
    sd_notify("READY=1")
    waited = 0.0
    try:
        while not stop.wait(1.0):
            if board.alive:
                sd_notify("WATCHDOG=1")  # a dead loop stops the pings: systemd restarts us
            else:
                log.error("the store's worker or hardware loop has stopped")
            waited += 1.0
            if args.seconds is not None and waited >= args.seconds:
                break
    finally:
        sd_notify("STOPPING=1")
        board.stop()
    return 0
