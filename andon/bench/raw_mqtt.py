"""Plain paho clients: the references every MQTT figure is compared with.

Nothing of andon's bus runs here: a bare ``paho.mqtt.client.Client`` that
publishes, and one that subscribes and stamps what it receives.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

HOST = "127.0.0.1"
CONNECT_TIMEOUT_S = 10.0

OnMessage = Callable[[str, bytes, float], None]
"""Called with the topic, the payload and the monotonic time it arrived."""


class RawClient:
    """One plain paho client on the network thread paho runs itself."""

    def __init__(
        self,
        port: int,
        client_id: str = "",
        *,
        clean_session: bool = True,
        on_message: OnMessage | None = None,
        subscriptions: Sequence[str] = (),
    ) -> None:
        self.port = port
        self.subscriptions = tuple(subscriptions)
        self.on_message = on_message
        self._connected = threading.Event()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=clean_session,
            protocol=mqtt.MQTTv311,
        )
        self.client.max_inflight_messages_set(100)
        self.client.on_connect = self._handle_connect
        self.client.on_subscribe = self._handle_subscribe
        self.client.on_message = self._handle_message
        self.client.on_disconnect = self._handle_disconnect

    def _handle_connect(self, client: mqtt.Client, *_: Any) -> None:
        self._connected.set()
        if self.subscriptions:
            client.subscribe([(topic, 1) for topic in self.subscriptions])
        else:
            self._subscribed.set()

    def _handle_subscribe(self, *_: Any) -> None:
        self._subscribed.set()

    def _handle_disconnect(self, *_: Any) -> None:
        self._connected.clear()

    def _handle_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        at = time.monotonic()
        if self.on_message is not None:
            self.on_message(msg.topic, bytes(msg.payload), at)

    def start(self, timeout: float = CONNECT_TIMEOUT_S) -> RawClient:
        """Connect and subscribe; returns once the broker acknowledged the subscriptions."""
        self.client.connect(HOST, self.port, keepalive=30)
        self.client.loop_start()
        if not self._subscribed.wait(timeout):
            self.stop()
            raise RuntimeError(f"no connection to the broker on {HOST}:{self.port}")
        return self

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> mqtt.MQTTMessageInfo:
        return self.client.publish(topic, payload, qos=1, retain=retain)

    def stop(self) -> None:
        """Disconnect and stop the network thread."""
        self.client.disconnect()
        self.client.loop_stop()

    def __enter__(self) -> RawClient:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def round_trips(port: int, count: int, *, timeout_s: float = 30.0) -> list[float]:
    """Seconds from ``publish()`` to the subscriber's receipt, one message at a time (QoS 1)."""
    topic = "andon-bench/raw/round-trip"
    arrived: dict[int, float] = {}
    ready = threading.Event()

    def received(_: str, payload: bytes, at: float) -> None:
        arrived[int(payload)] = at
        ready.set()

    samples: list[float] = []
    deadline = time.monotonic() + timeout_s
    with (
        RawClient(port, on_message=received, subscriptions=[topic]),
        RawClient(port) as publisher,
    ):
        for index in range(count):
            if time.monotonic() > deadline:
                break
            ready.clear()
            sent = time.monotonic()
            publisher.publish(topic, str(index).encode())
            if not ready.wait(5.0):
                raise RuntimeError("a round-trip message did not arrive within 5 s")
            samples.append(arrived[index] - sent)
            time.sleep(0.002)  # one at a time, like presses: never a burst
    return samples
