"""Nothing is lost: broker outages, a killed station, a disk that refuses writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

from andon.bus.client import BusClient
from andon.bus.commands import command_message
from andon.bus.consumer import EventFollower
from andon.bus.messages import encode
from andon.bus.topics import StationFilter
from andon.domain import commands as cmd
from andon.journal.store import Journal
from hal.patterns import Pattern
from tests.support.stations import DEMO, wait_for

A3 = "demo-plant/assembly/line-a/a3"


def follow_everything(settings) -> tuple[BusClient, EventFollower, list]:
    received: list = []
    lock = threading.Lock()

    def keep(event) -> None:
        with lock:
            received.append(event)

    bus = BusClient(settings)
    follower = EventFollower(
        bus, StationFilter("andon"), keep, use_state_baseline=False, retry_s=0.5, who="test"
    )
    bus.start()
    assert bus.wait_subscribed(10)
    return bus, follower, received


def test_broker_killed_and_restarted_mid_stream_loses_nothing_and_repeats_nothing(
    mosquitto, station_factory, tmp_path
):
    bus, follower, received = follow_everything(mosquitto.settings(client_id="follower"))
    try:
        runtime = station_factory(mosquitto.settings(client_id="station-a3", clean_session=False))
        agent = runtime.agent
        assert agent.bus.wait_subscribed(10)

        def burst(n: int, chunk: int = 25) -> None:
            def counts() -> None:
                for _ in range(chunk):
                    agent.core.execute(cmd.count, good=1)

            for _ in range(n // chunk):
                agent.run_on_loop(counts)

        burst(700)
        mosquitto.kill()
        burst(600)  # broker down: journaled, lamps and state still follow
        assert agent.core.state.good >= 1300
        mosquitto.start()
        burst(700)
        journal_last = agent.run_on_loop(lambda: agent.journal.last_seq())

        def caught_up() -> bool:
            follower.retry_gaps()
            return follower.last(A3) >= journal_last

        wait_for(caught_up, timeout=60, step=0.2)
        time.sleep(0.5)  # late duplicates, if any, would land now
        seqs = [e.seq for e in received if e.station == A3]
        assert seqs[:journal_last] == list(range(1, journal_last + 1))
        journal_ids = agent.run_on_loop(
            lambda: [row.id for row in agent.journal.rows(limit=journal_last)]
        )
        assert [e.event_id for e in received if e.station == A3][:journal_last] == journal_ids
        assert journal_last >= 2000
    finally:
        bus.close()


def test_station_keeps_lamps_and_calls_while_the_broker_is_down(mosquitto, station_factory):
    runtime = station_factory(mosquitto.settings(client_id="station-a3", clean_session=False))
    agent, sim = runtime.agent, runtime.sim
    assert agent.bus.wait_subscribed(10)
    mosquitto.kill()
    wait_for(lambda: not agent.bus.connected)
    sim.press("quality")
    wait_for(lambda: agent.core.state.open_call("quality") is not None)
    wait_for(lambda: sim.lamp_lit("yellow"))
    assert "offline" in agent.active_signals()
    escalations = [c.level for c in agent.core.state.open_calls]
    assert escalations == [1]  # the escalation ladder runs without the broker
    sim.set_fault(True)
    wait_for(lambda: agent.core.state.open_call("equipment") is not None)
    wait_for(lambda: sim.lamp_lit("red"))


def test_a_restarted_station_rebuilds_its_state_and_lamps_at_once(station_factory, tmp_path):
    journal = tmp_path / "a3.sqlite"
    first = station_factory(journal_path=journal)
    first.sim.press("help")
    wait_for(lambda: first.agent.core.state.open_call("help") is not None)
    first.agent.run_on_loop(lambda: first.agent.core.execute(cmd.count, good=7))
    before = first.agent.run_on_loop(lambda: first.agent.state_payload())
    first_green = first.agent.devices.devices.tower.state.pattern("green")
    first.agent.stop()

    second = station_factory(journal_path=journal)
    after = second.agent.state_payload()
    assert after["good"] == before["good"] == 7
    assert [c["call_id"] for c in after["open_calls"]] == [
        c["call_id"] for c in before["open_calls"]
    ]
    assert after["open_calls"][0]["level"] == before["open_calls"][0]["level"]
    # the outputs were set during start(): no waiting
    assert "call.help" in second.agent.active_signals()
    tower = second.agent.devices.devices.tower
    assert tower.state.pattern("yellow") is not Pattern.OFF
    assert tower.state.pattern("green") is first_green


def test_a_sigkilled_station_process_restarts_into_the_same_state(mosquitto, tmp_path):
    journal = tmp_path / "a3.sqlite"
    settings = mosquitto.settings(client_id="watcher")
    watcher = BusClient(settings)
    states: list[dict] = []
    replies: list[dict] = []
    watcher.subscribe(
        "andon/demo-plant/assembly/line-a/a3/state", lambda m: states.append(json.loads(m.payload))
    )
    watcher.subscribe(
        "andon/demo-plant/assembly/line-a/a3/reply", lambda m: replies.append(json.loads(m.payload))
    )
    watcher.start()
    assert watcher.wait_subscribed(10)
    command = [
        sys.executable, "-m", "andon", "station", "--sim",
        "--config", str(DEMO / "station-a3.toml"),
        "--broker", f"127.0.0.1:{mosquitto.port}",
        "--journal", str(journal),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    def sim(action: str, **args) -> None:
        command_id = str(uuid.uuid4())
        watcher.publish(
            "andon/demo-plant/assembly/line-a/a3/cmd/sim",
            encode(command_message(command_id, "test", action=action, **args)),
        )
        wait_for(lambda: any(r["command_id"] == command_id and r["accepted"] for r in replies))

    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: states, timeout=30)
        sim("press", call_type="help")
        sim("count", n=3)
        before = wait_for(
            lambda: [s for s in states if s["good"] == 3 and s["open_calls"]], timeout=20
        )[-1]
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        states.clear()
        second = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            after = wait_for(lambda: [s for s in states if s["seq"] > before["seq"]], timeout=30)[
                -1
            ]
            assert after["good"] == 3
            assert [c["call_id"] for c in after["open_calls"]] == [
                c["call_id"] for c in before["open_calls"]
            ]
            assert "call.help" in after["signals"]
        finally:
            second.terminate()
            second.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(10)
        watcher.close()
    with Journal(journal, owner=A3) as j:
        kinds = [row.kind for row in j.rows()]
    assert kinds.count("station_started") == 2
