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
  of what its handlers took before its DISCONNECT.

Everything else is paho's own behaviour. The overrides use paho 2.x's
internal names (``_sock``, ``_thread``, ``_out_packet``);
``tests/bus/test_paho_client.py`` fails if a paho release changes them.
"""

from __future__ import annotations

import struct
import threading
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode

from andon.bus.buffered_socket import BufferedSocket

READ_BATCH = 100
"""Packets handled per turn of the network loop while more are already in memory."""

_PUBACK = struct.Struct("!BBH")


class BatchingClient(mqtt.Client):
    """A ``paho.mqtt.client.Client`` that reads in blocks and acknowledges in batches."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._acks: list[int] = []

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
        queue.insert(
            place,
            {
                "command": mqtt.PUBACK,
                "mid": 0,
                "qos": 1,
                "pos": 0,
                "to_process": len(packet),
                "packet": packet,
                "info": None,
            },
        )
