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
    from andon.historian.site import Site
    from andon.provision.enterprise_file import EnterpriseFile

from andon.cli import speech
from andon.cli.speech import say
from andon.historian.errors import TEMPLATES as HISTORY_TEMPLATES
from andon.i18n.markers import N_

NAME = "historian"
HELP = N_(
    "follow the event stream of every station of the site and keep it in a database "
    "(SQLite or PostgreSQL) for reports"
)

DEFAULT_DATABASE = "sqlite:////var/lib/andon/history.sqlite"

EXIT_OK = 0
EXIT_INVALID = 2

ENTERPRISE_ONLY = N_("--username and --password-file go with --enterprise")
PASSWORD_NEEDS_USERNAME = N_("--password-file needs --username")
RETENTION = N_("--retention-days: expected 0 (keep everything) or more days")
STARTED_SITE = N_("andon historian {name}: site {site} into {database}")
STARTED_ENTERPRISE = N_(
    "andon historian {name}: enterprise {enterprise}, every site into {database}"
)
STOPPED = N_("andon historian {name} stopped: {stored} events stored")


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--config",
        type=Path,
        metavar="CONFIG",
        help=_("the plant file, or the directory holding plant.toml"),
    )
    where.add_argument(
        "--enterprise",
        type=Path,
        metavar="FILE",
        help=_("the enterprise file: follow every site on the enterprise broker"),
    )
    parser.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        metavar="URL",
        help=_("sqlite:///FILE or postgresql://… (default: {database})").format(
            database=DEFAULT_DATABASE
        ),
    )
    parser.add_argument(
        "--retention-days",
        type=int,
        default=0,
        metavar="DAYS",
        help=_("remove events older than DAYS days (default {days}: keep everything)").format(
            days=0
        ),
    )
    parser.add_argument(
        "--name",
        default="historian",
        help=_("this historian's name in topics (default: {name})").format(name="historian"),
    )
    parser.add_argument(
        "--broker", metavar="HOST:PORT", help=_("broker to use instead of the plant's")
    )
    parser.add_argument(
        "--username", help=_("the historian's account on the enterprise broker (with --enterprise)")
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help=_("the file holding that account's password (with --enterprise)"),
    )


def _settings(
    args: argparse.Namespace,
) -> tuple[Site | EnterpriseFile, tuple[str, dict[str, str]], BrokerSettings] | str:
    """(what is followed, the start-up sentence and its fields, broker settings), or an error
    message."""
    from andon.bus.credentials import BrokerSettings
    from andon.config.broker import account_name, bound_client_id
    from andon.config.errors import ConfigError
    from andon.historian.service import site_client_id
    from andon.historian.site import load_site
    from andon.provision.enterprise_file import load_enterprise
    from andon.provision.errors import ProvisionError

    client_id = f"andon-historian-{args.name}"
    if args.enterprise is None:
        if args.username or args.password_file:
            return say(ENTERPRISE_ONLY)
        try:
            # the station files beside the plant file: the rules the historian folds with
            site = load_site(args.config)
            # a bundle from before the broker bound historians: said here, not "not authorised"
            bound = bound_client_id(
                site.plant.broker, account_name("historian", args.name), site.plant_file
            )
        except ConfigError as error:
            return "\n".join(speech.issue(problem) for problem in error.errors)
        client_id = bound or site_client_id(site.plant, args.name)
        settings = BrokerSettings.from_config(
            site.plant.broker, client_id=client_id, clean_session=False
        )
        return site, (STARTED_SITE, {"site": site.plant.site.id}), settings
    try:
        enterprise = load_enterprise(args.enterprise)
    except ProvisionError as error:
        return say(speech.OPTION, option=args.enterprise, error=speech.provision(error))
    if args.password_file is not None and not args.username:
        return say(PASSWORD_NEEDS_USERNAME)
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
    return enterprise, (STARTED_ENTERPRISE, {"enterprise": enterprise.enterprise.id}), settings


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from andon.bus.settings import parse_host_port
    from andon.historian.ingest_fold import fold_rules
    from andon.historian.service import Historian
    from andon.historian.site import Site
    from andon.historian.store import HistoryError

    if args.retention_days < 0:
        print(say(RETENTION), file=sys.stderr)
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
            print(
                say(speech.OPTION, option="--broker", error=speech.broker(error)),
                file=sys.stderr,
            )
            return EXIT_INVALID
        settings = replace(settings, host=host, port=port)
    stop = threading.Event()

    options = {"name": args.name, "retention_days": args.retention_days or None}
    if isinstance(followed, Site):
        folding = fold_rules(followed)
        historian = Historian.for_plant(
            followed.plant, args.database, settings, folding=folding, **options
        )
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
            print(
                say(speech.ERROR, error=speech.shown(str(error), HISTORY_TEMPLATES)),
                file=sys.stderr,
            )
            return EXIT_INVALID
        print(say(described[0], name=args.name, database=args.database, **described[1]), flush=True)
        try:
            while not stop.wait(1.0):
                pass
        finally:
            historian.stop()
        stats = historian.stats
        print(say(STOPPED, name=args.name, stored=stats.stored), flush=True)
        return EXIT_OK
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
