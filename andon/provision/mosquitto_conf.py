"""The production Mosquitto configuration of a plant (``/etc/mosquitto/conf.d/andon.conf``).

It sits beside Debian's ``/etc/mosquitto/mosquitto.conf``, which already sets
``pid_file``, ``persistence_location`` and ``log_dest``; Mosquitto refuses a
second value for those, so this file leaves them alone. Every limit is
explicit instead of a default (Mosquitto's default ``max_queued_messages 1000``
silently drops QoS 1 messages to a slow subscriber during a burst).
Mosquitto takes no comment after a value on the same line, so comments stand
on their own lines.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import PurePosixPath

from andon.provision.client_ids import CLIENT_IDS_FILE
from andon.provision.client_ids import PLUGIN as CLIENT_ID_PLUGIN

BROKER_DIR = PurePosixPath("/etc/mosquitto/andon")
"""Where the password, ACL, client id and TLS files live on the broker host."""
PASSWORD_FILE = "passwd"
ACL_FILE = "acl"
CA_FILE = "ca.crt"
SERVER_CERT_FILE = "server.crt"
SERVER_KEY_FILE = "server.key"
PLAIN_PORT = 1883
TLS_PORT = 8883

MAX_QUEUED_MESSAGES = 50_000
"""Per client. A board catching up after an outage receives every station's replay;
50 000 events of ~0.5 kB is ~25 MB at worst, well within a Pi's memory."""
MAX_QUEUED_BYTES = 64 * 1024 * 1024
"""Per client: the memory bound that goes with ``MAX_QUEUED_MESSAGES``."""
MAX_INFLIGHT_MESSAGES = 100
"""Per client, QoS 1 messages on their way; matches the clients' own window."""
MESSAGE_SIZE_LIMIT = 256 * 1024
"""The largest payload accepted; a state snapshot is a few kB."""
MAX_CONNECTIONS = 256
"""Per listener; a plant has a few dozen stations and boards."""
AUTOSAVE_INTERVAL_S = 60
PERSISTENT_CLIENT_EXPIRATION = "14d"
"""Sessions of stations that were taken out of service are forgotten after this."""

LIMITS_SECTION = (
    "# Per client: messages queued for it while it is slow or away (QoS 1), and their",
    "# memory; a board that still misses events asks the station for a replay.",
    f"max_queued_messages {MAX_QUEUED_MESSAGES}",
    f"max_queued_bytes {MAX_QUEUED_BYTES}",
    "# Per client: QoS 1 messages on their way at once.",
    f"max_inflight_messages {MAX_INFLIGHT_MESSAGES}",
    "# Largest payload. message_size_limit drops an oversized message and keeps the",
    "# client connected; max_packet_size would disconnect it, and a station that",
    "# republishes the same message would never get through.",
    f"message_size_limit {MESSAGE_SIZE_LIMIT}",
    "# A small message goes out at once, without waiting for the last one's ACK",
    "# (a subscriber's delayed ACK would hold it back 10-40 ms).",
    "set_tcp_nodelay true",
)
"""The limits and socket options of every andon broker, with their comments."""
TUNING = tuple(line for line in LIMITS_SECTION if not line.startswith("#"))
"""The directives alone: what the benchmark's broker runs with too."""


@dataclass(frozen=True)
class Listener:
    """One listening socket; ``address`` None listens on every interface."""

    port: int
    address: str | None = None

    def line(self) -> str:
        return f"listener {self.port}" + (f" {self.address}" if self.address else "")


@dataclass(frozen=True)
class BrokerLayout:
    """Where the broker listens and where its files are."""

    plain: Listener
    tls: Listener | None = None
    directory: PurePosixPath = BROKER_DIR

    def path(self, name: str) -> str:
        return str(self.directory / name)


def listen_address(host: str) -> str | None:
    """The address to bind for a plant whose clients use ``host``.

    An IP address is bound as it is (``127.0.0.1`` keeps a single-Pi install
    private); a host name listens on every interface.
    """
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return None
    return host


def render_mosquitto_conf(layout: BrokerLayout, title: str) -> str:
    """The configuration text; ``title`` names the plant in the header."""
    d = layout.path
    out = [
        f"# Mosquitto for {title}: written by `andon provision`.",
        "#",
        "# Install as /etc/mosquitto/conf.d/andon.conf (root:root, mode 0644). The files it",
        f"# names live in {layout.directory}/ and must belong to the mosquitto user",
        "# (chown mosquitto:mosquitto, mode 0600 for passwd, acl, clientids.json and",
        "# server.key): started as root, Mosquitto switches to that user before it reads them.",
        "# Debian's /etc/mosquitto/mosquitto.conf already sets pid_file,",
        "# persistence_location and log_dest; do not repeat them here.",
        "",
        "# --- who may connect: nobody without a password, and only to the topics of",
        "# --- its role (the ACL file denies everything it does not grant)",
        "per_listener_settings false",
        "allow_anonymous false",
        f"password_file {d(PASSWORD_FILE)}",
        f"acl_file {d(ACL_FILE)}",
        "# Each account (station, historian, notifier, store board, board, web board,",
        "# monitor) may connect under its own client id only (its bundle's [broker]",
        "# client_id); passwords and grants stay with the two files above.",
        f"plugin {CLIENT_ID_PLUGIN}",
        f"plugin_opt_config_file {d(CLIENT_IDS_FILE)}",
        "",
        "# --- persistence: retained state, sessions and queued commands survive a restart",
        "persistence true",
        f"autosave_interval {AUTOSAVE_INTERVAL_S}",
        f"persistent_client_expiration {PERSISTENT_CLIENT_EXPIRATION}",
        "",
        "# --- limits, all explicit",
        *LIMITS_SECTION,
        "",
        "# --- listeners",
    ]
    if layout.tls is not None:
        out += [
            "# Plain MQTT only on this machine (local tools); the network speaks TLS.",
            layout.plain.line(),
            f"max_connections {MAX_CONNECTIONS}",
            "",
            "# TLS: clients verify the broker with the plant's CA (ca.crt in their bundle).",
            layout.tls.line(),
            f"max_connections {MAX_CONNECTIONS}",
            f"cafile {d(CA_FILE)}",
            f"certfile {d(SERVER_CERT_FILE)}",
            f"keyfile {d(SERVER_KEY_FILE)}",
            "tls_version tlsv1.2",
        ]
    else:
        where = layout.plain.address or "every interface"
        out += [
            f"# Plain MQTT on {where}, as the plant's [broker] host says.",
            layout.plain.line(),
            f"max_connections {MAX_CONNECTIONS}",
            "",
            "# TLS listener: provision with `andon provision --tls` to enable it:",
            f"# listener {TLS_PORT}",
            f"# max_connections {MAX_CONNECTIONS}",
            f"# cafile {d(CA_FILE)}",
            f"# certfile {d(SERVER_CERT_FILE)}",
            f"# keyfile {d(SERVER_KEY_FILE)}",
            "# tls_version tlsv1.2",
        ]
    return "\n".join(out) + "\n"
