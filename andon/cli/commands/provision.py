"""``andon provision --plant FILE``: MQTT credentials, ACL and broker configuration for a plant."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from andon.i18n.catalog import Translator
    from andon.provision.bridge import BridgeResult
    from andon.provision.bundle import ProvisionResult
    from andon.provision.enterprise_file import EnterpriseFile

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.markers import N_

BAD_PORT = N_("error: expected a port 1..65535, got {port}")
BROKER_FILES = N_("broker files in {dir}/; install them on the broker host with:")
LISTENS = N_("listens {kind} on {address} port {port}")
LISTENS_EVERYWHERE = N_("listens {kind} on every interface port {port}")
CLIENTS = N_("{count} clients (a bundle each; copy it to the device):")
NEW_PASSWORD = N_("(new password)")
PASSWORD_KEPT = N_("(password kept)")
STALE = N_("warning: {dir}/ is no longer a client of the plant: it has no access now")
WRITTEN = N_("{written} files written, {unchanged} unchanged")
BRIDGE_NEW = N_("bridge to the enterprise in {file} (new password)")
BRIDGE_KEPT = N_("bridge to the enterprise in {file} (password kept)")
INSTALL_BRIDGE = N_("install it as /etc/mosquitto/conf.d/bridge.conf, beside andon.conf")
QUEUES = N_(
    "queues {messages} messages ({mebibytes} MiB): {hours} h of {stations} stations while "
    "the WAN is down, and {replays} messages of the replays asked for when it is back"
)
ENTERPRISE_ENTRIES = N_(
    "enterprise broker entries for the site in {dir}/ "
    "(account {account}: add passwd and acl to the enterprise broker's)"
)

NAME = "provision"
LOG_LEVEL = "WARNING"
"""A one-shot command: its answer, not the connection log."""
HELP = N_("generate per-device MQTT passwords, the Mosquitto ACL and broker configuration")

EXIT_OK = 0
EXIT_INVALID = 1
INSTALL_ROLES = {"notifier": "notify"}
"""deploy/install.sh roles whose name differs from the client's kind."""


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument("--plant", type=Path, required=True, help=_("the plant file"))
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("provisioned"),
        help=_(
            "output directory, kept private (default: {folder}); run again into the "
            "same directory to keep the passwords and the CA"
        ).format(folder="./provisioned"),
    )
    parser.add_argument(
        "--stations",
        "--files",
        dest="files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help=_("station, board, store and notify files (default: those beside the plant file)"),
    )
    parser.add_argument(
        "--notifier",
        dest="notifiers",
        action="append",
        default=[],
        metavar="ID",
        help=_("an account for a notifier with this id that has no notify file here; repeatable"),
    )
    parser.add_argument(
        "--historian",
        dest="historians",
        action="append",
        default=[],
        metavar="ID",
        help=_("an account for a historian with this id (andon historian --name ID); repeatable"),
    )
    parser.add_argument(
        "--no-monitor", action="store_true", help=_("no read-only 'monitor' account")
    )
    parser.add_argument(
        "--simulated",
        action="store_true",
        help=_("the stations run on simulated hardware (--sim): boards may send them cmd/sim"),
    )
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument(
        "--tls",
        action="store_true",
        default=None,
        help=_(
            "a TLS listener, a plant CA and a server certificate "
            "(default: as the plant's [broker] tls says)"
        ),
    )
    tls.add_argument("--no-tls", dest="tls", action="store_false", help=_("plain MQTT only"))
    parser.add_argument(
        "--tls-name",
        dest="tls_names",
        action="append",
        default=[],
        metavar="NAME",
        help=_(
            "host name or address of the broker in its certificate; repeatable "
            "(default: the broker host, localhost and 127.0.0.1)"
        ),
    )
    parser.add_argument(
        "--broker-host", help=_("host the devices connect to (default: the plant's [broker] host)")
    )
    parser.add_argument(
        "--listen",
        metavar="ADDRESS",
        help=_(
            "address the broker listens on, '*' for every interface "
            "(default: the broker host if it is an address, else every interface)"
        ),
    )
    parser.add_argument("--port", type=int, help=_("plain MQTT port (default: the plant's)"))
    parser.add_argument(
        "--tls-port", type=int, help=_("TLS port (default {port})").format(port=8883)
    )
    parser.add_argument(
        "--broker-dir",
        default=str(PurePosixPath("/etc/mosquitto/andon")),
        metavar="DIR",
        help=_("where the broker files will be on the broker host (default {folder})").format(
            folder="/etc/mosquitto/andon"
        ),
    )
    parser.add_argument(
        "--enterprise",
        type=Path,
        metavar="FILE",
        help=_(
            "an enterprise file: also write the site broker's bridge to the enterprise "
            "broker (broker/bridge.conf) and the enterprise's ACL and password entry for this "
            "site (enterprise/<site>/)"
        ),
    )
    parser.add_argument("--rotate", action="store_true", help=_("new passwords for every client"))
    parser.add_argument(
        "--renew-cert",
        action="store_true",
        help=_("a new server certificate from the existing CA (the devices keep working)"),
    )


def run(args: argparse.Namespace) -> int:
    from andon.provision.bundle import ProvisionOptions, provision
    from andon.provision.enterprise_file import load_enterprise
    from andon.provision.errors import ProvisionError

    for port in (args.port, args.tls_port):
        if port is not None and not 1 <= port <= 65535:
            print(say(BAD_PORT, port=port), file=sys.stderr)
            return EXIT_INVALID
    options = ProvisionOptions(
        out=args.out,
        member_files=args.files,
        notifiers=args.notifiers,
        monitor=not args.no_monitor,
        historians=args.historians,
        tls=args.tls,
        tls_names=args.tls_names,
        broker_host=args.broker_host,
        listen=args.listen,
        port=args.port,
        tls_port=args.tls_port,
        broker_dir=PurePosixPath(args.broker_dir),
        rotate=args.rotate,
        simulated=args.simulated,
        renew_cert=args.renew_cert,
    )
    try:
        enterprise = load_enterprise(args.enterprise) if args.enterprise else None
        result = provision(args.plant, options)
        bridged = _bridge(args, result, enterprise) if enterprise is not None else None
    except (ProvisionError, ValueError) as error:
        print(say(speech.ERROR, error=speech.provision(error)), file=sys.stderr)
        return EXIT_INVALID
    tr = speech.terminal()

    layout = result.layout
    listeners = [layout.plain] + ([layout.tls] if layout.tls else [])
    print(say(BROKER_FILES, tr, dir=result.broker_dir))
    print(f"  sudo deploy/install.sh --role broker --broker-files {result.broker_dir}")
    for listener in listeners:
        kind = "tls" if listener is layout.tls else "mqtt"
        if listener.address:
            listens = say(LISTENS, tr, kind=kind, address=listener.address, port=listener.port)
        else:
            listens = say(LISTENS_EVERYWHERE, tr, kind=kind, port=listener.port)
        print(f"  {listens}")
    print(say(CLIENTS, tr, count=len(result.bundles)))
    width = max(len(b.client.username) for b in result.bundles)
    for bundle in result.bundles:
        note = say(NEW_PASSWORD if bundle.new_password else PASSWORD_KEPT, tr)
        print(f"  {bundle.client.username:<{width}}  {bundle.directory}/  {note}")
        if bundle.config_file is not None:
            role = INSTALL_ROLES.get(bundle.client.kind, bundle.client.kind)
            print(
                f"  {'':<{width}}  sudo deploy/install.sh --role {role} --config "
                f"{bundle.config_file}"
            )
        elif bundle.client.kind == "historian":
            print(
                f"  {'':<{width}}  sudo deploy/install.sh --role historian --config "
                f"{bundle.directory}/plant.toml"
            )
    for stale in result.stale:
        print(say(STALE, tr, dir=stale))
    written = len(result.written)
    if bridged is not None:
        _print_bridge(bridged, tr)
        written += len(bridged.written)
    unchanged = result.unchanged + (bridged.unchanged if bridged is not None else 0)
    print(say(WRITTEN, tr, written=written, unchanged=unchanged))
    return EXIT_OK


def _bridge(
    args: argparse.Namespace, result: ProvisionResult, enterprise: EnterpriseFile
) -> BridgeResult:
    from andon.config.loader import load_plant
    from andon.provision.bridge import provision_bridge

    stations = sum(1 for bundle in result.bundles if bundle.client.kind == "station")
    return provision_bridge(
        load_plant(args.plant),
        stations,
        enterprise,
        result.out,
        PurePosixPath(args.broker_dir),
        rotate=args.rotate,
    )


def _print_bridge(bridged: BridgeResult, tr: Translator) -> None:
    from andon.i18n.formats import number

    queue = bridged.queue
    bridge = BRIDGE_NEW if bridged.new_password else BRIDGE_KEPT
    print(say(bridge, tr, file=bridged.bridge_conf))
    print("  " + say(INSTALL_BRIDGE, tr))
    queues = say(
        QUEUES,
        tr,
        messages=queue.messages,
        mebibytes=number(queue.mebibytes, tr.language),
        hours=number(queue.hours, tr.language, digits=1),
        stations=queue.stations,
        replays=queue.replays,
    )
    print(f"  {queues}")
    print(say(ENTERPRISE_ENTRIES, tr, dir=bridged.enterprise_dir, account=bridged.bridge.username))
