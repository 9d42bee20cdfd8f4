"""``andon historian --config CONFIG --database URL``: keep every event of the site."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

NAME = "historian"
HELP = (
    "follow the event stream of every station of the site and keep it in a database "
    "(SQLite or PostgreSQL) for reports"
)

DEFAULT_DATABASE = "sqlite:////var/lib/andon/history.sqlite"

EXIT_OK = 0
EXIT_INVALID = 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        required=True,
        type=Path,
        metavar="CONFIG",
        help="the plant file, or the directory holding plant.toml",
    )
    parser.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        metavar="URL",
        help=f"sqlite:///FILE or postgresql://… (default: {DEFAULT_DATABASE})",
    )
    parser.add_argument(
        "--retention-days",
        type=int,
        default=0,
        metavar="DAYS",
        help="remove events older than DAYS days (default 0: keep everything)",
    )
    parser.add_argument(
        "--name", default="historian", help="this historian's name in topics (default: historian)"
    )
    parser.add_argument(
        "--broker", metavar="HOST:PORT", help="broker to use instead of the plant's"
    )


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from andon.bus.credentials import BrokerSettings
    from andon.bus.settings import parse_host_port
    from andon.config.errors import ConfigError
    from andon.historian.service import Historian
    from andon.historian.site import load_site
    from andon.historian.store import HistoryError

    if args.retention_days < 0:
        print("--retention-days: expected 0 (keep everything) or more days", file=sys.stderr)
        return EXIT_INVALID
    try:
        site = load_site(args.config, with_stations=False)
    except ConfigError as error:
        for issue in error.errors:
            print(issue, file=sys.stderr)
        return EXIT_INVALID
    settings = BrokerSettings.from_config(
        site.plant.broker, client_id=f"andon-historian-{args.name}", clean_session=False
    )
    if args.broker:
        try:
            host, port = parse_host_port(args.broker)
        except ValueError as error:
            print(f"--broker: {error}", file=sys.stderr)
            return EXIT_INVALID
        settings = replace(settings, host=host, port=port)
    stop = threading.Event()

    historian = Historian.for_plant(
        site.plant,
        args.database,
        settings,
        name=args.name,
        retention_days=args.retention_days or None,
    )

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()
        historian.request_stop()  # also ends the wait for an unreachable database

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            historian.start()
        except HistoryError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_INVALID
        print(
            f"andon historian {args.name}: site {site.plant.site.id} into {args.database}",
            flush=True,
        )
        try:
            while not stop.wait(1.0):
                pass
        finally:
            historian.stop()
        stats = historian.stats
        print(f"andon historian {args.name} stopped: {stats.stored} events stored", flush=True)
        return EXIT_OK
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
