"""MQTT 3.1.1 packets on a bare socket: what lets one process be hundreds of stations.

A thread per paho client would cost more than the brokers being measured; the
load test keeps hundreds of connections in one selector loop instead. Only the
packets it needs: CONNECT, PUBLISH at QoS 1, PUBACK, SUBSCRIBE, PINGREQ, DISCONNECT.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

CONNECT, CONNACK, PUBLISH, PUBACK, SUBSCRIBE, SUBACK = 1, 2, 3, 4, 8, 9
PINGREQ, PINGRESP, DISCONNECT = 12, 13, 14


def _length(n: int) -> bytes:
    out = bytearray()
    while True:
        n, digit = divmod(n, 128)
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _text(value: bytes) -> bytes:
    return struct.pack("!H", len(value)) + value


def _packet(kind: int, flags: int, body: bytes) -> bytes:
    return bytes([kind << 4 | flags]) + _length(len(body)) + body


def connect(
    client_id: str,
    *,
    clean: bool = True,
    keepalive_s: int = 60,
    username: str | None = None,
    password: str | None = None,
) -> bytes:
    flags = (0x02 if clean else 0) | (0x80 if username else 0) | (0x40 if password else 0)
    body = _text(b"MQTT") + bytes([4, flags]) + struct.pack("!H", keepalive_s)
    body += _text(client_id.encode())
    if username:
        body += _text(username.encode())
    if password:
        body += _text(password.encode())
    return _packet(CONNECT, 0, body)


def publish(topic: bytes, payload: bytes, packet_id: int, *, retain: bool = False) -> bytes:
    """A QoS 1 PUBLISH."""
    body = _text(topic) + struct.pack("!H", packet_id) + payload
    return _packet(PUBLISH, 0x02 | (1 if retain else 0), body)


def puback(packet_id: int) -> bytes:
    return _packet(PUBACK, 0, struct.pack("!H", packet_id))


def subscribe(packet_id: int, topic: str) -> bytes:
    return _packet(SUBSCRIBE, 0x02, struct.pack("!H", packet_id) + _text(topic.encode()) + b"\1")


PINGREQ_PACKET = _packet(PINGREQ, 0, b"")
DISCONNECT_PACKET = _packet(DISCONNECT, 0, b"")


@dataclass(frozen=True)
class Packet:
    kind: int
    flags: int
    body: bytes

    def packet_id(self) -> int:
        """Of a PUBACK or SUBACK."""
        return int(struct.unpack_from("!H", self.body)[0])

    def message(self) -> tuple[bytes, int | None, bytes]:
        """Of a PUBLISH: topic, packet id (None at QoS 0) and payload."""
        (size,) = struct.unpack_from("!H", self.body)
        topic = self.body[2 : 2 + size]
        at = 2 + size
        if (self.flags >> 1) & 3:
            (packet_id,) = struct.unpack_from("!H", self.body, at)
            return topic, packet_id, self.body[at + 2 :]
        return topic, None, self.body[at:]


class Reader:
    """Splits a byte stream into packets."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> Iterator[Packet]:
        buffer = self._buffer
        buffer += data
        while len(buffer) >= 2:
            length = multiplier = 0
            at = 1
            while True:
                if at >= len(buffer):
                    return
                byte = buffer[at]
                length += (byte & 0x7F) << multiplier
                multiplier += 7
                at += 1
                if not byte & 0x80:
                    break
            if len(buffer) < at + length:
                return
            first = buffer[0]
            yield Packet(first >> 4, first & 0x0F, bytes(buffer[at : at + length]))
            del buffer[: at + length]
