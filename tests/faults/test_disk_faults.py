"""Disk faults at start and at stop: a station starts anyway, and held events survive a stop.

- a station started on a full disk or a read-only journal runs (lamps, alarm) and
  journals what it held once the disk takes writes again;
- a clean stop while the journal refuses writes keeps the held events in a held
  file, which the next start journals first; when not even a held file can be
  written, the station does not exit before one of them can.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from andon.domain import commands as cmd
from andon.journal.store import Journal
from andon.journal.verify import verify
from andon.station.held_file import held_paths
from tests.support.stations import wait_for

ROOT = Path(__file__).resolve().parents[2]
A1 = "demo-plant/assembly/line-a/a1"


def _kinds(path: Path, owner: str) -> list[str]:
    with Journal(path, owner=owner) as journal:
        return [row.kind for row in journal.rows()]


def _counts(agent, n: int) -> None:  # type: ignore[no-untyped-def]
    agent.run_on_loop(lambda: [agent.core.execute(cmd.count, good=1) for _ in range(n)])


def _station_journal(station_factory, path: Path) -> None:  # type: ignore[no-untyped-def]
    """A journal with a few rows, its station stopped."""
    agent = station_factory(journal_path=path).agent
    _counts(agent, 3)
    agent.stop()


def test_a_station_started_on_a_read_only_journal_runs_and_recovers(
    station_factory, tmp_path, immutable
):
    folder = tmp_path / "journal"
    folder.mkdir()
    path = folder / "a3.sqlite"
    _station_journal(station_factory, path)
    immutable(path, folder)  # no -wal or -shm file can be made either
    agent = station_factory(journal_path=path).agent  # starts: no JournalError
    tower = agent.devices.devices.tower
    assert agent.core.state.good == 3  # restored from the file as it is on disk
    assert agent.core.journal_error and "alarm" in agent.active_signals()
    agent.run_on_loop(agent._update_outputs)
    assert str(tower.state.pattern("blue")) == "fast"  # the alarm on the demo tower
    assert "alarm" in agent.state_payload()["signals"]
    _counts(agent, 4)
    assert agent.core.unjournaled >= 5  # the start and the counts
    immutable.undo()  # the mount is writable again
    wait_for(lambda: agent.core.journal_error == "" and agent.core.unjournaled == 0, timeout=15)
    assert "alarm" not in agent.active_signals()
    agent.stop()
    assert _kinds(path, agent.address.path).count("counted") == 7
    assert verify(path) == []


def test_held_events_survive_a_clean_stop_in_a_held_file(
    station_factory, tmp_path, immutable, monkeypatch
):
    runtime_dir = tmp_path / "run"
    runtime_dir.mkdir()
    monkeypatch.setenv("RUNTIME_DIRECTORY", str(runtime_dir))
    folder = tmp_path / "journal"
    folder.mkdir()
    path = folder / "a3.sqlite"
    _station_journal(station_factory, path)
    immutable(path, folder)
    agent = station_factory(journal_path=path).agent
    _counts(agent, 200)
    agent.run_on_loop(lambda: agent.core.execute(cmd.raise_call, "help", source="board", by="x"))
    agent.stop()  # what SIGTERM does
    beside, in_runtime = held_paths(path)
    assert not beside.exists() and in_runtime.exists()  # the journal's folder is read-only
    immutable.undo()
    restarted = station_factory(journal_path=path).agent
    assert restarted.core.state.good == 203
    assert restarted.core.state.open_call("help") is not None
    wait_for(lambda: not in_runtime.exists())  # journaled, then removed
    restarted.stop()
    kinds = _kinds(path, restarted.address.path)
    assert kinds.count("counted") == 203 and kinds.count("call_raised") == 1
    assert verify(path) == []


def _child(mode: str, journal: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.faults.held_station", mode, str(journal)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "RUNTIME_DIRECTORY": str(journal.parent)},
    )


def _lift_limit(pid: int) -> None:
    unlimited = resource.RLIM_INFINITY
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (unlimited, unlimited))


def test_a_stop_with_nowhere_to_write_waits_until_the_disk_takes_the_events(tmp_path):
    journal = tmp_path / "a1.sqlite"
    child = _child("stop-held", journal)
    try:
        assert child.stdout is not None
        held = json.loads(child.stdout.readline())
        assert held["unjournaled"] >= 200 and "alarm" in held["signals"]
        assert "alarm" in held["published"]
        child.send_signal(signal.SIGTERM)
        time.sleep(2.0)
        assert child.poll() is None, "it must not exit with events written nowhere"
        _lift_limit(child.pid)  # the disk has room again
        out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 0, err[-2000:]
    assert json.loads(out.splitlines()[-1])["unjournaled"] == 0
    assert "not stopping until one can be written" in err
    assert _kinds(journal, A1).count("counted") == 205
    assert verify(journal) == []


def test_a_station_starts_on_a_full_disk_with_its_lamps_and_alarm(station_factory, tmp_path):
    journal = tmp_path / "a1.sqlite"
    agent = station_factory(name="station-a1.toml", journal_path=journal).agent
    _counts(agent, 2)
    agent.stop()
    child = _child("start-full", journal)
    try:
        assert child.stdout is not None
        started = json.loads(child.stdout.readline())
        assert started["journal_error"] and "alarm" in started["signals"]
        assert "call.help" in started["signals"] and started["lit"]["yellow"] == "fast"
        assert started["good"] == 2  # restored from the file as it is
        _lift_limit(child.pid)
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode == 0, err[-2000:]
    freed = json.loads(out.splitlines()[-1])
    assert freed["journal_error"] == "" and freed["unjournaled"] == 0
    assert "call_raised" in _kinds(journal, A1)
    assert verify(journal) == []
