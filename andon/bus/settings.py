"""Broker settings from the plant's ``[broker]`` table (plus a ``HOST:PORT`` override)."""

from __future__ import annotations

import dataclasses

from andon.bus.credentials import BrokerSettings
from andon.config.broker import BrokerConfig


def parse_host_port(text: str, default_port: int = 1883) -> tuple[str, int]:
    """``"host:port"``, ``"host"`` or ``"[::1]:1883"`` → (host, port); ValueError if malformed."""
    host, port = text, default_port
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"expected HOST:PORT, got {text!r}")
            port = int(rest[1:])
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = int(port_text)
    if not host or not 1 <= port <= 65535:
        raise ValueError(f"expected HOST:PORT with a port 1..65535, got {text!r}")
    return host, port


def broker_settings(
    config: BrokerConfig,
    client_id: str,
    *,
    clean_session: bool = True,
    override: str | None = None,
) -> BrokerSettings:
    """Client settings for one program; ``override`` (``HOST:PORT``) replaces host and port."""
    settings = BrokerSettings.from_config(config, client_id=client_id, clean_session=clean_session)
    if not override:
        return settings
    host, port = parse_host_port(override, config.port)
    return dataclasses.replace(settings, host=host, port=port)
