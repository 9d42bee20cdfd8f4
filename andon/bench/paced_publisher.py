"""A publisher in a process of its own, at a steady rate, stamping every message it sends.

``python -m andon.bench.paced_publisher --port PORT --rate N FILE`` reads the
messages pickled in ``FILE`` (a list of ``(topic, payload)``), publishes them
in order with QoS 1 at ``N`` messages a second (in ticks of 5 ms) and prints
one JSON list: the ``time.monotonic()`` just before each ``publish()``. The
monotonic clock is the system's, so the parent can compare it with its own.
It waits for every acknowledgement before it exits, at most 60 s.
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path

from andon.bench.raw_mqtt import RawClient
from andon.i18n.markers import N_

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


DESCRIPTION = N_(
    "publish the messages pickled in FILE at a steady rate and print when each was sent "
    "(a child process of andon bench)"
)
PORT_HELP = N_("the loopback broker's port")
RATE_HELP = N_("how many messages a second")
FILE_HELP = N_("a pickled list of (topic, payload)")


def main(argv: list[str] | None = None) -> int:
    from andon.cli import parsing, speech
    from andon.cli.parser import Parser

    parsing.speak()  # argparse's own words in the terminal's language
    _ = speech.terminal().gettext
    parser = Parser(prog="python -m andon.bench.paced_publisher", description=_(DESCRIPTION))
    parser.add_argument("--port", type=int, required=True, help=_(PORT_HELP))
    parser.add_argument("--rate", type=float, required=True, metavar="N", help=_(RATE_HELP))
    parser.add_argument("messages", type=Path, metavar="FILE", help=_(FILE_HELP))
    args = parser.parse_args(argv)
    messages = pickle.loads(args.messages.read_bytes())
    print(json.dumps(publish(args.port, messages, args.rate)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
