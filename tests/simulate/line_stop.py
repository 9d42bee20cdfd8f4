"""What the line-stop attribution tests share: a scenario of the demo plant run once, its
one line's one shift in the report, and the board fed with the stations' final states."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from andon.board.catalogue import BoardCatalogue
from andon.board.model import BoardModel
from andon.board.views import LineView
from andon.bus.messages import encode, state_message
from andon.bus.topics import StationAddress
from andon.config.loader import load_board
from andon.domain.snapshot import snapshot
from andon.simulate.load import load_scenario
from andon.simulate.report import build_report
from andon.simulate.runner import SimulationRun, run_scenario

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"


def run_text(folder: Path, name: str, scenario: str) -> SimulationRun:
    """The scenario ``scenario`` (TOML text) of the demo plant, written to ``folder`` and run."""
    path = folder / name
    path.write_text(scenario, encoding="utf-8")
    return run_scenario(load_scenario(path, DEMO))


def only_shift(run: SimulationRun) -> dict[str, Any]:
    """The report's one shift of its one line."""
    (line,) = build_report(run)["lines"]
    (shift,) = line["shifts"]
    return shift  # type: ignore[no-any-return]


def board_line(run: SimulationRun, until: datetime, line_id: str) -> LineView | None:
    """The demo board fed with each station's state at ``until``, as the stations publish it."""
    catalogue = BoardCatalogue.from_board(load_board(DEMO / "board.toml"))
    model = BoardModel(catalogue)
    (checkpoint,) = run.checkpoints
    for key, state in checkpoint.states.items():
        spec = run.scenario.stations[key]
        site = spec.config.plant_config.site
        address = StationAddress(site.topic_prefix, site.id, site.area, spec.line, spec.config.id)
        health = {"journal_error": "", "unjournaled": 0, "broker": True, "in_flight": 0}
        message = state_message(address.path, snapshot(state, until), health)
        model.ingest(address.state(), encode(message), until)
    return model.view(until).line(line_id)
