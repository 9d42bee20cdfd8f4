"""Start a station and report when its lamps were first set (for the start-up figure).

``python -m andon.bench.startup_child CONFIG JOURNAL HOST:PORT`` builds the
station as ``andon station --sim`` does, starts it (the journal is replayed
and the tower set before ``start()`` returns), prints one JSON line with the
monotonic instant of that first lamp output and what is lit, and stops.
The parent compares the instant with the one it spawned the process at
(the monotonic clock is the same for every process of the machine).
"""

from __future__ import annotations

import time

STARTED = time.monotonic()  # before any import of andon

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def main(argv: list[str]) -> int:
    config_path, journal, broker = argv
    from andon.config.loader import load_station
    from andon.station.assemble import build_station

    imported = time.monotonic()
    runtime = build_station(
        load_station(Path(config_path)), sim=True, broker=broker, journal_path=Path(journal)
    )
    runtime.agent.start()
    lamp = time.monotonic()
    lit = runtime.sim.outputs_on() if runtime.sim is not None else []
    print(
        json.dumps(
            {
                "started": STARTED,
                "imported": imported,
                "lamp": lamp,
                "lit": lit,
                "replayed": runtime.agent.core.replayed,
            }
        ),
        flush=True,
    )
    runtime.agent.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
