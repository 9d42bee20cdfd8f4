"""paho's client, reading its connection in blocks and acknowledging messages in batches.

Bare paho spends more time per received QoS 1 message on system calls than a
board spends on the message itself: three reads for the packet, a ``select``
per packet, and for the acknowledgement a byte through its wake-up socket
pair, a read of that byte, and a write of its own. Here:

* the connection is a :class:`~andon.bus.buffered_socket.BufferedSocket`, so
  a busy stream is read many packets at a time;
* one turn of the network loop handles every packet already read (up to
  :data:`READ_BATCH`), not just one;
* the PUBACKs of those packets are sent together in one write at the end of
  the turn, after their handlers ran (so "acknowledged" still means
  "handled"). A connection lost in the middle drops them: the broker sends
  the unacknowledged messages again, and consumers already drop duplicates.
  A client closed by another thread while a turn runs still sends the PUBACKs
  of what its handlers took before its DISCONNECT;
* a QoS 1 or 2 PUBLISH from another thread (a station's loop sending the event
  it just journaled) is written to a plain TCP connection by that thread at
  once, instead of waking the network thread through the socket pair to write
  it: one thread hand-over less between the journal's commit and the broker.
  Writes take turns on a lock; anything else (QoS 0, DISCONNECT, a connection
  that is busy, TLS) is left to the network thread as before;
* on plain TCP, reads and writes go straight to the socket, without paho's
  translation of TLS exceptions (whose ``except ssl...`` clauses would import
  ``ssl`` at the first read that finds nothing; see
  :mod:`andon.bus.deferred_imports`).

Everything else is paho's own behaviour. The overrides use paho 2.x's
internal names (``_sock``, ``_thread``, ``_out_packet``, ``_packet_queue``,
``_packet_write``, ``_sock_recv``, ``_sock_send``, ``_sockpairW``, ``_last_msg_out``);
``tests/bus/test_paho_client.py`` fails if a paho release changes them.
"""

from __future__ import annotations

import contextlib
import struct
import threading
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode

from andon.bus.buffered_socket import BufferedSocket

READ_BATCH = 100
"""Packets handled per turn of the network loop while more are already in memory."""

_PUBACK = struct.Struct("!BBH")


def _out_packet(
    command: int,
    packet: bytes | bytearray,
    *,
    mid: int,
    qos: int,
    info: mqtt.MQTTMessageInfo | None = None,
) -> dict[str, Any]:
    """An entry of paho's outgoing queue (the shape its ``_packet_queue`` builds)."""
    return {
        "command": command,
        "mid": mid,
        "qos": qos,
        "pos": 0,
        "to_process": len(packet),
        "packet": packet,
        "info": info,
    }


class BatchingClient(mqtt.Client):
    """A ``paho.mqtt.client.Client`` that reads in blocks and acknowledges in batches."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._acks: list[int] = []
        self._write_lock = threading.Lock()
        """Held by whichever thread writes the connection: the network thread or a publisher."""

    def _create_socket(self) -> Any:
        self._acks.clear()  # a new connection: the broker resends what was not acknowledged
        return BufferedSocket(super()._create_socket())

    def loop_read(self, max_packets: int = 1) -> MQTTErrorCode:
        rc = super().loop_read(max_packets)
        for _ in range(READ_BATCH - 1):
            if rc or self._sock is None or not self._sock.pending():
                break
            rc = super().loop_read(max_packets)
        self._queue_acks()
        return rc

    def _send_puback(self, mid: int) -> MQTTErrorCode:
        if threading.current_thread() is not self._thread:
            return super()._send_puback(mid)
        self._acks.append(mid)  # sent by _queue_acks at the end of this turn
        return MQTTErrorCode.MQTT_ERR_SUCCESS

    def _queue_acks(self) -> None:
        acks = self._acks
        if not acks:
            return
        if self._sock is None:  # the connection is gone: these go nowhere
            acks.clear()
            return
        packet = b"".join([_PUBACK.pack(mqtt.PUBACK, 2, mid) for mid in acks])
        acks.clear()
        # One write for all of them; paho's loop sends it on its next turn without
        # being woken through its socket pair (this is the loop's own thread). A
        # DISCONNECT queued meanwhile by another thread (closing while a handler ran)
        # stays behind them, so what was handled is acknowledged before leaving.
        queue = self._out_packet
        place = len(queue)
        while place and queue[place - 1]["command"] == mqtt.DISCONNECT:
            place -= 1
        queue.insert(place, _out_packet(mqtt.PUBACK, packet, mid=0, qos=1))

    # --- plain TCP: no TLS exceptions to translate ---------------------------------

    def _plain_socket(self) -> BufferedSocket | None:
        """The connection when it is plain TCP (None: TLS, or no connection)."""
        sock = self._sock
        return sock if isinstance(sock, BufferedSocket) and sock.plain else None

    def _sock_recv(self, bufsize: int) -> bytes:
        # paho's own catches ssl.SSLWantReadError first, which reads ``ssl`` (and
        # would load it: see andon.bus.deferred_imports) whenever a read finds nothing.
        sock = self._plain_socket()
        if sock is None:
            return super()._sock_recv(bufsize)
        return sock.recv(bufsize)

    def _sock_send(self, buf: bytes | bytearray) -> int:
        sock = self._plain_socket()
        if sock is None:
            return super()._sock_send(buf)
        try:
            return sock.send(buf)
        except BlockingIOError:
            self._call_socket_register_write()
            raise

    # --- writing from the publishing thread ---------------------------------------

    def _packet_write(self) -> MQTTErrorCode:
        with self._write_lock:
            return super()._packet_write()

    def _packet_queue(
        self,
        command: int,
        packet: bytes | bytearray,
        mid: int,
        qos: int,
        info: mqtt.MQTTMessageInfo | None = None,
    ) -> MQTTErrorCode:
        if (
            qos == 0
            or (command & 0xF0) != mqtt.PUBLISH
            or self._thread is None
            or threading.current_thread() is self._thread
            or self._plain_socket() is None
        ):
            return super()._packet_queue(command, packet, mid, qos, info)
        queue = self._out_packet
        queue.append(_out_packet(command, packet, mid=mid, qos=qos, info=info))
        if not (self._write_lock.acquire(blocking=False) and self._write_published(queue)):
            self._wake_network_thread()
        return MQTTErrorCode.MQTT_ERR_SUCCESS

    def _write_published(self, queue: Any) -> bool:
        """Write the queued QoS 1/2 PUBLISH packets (lock held; released here).

        True when the queue is empty afterwards; False leaves the rest (another
        kind of packet, a full socket buffer, an error) to the network thread.
        """
        try:
            while queue:
                head = queue[0]
                if (head["command"] & 0xF0) != mqtt.PUBLISH or head["qos"] == 0:
                    return False
                try:
                    written = self._sock_send(head["packet"][head["pos"] :])
                except (OSError, ValueError):
                    return False  # full, or the connection is going: the network thread sees to it
                head["pos"] += written
                head["to_process"] -= written
                if head["to_process"] > 0:
                    return False
                queue.popleft()
                with self._msgtime_mutex:
                    self._last_msg_out = mqtt.time_func()
            return True
        finally:
            self._write_lock.release()

    def _wake_network_thread(self) -> None:
        wake = self._sockpairW
        if wake is not None:
            with contextlib.suppress(BlockingIOError):  # full: the thread is awake already
                wake.send(mqtt.sockpair_data)
