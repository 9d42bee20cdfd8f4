"""What the throughput benchmarks share: a stream published at once, and events counted
as they arrive."""

from __future__ import annotations

import threading
import time

from andon.bench.payloads import Message
from andon.bench.raw_mqtt import RawClient


class EventCounter:
    """Counts events as they arrive; remembers the first message and the last event."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.events = 0
        self.first: float | None = None
        self.last = 0.0
        self.done = threading.Event()
        self._lock = threading.Lock()

    def saw(self, topic: str, at: float) -> None:
        with self._lock:
            if self.first is None:
                self.first = at
            if topic.endswith("/events"):
                self.events += 1
                self.last = at
                if self.events >= self.expected:
                    self.done.set()


def publish_all(port: int, messages: list[Message], timeout_s: float) -> float:
    """Publish everything with QoS 1 and wait for the broker's acknowledgements; CPU seconds."""
    with RawClient(port, "bench-publisher") as publisher:
        cpu = time.process_time()
        infos = [publisher.publish(m.topic, m.payload, retain=m.retain) for m in messages]
        deadline = time.monotonic() + timeout_s
        for info in infos:
            info.wait_for_publish(max(0.1, deadline - time.monotonic()))
        return time.process_time() - cpu
