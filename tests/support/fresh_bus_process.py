"""A bus client in a fresh interpreter: a round trip and a burst, and what it received."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from andon.bus.credentials import BrokerSettings

_CHILD = r"""
import json, sys, threading
from pathlib import Path
from andon.bus.client import BusClient
from andon.bus.credentials import BrokerSettings

values, topic, count = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sizes = [100] * 2000 + [32_000] * 50
for key in ("ca_file", "cert_file", "key_file", "password_file"):
    if values[key] is not None:
        values[key] = Path(values[key])
got, arrived = [], threading.Condition()

def seen(message):
    with arrived:
        got.append(message.payload)
        arrived.notify_all()

def received(expected):
    with arrived:
        return arrived.wait_for(lambda: len(got) >= expected, 30)

with BusClient(BrokerSettings(**values)) as bus:
    bus.subscribe(topic, seen)
    assert bus.wait_connected(10), "not connected"
    # One at a time, then a stream all at once, where a read can find that the
    # rest of a packet has not arrived yet.
    for index in range(count):
        assert bus.publish(topic, str(index).encode(), qos=1).wait(10), "not acknowledged"
    burst = [bus.publish(topic, bytes(size), qos=1) for size in sizes]
    assert all(delivery.wait(30) for delivery in burst), "burst not acknowledged"
    assert received(count + len(sizes)), f"received {len(got)} of {count + len(sizes)}"
print(json.dumps({
    "received": len(got),
}))
"""


def round_trip(settings: BrokerSettings, topic: str, count: int = 50) -> dict[str, Any]:
    """Subscribe to ``topic``, publish ``count`` small messages to it one by one, then
    2 050 at once (up to 32 kB), and receive them all; the report."""
    values = {
        key: str(value) if isinstance(value, Path) else value
        for key, value in dataclasses.asdict(settings).items()
    }
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(values), topic, str(count)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
