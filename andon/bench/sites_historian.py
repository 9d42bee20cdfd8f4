"""The load test's subscriber: ``python -m andon.bench.sites_historian SPEC``.

It stands where the enterprise historian does (or, as the reference, on one site
broker): a persistent QoS 1 subscription that de-duplicates by ``(station, seq)``
and stamps each event's lag from its ``t``. ``SPEC`` is JSON: ``{"port", "topic",
"client_id", "status", "lags"}`` and, for the enterprise, ``"ca_file"``, ``"host"``,
``"username"``, ``"password_file"``. Prints ``{"ready": true}`` once subscribed; writes its
counts to ``status`` (JSON) twice a second; on SIGTERM writes ``(t, lag)`` pairs
in ns to ``lags`` and prints its summary. When its broker goes away (a site broker the
watchdog restarted) it connects again under the same session.
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import signal
import socket
import ssl
import sys
import time
from pathlib import Path
from typing import Any

from andon.bench import mqtt_wire as wire

HOST = "127.0.0.1"
STATUS_EVERY_S = 0.5
RETRY_S = 0.2


def _open(spec: dict[str, Any]) -> socket.socket:
    raw = socket.create_connection((HOST, int(spec["port"])), timeout=30)
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if not spec.get("ca_file"):
        return raw
    context = ssl.create_default_context(cafile=spec["ca_file"])
    return context.wrap_socket(raw, server_hostname=spec.get("host", "localhost"))


def _session(spec: dict[str, Any], password: str | None) -> socket.socket:
    """Connected and subscribed, under the persistent session of ``client_id``."""
    sock = _open(spec)
    sock.sendall(
        wire.connect(
            spec["client_id"], clean=False, keepalive_s=300,
            username=spec.get("username"), password=password,
        )
    )  # fmt: skip
    sock.sendall(wire.subscribe(1, spec["topic"]))
    sock.settimeout(0.2)
    return sock


def _again(spec: dict[str, Any], password: str | None, stopped: Any) -> socket.socket | None:
    """Its broker went away (restarted by the watchdog): connect again until it answers."""
    while not stopped():
        try:
            return _session(spec, password)
        except OSError:
            time.sleep(RETRY_S)
    return None


def run(spec: dict[str, Any]) -> dict[str, Any]:
    stop = False

    def on_term(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    password = None
    if spec.get("password_file"):
        password = Path(spec["password_file"]).read_text().strip()
    sock: socket.socket | None = _session(spec, password)
    reader = wire.Reader()
    seen: dict[str, set[int]] = {}
    lags = array.array("q")
    raw = duplicates = reconnects = 0
    ready = False
    status = Path(spec["status"])
    next_status = 0.0
    while not stop and sock is not None:
        try:
            data = sock.recv(262144)
        except (TimeoutError, ssl.SSLWantReadError):
            data = None
        except OSError:
            data = b""
        if data == b"":
            sock.close()
            sock = _again(spec, password, lambda: stop)
            reader = wire.Reader()
            reconnects += 1
            continue
        acks = []
        for packet in reader.feed(data or b""):
            if packet.kind == wire.SUBACK and not ready:
                if packet.body[-1] == 0x80:
                    raise RuntimeError(f"subscription to {spec['topic']} refused")
                ready = True
                print(json.dumps({"ready": True}), flush=True)
            elif packet.kind == wire.PUBLISH:
                _, packet_id, payload = packet.message()
                if packet_id is not None:
                    acks.append(wire.puback(packet_id))
                event = json.loads(payload)
                raw += 1
                seqs = seen.setdefault(event["station"], set())
                if event["seq"] in seqs:
                    duplicates += 1
                    continue
                seqs.add(event["seq"])
                now = time.monotonic_ns()
                lags.append(event["t"])
                lags.append(now - event["t"])
        if acks:
            with contextlib.suppress(OSError):
                sock.sendall(b"".join(acks))
        if (now_s := time.monotonic()) >= next_status:
            next_status = now_s + STATUS_EVERY_S
            unique = sum(len(s) for s in seen.values())
            tmp = status.with_suffix(".tmp")
            tmp.write_text(json.dumps({"raw": raw, "unique": unique}))
            os.replace(tmp, status)
    with open(spec["lags"], "wb") as handle:
        lags.tofile(handle)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.sendall(wire.DISCONNECT_PACKET)
        sock.close()
    return {
        "reconnects": reconnects,
        "raw": raw,
        "unique": sum(len(s) for s in seen.values()),
        "duplicates": duplicates,
        "stations": {station: [len(s), max(s)] for station, s in seen.items()},
    }


def main(argv: list[str]) -> int:
    print(json.dumps(run(json.loads(argv[0]))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
