"""Provision a plant: every client's bundle and the broker's files, in one directory.

Running it again is safe: existing passwords and the CA are kept (unless
rotated), unchanged files are not rewritten, and a client that left the plant
loses its access because the broker files no longer name it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import get_args

from andon.config.plant import PlantFile
from andon.provision.acl import AclEntry, render_acl
from andon.provision.client_ids import CLIENT_IDS_FILE, doctor_username, render_client_ids
from andon.provision.clients import (
    Client,
    ClientKind,
    discover_members,
    load_members,
    plant_clients,
)
from andon.provision.errors import BAD_HOST, BRACKETED_HOST, SAME_PORT, ProvisionError
from andon.provision.files import DIRECTORY_MODE, read_text, write_bytes
from andon.provision.mosquitto_conf import (
    ACL_FILE,
    BROKER_DIR,
    CA_FILE,
    PASSWORD_FILE,
    PLAIN_PORT,
    SERVER_CERT_FILE,
    SERVER_KEY_FILE,
    TLS_PORT,
    BrokerLayout,
    Listener,
    listen_address,
    render_mosquitto_conf,
)
from andon.provision.passwords import (
    PasswordFileError,
    new_password,
    parse_password_file,
    render_password_file,
)
from andon.provision.plant_copy import TomlScalar, replace_broker_table, with_plant_reference
from andon.provision.tls import Backend, TlsFiles, ensure_tls

ALL_INTERFACES = "*"
"""``listen`` value: listen on every interface."""
CLIENT_PASSWORD_FILE = "mqtt.password"
CLIENT_CA_FILE = "ca.crt"
PLANT_COPY = "plant.toml"
CONF_FILE = "andon.conf"


@dataclass(frozen=True)
class ProvisionOptions:
    """What to provision and how the broker is reached."""

    out: Path
    member_files: Sequence[Path] | None = None
    """Station, board, store and notify files; ``None``: those beside the plant file."""
    notifiers: Sequence[str] = ()
    """Ids of further notifiers that get an account (notify files get one anyway)."""
    historians: Sequence[str] = ()
    """Ids of historians that get an account (``andon historian --name``)."""
    monitor: bool = True
    """A read-only ``monitor`` account for technicians."""
    tls: bool | None = None
    """TLS listener and CA; ``None``: as the plant's ``[broker] tls`` says."""
    tls_names: Sequence[str] = ()
    """Names and addresses in the server certificate; default: the broker host."""
    broker_host: str | None = None
    """The host clients connect to; default: the plant's ``[broker] host``."""
    listen: str | None = None
    """Address the broker listens on (``"*"``: all); default: from the broker host."""
    port: int | None = None
    """Plain MQTT port; default: the plant's port (1883 with TLS, on loopback)."""
    tls_port: int | None = None
    broker_dir: PurePosixPath = BROKER_DIR
    """Where the broker files will be on the broker host (named in andon.conf)."""
    rotate: bool = False
    simulated: bool = False
    """The stations run with ``--sim``: boards may send them ``cmd/sim``."""
    """New passwords for every client."""
    renew_cert: bool = False
    """A new server certificate from the existing CA."""
    tls_backend: Backend = "auto"


@dataclass(frozen=True)
class ClientBundle:
    """What one device gets: a directory to copy to it."""

    client: Client
    directory: Path
    config_file: Path | None
    """The client's configuration file inside the bundle."""
    new_password: bool


@dataclass
class ProvisionResult:
    """What was written where."""

    out: Path
    broker_dir: Path
    layout: BrokerLayout
    bundles: list[ClientBundle]
    tls: TlsFiles | None
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    stale: list[Path] = field(default_factory=list)
    """Bundles of clients that are no longer in the plant (no access any more)."""


class _Writer:
    def __init__(self, result: ProvisionResult) -> None:
        self.result = result

    def text(self, path: Path, text: str, *, private: bool = False) -> None:
        """Write UTF-8 text (see :meth:`data`)."""
        self.data(path, text.encode("utf-8"), private=private)

    def data(self, path: Path, data: bytes, *, private: bool = False) -> None:
        """Write a file unless it already holds ``data``; count what changed."""
        if write_bytes(path, data, private=private):
            self.result.written.append(path)
        else:
            self.result.unchanged += 1


def broker_layout(plant: PlantFile, options: ProvisionOptions, tls: bool) -> BrokerLayout:
    """Listeners from the plant's ``[broker]`` table and the options."""
    host = options.broker_host or plant.broker.host
    if options.listen == ALL_INTERFACES:
        address = None
    elif options.listen is not None:
        address = options.listen
    else:
        address = listen_address(host)
    if not tls:
        port = options.port or (PLAIN_PORT if plant.broker.tls else plant.broker.port)
        return BrokerLayout(Listener(port, address), None, options.broker_dir)
    tls_port = options.tls_port or (plant.broker.port if plant.broker.tls else TLS_PORT)
    plain = Listener(options.port or PLAIN_PORT, "127.0.0.1")
    if plain.port == tls_port:
        raise ProvisionError(SAME_PORT.format(port=tls_port))
    return BrokerLayout(plain, Listener(tls_port, address), options.broker_dir)


BOUND_KINDS = frozenset(get_args(ClientKind))
"""Every client: the broker binds each account to a secret client id, so each connects as
one process (a web board serves all its viewers from one; the monitor is one tool at a time)."""


def is_bound(client: Client) -> bool:
    """Whether the broker binds ``client``'s account to its client id."""
    return client.kind in BOUND_KINDS


def station_client_id(client: Client, password: str) -> str:
    """A bound client's secret client id: its username and a tag derived from its password.

    Another account cannot guess it, so cannot connect under it (which would kick the
    client off and take its session: a station's or a historian's is persistent); it
    changes with the password.
    """
    tag = hmac.new(password.encode(), b"andon client id", hashlib.sha256).hexdigest()[:16]
    return f"{client.username}.{tag}"


def client_broker_table(
    plant: PlantFile, client: Client, layout: BrokerLayout, host: str, password: str = ""
) -> dict[str, TomlScalar]:
    """The ``[broker]`` table of a client's plant copy (a bound client's with its client id)."""
    table: dict[str, TomlScalar] = {"host": host}
    if layout.tls is not None:
        table |= {"port": layout.tls.port, "tls": True, "ca_file": CLIENT_CA_FILE}
    else:
        table |= {"port": layout.plain.port, "tls": False}
    table |= {
        "username": client.username,
        "password_file": CLIENT_PASSWORD_FILE,
        "keepalive_s": plant.broker.keepalive_s,
    }
    if is_bound(client) and password:
        table["client_id"] = station_client_id(client, password)
        table["doctor_username"] = doctor_username(client.username)
    return table


def provision(plant_file: Path, options: ProvisionOptions) -> ProvisionResult:
    """Write the broker files and a bundle per client into ``options.out``.

    Raises :class:`ProvisionError` (nothing written) when a configuration file is invalid.
    """
    files = (
        list(options.member_files)
        if options.member_files is not None
        else discover_members(plant_file)
    )
    members = load_members(plant_file, files)
    plant = _plant_of(plant_file, members)
    clients = plant_clients(
        plant,
        members,
        options.notifiers,
        options.monitor,
        options.historians,
        simulated=options.simulated,
    )
    tls = plant.broker.tls if options.tls is None else options.tls
    layout = broker_layout(plant, options, tls)
    host = options.broker_host or plant.broker.host
    _check_host(host)
    plant_text = plant_file.read_text(encoding="utf-8")
    out = options.out
    broker_dir = out / "broker"
    clients_dir = out / "clients"
    fresh_passwords: set[str] = set()

    # Everything a bundle holds is made first, so bad input leaves no file behind.
    contents: list[tuple[Client, str, Path, str | None]] = []
    kept: dict[str, str] = {}
    """Each client's password: the one in its bundle, or a new one (fresh)."""
    for client in clients:
        path = clients_dir / client.username / CLIENT_PASSWORD_FILE
        existing = None if options.rotate else read_text(path)
        if existing and existing.strip():
            kept[client.username] = existing.splitlines()[0]
        else:
            kept[client.username] = new_password()
            fresh_passwords.add(client.username)
        table = client_broker_table(plant, client, layout, host, kept[client.username])
        comment = (
            f"Broker settings of {client.label}, written by andon provision.\n"
            "The rest of this file is the plant file as written."
        )
        copy = replace_broker_table(plant_text, table, comment, source=str(plant_file))
        config_text = None
        if client.config_file is not None:
            text = client.config_file.read_text(encoding="utf-8")
            config_text = with_plant_reference(text, PLANT_COPY, str(client.config_file))
        contents.append((client, copy, clients_dir / client.username, config_text))

    for directory in (out, broker_dir, clients_dir):
        directory.mkdir(parents=True, exist_ok=True, mode=DIRECTORY_MODE)
    result = ProvisionResult(out, broker_dir, layout, [], None)
    write = _Writer(result)

    tls_files = None
    if tls:
        names = list(options.tls_names) or [host, "localhost", "127.0.0.1"]
        tls_files = ensure_tls(
            out / "tls",
            f"andon {plant.site.id} CA",
            names,
            renew_server=options.renew_cert,
            backend=options.tls_backend,
        )
        result.tls = tls_files

    passwords: dict[str, str] = {}
    for client, copy, directory, config_text in contents:
        password_path = directory / CLIENT_PASSWORD_FILE
        password = kept[client.username]
        fresh = client.username in fresh_passwords
        passwords[client.username] = password
        write.text(password_path, password + "\n", private=True)
        write.text(directory / PLANT_COPY, copy)
        config_copy = None
        if client.config_file is not None and config_text is not None:
            config_copy = directory / client.config_file.name
            write.text(config_copy, config_text)
        if tls_files is not None:
            write.data(directory / CLIENT_CA_FILE, tls_files.ca_cert.read_bytes())
        result.bundles.append(ClientBundle(client, directory, config_copy, fresh))

    bound = [client for client in clients if is_bound(client)]
    doctors = {doctor_username(c.username): passwords[c.username] for c in bound}
    previous = _previous_hashes(broker_dir / PASSWORD_FILE)
    every_password = passwords | doctors
    write.text(
        broker_dir / PASSWORD_FILE, render_password_file(every_password, previous), private=True
    )
    header = (
        f"Mosquitto ACL of {plant.site.name} ({plant.site.id}), written by andon provision.\n"
        "Everything not granted below is denied."
    )
    entries = [client.acl_entry() for client in clients] + [
        AclEntry(doctor_username(c.username), f"andon doctor on {c.label}: logs in only", ())
        for c in bound
    ]
    write.text(broker_dir / ACL_FILE, render_acl(entries, header), private=True)
    bindings = [(c.username, station_client_id(c, passwords[c.username])) for c in bound]
    write.text(broker_dir / CLIENT_IDS_FILE, render_client_ids(bindings), private=True)
    write.text(broker_dir / CONF_FILE, render_mosquitto_conf(layout, plant_title(plant)))
    if tls_files is not None:
        write.data(broker_dir / CA_FILE, tls_files.ca_cert.read_bytes())
        write.data(broker_dir / SERVER_CERT_FILE, tls_files.server_cert.read_bytes())
        write.data(broker_dir / SERVER_KEY_FILE, tls_files.server_key.read_bytes(), private=True)
    if clients_dir.is_dir():
        current = {client.username for client in clients}
        result.stale = sorted(
            p for p in clients_dir.iterdir() if p.is_dir() and p.name not in current
        )
    return result


def plant_title(plant: PlantFile) -> str:
    return f"the plant {plant.site.name} ({plant.site.id})"


def _plant_of(plant_file: Path, members: Sequence[tuple[Path, object]]) -> PlantFile:
    from andon.config.loader import load_plant

    for _, member in members:
        config = getattr(member, "plant_config", None)
        if isinstance(config, PlantFile):
            return config
    return load_plant(plant_file)


def _check_host(host: str) -> None:
    if not host or any(c.isspace() for c in host):
        raise ProvisionError(BAD_HOST.format(host=repr(host)))
    if host.startswith("["):
        raise ProvisionError(BRACKETED_HOST.format(host=repr(host)))


def _previous_hashes(path: Path) -> dict[str, str]:
    text = read_text(path)
    if not text:
        return {}
    try:
        return parse_password_file(text)
    except PasswordFileError:
        return {}
