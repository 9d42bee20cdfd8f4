"""One load-test process that is many stations: ``python -m andon.bench.sites_stations SPEC``.

``SPEC`` is JSON: ``{"sites": [[site, port], ...], "stations_per_site": n,
"rate": events/s per station, "start": monotonic instant, "seconds": s}``. Every
station has its own MQTT connection to its site's broker and publishes QoS 1
events ``{"station", "seq", "id", "t"}`` (``t``: the monotonic clock in ns, the
same in every process of the machine) at a steady rate from ``start``. Prints
``{"ready": true}`` once connected, then one JSON line: what was published and
acknowledged; then it goes on serving its stations until SIGTERM.

The events are real ``counted`` events of the bus contract (``at`` the wall-clock
instant of the send, the same on every resend), so that ``andon historian`` can
store them; ``t`` rides along for the bench's own subscribers.

As a station does, each keeps its events (its journal: here the send time of every
``seq``, from which the event is made again) and:

- sends without blocking: what its socket does not take waits in its own buffer, so a
  hung broker that reads nothing holds back its own stations only, not the others of
  the process (each station is a device of its own at a plant);
- when its broker went away (killed and restarted by the broker watchdog), connects
  again and sends what it had not had acknowledged, as a station's outbox does; until
  then it goes on publishing into its outbox. ``"drain_s"`` bounds the wait for the
  last acknowledgements;
- answers ``cmd/replay {"from_seq": n}`` by publishing its events again from ``n``
  (up to ``to_seq`` when given; at most :data:`REPLAY_MAX` at once), so what a broker
  acknowledged and then lost is fetched again by the historian that sees the gap;
- once it has sent its last event, publishes its retained ``state`` with its last
  ``seq``, from which a historian sees events it lacks at the end of a stream, and
  again every :data:`STATE_EVERY_S` as a station does (a broker killed by its watchdog
  may have taken the first one with it).
"""

from __future__ import annotations

import contextlib
import json
import resource
import selectors
import signal
import socket
import sys
import time
from array import array
from dataclasses import dataclass, field
from datetime import UTC, datetime

from andon.bench import mqtt_wire as wire
from andon.bus.messages import STATE_VERSION
from andon.domain.events import format_instant

HOST = "127.0.0.1"
AREA = "assembly"
MAX_BURST = 2000
"""At most this many messages per loop turn, so a stall never becomes one huge burst."""
RETRY_S = 0.2
"""Between two attempts of a station to reach its broker again."""
REPLAY_MAX = 5000
"""Events one replay publishes at most, as a station's (the historian asks again)."""
STATE_EVERY_S = 5.0
"""Between two retained states of a station once it has sent its last event."""
WALL_NS = time.time_ns() - time.monotonic_ns()
"""Wall clock minus monotonic clock, taken once: an event's ``at`` from its send time."""


def instant(sent_ns: int) -> str:
    """The ``at`` of an event sent at ``sent_ns`` (monotonic)."""
    return format_instant(datetime.fromtimestamp((sent_ns + WALL_NS) / 1e9, UTC))


@dataclass
class Station:
    path: str
    topic: bytes
    site: str
    port: int
    index: int
    sock: socket.socket | None
    reader: wire.Reader = field(default_factory=wire.Reader)
    out: bytearray = field(default_factory=bytearray)
    """Bytes the socket did not take yet."""
    connecting: bool = False
    """Connected again, its CONNACK still to come: nothing is sent meanwhile."""
    seq: int = 0
    acked: int = 0
    packet_id: int = 0
    unacked: dict[int, tuple[bytes, bool]] = field(default_factory=dict)
    """Packet id → the PUBLISH packet and whether it is an event's first send, until its
    PUBACK."""
    sent_ns: array[int] = field(default_factory=lambda: array("q"))
    """The journal: the send time of every seq (``sent_ns[seq - 1]``)."""
    reconnects: int = 0
    replays: int = 0
    replayed: int = 0
    retry_at: float = 0.0

    @property
    def replay_topic(self) -> bytes:
        return f"andon/{self.path}/cmd/replay".encode()


def station_path(site: str, index: int) -> str:
    """``site/area/line/station``: ten stations a line."""
    return f"{site}/{AREA}/line-{index // 10:03d}/s{index:04d}"


def _dial(port: int, path: str, timeout: float) -> socket.socket:
    """A connection that has sent CONNECT and SUBSCRIBE (its CONNACK is still to come)."""
    sock = socket.create_connection((HOST, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(
        wire.connect(f"bench.{path.replace('/', '.')}", keepalive_s=300)
        + wire.subscribe(1, f"andon/{path}/cmd/replay")
    )
    return sock


def _open(site: str, port: int, path: str, timeout: float) -> tuple[socket.socket, wire.Reader]:
    sock = _dial(port, path, timeout)
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
    sock.setblocking(False)
    return Station(path, f"andon/{path}/events".encode(), site, port, index, sock, reader)


def _drop(station: Station, selector: selectors.BaseSelector) -> None:
    if station.sock is not None:
        selector.unregister(station.sock)
        station.sock.close()
        station.sock = None
    station.out.clear()  # what awaits its PUBACK is sent again on the next connection
    station.connecting = False


def _reconnect(station: Station, selector: selectors.BaseSelector) -> None:
    """One attempt to reach the station's broker again, without waiting for its CONNACK
    (a broker that hung again at once would hold up every station of the process);
    :func:`_read` sends what awaits its PUBACK when the CONNACK comes."""
    if time.monotonic() < station.retry_at:
        return
    station.retry_at = time.monotonic() + RETRY_S
    try:
        sock = _dial(station.port, station.path, 0.5)
    except OSError:
        return
    sock.setblocking(False)
    station.sock, station.reader, station.connecting = sock, wire.Reader(), True
    selector.register(sock, selectors.EVENT_READ, station)


def _read(station: Station, selector: selectors.BaseSelector) -> None:
    assert station.sock is not None
    try:
        data = station.sock.recv(65536)
    except BlockingIOError:
        return
    except OSError:
        data = b""
    if not data:
        _drop(station, selector)
        return
    for packet in station.reader.feed(data):
        if packet.kind == wire.CONNACK and station.connecting:
            if packet.body[1] != 0:
                _drop(station, selector)
                return
            station.connecting = False
            station.reconnects += 1
            _send(station, b"".join(packet for packet, _ in station.unacked.values()), selector)
        elif packet.kind == wire.PUBACK:
            _, first = station.unacked.pop(packet.packet_id(), (b"", False))
            station.acked += first
        elif packet.kind == wire.PUBLISH:
            _command(station, packet, selector)
        if station.sock is None:
            return


def _command(station: Station, packet: wire.Packet, selector: selectors.BaseSelector) -> None:
    """A command from its broker: acknowledged; a replay is answered from the journal."""
    topic, packet_id, payload = packet.message()
    if packet_id is not None:
        _send(station, wire.puback(packet_id), selector)
    if topic != station.replay_topic:
        return
    try:
        args = json.loads(payload)
        first = max(1, int(args["from_seq"]))
        last = int(args.get("to_seq") or station.seq)
    except (ValueError, KeyError, TypeError):
        return
    station.replays += 1
    for seq in range(first, min(station.seq, last, first + REPLAY_MAX - 1) + 1):
        _send_event(station, seq, False, selector)
        station.replayed += 1


def _send(station: Station, packet: bytes, selector: selectors.BaseSelector) -> None:
    if station.sock is not None and not station.connecting:
        waiting = bool(station.out)
        station.out += packet
        if not waiting:
            _flush(station, selector)


def _flush(station: Station, selector: selectors.BaseSelector) -> None:
    """As much of the station's buffer as its socket takes now; the rest when writable."""
    assert station.sock is not None
    try:
        sent = station.sock.send(station.out)
    except BlockingIOError:
        sent = 0
    except OSError:
        _drop(station, selector)
        return
    del station.out[:sent]
    events = selectors.EVENT_READ | (selectors.EVENT_WRITE if station.out else 0)
    if selector.get_key(station.sock).events != events:
        selector.modify(station.sock, events, station)


def _send_out(station: Station, packet: bytes, first: bool, sel: selectors.BaseSelector) -> None:
    """Into the outbox until its PUBACK, and out now if connected."""
    station.packet_id = station.packet_id % 65535 + 1
    station.unacked[station.packet_id] = (packet, first)
    _send(station, packet, sel)


def _send_event(station: Station, seq: int, first: bool, sel: selectors.BaseSelector) -> None:
    sent = station.sent_ns[seq - 1]
    at = instant(sent)
    payload = (
        f'{{"v":1,"station":"{station.path}","seq":{seq},"id":"{station.path}#{seq}",'
        f'"at":"{at}","kind":"counted","data":{{"at":"{at}","good":1,"scrap":0,"serial":""}},'
        f'"t":{sent}}}'
    ).encode()
    packet_id = station.packet_id % 65535 + 1
    _send_out(station, wire.publish(station.topic, payload, packet_id), first, sel)


def _publish(station: Station, selector: selectors.BaseSelector) -> None:
    station.seq += 1
    station.sent_ns.append(time.monotonic_ns())
    _send_event(station, station.seq, True, selector)


def _publish_state(station: Station, selector: selectors.BaseSelector) -> None:
    """The retained ``state``: the last seq the station sent."""
    payload = f'{{"v":{STATE_VERSION},"station":"{station.path}","seq":{station.seq}}}'.encode()
    topic = f"andon/{station.path}/state".encode()
    packet_id = station.packet_id % 65535 + 1
    _send_out(station, wire.publish(topic, payload, packet_id, retain=True), False, selector)


def _serve(stations: list[Station], selector: selectors.BaseSelector, timeout: float) -> None:
    """Read what came in; try once to bring back the stations whose broker went away."""
    if any(s.sock is None for s in stations):
        for station in stations:
            if station.sock is None:
                _reconnect(station, selector)
    for key, mask in selector.select(timeout=timeout):
        station = key.data
        if mask & selectors.EVENT_WRITE and station.sock is not None:
            _flush(station, selector)
        if mask & selectors.EVENT_READ and station.sock is not None:
            _read(station, selector)


class _Restate:
    """Publishes every station's retained state now and every :data:`STATE_EVERY_S`."""

    def __init__(self, stations: list[Station], selector: selectors.BaseSelector) -> None:
        self.stations, self.selector, self.due = stations, selector, 0.0

    def __call__(self) -> None:
        if time.monotonic() >= self.due:
            self.due = time.monotonic() + STATE_EVERY_S
            for station in self.stations:
                _publish_state(station, self.selector)


def run(spec: dict[str, object]) -> None:
    stop = False

    def on_term(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
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
    restate = _Restate(stations, selector)
    while sum(s.acked for s in stations) < sent and time.monotonic() < deadline and not stop:
        restate()
        _serve(stations, selector, 0.05)
    result = {
        "published": sent,
        "acked": sum(s.acked for s in stations),
        "seconds": time.monotonic() - start,
        "stations": {s.path: s.seq for s in stations},
    }
    print(json.dumps(result), flush=True)
    while not stop:
        restate()
        _serve(stations, selector, 0.05)
    for station in stations:
        if station.sock is not None:
            with contextlib.suppress(OSError):
                station.sock.send(wire.DISCONNECT_PACKET)
            station.sock.close()
    final = {
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "reconnects": sum(s.reconnects for s in stations),
        "replays": sum(s.replays for s in stations),
        "replayed": sum(s.replayed for s in stations),
    }
    print(json.dumps(final), flush=True)


def main(argv: list[str]) -> int:
    run(json.loads(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
