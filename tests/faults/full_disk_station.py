"""A station whose disk fills up and frees again, in a process of its own (a test's child).

``python -m tests.faults.full_disk_station JOURNAL`` runs station a1 of the demo
plant on simulated pins and a manual clock, without a broker. It journals a
few counts, then lowers its own file-size limit to zero (``RLIMIT_FSIZE``:
every write that would grow a file fails with EFBIG, as on a full disk),
presses buttons, raises the limit again and lets the station retry. After
each phase it prints one JSON line of what the station shows.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from andon.config.loader import load_station
from andon.domain import commands as cmd
from andon.station.assemble import build_station
from andon.station.clock import StationClock
from hal.clock import ManualClock
from tests.support.stations import DEMO

TUESDAY_8_AM = datetime(2025, 3, 4, 7, 0, tzinfo=UTC).timestamp()


def main(journal: Path) -> int:
    manual = ManualClock()
    start = manual()
    runtime = build_station(
        load_station(DEMO / "station-a1.toml"),
        sim=True,
        connect=False,
        journal_path=journal,
        clock=StationClock(wall=lambda: TUESDAY_8_AM + manual() - start, monotonic=manual),
        hal_clock=manual,
    )
    agent, sim = runtime.agent, runtime.sim
    assert sim is not None and agent.journal is not None
    tower = agent.devices.devices.tower  # type: ignore[union-attr]

    def report(phase: str) -> None:
        core = agent.core
        state: dict[str, Any] = {
            "phase": phase,
            "journal_error": core.journal_error,
            "unjournaled": core.unjournaled,
            "signals": sorted(agent.active_signals()),
            "yellow": str(tower.state.pattern("yellow")),
            "open_calls": [c.call_type for c in core.state.open_calls],
            "good": core.state.good,
            "rows": [[r.seq, r.id, r.kind] for r in agent.journal.rows()],
        }
        print(json.dumps(state), flush=True)

    agent.core.start()
    agent.step()
    for _ in range(5):
        agent.core.execute(cmd.count, good=1)
    report("before")

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, no signal
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))
    sim.press("help")  # the manual clock moves and the devices tick: the core gets the press
    agent.core.execute(cmd.count, good=2)
    agent.step()
    report("full")

    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    agent.step()  # the core retries the journal on its tick
    sim.advance(0.2)
    agent.step()
    report("freed")
    agent.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
