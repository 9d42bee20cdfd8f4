"""A publisher in a process of its own, at a steady rate, stamping every message it sends.

``python -m andon.bench.paced_publisher --port PORT --rate N FILE`` reads the
messages pickled in ``FILE`` (a list of ``(topic, payload)``), publishes them
in order with QoS 1 at ``N`` messages a second (in ticks of 5 ms) and prints
one JSON list: the ``time.monotonic()`` just before each ``publish()``. The
monotonic clock is the system's, so the parent can compare it with its own.
It waits for every acknowledgement before it exits, at most 60 s.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

from andon.bench.raw_mqtt import RawClient

TICK_S = 0.005
WAIT_S = 60.0


def publish(port: int, messages: list[tuple[str, bytes]], rate: float) -> list[float]:
    """Publish ``messages`` at ``rate`` a second; the monotonic instant of each."""
    stamps: list[float] = []
    per_tick = max(1, round(rate * TICK_S))
    with RawClient(port, "bench-paced-publisher") as client:
        infos = []
        start = time.monotonic()
        for index in range(0, len(messages), per_tick):
            due = start + (index / per_tick) * TICK_S
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            for topic, payload in messages[index : index + per_tick]:
                stamps.append(time.monotonic())
                infos.append(client.publish(topic, payload))
        deadline = time.monotonic() + WAIT_S
        for info in infos:
            info.wait_for_publish(max(0.1, deadline - time.monotonic()))
    return stamps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m andon.bench.paced_publisher")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True, help="messages a second")
    parser.add_argument("messages", type=Path)
    args = parser.parse_args(argv)
    messages = pickle.loads(args.messages.read_bytes())
    print(json.dumps(publish(args.port, messages, args.rate)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
