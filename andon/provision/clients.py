"""Who connects to a plant's broker: one MQTT client per station, board, store board
and notifier (``kind = "notify"`` file), plus a read-only monitor account and the
broker watchdog's account, which may only log in (:mod:`andon.bus.watchdog`).

Usernames carry the role and the ids, joined by ``.`` (which no id contains, so
two clients never share a name): ``station.line-a.a1``, ``board.supervisor``,
``store.store``, ``notifier.maintenance``, ``monitor``, ``watchdog``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeAlias

from andon.config.board import BoardFile
from andon.config.broker import account_name
from andon.config.errors import ConfigError
from andon.config.loader import ConfigFile, check_together, load_file
from andon.config.notify import NotifyFile
from andon.config.plant import PlantFile
from andon.config.station import StationFile
from andon.config.store import StoreFile
from andon.provision.acl import (
    AclEntry,
    Grant,
    Site,
    board_grants,
    historian_grants,
    monitor_grants,
    notifier_grants,
    station_grants,
    store_grants,
    web_grants,
)
from andon.provision.errors import (
    INVALID_CONFIGURATION,
    INVALID_PLANT,
    NO_CLIENT,
    NOT_A_MEMBER,
    OTHER_PLANT,
    SAME_USERNAME,
    UNREADABLE_BESIDE,
    ProvisionError,
)
from andon.web.config import WebFile

ClientKind = Literal[
    "station", "board", "store", "web", "notifier", "historian", "monitor", "watchdog"
]
MEMBER_KINDS = ("station", "board", "store", "notify", "web")
MONITOR_USERNAME = "monitor"
WATCHDOG_USERNAME = "watchdog"


@dataclass(frozen=True)
class Client:
    """One MQTT client of the plant and what it may do."""

    kind: ClientKind
    name: str
    """``line/station`` for a station, the id for the others."""
    username: str
    grants: tuple[Grant, ...]
    config_file: Path | None = None
    """The configuration file the client runs with (none for the monitor)."""

    @property
    def label(self) -> str:
        """``station line-a/a1``: what the ACL comment and the summary call it."""
        if self.kind == "monitor":
            return "monitor (read only)"
        if self.kind == "watchdog":
            return "broker watchdog (logs in only)"
        return f"{self.kind} {self.name}"

    def acl_entry(self) -> AclEntry:
        source = f" ({self.config_file.name})" if self.config_file else ""
        return AclEntry(self.username, f"{self.label}{source}", self.grants)


def site_of(plant: PlantFile) -> Site:
    """The topic namespace of a plant."""
    return Site(plant.site.topic_prefix, plant.site.id, plant.site.area)


def station_client(plant: PlantFile, station: StationFile, file: Path | None = None) -> Client:
    return Client(
        "station",
        f"{station.line}/{station.id}",
        account_name("station", f"{station.line}.{station.id}"),
        station_grants(site_of(plant), station.line, station.id),
        file,
    )


def board_client(
    plant: PlantFile, board: BoardFile, file: Path | None = None, simulated: bool = False
) -> Client:
    lines = board.lines if board.lines is not None else [line.id for line in plant.lines]
    station = board.station if board.role == "station" else None
    return Client(
        "board",
        board.id,
        account_name("board", board.id),
        board_grants(site_of(plant), board.id, lines, station, simulated),
        file,
    )


def store_client(plant: PlantFile, store: StoreFile, file: Path | None = None) -> Client:
    lines = store.lines if store.lines is not None else [line.id for line in plant.lines]
    return Client(
        "store",
        store.id,
        account_name("store", store.id),
        store_grants(site_of(plant), store.id, lines),
        file,
    )


def web_client(plant: PlantFile, web: WebFile, file: Path | None = None) -> Client:
    lines = web.lines if web.lines is not None else [line.id for line in plant.lines]
    return Client(
        "web", web.id, account_name("web", web.id), web_grants(site_of(plant), web.id, lines), file
    )


def notifier_client(plant: PlantFile, notifier_id: str, file: Path | None = None) -> Client:
    return Client(
        "notifier",
        notifier_id,
        account_name("notifier", notifier_id),
        notifier_grants(site_of(plant), notifier_id),
        file,
    )


def historian_client(plant: PlantFile, historian_id: str) -> Client:
    return Client(
        "historian",
        historian_id,
        account_name("historian", historian_id),
        historian_grants(site_of(plant), historian_id),
    )


def monitor_client(plant: PlantFile) -> Client:
    return Client("monitor", MONITOR_USERNAME, MONITOR_USERNAME, monitor_grants(site_of(plant)))


def watchdog_client() -> Client:
    """The account the broker host's watchdog keeps its connection under: no grants."""
    return Client("watchdog", WATCHDOG_USERNAME, WATCHDOG_USERNAME, ())


Member: TypeAlias = "ConfigFile | NotifyFile"
"""A file that belongs to a plant and runs as one MQTT client."""


def load_member(file: Path, plants: dict[Path, PlantFile] | None = None) -> Member:
    """A station, board, store or notify file, with its plant (raises ``ConfigError``)."""
    from andon.config.loader import load_notify, read_toml

    if read_toml(file).get("kind") == "notify":
        return load_notify(file)
    return load_file(file, plants=plants)


def member_client(plant: PlantFile, member: Member, file: Path, simulated: bool = False) -> Client:
    """The client of a station, board, store or notify file (``simulated``: see boards)."""
    if isinstance(member, NotifyFile):
        return notifier_client(plant, member.id, file)
    if isinstance(member, StationFile):
        return station_client(plant, member, file)
    if isinstance(member, BoardFile):
        return board_client(plant, member, file, simulated)
    if isinstance(member, StoreFile):
        return store_client(plant, member, file)
    if isinstance(member, WebFile):
        return web_client(plant, member, file)
    raise ProvisionError(NO_CLIENT.format(file=file, kind=member.kind))


def discover_members(plant_file: Path) -> list[Path]:
    """The station, board, store and notify files beside ``plant_file`` that name it.

    A TOML file there that cannot be read (a syntax error, not UTF-8) may be a
    station whose account would silently go missing: :class:`ProvisionError`
    names every such file and its error, before anything is written.
    """
    from andon.config.loader import read_toml

    plant_file = plant_file.resolve()
    found = []
    unreadable: list[object] = []
    for candidate in sorted(plant_file.parent.glob("*.toml")):
        if candidate.resolve() == plant_file:
            continue
        try:
            data = read_toml(candidate)
        except ConfigError as error:
            unreadable.extend(error.errors)
            continue
        reference = data.get("plant")
        if data.get("kind") not in MEMBER_KINDS or not isinstance(reference, str):
            continue
        target = Path(reference)
        target = target if target.is_absolute() else candidate.parent / target
        if target.resolve() == plant_file:
            found.append(candidate)
    if unreadable:
        raise ProvisionError.listing(UNREADABLE_BESIDE, unreadable)
    return found


def load_members(plant_file: Path, files: Sequence[Path]) -> list[tuple[Path, Member]]:
    """Load member files, all of which must belong to ``plant_file``.

    Raises :class:`ProvisionError` listing every problem of every file.
    """
    plant = _load_plant(plant_file)
    plants = {plant_file.absolute(): plant}
    loaded: list[tuple[Path, Member]] = []
    found: list[object] = []
    for file in files:
        try:
            member = load_member(file, plants)
        except ConfigError as error:
            found.extend(error.errors)
            continue
        if isinstance(member, PlantFile):
            found.append(NOT_A_MEMBER.format(file=file))
        elif Path(member.plant).resolve() != plant_file.resolve():
            found.append(OTHER_PLANT.format(file=file, plant=member.plant, expected=plant_file))
        else:
            loaded.append((file, member))
    together = [(f, m) for f, m in loaded if not isinstance(m, NotifyFile)]
    found.extend(check_together(together))
    if found:
        raise ProvisionError.listing(INVALID_CONFIGURATION, found)
    return loaded


def _load_plant(plant_file: Path) -> PlantFile:
    from andon.config.loader import load_plant

    try:
        return load_plant(plant_file)
    except ConfigError as error:
        raise ProvisionError.listing(INVALID_PLANT, error.errors) from None


def plant_clients(
    plant: PlantFile,
    members: Sequence[tuple[Path, Member]],
    notifiers: Sequence[str] = (),
    monitor: bool = True,
    historians: Sequence[str] = (),
    simulated: bool = False,
) -> list[Client]:
    """Every client of the plant, stations first; raises when two share a username.

    ``simulated``: the stations run on simulated hardware, so boards may send ``cmd/sim``.
    """
    clients = [member_client(plant, member, file, simulated) for file, member in members]
    clients += [notifier_client(plant, name) for name in notifiers]
    clients += [historian_client(plant, name) for name in historians]
    if monitor:
        clients.append(monitor_client(plant))
    clients.append(watchdog_client())
    kinds = ("station", "board", "store", "web", "notifier", "historian")
    order = {kind: index for index, kind in enumerate(kinds)}
    clients.sort(key=lambda c: (order.get(c.kind, 9), c.username))
    seen: dict[str, Client] = {}
    for client in clients:
        other = seen.setdefault(client.username, client)
        if other is not client:
            raise ProvisionError(
                SAME_USERNAME.format(
                    username=repr(client.username),
                    first=other.config_file or other.label,
                    second=client.config_file or client.label,
                )
            )
    return clients
