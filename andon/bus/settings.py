"""Broker settings from the plant's ``[broker]`` table (plus a ``HOST:PORT`` override).

A malformed ``HOST:PORT`` is refused in English from the sentences below, marked
for the catalogs, so that a command writes it in the terminal's language
(:func:`andon.cli.speech.broker`).
"""

from __future__ import annotations

import dataclasses

from andon.bus.credentials import BrokerSettings
from andon.config.broker import BrokerConfig
from andon.i18n.markers import N_, registered

NOT_HOST_PORT = N_("expected HOST:PORT, got {address}")
PORT_OUT_OF_RANGE = N_("expected HOST:PORT with a port 1..65535, got {address}")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every sentence above, found again by :func:`andon.cli.speech.broker`."""


def parse_host_port(text: str, default_port: int = 1883) -> tuple[str, int]:
    """``"host:port"``, ``"host"`` or ``"[::1]:1883"`` → (host, port); ValueError if malformed."""
    host, port_text = text, None
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise ValueError(NOT_HOST_PORT.format(address=repr(text)))
        port_text = rest[1:] if rest else None
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    if port_text is None:
        port = default_port
    elif port_text.isascii() and port_text.isdigit():
        port = int(port_text)
    else:
        raise ValueError(NOT_HOST_PORT.format(address=repr(text)))
    if not host:
        raise ValueError(NOT_HOST_PORT.format(address=repr(text)))
    if not 1 <= port <= 65535:
        raise ValueError(PORT_OUT_OF_RANGE.format(address=repr(text)))
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
