"""One load-test process that is many stations: ``python -m andon.bench.sites_stations SPEC``.

``SPEC`` is JSON: ``{"sites": [[site, port], ...], "stations_per_site": n,
"rate": events/s per station, "start": monotonic instant, "seconds": s}``. Every
station has its own MQTT connection to its site's broker and publishes QoS 1
events ``{"station", "seq", "id", "t"}`` (``t``: the monotonic clock in ns, the
same in every process of the machine) at a steady rate from ``start``. Prints
``{"ready": true}`` once connected, then one JSON line: what was published and acknowledged.

A station whose broker went away (killed and restarted by the broker watchdog) connects
again and sends what it had not had acknowledged, as a station's outbox does; until
then it goes on publishing into its outbox. ``"drain_s"`` bounds the wait for the last
acknowledgements.
"""

from __future__ import annotations

import contextlib
import json
import resource
import selectors
import socket
import sys
import time
from dataclasses import dataclass, field

from andon.bench import mqtt_wire as wire

HOST = "127.0.0.1"
AREA = "assembly"
MAX_BURST = 2000
"""At most this many messages per loop turn, so a stall never becomes one huge burst."""
RETRY_S = 0.2
"""Between two attempts of a station to reach its broker again."""


@dataclass
class Station:
    path: str
    topic: bytes
    site: str
    port: int
    index: int
    sock: socket.socket | None
    reader: wire.Reader = field(default_factory=wire.Reader)
    seq: int = 0
    acked: int = 0
    packet_id: int = 0
    unacked: dict[int, bytes] = field(default_factory=dict)
    """Packet id → the PUBLISH packet, until its PUBACK."""
    reconnects: int = 0
    retry_at: float = 0.0


def station_path(site: str, index: int) -> str:
    """``site/area/line/station``: ten stations a line."""
    return f"{site}/{AREA}/line-{index // 10:03d}/s{index:04d}"


def _open(site: str, port: int, path: str, timeout: float) -> tuple[socket.socket, wire.Reader]:
    sock = socket.create_connection((HOST, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(wire.connect(f"bench.{path.replace('/', '.')}", keepalive_s=300))
    reader = wire.Reader()
    while True:
        data = sock.recv(4096)
        if not data:
            sock.close()
            raise ConnectionError(f"{path}: the broker closed the connection")
        for packet in reader.feed(data):
            if packet.kind == wire.CONNACK:
                if packet.body[1] != 0:
                    raise RuntimeError(f"{path}: connection refused ({packet.body[1]})")
                return sock, reader


def _connect(site: str, port: int, index: int) -> Station:
    path = station_path(site, index)
    sock, reader = _open(site, port, path, 30)
    return Station(path, f"andon/{path}/events".encode(), site, port, index, sock, reader)


def _drop(station: Station, selector: selectors.BaseSelector) -> None:
    if station.sock is not None:
        selector.unregister(station.sock)
        station.sock.close()
        station.sock = None


def _reconnect(station: Station, selector: selectors.BaseSelector) -> None:
    """One attempt to reach the station's broker again; sends what awaits its PUBACK."""
    if time.monotonic() < station.retry_at:
        return
    station.retry_at = time.monotonic() + RETRY_S
    try:
        sock, reader = _open(station.site, station.port, station.path, 1.0)
        sock.sendall(b"".join(station.unacked.values()))
    except OSError:
        return
    station.sock, station.reader = sock, reader
    station.reconnects += 1
    selector.register(sock, selectors.EVENT_READ, station)


def _read(station: Station, selector: selectors.BaseSelector) -> None:
    assert station.sock is not None
    try:
        data = station.sock.recv(65536)
    except OSError:
        data = b""
    if not data:
        _drop(station, selector)
        return
    for packet in station.reader.feed(data):
        acked = packet.kind == wire.PUBACK and station.unacked.pop(packet.packet_id(), None)
        if acked:
            station.acked += 1


def _publish(station: Station, selector: selectors.BaseSelector) -> None:
    station.seq += 1
    station.packet_id = station.packet_id % 65535 + 1
    payload = (
        f'{{"v":1,"station":"{station.path}","seq":{station.seq},'
        f'"id":"{station.path}#{station.seq}","kind":"count","data":{{"good":1}},'
        f'"t":{time.monotonic_ns()}}}'
    ).encode()
    packet = wire.publish(station.topic, payload, station.packet_id)
    station.unacked[station.packet_id] = packet
    if station.sock is not None:
        try:
            station.sock.sendall(packet)
        except OSError:
            _drop(station, selector)


def _serve(stations: list[Station], selector: selectors.BaseSelector, timeout: float) -> None:
    """Read what came in; try once to bring back the stations whose broker went away."""
    if any(s.sock is None for s in stations):
        for station in stations:
            if station.sock is None:
                _reconnect(station, selector)
    for key, _ in selector.select(timeout=timeout):
        _read(key.data, selector)


def run(spec: dict[str, object]) -> dict[str, object]:
    per_site = int(spec["stations_per_site"])  # type: ignore[call-overload]
    sites = [(str(s), int(p)) for s, p in spec["sites"]]  # type: ignore[attr-defined]
    stations = [_connect(site, port, i) for site, port in sites for i in range(per_site)]
    selector = selectors.DefaultSelector()
    for station in stations:
        selector.register(station.sock, selectors.EVENT_READ, station)
    print(json.dumps({"ready": True}), flush=True)
    total_rate = float(spec["rate"]) * len(stations)  # type: ignore[arg-type]
    start = float(spec["start"])  # type: ignore[arg-type]
    end = start + float(spec["seconds"])  # type: ignore[arg-type]
    while time.monotonic() < start:
        time.sleep(0.001)
    sent = 0
    while (now := time.monotonic()) < end:
        due = min(int((now - start) * total_rate), sent + MAX_BURST)
        while sent < due:
            _publish(stations[sent % len(stations)], selector)
            sent += 1
        _serve(stations, selector, 0.002)
    deadline = time.monotonic() + float(spec.get("drain_s", 30))  # type: ignore[arg-type]
    while sum(s.acked for s in stations) < sent and time.monotonic() < deadline:
        _serve(stations, selector, 0.05)
    for station in stations:
        if station.sock is not None:
            with contextlib.suppress(OSError):
                station.sock.sendall(wire.DISCONNECT_PACKET)
            station.sock.close()
    return {
        "published": sent,
        "acked": sum(s.acked for s in stations),
        "seconds": time.monotonic() - start,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "stations": {s.path: s.seq for s in stations},
        "reconnects": sum(s.reconnects for s in stations),
    }


def main(argv: list[str]) -> int:
    print(json.dumps(run(json.loads(argv[0]))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
