"""What each MQTT client may read and write: the Mosquitto ACL file.

With an ACL file Mosquitto denies everything not granted, so each client gets
exactly the topics of its role (see :mod:`andon.bus.topics`):

* a **station** writes its own ``state``, ``status``, ``events`` and ``reply``
  and reads its own ``cmd/#``; it reads nothing of other stations;
* a **board** reads everything of the site and writes only commands
  (``…/cmd/<command>``, each named) to the stations of its lines, plus its own
  status; ``cmd/sim`` only when the plant's stations are simulated;
* a **store board** reads the site and writes only ``cmd/kanban``;
* a **notifier** reads the site, writes ``cmd/acknowledge`` and its own
  ``_notifiers/<id>/…`` topics (status, delivery outcomes);
* store boards and notifiers may also send ``cmd/replay``, which only makes a
  station send its journal again (to fill a gap they saw) and changes nothing;
* a **web server** (``andon web``) reads the site and sends only ``cmd/acknowledge``,
  ``cmd/note``, ``cmd/resolve`` and ``cmd/replay`` to the stations of its lines, plus
  its own status;
* a **historian** reads the site, sends ``cmd/replay`` (to fetch what it missed)
  and writes its own ``_historians/<id>/status``;
* the **monitor** account (technicians, ``mosquitto_sub``) only reads.

Nobody but a station writes that station's events, state or status. With
MQTT 3.1.1 a refused publish is acknowledged and silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from andon.bus.commands import COMMANDS
from andon.bus.topics import (
    CMD,
    EVENTS,
    REPLY,
    STATE,
    STATUS,
    ConsumerAddress,
    ConsumerKind,
    StationAddress,
    check_segment,
)
from andon.provision.errors import USERNAME_SPACE

Access = Literal["read", "write", "readwrite"]

KANBAN_COMMAND = "kanban"
ACKNOWLEDGE_COMMAND = "acknowledge"
REPLAY_COMMAND = "replay"
SIM_COMMAND = "sim"


@dataclass(frozen=True)
class Grant:
    """One ``topic <access> <topic>`` line of the ACL file."""

    access: Access
    topic: str

    def line(self) -> str:
        return f"topic {self.access} {self.topic}"


@dataclass(frozen=True)
class Site:
    """Where a plant's topics live: ``<prefix>/<site>/<area>/…``."""

    prefix: str
    site: str
    area: str

    @property
    def root(self) -> str:
        """``<prefix>/<site>``: every topic of the plant is below it."""
        return f"{self.prefix}/{self.site}"

    def station(self, line: str, station: str) -> StationAddress:
        return StationAddress(self.prefix, self.site, self.area, line, station)

    def consumer(self, kind: ConsumerKind, name: str) -> ConsumerAddress:
        return ConsumerAddress(self.prefix, self.site, kind, name)

    def line_commands(self, line: str, command: str = "+") -> str:
        """Commands to every station of one line."""
        check_segment(line, "line")
        return f"{self.root}/{self.area}/{line}/+/{CMD}/{command}"


def station_grants(site: Site, line: str, station: str) -> tuple[Grant, ...]:
    """A station writes its own channels and reads its own commands; nothing else."""
    address = site.station(line, station)
    own = f"{address.base}/"
    return (
        *(Grant("write", own + channel) for channel in (STATE, STATUS, EVENTS, REPLY)),
        Grant("read", f"{address.base}/{CMD}/#"),
    )


def board_commands(simulated: bool = False) -> tuple[str, ...]:
    """The commands a board may send: all but ``sim`` unless the stations are simulated."""
    return tuple(sorted(c for c in COMMANDS if simulated or c != SIM_COMMAND))


def board_grants(
    site: Site,
    board_id: str,
    lines: Sequence[str],
    station: str | None = None,
    simulated: bool = False,
) -> tuple[Grant, ...]:
    """A board reads the site; it sends commands to its lines (or its one station).

    ``cmd/sim`` (simulated inputs, refused by a station on real hardware) only
    when ``simulated``.
    """
    commands = board_commands(simulated)
    if station is not None:
        if len(lines) != 1:
            raise ValueError("a station's board shows exactly one line")
        address = site.station(lines[0], station)
        writes = [address.cmd(command) for command in commands]
    else:
        writes = [site.line_commands(line, command) for line in lines for command in commands]
    return (
        Grant("read", f"{site.root}/#"),
        *(Grant("write", topic) for topic in writes),
        Grant("write", site.consumer("board", board_id).status()),
    )


WEB_COMMANDS = (ACKNOWLEDGE_COMMAND, "note", "resolve", REPLAY_COMMAND)
"""What the web view sends: calls handled (and noted) from a phone, replays to fill its gaps."""


def web_grants(site: Site, web_id: str, lines: Sequence[str]) -> tuple[Grant, ...]:
    """The web server reads the site; it acknowledges, notes and resolves calls on its lines."""
    return (
        Grant("read", f"{site.root}/#"),
        *(
            Grant("write", site.line_commands(line, command))
            for line in lines
            for command in WEB_COMMANDS
        ),
        Grant("write", site.consumer("board", web_id).status()),
    )


def store_grants(site: Site, store_id: str, lines: Sequence[str]) -> tuple[Grant, ...]:
    """A store board reads the site and answers material calls with ``cmd/kanban`` only."""
    return (
        Grant("read", f"{site.root}/#"),
        *(
            Grant("write", site.line_commands(line, command))
            for line in lines
            for command in (KANBAN_COMMAND, REPLAY_COMMAND)
        ),
        Grant("write", site.consumer("store", store_id).status()),
    )


def notifier_grants(site: Site, notifier_id: str) -> tuple[Grant, ...]:
    """A notifier reads the site, acknowledges calls and writes its own tree."""
    return (
        Grant("read", f"{site.root}/#"),
        Grant("write", f"{site.root}/{site.area}/+/+/{CMD}/{ACKNOWLEDGE_COMMAND}"),
        Grant("write", f"{site.root}/{site.area}/+/+/{CMD}/{REPLAY_COMMAND}"),
        Grant("write", f"{site.consumer('notifier', notifier_id).base}/#"),
    )


def historian_grants(site: Site, historian_id: str) -> tuple[Grant, ...]:
    """A historian reads the site, asks for replays and writes its own status."""
    return (
        Grant("read", f"{site.root}/#"),
        Grant("write", f"{site.root}/{site.area}/+/+/{CMD}/{REPLAY_COMMAND}"),
        Grant("write", site.consumer("historian", historian_id).status()),
    )


def monitor_grants(site: Site) -> tuple[Grant, ...]:
    """Read-only: every andon topic and the broker's own ``$SYS`` statistics."""
    return (Grant("read", f"{site.prefix}/#"), Grant("read", "$SYS/#"))


@dataclass(frozen=True)
class AclEntry:
    """The grants of one user, with a comment saying who it is."""

    username: str
    comment: str
    grants: tuple[Grant, ...]


def render_acl(entries: Iterable[AclEntry], header: str = "") -> str:
    """The Mosquitto ACL file: a ``user`` block per entry; nothing before the first one.

    Topics before the first ``user`` line would apply to anonymous clients;
    there are none, so everything not granted here is denied.
    """
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    for entry in entries:
        if any(c.isspace() for c in entry.username):
            raise ValueError(USERNAME_SPACE.format(username=repr(entry.username)))
        if out:
            out.append("")
        out.append(f"# {entry.comment}")
        out.append(f"user {entry.username}")
        out.extend(grant.line() for grant in entry.grants)
    return "\n".join(out) + "\n"
