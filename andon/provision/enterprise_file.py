"""The enterprise file (``kind = "enterprise"``): where a site's broker bridges to.

One file for the whole company, copied beside every site's plant file and read
by ``andon provision --enterprise FILE``::

    kind = "enterprise"
    schema = 1

    [enterprise]
    id = "acme"            # the topic prefix at the enterprise: acme/<site>/<area>/...
    name = "ACME Manufacturing"

    [broker]               # the enterprise broker (or cluster), as the sites reach it
    host = "mqtt.acme.example"
    port = 8883
    ca_file = "enterprise-ca.crt"
    failover = ["mqtt2.acme.example:8883"]

    [bridge]               # how long the WAN may be down before anything waits in journals
    outage_h = 8
    messages_per_station_h = 800
    message_bytes = 700
    commands_down = ["replay"]

Relative paths are relative to this file. Every problem is reported with the
file and the key, the way the other configuration files are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.errors import (
    NOTHING,
    ConfigError,
    ConfigIssue,
    describe_value,
    issues_from_validation,
)
from andon.config.fields import ConfigPath, Identifier, SchemaVersion, Text
from andon.provision.errors import INVALID_ENTERPRISE, NO_CA_FILE, ProvisionError

DownCommand = Literal["replay", "acknowledge"]
"""Commands an enterprise application may send down to a site's stations.
``replay`` only makes a station send its journal again; ``acknowledge`` takes a
call from afar and is off unless the file lists it."""


def _check_endpoint(value: str) -> str:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise PydanticCustomError("endpoint", W.ENDPOINT, {"got": describe_value(value)})
    if any(c.isspace() for c in value):
        raise PydanticCustomError("endpoint", W.ENDPOINT_SPACES, {"got": describe_value(value)})
    return value


Endpoint = Annotated[str, AfterValidator(_check_endpoint)]


class EnterpriseInfo(ConfigModel):
    """Who the enterprise is; ``id`` replaces a site's topic prefix at the enterprise."""

    id: Identifier
    name: Text


class EnterpriseBroker(ConfigModel):
    """The enterprise broker the site brokers connect to (``[broker]``)."""

    host: Text
    port: int = Field(default=8883, ge=1, le=65535)
    tls: bool = True
    """Off only where the link is already encrypted (a site-to-site VPN, a local TLS
    tunnel) or in a laboratory: a bridge crosses the WAN."""
    ca_file: ConfigPath | None = None
    """The CA that signed the enterprise broker's certificate (required with TLS)."""
    failover: list[Endpoint] = Field(default_factory=list)
    """Further ``host:port`` of the same cluster, tried in order when the first is down."""

    @model_validator(mode="after")
    def _ca_with_tls(self) -> EnterpriseBroker:
        if self.tls and self.ca_file is None:
            raise PydanticCustomError("ca_required", W.CA_REQUIRED)
        if not self.tls and self.ca_file is not None:
            raise PydanticCustomError("ca_without_tls", W.ONLY_WITH_TLS, {"key": "ca_file"})
        if any(c.isspace() for c in self.host) or ":" in self.host:
            raise PydanticCustomError("host", W.HOST_NAME, {"got": describe_value(self.host)})
        return self


class BridgeSizing(ConfigModel):
    """How the bridge behaves and how much it holds while the WAN is down (``[bridge]``)."""

    outage_h: float = Field(default=8, gt=0, le=24 * 14)
    """The WAN outage the site broker's queue must hold without a replay."""
    messages_per_station_h: float = Field(default=800, gt=0, le=360_000)
    """What one station sends up per hour: events, state snapshots and status (its state
    heartbeat alone is 720 an hour, one every 5 s)."""
    message_bytes: int = Field(default=700, ge=64, le=262_144)
    """Average size of one queued message in the broker's memory (payload, topic, overhead)."""
    keepalive_s: int = Field(default=60, ge=5, le=3600)
    restart_min_s: int = Field(default=5, ge=1, le=3600)
    """First wait before reconnecting a lost bridge; doubles up to ``restart_max_s``."""
    restart_max_s: int = Field(default=120, ge=1, le=3600)
    commands_down: list[DownCommand] = Field(default_factory=lambda: ["replay"])

    @model_validator(mode="after")
    def _restart_order(self) -> BridgeSizing:
        if self.restart_max_s < self.restart_min_s:
            raise PydanticCustomError(
                "restart_order",
                W.RESTART_ORDER,
                {"least": self.restart_min_s, "got": self.restart_max_s},
            )
        return self


class EnterpriseFile(ConfigModel):
    """The whole enterprise file."""

    kind: Literal["enterprise"]
    schema_version: SchemaVersion
    enterprise: EnterpriseInfo
    broker: EnterpriseBroker
    bridge: BridgeSizing = Field(default_factory=BridgeSizing)


def load_enterprise(path: Path) -> EnterpriseFile:
    """Read and validate an enterprise file; raises :class:`ProvisionError` naming every
    problem with its file and key (nothing is written before)."""
    from andon.config.loader import read_toml

    try:
        data = read_toml(path)
        if data.get("kind") != "enterprise":
            got = describe_value(data.get("kind")) if "kind" in data else NOTHING
            raise ConfigError(path, [ConfigIssue(path, "kind", W.KIND_ENTERPRISE.format(got=got))])
        context = {"base_dir": path.absolute().parent}
        try:
            enterprise = EnterpriseFile.model_validate(data, strict=True, context=context)
        except ValidationError as error:
            raise ConfigError(
                path, issues_from_validation(path, error, data, EnterpriseFile)
            ) from None
    except ConfigError as error:
        raise ProvisionError.listing(INVALID_ENTERPRISE, error.errors) from None
    ca = enterprise.broker.ca_file
    if ca is not None and not ca.is_file():
        raise ProvisionError(NO_CA_FILE.format(file=path, ca=ca))
    return enterprise
