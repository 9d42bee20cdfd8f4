"""``andon sim`` drives a simulated station on a provisioned broker, logged in as a board."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from andon.config.loader import load_station
from andon.station.assemble import build_station
from tests.support.stations import wait_for

from .conftest import HOST, Plant

REPO = Path(__file__).resolve().parents[2]
STATION = "station.line-a.a3"
BOARD = "board.supervisor"


def andon_sim(plant: Plant, *args: str) -> subprocess.CompletedProcess[str]:
    station_file = plant.bundle(STATION) / "station-a3.toml"
    port = plant.result.layout.plain.port
    command = [
        sys.executable, "-m", "andon", "sim", "--config", str(station_file),
        "--broker", f"{HOST}:{port}", "--timeout", "3", *args,
    ]  # fmt: skip
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)


def test_andon_sim_logs_in_as_a_board_and_the_station_does_it(
    simulated_plant: Plant, tmp_path: Path
) -> None:
    config = load_station(simulated_plant.bundle(STATION) / "station-a3.toml")
    runtime = build_station(
        config,
        sim=True,
        broker=f"{HOST}:{simulated_plant.result.layout.plain.port}",
        journal_path=tmp_path / "a3.sqlite",
    )
    runtime.agent.start()
    try:
        assert runtime.agent.bus.wait_subscribed(10)

        as_station = andon_sim(simulated_plant, "press", "help")
        assert as_station.returncode == 2, as_station.stdout
        assert f"account {STATION}" in as_station.stderr
        assert "--as BOARD_FILE" in as_station.stderr
        assert not runtime.agent.core.state.open_calls

        board_file = simulated_plant.bundle(BOARD) / "board.toml"
        as_board = andon_sim(simulated_plant, "--as", str(board_file), "press", "help")
        assert as_board.returncode == 0, as_board.stderr
        assert as_board.stdout.strip() == "demo-plant/assembly/line-a/a3: done"
        wait_for(lambda: len(runtime.agent.core.state.open_calls) == 1)
    finally:
        runtime.agent.stop()
