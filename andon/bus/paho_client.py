"""A paho-mqtt 2.x client set up from :class:`~andon.bus.credentials.BrokerSettings`:
MQTT 3.1.1, its limits and reconnect delays, the last will, and TLS."""

from __future__ import annotations

import ssl

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from andon.bus.credentials import TLS_FILE_MISSING, TLS_UNUSABLE, BrokerSettings, CredentialsError
from andon.bus.message import Will, encode_payload
from andon.bus.paho_log import PAHO_LOG
from andon.bus.routing import check_topic


def paho_client(settings: BrokerSettings, will: Will | None = None) -> mqtt.Client:
    """A paho client for ``settings``, not yet connected and without callbacks.

    Raises :class:`CredentialsError` when a TLS file is missing or unusable."""
    s = settings
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=s.client_id,
        clean_session=s.clean_session,
        protocol=mqtt.MQTTv311,
    )
    client.enable_logger(PAHO_LOG)
    client.suppress_exceptions = True
    client.max_inflight_messages_set(s.max_inflight)
    client.max_queued_messages_set(s.max_queued)
    # paho accepts fractions of a second here although its hint says int.
    client.reconnect_delay_set(s.reconnect_min_s, s.reconnect_max_s)  # type: ignore[arg-type]
    if will is not None:
        check_topic(will.topic)
        client.will_set(will.topic, encode_payload(will.payload), qos=will.qos, retain=will.retain)
    if s.tls:
        _set_tls(client, s)
    return client


def _set_tls(client: mqtt.Client, s: BrokerSettings) -> None:
    for path in (s.ca_file, s.cert_file, s.key_file):
        if path is not None and not path.is_file():
            raise CredentialsError(TLS_FILE_MISSING.format(path=path))
    try:
        client.tls_set(
            ca_certs=str(s.ca_file) if s.ca_file else None,
            certfile=str(s.cert_file) if s.cert_file else None,
            keyfile=str(s.key_file) if s.key_file else None,
            cert_reqs=ssl.CERT_REQUIRED,
            tls_version=ssl.PROTOCOL_TLS_CLIENT,
        )
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise CredentialsError(TLS_UNUSABLE.format(error=exc)) from None
