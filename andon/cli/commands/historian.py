"""``andon historian --config CONFIG --database URL``: keep every event of the site.

``andon historian --enterprise FILE --database URL --username U --password-file F``
keeps every event of every site bridged to the enterprise broker (docs/sites.md).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from andon.bus.credentials import BrokerSettings
    from andon.config.plant import PlantFile
    from andon.provision.enterprise_file import EnterpriseFile

NAME = "historian"
HELP = (
    "follow the event stream of every station of the site and keep it in a database "
    "(SQLite or PostgreSQL) for reports"
)

DEFAULT_DATABASE = "sqlite:////var/lib/andon/history.sqlite"

EXIT_OK = 0
EXIT_INVALID = 2


def configure(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--config",
        type=Path,
        metavar="CONFIG",
        help="the plant file, or the directory holding plant.toml",
    )
    where.add_argument(
        "--enterprise",
        type=Path,
        metavar="FILE",
        help="the enterprise file: follow every site on the enterprise broker",
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
    parser.add_argument(
        "--username", help="the historian's account on the enterprise broker (with --enterprise)"
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="the file holding that account's password (with --enterprise)",
    )


def _settings(
    args: argparse.Namespace,
) -> tuple[PlantFile | EnterpriseFile, str, BrokerSettings] | str:
    """(what is followed, its description, broker settings), or an error message."""
    from andon.bus.credentials import BrokerSettings
    from andon.config.errors import ConfigError
    from andon.historian.site import load_site
    from andon.provision.enterprise_file import load_enterprise
    from andon.provision.errors import ProvisionError

    client_id = f"andon-historian-{args.name}"
    if args.enterprise is None:
        if args.username or args.password_file:
            return "--username and --password-file go with --enterprise"
        try:
            site = load_site(args.config, with_stations=False)
        except ConfigError as error:
            return "\n".join(str(issue) for issue in error.errors)
        settings = BrokerSettings.from_config(
            site.plant.broker, client_id=client_id, clean_session=False
        )
        return site.plant, f"site {site.plant.site.id}", settings
    try:
        enterprise = load_enterprise(args.enterprise)
    except ProvisionError as error:
        return f"{args.enterprise}: {error}"
    if args.password_file is not None and not args.username:
        return "--password-file needs --username"
    broker = enterprise.broker
    settings = BrokerSettings(
        host=broker.host,
        port=broker.port,
        tls=broker.tls,
        ca_file=broker.ca_file,
        username=args.username,
        password_file=args.password_file,
        client_id=client_id,
        clean_session=False,
    )
    return enterprise, f"enterprise {enterprise.enterprise.id}, every site", settings


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from andon.bus.settings import parse_host_port
    from andon.config.plant import PlantFile
    from andon.historian.service import Historian
    from andon.historian.store import HistoryError

    if args.retention_days < 0:
        print("--retention-days: expected 0 (keep everything) or more days", file=sys.stderr)
        return EXIT_INVALID
    chosen = _settings(args)
    if isinstance(chosen, str):
        print(chosen, file=sys.stderr)
        return EXIT_INVALID
    followed, described, settings = chosen
    if args.broker:
        try:
            host, port = parse_host_port(args.broker)
        except ValueError as error:
            print(f"--broker: {error}", file=sys.stderr)
            return EXIT_INVALID
        settings = replace(settings, host=host, port=port)
    stop = threading.Event()

    options = {"name": args.name, "retention_days": args.retention_days or None}
    if isinstance(followed, PlantFile):
        historian = Historian.for_plant(followed, args.database, settings, **options)
    else:
        historian = Historian.for_enterprise(followed, args.database, settings, **options)

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
            f"andon historian {args.name}: {described} into {args.database}",
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
