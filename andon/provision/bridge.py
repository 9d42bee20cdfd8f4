"""A site broker's bridge to the enterprise broker, and the enterprise's ACL for that site.

The site broker opens one MQTT connection to the enterprise broker (a Mosquitto
bridge) and maps the site's subtree under the enterprise's prefix::

    andon/<site>/<area>/<line>/<station>/events   →   <enterprise>/<site>/<area>/...

What goes **up**: every station's ``events``, ``state``, ``status`` and ``reply``,
and the status of the site's boards, store boards and notifiers. What may come
**down**: only the commands the enterprise file lists (``replay`` by default,
which changes nothing at a station). The bridge subscribes to nothing else, and
the enterprise ACL lets the site's account write nothing outside its own
subtree, so one site can neither read nor forge another's topics.

While the WAN is down the site broker queues what should go up (QoS 1, a
persistent session on both sides); the queue is sized from the enterprise file
for the outage it must hold, and for the replays the enterprise historian asks
for when the link is back (they go up behind the backlog). Beyond that, messages
wait in the stations' journals, and a replay fills the enterprise historian's gap.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from andon.bus.replay_pacing import MAX_IN_FLIGHT
from andon.config.plant import PlantFile
from andon.provision.acl import AclEntry, Grant, render_acl
from andon.provision.enterprise_file import BridgeSizing, EnterpriseFile
from andon.provision.errors import QUEUE_TOO_BIG, ProvisionError
from andon.provision.files import read_text, write_bytes, write_text
from andon.provision.mosquitto_conf import MAX_QUEUED_BYTES, MAX_QUEUED_MESSAGES
from andon.provision.passwords import new_password, render_password_file
from andon.station.replay import REPLAY_LIMIT

BRIDGE_CONF = "bridge.conf"
"""Installed as ``/etc/mosquitto/conf.d/bridge.conf``: read after ``andon.conf``
(Mosquitto reads ``conf.d`` in alphabetical order), so its queue limits win."""
ENTERPRISE_CA_FILE = "enterprise-ca.crt"
ENTERPRISE_DIR = "enterprise"
MAX_QUEUE_BYTES = 1024**3
"""The most memory a site broker may give its bridge queue (a Pi has 2-8 GB)."""
UP_CHANNELS = ("events", "state", "status", "reply")
"""Station channels that go up; consumers' ``_<kind>s/<id>/status`` go up too."""
BRIDGE_STATUS = "_bridges/enterprise/status"
"""Under the site's enterprise subtree: 1 while the bridge is up, 0 (its will) when not."""
_REMOTE_PASSWORD = re.compile(r"^remote_password (\S+)$", re.MULTILINE)


@dataclass(frozen=True)
class BridgeQueue:
    """How much the site broker queues for the enterprise while the WAN is down."""

    stations: int
    messages: int
    bytes: int
    hours: float
    """The outage this queue holds at the configured rate, its replays apart."""
    replays: int = 0
    """Messages kept for replays (:func:`replay_allowance`)."""

    @property
    def mebibytes(self) -> float:
        return self.bytes / 1024**2


def replay_allowance(stations: int) -> int:
    """Messages of replays a site's queue keeps room for: one round of a consumer's
    replays at the site, as many stations as it waits for at once
    (:data:`~andon.bus.replay_pacing.MAX_IN_FLIGHT`), each at most
    :data:`~andon.station.replay.REPLAY_LIMIT` events. They are asked for when the link
    is back and go up behind the outage's backlog, in the same queue."""
    return min(max(stations, 1), MAX_IN_FLIGHT) * REPLAY_LIMIT


def bridge_queue(stations: int, sizing: BridgeSizing) -> BridgeQueue:
    """Queue limits for ``stations`` stations: the outage and the replays after it;
    never below the site broker's own limits.

    Raises :class:`ProvisionError` when that would need more memory than
    :data:`MAX_QUEUE_BYTES`.
    """
    rate = max(stations, 1) * sizing.messages_per_station_h
    replays = replay_allowance(stations)
    needed = math.ceil(rate * sizing.outage_h) + replays
    size = needed * sizing.message_bytes
    if size > MAX_QUEUE_BYTES:
        held = max(0.0, MAX_QUEUE_BYTES / sizing.message_bytes - replays) / rate
        raise ProvisionError(
            QUEUE_TOO_BIG.format(
                hours=f"{sizing.outage_h:g}",
                stations=stations,
                rate=f"{sizing.messages_per_station_h:g}",
                needed=needed,
                size=f"{size / 1024**2:.0f}",
                most=MAX_QUEUE_BYTES // 1024**2,
                held=f"{held:.1f}",
            )
        )
    messages = max(needed, MAX_QUEUED_MESSAGES)
    queued_bytes = max(messages * sizing.message_bytes, MAX_QUEUED_BYTES)
    return BridgeQueue(stations, messages, queued_bytes, (messages - replays) / rate, replays)


@dataclass(frozen=True)
class SiteBridge:
    """One site's bridge: its names and its topic mapping."""

    site: str
    site_name: str
    local_prefix: str
    """``<prefix>/<site>/`` on the site broker."""
    remote_prefix: str
    """``<enterprise>/<site>/`` on the enterprise broker."""
    commands_down: tuple[str, ...]

    @property
    def username(self) -> str:
        """The site's account on the enterprise broker (also its client id there)."""
        return f"bridge.{self.site}"

    def up_patterns(self) -> tuple[str, ...]:
        """Topic patterns (below the prefixes) that go from the site to the enterprise."""
        return (*(f"+/+/+/{channel}" for channel in UP_CHANNELS), "+/+/status")

    def down_patterns(self) -> tuple[str, ...]:
        return tuple(f"+/+/+/cmd/{command}" for command in self.commands_down)

    def acl_entry(self) -> AclEntry:
        """What the site's bridge may do on the enterprise broker: its own subtree only."""
        root = self.remote_prefix
        return AclEntry(
            self.username,
            f"Bridge of the site {self.site_name} ({self.site})",
            (
                *(Grant("write", root + pattern) for pattern in self.up_patterns()),
                *(Grant("read", root + pattern) for pattern in self.down_patterns()),
            ),
        )


def site_bridge(plant: PlantFile, enterprise: EnterpriseFile) -> SiteBridge:
    site = plant.site
    return SiteBridge(
        site=site.id,
        site_name=site.name,
        local_prefix=f"{site.topic_prefix}/{site.id}/",
        remote_prefix=f"{enterprise.enterprise.id}/{site.id}/",
        commands_down=tuple(dict.fromkeys(enterprise.bridge.commands_down)),
    )


def render_bridge_conf(
    bridge: SiteBridge,
    enterprise: EnterpriseFile,
    queue: BridgeQueue,
    password: str,
    broker_dir: PurePosixPath,
) -> str:
    """The site broker's ``bridge.conf``; it holds the bridge's password (mode 0600)."""
    broker = enterprise.broker
    sizing = enterprise.bridge
    addresses = [f"{broker.host}:{broker.port}", *broker.failover]
    out = [
        f"# Bridge of the site {bridge.site_name} ({bridge.site}) to the enterprise broker of",
        f"# {enterprise.enterprise.name}: written by `andon provision --enterprise`.",
        "#",
        "# Install as /etc/mosquitto/conf.d/bridge.conf (root:root, mode 0600: it holds the",
        "# site's enterprise password; Mosquitto reads it as root before it switches user).",
        "# Mosquitto reads conf.d in alphabetical order, so the queue limits below replace",
        "# those of andon.conf.",
        "",
        "# --- queue while the WAN is down: what should go up waits here (QoS 1, persistent",
        f"# --- session). {queue.stations} stations x {sizing.messages_per_station_h:g} "
        f"messages/h x {sizing.outage_h:g} h",
        f"# --- at {sizing.message_bytes} bytes each: {queue.messages} messages, "
        f"{queue.mebibytes:.0f} MiB, holds {queue.hours:.1f} h.",
        "# --- Longer outages: the stations' journals keep every event; the enterprise",
        "# --- historian fills its gap with a replay (cmd/replay) when the WAN is back.",
        f"max_queued_messages {queue.messages}",
        f"max_queued_bytes {queue.bytes}",
        "",
        f"connection andon-{enterprise.enterprise.id}",
        f"address {' '.join(addresses)}",
        "# Back to the first address as soon as it answers again.",
        "round_robin false",
        "bridge_protocol_version mqttv311",
        "try_private true",
        "start_type automatic",
        f"restart_timeout {sizing.restart_min_s} {sizing.restart_max_s}",
        f"keepalive_interval {sizing.keepalive_s}",
        "# Persistent sessions on both sides: nothing acknowledged is lost on a reconnect.",
        "cleansession false",
        f"remote_clientid {bridge.username}",
        f"local_clientid {bridge.username}.local",
        f"remote_username {bridge.username}",
        f"remote_password {password}",
        "# The enterprise sees 1 here while the bridge is up, 0 (its will) when it drops.",
        "notifications true",
        f"notification_topic {bridge.remote_prefix}{BRIDGE_STATUS}",
    ]
    if broker.tls:
        out += [
            "# TLS: the enterprise broker is verified with the enterprise CA, by host name.",
            f"bridge_cafile {broker_dir / ENTERPRISE_CA_FILE}",
            "bridge_tls_version tlsv1.2",
            "bridge_insecure false",
        ]
    else:
        out += ["# No TLS: a laboratory setting only; the WAN needs [broker] tls = true."]
    out += [
        "",
        "# --- up: the stations' events, state, status and replies, and the site's",
        f"# --- consumers' status; {bridge.local_prefix} here is {bridge.remote_prefix} there.",
        *(
            f"topic {pattern} out 1 {bridge.local_prefix} {bridge.remote_prefix}"
            for pattern in bridge.up_patterns()
        ),
        "# --- down: only these commands; the bridge subscribes to nothing else.",
        *(
            f"topic {pattern} in 1 {bridge.local_prefix} {bridge.remote_prefix}"
            for pattern in bridge.down_patterns()
        ),
    ]
    return "\n".join(out) + "\n"


@dataclass
class BridgeResult:
    """What the bridge provisioning wrote."""

    bridge: SiteBridge
    queue: BridgeQueue
    bridge_conf: Path
    enterprise_dir: Path
    new_password: bool
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0


def provision_bridge(
    plant: PlantFile,
    stations: int,
    enterprise: EnterpriseFile,
    out: Path,
    broker_dir: PurePosixPath,
    *,
    rotate: bool = False,
) -> BridgeResult:
    """Write ``broker/bridge.conf`` (and the enterprise CA) for the site broker, and
    ``enterprise/<site>/{passwd,acl}`` for the enterprise broker's administrator.

    The bridge's password is kept from an earlier run unless ``rotate``.
    """
    bridge = site_bridge(plant, enterprise)
    queue = bridge_queue(stations, enterprise.bridge)
    conf_path = out / "broker" / BRIDGE_CONF
    existing = None if rotate else _REMOTE_PASSWORD.search(read_text(conf_path) or "")
    password = existing.group(1) if existing else new_password()
    conf = render_bridge_conf(bridge, enterprise, queue, password, broker_dir)
    site_dir = out / ENTERPRISE_DIR / bridge.site
    result = BridgeResult(bridge, queue, conf_path, site_dir, existing is None)

    def keep(path: Path, changed: bool) -> None:
        if changed:
            result.written.append(path)
        else:
            result.unchanged += 1

    keep(conf_path, write_text(conf_path, conf, private=True))
    if enterprise.broker.ca_file is not None:
        ca_copy = out / "broker" / ENTERPRISE_CA_FILE
        keep(ca_copy, write_bytes(ca_copy, enterprise.broker.ca_file.read_bytes()))
    previous = _previous_hash(site_dir / "passwd", bridge.username)
    passwd = render_password_file({bridge.username: password}, previous)
    keep(site_dir / "passwd", write_text(site_dir / "passwd", passwd, private=True))
    header = (
        f"Enterprise broker ACL entry of the site {bridge.site_name} ({bridge.site}),\n"
        "written by andon provision: append it to the enterprise broker's ACL file."
    )
    acl = render_acl([bridge.acl_entry()], header)
    keep(site_dir / "acl", write_text(site_dir / "acl", acl, private=True))
    return result


def _previous_hash(path: Path, username: str) -> dict[str, str]:
    text = read_text(path) or ""
    for line in text.splitlines():
        name, sep, hashed = line.partition(":")
        if sep and name == username:
            return {username: hashed}
    return {}
