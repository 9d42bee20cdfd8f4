"""Memory, CPU time per event and start-up time of real station and board processes.

* The station is ``andon station --sim`` itself. Under load it takes
  ``downstream`` commands over MQTT as fast as it can: each one is parsed,
  journaled (one event), answered and published.
* The board is the production app, headless, in its own process
  (:mod:`andon.bench.board_child`), fed by a lightweight publisher with the
  states and events of the demo plant's seven stations.
* CPU time comes from ``/proc/<pid>/stat``; the process's idle rate over the
  same span is subtracted, so what remains is the cost of the events.
* Start-up runs :mod:`andon.bench.startup_child` from a cold interpreter to the
  first lamp output, with an empty journal and with one of 5 000 events.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from andon.bench.machine import TICK_S
from andon.bench.payloads import (
    FakeStation,
    count_events,
    events,
    interleave,
    state,
    state_template,
    status,
)
from andon.bench.presses import BENCH_STATION, wait_until
from andon.bench.processes import Child
from andon.bench.raw_mqtt import RawClient
from andon.bus.commands import command_message
from andon.bus.messages import encode
from andon.bus.reply import parse_reply
from andon.config.loader import load_station
from andon.demo.run import DEMO_DIR
from andon.domain import commands as cmd
from andon.station.assemble import build_station, station_address

READY_TIMEOUT_S = 30.0
SETTLE_S = 1.5


@dataclass(frozen=True)
class ProcessCost:
    """What one process costs idle and under load."""

    rss_idle_mb: float
    rss_load_mb: float
    cpu_per_event_ms: float
    events: int
    idle_cpu_percent: float


def _cost(child: Child, idle_s: float, load: Load) -> ProcessCost:
    time.sleep(SETTLE_S)  # let start-up work (connecting, first publications) finish
    fine0, cpu0, t0 = child.thread_cpu_seconds(), child.cpu_seconds(), time.monotonic()
    time.sleep(idle_s)
    fine1, cpu1, t1 = child.thread_cpu_seconds(), child.cpu_seconds(), time.monotonic()
    idle_rate = idle_cpu(fine0, fine1, cpu1 - cpu0) / (t1 - t0)
    rss_idle = child.rss_mb()
    child.start_sampling()
    count = load.run()
    cpu2, t2 = child.cpu_seconds(), time.monotonic()
    rss_load = child.stop_sampling()
    work = max(0.0, (cpu2 - cpu1) - idle_rate * (t2 - t1))
    return ProcessCost(
        rss_idle_mb=rss_idle,
        rss_load_mb=rss_load,
        cpu_per_event_ms=1000.0 * work / count if count else 0.0,
        events=count,
        idle_cpu_percent=100.0 * idle_rate,
    )


def idle_cpu(fine0: float | None, fine1: float | None, coarse: float) -> float:
    """CPU seconds of an idle window: the threads' exact count, unless it disagrees with
    the process's tick count by more than the rounding of two samples (a thread ended)."""
    if fine0 is None or fine1 is None:
        return coarse
    fine = fine1 - fine0
    return fine if abs(fine - coarse) <= 4 * TICK_S else coarse


class Load:
    """Something that makes a process work; ``run()`` returns how many events it handled."""

    def run(self) -> int:
        raise NotImplementedError


# --- the station ----------------------------------------------------------------------


class _StationCommands(Load):
    def __init__(self, port: int, topic_base: str, commands: int, timeout_s: float) -> None:
        self.port = port
        self.base = topic_base
        self.commands = commands
        self.timeout_s = timeout_s
        self.replies = 0
        self.accepted = 0
        self.events = 0
        self.lock = threading.Lock()

    def seen(self, topic: str, payload: bytes, at: float) -> None:
        with self.lock:
            if topic.endswith("/reply"):
                self.replies += 1
                self.accepted += parse_reply(payload).accepted
            elif topic.endswith("/events"):
                self.events += 1

    def run(self) -> int:
        with self.lock:
            before = self.events
        with RawClient(self.port, "bench-commands") as publisher:
            for index in range(self.commands):
                message = command_message(f"bench-{index}", "bench", quantity=index + 1)
                publisher.publish(f"{self.base}/cmd/downstream", encode(message))
            wait_until(lambda: self.replies >= self.commands, self.timeout_s)
            wait_until(lambda: self.events - before >= self.accepted, self.timeout_s)
        return self.accepted


def measure_station_process(port: int, commands: int, idle_s: float) -> ProcessCost:
    """``andon station --sim`` idle, then taking ``commands`` commands."""
    config = load_station(BENCH_STATION)
    base = station_address(config).base
    load = _StationCommands(port, base, commands, timeout_s=60.0 + commands / 20)
    # A state retained by an earlier measurement of the same station would make the
    # process look ready before it has subscribed to its commands.
    _clear_retained(port, [f"{base}/state", f"{base}/status"])
    with tempfile.TemporaryDirectory(prefix="andon-bench-") as workdir:
        watcher = RawClient(
            port, on_message=load.seen, subscriptions=[f"{base}/reply", f"{base}/events"]
        ).start()
        states: list[bytes] = []
        state_watch = RawClient(
            port,
            on_message=lambda topic, payload, at: states.append(payload),
            subscriptions=[f"{base}/state"],
        ).start()
        child = Child.python(
            "-m", "andon", "--log-level", "WARNING", "station", "--sim",
            "--config", str(BENCH_STATION),
            "--broker", f"127.0.0.1:{port}",
            "--journal", str(Path(workdir) / "journal.sqlite"),
        )  # fmt: skip

        def ready() -> bool:
            child.alive()  # raises with the station's own words if it exited
            return bool(states)

        try:
            wait_until(ready, READY_TIMEOUT_S)
            return _cost(child, idle_s, load)
        finally:
            child.stop()
            watcher.stop()
            state_watch.stop()


# --- the board ------------------------------------------------------------------------


def demo_stations() -> list[FakeStation]:
    """The addresses of the demo plant's stations (what the demo board shows)."""
    return [
        FakeStation(station_address(load_station(path)))
        for path in sorted(DEMO_DIR.glob("station-*.toml"))
    ]


class _BoardEvents(Load):
    def __init__(self, child: Child, port: int, per_station: int, timeout_s: float) -> None:
        self.child = child
        self.port = port
        self.per_station = per_station
        self.timeout_s = timeout_s
        now = datetime.now(UTC)
        self.stations = demo_stations()
        template = state_template(now)
        self.stream = interleave(
            [list(events(s, per_station, now, template)) for s in self.stations]
        )
        self.events = count_events(self.stream)

    def run(self) -> int:
        before = int(self.child.ask("stats")["events"])
        with RawClient(self.port, "bench-board-load") as publisher:
            for message in self.stream:
                publisher.publish(message.topic, message.payload)
            expected = before + self.events
            deadline = time.monotonic() + self.timeout_s
            while int(self.child.ask("stats")["events"]) < expected:
                if time.monotonic() > deadline:
                    raise TimeoutError("the board did not take every event in time")
                time.sleep(0.1)
        return self.events


def measure_board_process(port: int, per_station: int, idle_s: float) -> ProcessCost:
    """The headless board of the demo plant, idle with seven stations, then under load."""
    now = datetime.now(UTC)
    template = state_template(now)
    stations = demo_stations()
    with RawClient(port, "bench-board-states") as publisher:
        for station in stations:
            for message in (status(station, now), state(station, template)):
                publisher.publish(message.topic, message.payload, retain=True).wait_for_publish(5)
    child = Child.python(
        "-m", "andon.bench.board_child", "--broker", f"127.0.0.1:{port}", stdin=True
    )
    try:
        wait_until(lambda: child.ask("stats")["connected"], READY_TIMEOUT_S)
        load = _BoardEvents(child, port, per_station, timeout_s=60.0 + per_station * 7 / 50)
        return _cost(child, idle_s, load)
    finally:
        child.stop()
        _clear_retained(  # leave no retained state behind
            port, [t for s in stations for t in (s.address.state(), s.address.status())]
        )


def _clear_retained(port: int, topics: list[str]) -> None:
    """Remove the retained messages of ``topics`` from the broker."""
    with RawClient(port, "bench-clear-retained") as publisher:
        sent = [publisher.publish(topic, b"", retain=True) for topic in topics]
        for info in sent:
            info.wait_for_publish(5)


# --- start-up and the bare interpreter ------------------------------------------------


def bare_python() -> tuple[float, float]:
    """(seconds to start and print, resident MB) of an interpreter doing nothing."""
    child = Child.python(
        "-c",
        "import json, sys, time; print(json.dumps({'t': time.monotonic()}), flush=True); "
        "sys.stdin.readline()",
        stdin=True,
    )
    try:
        started = child.read_json()["t"] - child.spawned
        return started, child.rss_mb()
    finally:
        child.stop()


def journal_of(events_count: int, into: Path) -> Path:
    """A journal of the benchmark station with ``events_count`` events (built in RAM if it can)."""
    shm = Path("/dev/shm")
    scratch = Path(tempfile.mkdtemp(prefix="andon-bench-", dir=shm if shm.is_dir() else None))
    try:
        runtime = build_station(
            load_station(BENCH_STATION), sim=True, connect=False, journal_path=scratch / "j.sqlite"
        )
        agent = runtime.agent
        agent.core.start()
        while agent.journal is not None and agent.journal.last_seq() < events_count:
            agent.core.execute(cmd.count, good=1)
        agent.stop()
        target = into / f"journal-{events_count}.sqlite"
        shutil.copy(scratch / "j.sqlite", target)
        return target
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def without_checkpoints(journal: Path, target: Path) -> Path:
    """A copy of ``journal`` without its state checkpoints: start-up replays every event."""
    shutil.copy(journal, target)
    with contextlib.closing(sqlite3.connect(target)) as conn, conn:
        conn.execute("DELETE FROM checkpoints")
    return target


def start_up(port: int, journal: Path) -> tuple[float, dict[str, object]]:
    """Seconds from spawning a station process to its first lamp output; the child's report."""
    child = Child.python(
        "-m", "andon.bench.startup_child", str(BENCH_STATION), str(journal), f"127.0.0.1:{port}"
    )
    try:
        report = child.read_json(60.0)
        return float(report["lamp"]) - child.spawned, report  # type: ignore[arg-type]
    finally:
        child.stop()
