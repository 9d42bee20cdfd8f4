"""One load-test process that is many stations: ``python -m andon.bench.sites_stations SPEC``.

``SPEC`` is JSON: ``{"sites": [[site, port], ...], "stations_per_site": n,
"rate": events/s per station, "start": monotonic instant, "seconds": s}``. Every
station has its own MQTT connection to its site's broker and publishes QoS 1
events ``{"station", "seq", "id", "t"}`` (``t``: the monotonic clock in ns, the
same in every process of the machine) at a steady rate from ``start``. Prints
``{"ready": true}`` once connected, then one JSON line: what was published and acknowledged.
"""

from __future__ import annotations

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


@dataclass
class Station:
    path: str
    topic: bytes
    sock: socket.socket
    reader: wire.Reader = field(default_factory=wire.Reader)
    seq: int = 0
    acked: int = 0
    packet_id: int = 0


def station_path(site: str, index: int) -> str:
    """``site/area/line/station``: ten stations a line."""
    return f"{site}/{AREA}/line-{index // 10:03d}/s{index:04d}"


def _connect(site: str, port: int, index: int) -> Station:
    path = station_path(site, index)
    sock = socket.create_connection((HOST, port), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(wire.connect(f"bench.{path.replace('/', '.')}", keepalive_s=300))
    station = Station(path, f"andon/{path}/events".encode(), sock)
    while True:
        for packet in station.reader.feed(sock.recv(4096)):
            if packet.kind == wire.CONNACK:
                if packet.body[1] != 0:
                    raise RuntimeError(f"{path}: connection refused ({packet.body[1]})")
                return station


def _read(station: Station) -> None:
    data = station.sock.recv(65536)
    if not data:
        raise RuntimeError(f"{station.path}: the broker closed the connection")
    for packet in station.reader.feed(data):
        if packet.kind == wire.PUBACK:
            station.acked += 1


def _publish(station: Station) -> None:
    station.seq += 1
    station.packet_id = station.packet_id % 65535 + 1
    payload = (
        f'{{"v":1,"station":"{station.path}","seq":{station.seq},'
        f'"id":"{station.path}#{station.seq}","kind":"count","data":{{"good":1}},'
        f'"t":{time.monotonic_ns()}}}'
    ).encode()
    station.sock.sendall(wire.publish(station.topic, payload, station.packet_id))


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
            _publish(stations[sent % len(stations)])
            sent += 1
        for key, _ in selector.select(timeout=0.002):
            _read(key.data)
    deadline = time.monotonic() + 30
    while sum(s.acked for s in stations) < sent and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.05):
            _read(key.data)
    for station in stations:
        station.sock.sendall(wire.DISCONNECT_PACKET)
        station.sock.close()
    return {
        "published": sent,
        "acked": sum(s.acked for s in stations),
        "seconds": time.monotonic() - start,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "stations": {s.path: s.seq for s in stations},
    }


def main(argv: list[str]) -> int:
    print(json.dumps(run(json.loads(argv[0]))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
