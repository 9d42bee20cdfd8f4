"""``andon sim`` as a separate process against a simulated station running in the test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.stations import DEMO, wait_for

ROOT = Path(__file__).resolve().parents[2]
A3 = DEMO / "station-a3.toml"


def andon_sim(mosquitto, *args: str, config: Path = A3, timeout: str = "10"):
    """Run ``andon sim`` and return the finished process."""
    command = [
        sys.executable,
        "-m",
        "andon",
        "sim",
        "--config",
        str(config),
        "--broker",
        f"{mosquitto.host}:{mosquitto.port}",
        "--timeout",
        timeout,
        *args,
    ]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


def open_calls(runtime):
    state = runtime.agent.run_on_loop(runtime.agent.state_payload)
    return [(c["type"], c["source"]) for c in state["open_calls"]]


def start_a3(mosquitto, station_factory):
    runtime = station_factory(mosquitto.settings(client_id="test-station-a3", clean_session=False))
    assert runtime.agent.bus.wait_subscribed(10)
    return runtime


def test_a_press_through_andon_sim_raises_the_call(mosquitto, station_factory):
    runtime = start_a3(mosquitto, station_factory)

    done = andon_sim(mosquitto, "press", "help")

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "demo-plant/assembly/line-a/a3: done"
    assert done.stderr == "", "a one-shot command logs no connection chatter"
    wait_for(lambda: open_calls(runtime) == [("help", "button")])
    state = runtime.agent.run_on_loop(runtime.agent.state_payload)
    assert "call.help" in state["signals"]


def test_options_may_follow_the_action_and_a_count_is_counted(mosquitto, station_factory):
    runtime = start_a3(mosquitto, station_factory)
    command = [
        sys.executable,
        "-m",
        "andon",
        "sim",
        "count",
        "3",
        "--config",
        str(A3),
        "--broker",
        f"{mosquitto.host}:{mosquitto.port}",
    ]

    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    state = wait_for(
        lambda: (s := runtime.agent.run_on_loop(runtime.agent.state_payload))["good"] == 3 and s
    )
    assert state["good"] == 3


def test_an_input_the_station_lacks_is_refused_with_exit_1(mosquitto, station_factory):
    runtime = start_a3(mosquitto, station_factory)

    done = andon_sim(mosquitto, "press", "coffee")

    assert done.returncode == 1
    assert "refused" in done.stderr and "coffee" in done.stderr
    assert open_calls(runtime) == []


def test_no_station_answering_is_exit_2(mosquitto):
    done = andon_sim(mosquitto, "press", "help", config=DEMO / "station-c1.toml", timeout="0.5")

    assert done.returncode == 2
    assert "no answer from demo-plant/assembly/line-c/c1" in done.stderr


def test_an_unreachable_broker_is_exit_2(tmp_path):
    from tests.conftest import free_port

    command = [
        sys.executable,
        "-m",
        "andon",
        "sim",
        "--config",
        str(A3),
        "--broker",
        f"127.0.0.1:{free_port()}",
        "--timeout",
        "0.5",
        "acknowledge",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "cannot reach the broker" in done.stderr
