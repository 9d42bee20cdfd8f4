"""The broker: reachable, speaking TLS when asked, and accepting this client's login.

Connects once with its own client id and a clean session, so a running
station keeps its connection and its session while the doctor checks.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode

from andon.bus.credentials import BrokerSettings, CredentialsError
from andon.doctor import words as W
from andon.doctor.result import CheckResult, fail, ok

CHECK = "broker"
TIMEOUT_S = 5.0

UNREACHABLE_HINT = W.UNREACHABLE_HINT
REFUSED_HINT = W.REFUSED_HINT
TLS_HINT = W.TLS_HINT


@dataclass
class _Outcome:
    reason: Any = None
    done: bool = False
    closed: bool = False


def check_broker(settings: BrokerSettings, timeout_s: float = TIMEOUT_S) -> CheckResult:
    """Log in to the broker once; say what went wrong and what to fix."""
    endpoint = settings.endpoint
    user = settings.username or W.ANONYMOUS
    try:
        password = settings.password()
    except CredentialsError as exc:
        return fail(CHECK, str(exc), REFUSED_HINT.format(user=user))
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=f"andon-doctor-{os.getpid()}-{secrets.token_hex(3)}",
        clean_session=True,
        protocol=mqtt.MQTTv311,
    )
    client.connect_timeout = timeout_s
    outcome = _Outcome()

    def on_connect(c: mqtt.Client, u: Any, flags: Any, reason: Any, props: Any) -> None:
        outcome.reason = reason
        outcome.done = True

    client.on_connect = on_connect
    if settings.username:
        client.username_pw_set(settings.username, password)
    try:
        if settings.tls:
            client.tls_set(
                ca_certs=str(settings.ca_file) if settings.ca_file else None,
                certfile=str(settings.cert_file) if settings.cert_file else None,
                keyfile=str(settings.key_file) if settings.key_file else None,
                cert_reqs=ssl.CERT_REQUIRED,
                tls_version=ssl.PROTOCOL_TLS_CLIENT,
            )
        client.connect(settings.host, settings.port, keepalive=max(settings.keepalive_s, 5))
        deadline = time.monotonic() + timeout_s
        while not outcome.done and time.monotonic() < deadline:
            if client.loop(timeout=0.1) != MQTTErrorCode.MQTT_ERR_SUCCESS:
                outcome.closed = True
                break
    except ssl.SSLCertVerificationError as exc:
        return fail(
            CHECK,
            W.NOT_TRUSTED.format(endpoint=endpoint, error=exc.verify_message),
            TLS_HINT.format(host=settings.host),
        )
    except ssl.SSLError as exc:
        failed = W.TLS_FAILED.format(endpoint=endpoint, error=exc)
        return fail(CHECK, failed, TLS_HINT.format(host=settings.host))
    except socket.gaierror:
        return fail(
            CHECK,
            W.CANNOT_RESOLVE.format(host=settings.host),
            UNREACHABLE_HINT.format(host=settings.host),
        )
    except ConnectionRefusedError:
        return fail(
            CHECK,
            W.NOTHING_LISTENS.format(endpoint=endpoint),
            UNREACHABLE_HINT.format(host=settings.host),
        )
    except (TimeoutError, OSError) as exc:
        if isinstance(exc, TimeoutError):
            found = W.NO_ANSWER.format(endpoint=endpoint)
        else:
            found = W.OS_ERROR.format(endpoint=endpoint, error=exc.strerror or str(exc))
        return fail(CHECK, found, UNREACHABLE_HINT.format(host=settings.host))
    finally:
        _close(client)
    if not outcome.done:
        if outcome.closed:
            found = W.CLOSED_BEFORE_LOGIN.format(endpoint=endpoint)
        else:
            found = W.SILENT_BEFORE_LOGIN.format(endpoint=endpoint, seconds=f"{timeout_s:g}")
        return fail(CHECK, found, W.PORTS_HINT)
    if outcome.reason.is_failure:
        return fail(
            CHECK,
            W.REFUSED_USER.format(endpoint=endpoint, user=user, reason=outcome.reason),
            REFUSED_HINT.format(user=user),
        )
    return ok(CHECK, W.ACCEPTED_USER.format(endpoint=endpoint, user=user))


def _close(client: mqtt.Client) -> None:
    try:
        if client.is_connected():
            client.disconnect()
            client.loop(timeout=0.1)
    except (OSError, ValueError):
        pass
    sock = client.socket()
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.close()
