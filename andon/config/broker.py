"""The MQTT broker connection (``[broker]``); secrets only by file reference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.errors import ConfigError, ConfigIssue, Problems
from andon.config.fields import ConfigPath, Text

PLAIN_PORT = 1883
TLS_PORT = 8883


class BrokerConfig(ConfigModel):
    """Where the MQTT broker is and how to log in to it.

    The password is never written in a configuration file: ``password_file``
    names a file (readable only by the andon user) that holds it. Relative
    paths are relative to the plant file.
    """

    host: Text = "127.0.0.1"
    port: int = Field(default=PLAIN_PORT, ge=1, le=65535)
    """Default 1883, or 8883 with ``tls = true``."""
    tls: bool = False
    ca_file: ConfigPath | None = None
    """CA certificate to verify the broker; default: the system's trust store."""
    cert_file: ConfigPath | None = None
    """Client certificate (mutual TLS), with ``key_file``."""
    key_file: ConfigPath | None = None
    username: Text | None = None
    password_file: ConfigPath | None = None
    keepalive_s: int = Field(default=60, ge=5, le=3600)
    client_id: Text | None = None
    """The MQTT client id this device connects with; default: one made of its ids.
    ``andon provision`` gives every client (station, historian, notifier, store board,
    board, web board, monitor) a secret one (known only to its bundle), so no other account
    can connect under it, kick the client off and take its session."""
    doctor_username: Text | None = None
    """The account ``andon doctor`` logs in with (same ``password_file``); default ``username``.
    ``andon provision`` gives each client one with no grants, because the broker refuses the
    client's own account under any client id but its bound one."""
    password: None = Field(default=None, exclude=True, repr=False)
    """Rejected when present: secrets belong in ``password_file``."""

    @model_validator(mode="before")
    @classmethod
    def _default_port(cls, data: Any) -> Any:
        if isinstance(data, dict) and "port" not in data and data.get("tls") is True:
            return {**data, "port": TLS_PORT}
        return data

    @field_validator("password", mode="before")
    @classmethod
    def _no_inline_password(cls, value: Any) -> None:
        raise PydanticCustomError(
            "inline_secret",
            W.INLINE_PASSWORD,
        )

    @model_validator(mode="after")
    def _files_fit_together(self) -> BrokerConfig:
        problems = Problems()
        if (self.cert_file is None) != (self.key_file is None):
            missing = "key_file" if self.key_file is None else "cert_file"
            present = "cert_file" if self.key_file is None else "key_file"
            problems.add((missing,), W.TOGETHER.format(missing=missing, present=present))
        if not self.tls:
            for key in ("ca_file", "cert_file", "key_file"):
                if getattr(self, key) is not None:
                    problems.add((key,), W.ONLY_WITH_TLS.format(key=key))
        if self.password_file is not None and self.username is None:
            problems.add(("username",), W.USERNAME_WITH_PASSWORD)
        problems.raise_if_any()
        return self


def account_name(role: str, ident: str) -> str:
    """The broker account ``andon provision`` gives a client: ``board.supervisor``."""
    return f"{role}.{ident}"


def bound_client_id(config: BrokerConfig, account: str, plant_file: Path) -> str:
    """The client id of a board or web board: its bundle's; ``""`` (one of its own) when
    it does not log in as ``account``, the account ``andon provision`` gives it.

    Raises :class:`ConfigError` naming ``plant_file`` and ``broker.client_id`` when it logs
    in as ``account`` without one (a bundle from before the broker bound that account).
    """
    if config.client_id:
        return config.client_id
    if config.username != account:
        return ""
    message = W.BOUND_NO_CLIENT_ID.format(account=account)
    raise ConfigError(plant_file, [ConfigIssue(plant_file, "broker.client_id", message)])
