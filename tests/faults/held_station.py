"""A station on a disk that refuses writes, in a process of its own (a test's child).

``python -m tests.faults.held_station MODE JOURNAL`` runs station a1 of the demo
plant on simulated pins, without a broker, and prints one JSON line per phase.
The disk "fills up" by the process's own file-size limit (``RLIMIT_FSIZE`` 0:
every write that would grow a file fails with EFBIG, as on a full disk; the
held file in memory-backed ``/dev/shm`` too), which the parent lifts with
``prlimit``.

- ``stop-held``: 5 counts journaled, the disk fills, 200 counts held; then it
  waits for SIGTERM and stops (which must not drop the 200).
- ``start-full``: the disk is full before the station starts; a help call is
  raised, then it waits for the limit to be lifted and for the journal to take it.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from andon.config.loader import load_station
from andon.domain import commands as cmd
from andon.station.assemble import build_station
from tests.support.stations import DEMO


def _full() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, no signal
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))


def main(mode: str, journal: Path) -> int:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if mode == "start-full":
        tempfile.gettempdir()  # the simulator's ptys live there: found while it can be probed
        _full()
    runtime = build_station(
        load_station(DEMO / "station-a1.toml"), sim=True, connect=False, journal_path=journal
    )
    agent = runtime.agent
    agent.start()
    tower = agent.devices.devices.tower  # type: ignore[union-attr]

    def report(phase: str, running: bool = True) -> None:
        core = agent.core
        if running:
            agent.run_on_loop(agent._update_outputs)
        print(
            json.dumps(
                {
                    "phase": phase,
                    "journal_error": core.journal_error,
                    "unjournaled": core.unjournaled,
                    "signals": sorted(agent.active_signals()),
                    "published": agent.state_payload()["signals"],
                    "lit": {c: str(tower.state.pattern(c)) for c in tower.colours},
                    "good": core.state.good,
                }
            ),
            flush=True,
        )

    def count(n: int) -> None:
        agent.run_on_loop(lambda: [agent.core.execute(cmd.count, good=1) for _ in range(n)])

    if mode == "stop-held":
        count(5)
        _full()
        count(200)
        report("held")
        stop.wait(60)
        agent.stop()
        report("stopped", running=False)
        return 0
    agent.run_on_loop(lambda: agent.core.execute(cmd.press, call_type="help"))
    report("started")
    deadline = time.monotonic() + 30
    while agent.core.journal_error and time.monotonic() < deadline:
        time.sleep(0.05)
    report("freed")
    agent.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
