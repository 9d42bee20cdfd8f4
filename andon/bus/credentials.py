"""How to reach and log in to the MQTT broker.

Passwords are never written inline: :class:`BrokerSettings` names a file that
holds the password (one line, read each time the client connects), so a
configuration file or a process listing never shows it.

The settings' and password files' errors are raised in English from the
sentences below, marked for the catalogs, so that a command writes them in the
terminal's language (:func:`andon.cli.speech.broker`).
"""

from __future__ import annotations

import logging
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from andon.i18n.markers import N_, registered

if TYPE_CHECKING:
    from andon.config.broker import BrokerConfig

log = logging.getLogger(__name__)

NO_HOST = N_("host: expected a host name or address")
PORT_RANGE = N_("port: expected 1..65535, got {port}")
CERT_WITHOUT_KEY = N_("cert_file and key_file go together (client certificate)")
FILES_WITHOUT_TLS = N_("ca_file, cert_file and key_file need tls=True")
PASSWORD_WITHOUT_USER = N_("password_file needs a username")
SESSION_WITHOUT_ID = N_("clean_session=False needs a stable client_id")
KEEPALIVE_RANGE = N_("keepalive_s: expected at least 1, got {keepalive_s}")
RECONNECT_RANGE = N_("expected 0 < reconnect_min_s <= reconnect_max_s")
QUEUE_RANGE = N_("expected max_inflight >= 1 and max_queued >= 0")
PASSWORD_UNREADABLE = N_("cannot read password file {path}: {error}")
PASSWORD_NOT_TEXT = N_("password file {path} is not UTF-8 text")
PASSWORD_EMPTY = N_("password file {path} is empty")
TLS_FILE_MISSING = N_("TLS file not found: {path}")
TLS_UNUSABLE = N_("cannot use the TLS files: {error}")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every sentence above, found again by :func:`andon.cli.speech.broker`."""


class CredentialsError(ValueError):
    """A password file or TLS file that cannot be used."""


@dataclass(frozen=True)
class BrokerSettings:
    """Connection settings of one MQTT client (MQTT 3.1.1).

    Stations use a stable ``client_id`` with ``clean_session=False`` so the broker
    keeps their subscriptions and queued commands across reconnects. The
    reconnect delay starts at ``reconnect_min_s`` and doubles up to
    ``reconnect_max_s``.
    """

    host: str = "127.0.0.1"
    port: int = 1883
    tls: bool = False
    ca_file: Path | None = None
    """CA certificate that signed the broker's certificate; ``None``: the system store."""
    cert_file: Path | None = None
    key_file: Path | None = None
    username: str | None = None
    password_file: Path | None = None
    client_id: str = ""
    keepalive_s: int = 30
    clean_session: bool = True
    reconnect_min_s: float = 1.0
    reconnect_max_s: float = 30.0
    max_inflight: int = 100
    """QoS 1 messages in flight before paho queues further ones locally."""
    max_queued: int = 0
    """Messages paho keeps while disconnected (0: unlimited)."""

    def __post_init__(self) -> None:
        if not self.host:
            raise ValueError(NO_HOST)
        if not 1 <= self.port <= 65535:
            raise ValueError(PORT_RANGE.format(port=self.port))
        if (self.cert_file is None) != (self.key_file is None):
            raise ValueError(CERT_WITHOUT_KEY)
        if not self.tls and (self.ca_file or self.cert_file):
            raise ValueError(FILES_WITHOUT_TLS)
        if self.password_file is not None and not self.username:
            raise ValueError(PASSWORD_WITHOUT_USER)
        if not self.clean_session and not self.client_id:
            raise ValueError(SESSION_WITHOUT_ID)
        if self.keepalive_s < 1:
            raise ValueError(KEEPALIVE_RANGE.format(keepalive_s=self.keepalive_s))
        if not 0 < self.reconnect_min_s <= self.reconnect_max_s:
            raise ValueError(RECONNECT_RANGE)
        if self.max_inflight < 1 or self.max_queued < 0:
            raise ValueError(QUEUE_RANGE)

    @classmethod
    def from_config(
        cls, config: BrokerConfig, *, client_id: str = "", clean_session: bool = True
    ) -> BrokerSettings:
        """From the ``[broker]`` table of a configuration file."""
        return cls(
            host=config.host,
            port=config.port,
            tls=config.tls,
            ca_file=config.ca_file,
            cert_file=config.cert_file,
            key_file=config.key_file,
            username=config.username,
            password_file=config.password_file,
            keepalive_s=config.keepalive_s,
            client_id=client_id,
            clean_session=clean_session,
        )

    @property
    def endpoint(self) -> str:
        """``host:port`` (with ``tls`` when encrypted), for log lines."""
        return f"{self.host}:{self.port}" + (" (tls)" if self.tls else "")

    def password(self) -> str | None:
        """The password from ``password_file`` (``None`` without one); raises
        :class:`CredentialsError` when the file cannot be used."""
        if self.password_file is None:
            return None
        return read_password(self.password_file)


def read_password(path: Path) -> str:
    """The first line of a password file, without its line ending.

    Raises :class:`CredentialsError` when the file is missing, unreadable or
    empty. Warns when other users may read it.
    """
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CredentialsError(PASSWORD_UNREADABLE.format(path=path, error=exc.strerror)) from None
    except UnicodeDecodeError:
        raise CredentialsError(PASSWORD_NOT_TEXT.format(path=path)) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("password file %s is readable by other users; chmod 600 it", path)
    lines = text.splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise CredentialsError(PASSWORD_EMPTY.format(path=path))
    return password
