"""The broker watchdog against the production Mosquitto of a provisioned plant.

A hang is made real by stopping the broker's process (SIGSTOP): its port still
accepts TCP connections, as a Mosquitto spinning in its keep-alive check does
(eclipse-mosquitto/mosquitto#2594), and nothing answers.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from andon.bus.client import BusClient
from andon.bus.watchdog import BrokerWatchdog
from tests.support.stations import wait_for

from .conftest import Plant

pytestmark = pytest.mark.mosquitto

GRACE_S = 2.0
WAIT_S = 30.0


@pytest.fixture
def plant(plain_plant: Plant) -> Iterator[Plant]:
    """The plant's broker running again after each test, whatever the test did to it."""
    yield plain_plant
    broker = plain_plant.broker
    if broker.process.poll() is None:
        broker.process.send_signal(signal.SIGCONT)
    else:
        broker.start()


def watchdog(plant: Plant, restart, **options: float) -> BrokerWatchdog:
    settings = plant.settings("watchdog")
    return BrokerWatchdog(settings, restart, grace_s=GRACE_S, check_s=0.1, **options)


def test_a_hung_broker_is_restarted_once_and_answers_again(plant: Plant) -> None:
    restarts: list[float] = []

    def restart() -> None:
        restarts.append(time.monotonic())
        plant.broker.kill_and_start()

    dog = watchdog(plant, restart, cooldown_s=60).start()
    try:
        assert dog.wait_connected(WAIT_S), "the watchdog account cannot log in"
        hung_at = time.monotonic()
        plant.broker.process.send_signal(signal.SIGSTOP)
        wait_for(lambda: restarts, WAIT_S)
        assert restarts[0] - hung_at >= GRACE_S
        wait_for(lambda: dog.stats.down_since is None and dog.wait_connected(0), WAIT_S)
        assert dog.stats.restarts == dog.stats.hangs == 1
    finally:
        dog.stop()


def test_a_stopped_broker_is_left_to_its_service_manager(plant: Plant) -> None:
    restarts: list[str] = []
    dog = watchdog(plant, lambda: restarts.append("restart")).start()
    try:
        assert dog.wait_connected(WAIT_S)
        plant.broker.stop()
        wait_for(lambda: dog.stats.down_since is not None, WAIT_S)
        down_checks = dog.stats.checks
        wait_for(lambda: time.monotonic() - dog.stats.down_since > 2 * GRACE_S, WAIT_S)
        assert dog.stats.checks > down_checks
        assert restarts == [] and dog.stats.hangs == 0
    finally:
        dog.stop()


def test_a_broker_that_refuses_the_login_is_alive(plant: Plant, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.password"
    wrong.write_text("not the password\n")
    wrong.chmod(0o600)
    settings = plant.settings("watchdog", password_file=wrong)
    restarts: list[str] = []
    dog = BrokerWatchdog(settings, lambda: restarts.append("restart"), grace_s=GRACE_S, check_s=0.1)
    dog.start()
    try:
        wait_for(lambda: (dog.last_error or "").startswith("connection refused"), WAIT_S)
        since = wait_for(lambda: dog.stats.down_since, WAIT_S)
        wait_for(lambda: time.monotonic() - since > 2 * GRACE_S, WAIT_S)
        assert restarts == [] and dog.stats.hangs == 0
    finally:
        dog.stop()


def test_a_failing_restart_is_counted_and_tried_again_after_the_cooldown(plant: Plant) -> None:
    def restart() -> None:
        raise RuntimeError("systemctl: access denied")

    dog = watchdog(plant, restart, cooldown_s=1.0).start()
    try:
        assert dog.wait_connected(WAIT_S)
        plant.broker.process.send_signal(signal.SIGSTOP)
        wait_for(lambda: dog.stats.restart_failures >= 2, WAIT_S)
        assert dog.stats.restarts == 0
    finally:
        dog.stop()


def test_andon_watchdog_runs_the_restart_command_on_a_hang(plant: Plant) -> None:
    pid = plant.broker.process.pid
    command = [
        sys.executable,
        "-m",
        "andon",
        "--log-level",
        "INFO",
        "watchdog",
        "--config",
        str(plant.bundle("watchdog") / "plant.toml"),
        "--grace",
        str(GRACE_S),
        "--restart-command",
        f"kill -CONT {pid}",
    ]
    watcher = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(0.5)  # let it log in before the hang (it is also fine if it never did)
        plant.broker.process.send_signal(signal.SIGSTOP)
        probe = plant.settings("monitor")
        # The command continued the broker: a new client logs in again.
        client = BusClient(probe).start()
        try:
            assert client.wait_connected(WAIT_S), "the watchdog never ran its restart command"
        finally:
            client.close(timeout=1)
    finally:
        watcher.send_signal(signal.SIGTERM)
        output, _ = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, output
    assert "has not answered" in output and f"kill -CONT {pid}" in output
