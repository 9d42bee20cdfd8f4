"""The journal's disk fills up or turns read-only under a running station.

The lamps keep following the station's state, the ``alarm`` signal is raised
while the journal cannot be written, nothing already journaled is lost, and
once the disk recovers the events held in memory are journaled in order.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from pathlib import Path

from andon.domain import commands as cmd
from andon.journal.store import Journal
from andon.journal.verify import verify
from hal.patterns import Pattern
from tests.support.stations import wait_for

ROOT = Path(__file__).resolve().parents[2]
A1 = "demo-plant/assembly/line-a/a1"
A3 = "demo-plant/assembly/line-a/a3"


def test_a_full_disk_keeps_the_lamps_raises_the_alarm_and_loses_nothing(tmp_path):
    journal = tmp_path / "a1.sqlite"
    done = subprocess.run(
        [sys.executable, "-m", "tests.faults.full_disk_station", str(journal)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    before, full, freed = (json.loads(line) for line in done.stdout.splitlines())

    # Before: a healthy journal.
    assert before["journal_error"] == "" and "alarm" not in before["signals"]
    journaled = before["rows"]
    assert [kind for _, _, kind in journaled].count("counted") == 5

    # Disk full: nothing more is written, the press still raises its call and lights
    # the tower, and the alarm signal says the journal is failing.
    assert "full" in full["journal_error"] or "disk" in full["journal_error"]
    assert full["rows"] == journaled  # nothing half-written, nothing lost
    assert full["unjournaled"] >= 3  # the call, its escalation, the count
    assert "alarm" in full["signals"] and "call.help" in full["signals"]
    assert full["open_calls"] == ["help"] and full["yellow"] == "fast"
    assert full["good"] == 7

    # Freed: the held events are journaled after the old ones, in the order they happened.
    assert freed["journal_error"] == "" and freed["unjournaled"] == 0
    assert "alarm" not in freed["signals"] and "call.help" in freed["signals"]
    rows = freed["rows"]
    assert rows[: len(journaled)] == journaled
    added = [kind for _, _, kind in rows[len(journaled) :]]
    assert added[: full["unjournaled"]] == ["call_raised", "call_escalated", "counted"]
    assert [seq for seq, _, _ in rows] == list(range(1, len(rows) + 1))
    assert verify(journal) == []


def test_a_read_only_journal_under_a_connected_station(
    mosquitto, station_factory, collector_factory, tmp_path, immutable, caplog
):
    path = tmp_path / "a3.sqlite"
    collector = collector_factory(mosquitto.settings(client_id="watcher"), f"andon/{A3}/#")
    runtime = station_factory(
        mosquitto.settings(client_id="station-a3", clean_session=False), journal_path=path
    )
    agent, sim = runtime.agent, runtime.sim
    assert agent.bus.wait_subscribed(10)
    tower = agent.devices.devices.tower

    def burst(n: int) -> None:
        agent.run_on_loop(lambda: [agent.core.execute(cmd.count, good=1) for _ in range(n)])

    burst(50)
    with caplog.at_level(logging.ERROR, logger="andon.station"):
        burst(50)  # published in this turn of the loop; acknowledged meanwhile ...
        immutable(path, path.with_name(path.name + "-wal"))  # ... and the disk turns read-only
        before = agent.run_on_loop(lambda: [(r.seq, r.id) for r in agent.journal.rows()])
        sim.press("help")
        wait_for(lambda: agent.core.journal_error)
        wait_for(lambda: "alarm" in agent.active_signals())
        wait_for(lambda: tower.state.pattern("yellow") is Pattern.FAST)  # the lamps still work
        assert agent.core.state.open_call("help") is not None
        held = agent.core.unjournaled
        assert held >= 2
        # The retained state tells the boards why.
        state = wait_for(
            lambda: [s for s in collector.json("/state") if s["health"]["journal_error"]]
        )[-1]
        assert state["health"]["unjournaled"] >= 1 and state["open_calls"]
        time.sleep(0.3)  # some turns of the loop with acknowledgements it cannot record
        assert not [r for r in caplog.records if "step failed" in r.getMessage()]

    immutable.undo()  # the disk is writable again
    wait_for(lambda: agent.core.journal_error == "" and agent.core.unjournaled == 0)
    wait_for(lambda: "alarm" not in agent.active_signals())
    after = agent.run_on_loop(lambda: [(r.seq, r.id, r.kind) for r in agent.journal.rows()])
    assert [(seq, id_) for seq, id_, _ in after[: len(before)]] == before
    assert [kind for _, _, kind in after[len(before) : len(before) + 2]] == [
        "call_raised",
        "call_escalated",
    ]
    wait_for(lambda: agent.journal.unpublished_count() == 0, timeout=15)
    agent.stop()
    with Journal(path, owner=A3):
        pass
    assert verify(path) == []
