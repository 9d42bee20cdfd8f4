"""The load test's subscriber: ``python -m andon.bench.sites_historian SPEC``.

It stands where the enterprise historian does (or, as the reference, on one site
broker): a persistent QoS 1 subscription that de-duplicates by ``(station, seq)``
and stamps each event's lag from its ``t``. ``SPEC`` is JSON: ``{"port", "topic",
"client_id", "status", "lags"}`` and, for the enterprise, ``"ca_file"``, ``"host"``,
``"username"``, ``"password_file"``. Prints ``{"ready": true}`` once subscribed; writes its
counts to ``status`` (JSON) twice a second; on SIGTERM writes ``(t, lag)`` pairs
in ns to ``lags`` and prints its summary. When its broker goes away (a site broker the
watchdog restarted) it connects again under the same session.

With ``"replay_prefix"`` (the enterprise's topic prefix) it also does what the enterprise
historian does about events a site broker acknowledged and then lost (a hung broker
killed by its watchdog saves nothing): it follows the stations' retained ``state``, and
when a station's stream has a gap, or its state names a later ``seq`` than it received,
that stays so for :data:`GAP_S`, it sends ``cmd/replay {"from_seq": <first missing>,
"to_seq": <the gap's last>}`` to that station (the gap alone, not the journal's end),
and asks again while the gap remains as the enterprise historian does
(:class:`andon.bus.replay_pacing.ReplayPacer`: only when nothing of the gap arrived
meanwhile, with a back-off per gap and at most 50 replays waited for at once).
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
from andon.bus.replay_pacing import ReplayPacer

HOST = "127.0.0.1"
STATUS_EVERY_S = 0.5
RETRY_S = 0.2
GAP_S = 2.0
"""A gap that lasts this long is no reordering: the events are asked for again."""


class Gaps:
    """Per station: the seqs received, the last one it says it sent, the replays asked."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.seen: dict[str, set[int]] = {}
        self.low: dict[str, int] = {}
        """Every seq up to this one was received."""
        self.top: dict[str, int] = {}
        self.since: dict[str, tuple[int, float]] = {}
        """The first missing seq and since when it is missing (before it is asked for)."""
        self.pacer = ReplayPacer()
        self.replays = 0
        self.packet_id = 0

    def add(self, station: str, seq: int) -> bool:
        """Whether the event is new."""
        seqs = self.seen.setdefault(station, set())
        if seq in seqs:
            return False
        seqs.add(seq)
        self.top[station] = max(self.top.get(station, 0), seq)
        return True

    def state(self, station: str, seq: int) -> None:
        self.top[station] = max(self.top.get(station, 0), seq)

    def gap_end(self, station: str, first: int) -> int:
        """The last seq of the gap from ``first``: before the next one received, or the
        last the station said it sent."""
        later = [seq for seq in self.seen.get(station, ()) if seq > first]
        return min(later) - 1 if later else self.top[station]

    def requests(self, now: float) -> list[bytes]:
        """The ``cmd/replay`` PUBLISH packets due now."""
        gaps = {}
        for station, top in self.top.items():
            seqs = self.seen.get(station, set())
            low = self.low.get(station, 0)
            while low + 1 in seqs:
                low += 1
            self.low[station] = low
            if low >= top:
                self.since.pop(station, None)
                self.pacer.closed(station)
                continue
            if station not in self.pacer:  # not asked yet: no reordering for GAP_S first
                missing, since = self.since.setdefault(station, (low + 1, now))
                if missing != low + 1:
                    self.since[station] = (low + 1, now)
                    continue
                if now - since < GAP_S:
                    continue
            gaps[station] = low + 1
        out = []
        for station, first in self.pacer.due(gaps, now).items():
            self.since.pop(station, None)
            self.replays += 1
            self.packet_id = self.packet_id % 65535 + 1
            topic = f"{self.prefix}/{station}/cmd/replay".encode()
            args = {"v": 1, "id": f"bench-{self.replays}", "from_seq": first}
            args["to_seq"] = self.gap_end(station, first)
            body = json.dumps(args)
            out.append(wire.publish(topic, body.encode(), self.packet_id))
        return out


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
    if spec.get("replay_prefix"):
        sock.sendall(wire.subscribe(2, f"{spec['replay_prefix']}/+/+/+/+/state"))
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
    prefix = spec.get("replay_prefix")
    gaps = Gaps(prefix or "")
    subscriptions = 2 if prefix else 1
    seen = gaps.seen
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
                subscriptions -= 1
                ready = subscriptions == 0
                if ready:
                    print(json.dumps({"ready": True}), flush=True)
            elif packet.kind == wire.PUBLISH:
                topic, packet_id, payload = packet.message()
                if packet_id is not None:
                    acks.append(wire.puback(packet_id))
                event = json.loads(payload)
                if topic.endswith(b"/state"):
                    gaps.state(event["station"], event["seq"])
                    continue
                raw += 1
                if not gaps.add(event["station"], event["seq"]):
                    duplicates += 1
                    continue
                now = time.monotonic_ns()
                lags.append(event["t"])
                lags.append(now - event["t"])
        if (now_s := time.monotonic()) >= next_status:
            next_status = now_s + STATUS_EVERY_S
            if prefix:
                acks.extend(gaps.requests(now_s))
            unique = sum(len(s) for s in seen.values())
            tmp = status.with_suffix(".tmp")
            tmp.write_text(json.dumps({"raw": raw, "unique": unique}))
            os.replace(tmp, status)
        if acks:
            with contextlib.suppress(OSError):
                sock.sendall(b"".join(acks))
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
        "replays": gaps.replays,
        "stations": {station: [len(s), max(s)] for station, s in seen.items()},
        "announced": gaps.top,
    }


def main(argv: list[str]) -> int:
    print(json.dumps(run(json.loads(argv[0]))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
