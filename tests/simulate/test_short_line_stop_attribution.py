"""A short quality call at c2 stops line C at night; its minutes are booked under the
call's reason, and c2's no-count stop under it too.

Line C: c1 (not counting) and c2 (counting, one unit every 45 s). c2's last unit
before the stop comes at 05:16:00; its quality call at 05:17 stops the line at the
end of the takt cycle (05:17:45); a badge takes it at 05:18 and the reason card
``RC:DEF-ASSY`` resolves it at 05:22:15, which releases the line: a line stop of
4 min 30 s, shorter than the 5-min minor-stop threshold. The next unit comes at
05:22:44, so c2's no-count stop lasts 6 min 44 s. All of it is "Assembly defect":
the line stop is not an anonymous minor stop, and the no-count stop does not ask a
reason of its own (docs/figures.md, the downtime Pareto).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from andon.board.catalogue import BoardCatalogue
from andon.board.model import BoardModel
from andon.bus.messages import encode, state_message
from andon.bus.topics import StationAddress
from andon.config.loader import load_board
from andon.domain.snapshot import snapshot
from andon.simulate.load import load_scenario
from andon.simulate.report import build_report
from andon.simulate.runner import SimulationRun, run_scenario

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"
BERLIN = ZoneInfo("Europe/Berlin")
UNTIL = datetime(2026, 3, 4, 5, 50, tzinfo=BERLIN)

SCENARIO = """\
kind = "scenario"
schema = 1
name = "A short quality call at c2 stops line C at night"
start = 2026-03-03T22:00:00+01:00
end = 2026-03-04T05:50:00+01:00
stations = ["station-c1.toml", "station-c2.toml"]

[[production]]
station = "c2"
from = "22:05"
to = "01:00"
every_s = 45

[[production]]
station = "c2"
from = "01:16"
to = "05:16:01"
every_s = 45

[[production]]
station = "c2"
from = "05:22:44"
to = "05:50"
every_s = 45

[[steps]]
at = "05:17"
station = "c2"
press = "quality"

[[steps]]
at = "05:18"
station = "c2"
scan = "BD:1001"

[[steps]]
at = "05:22:15"
station = "c2"
scan = "RC:DEF-ASSY"
"""

LOST_S = 6 * 60 + 44  # 05:16:00 → 05:22:44
PLANNED_S = 8 * 3600 - 30 * 60  # 22:00-05:50 less the meeting and the break


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> SimulationRun:
    path = tmp_path_factory.mktemp("scenario") / "short-quality-stop.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return run_scenario(load_scenario(path, DEMO))


@pytest.fixture(scope="module")
def shift(run: SimulationRun) -> dict[str, Any]:
    report = build_report(run)
    (line,) = report["lines"]
    (night,) = line["shifts"]
    return night  # type: ignore[no-any-return]


def test_the_short_line_stop_is_booked_under_the_calls_reason(shift: dict[str, Any]) -> None:
    (call,) = shift["calls"]
    assert (call["station"], call["type"], call["reason"]) == ("line-c/c2", "quality", "DEF-ASSY")
    assert [(d["reason"], d["seconds"], d["minor"]) for d in shift["downtime_by_reason"]] == [
        ("DEF-ASSY", LOST_S, False)
    ]
    kpi = shift["kpi"]
    assert kpi["planned_production_s"] == PLANNED_S
    assert (kpi["downtime_s"], kpi["minor_stop_s"]) == (LOST_S, 0)
    assert kpi["availability"] == round((PLANNED_S - LOST_S) / PLANNED_S, 4)


def test_both_stops_show_the_calls_reason(shift: dict[str, Any]) -> None:
    stops = {s["source"]: s for s in shift["stops"]}
    assert set(stops) == {"line_stop", "no_count"}
    line_stop, no_count = stops["line_stop"], stops["no_count"]
    assert (line_stop["started_at"], line_stop["ended_at"]) == (
        "2026-03-04T05:17:45+01:00",
        "2026-03-04T05:22:15+01:00",
    )
    assert (line_stop["reason"], line_stop["reason_key"], line_stop["class"]) == (
        "DEF-ASSY",
        "DEF-ASSY",
        "downtime",
    )
    assert (no_count["started_at"], no_count["ended_at"]) == (
        "2026-03-04T05:16:00+01:00",
        "2026-03-04T05:22:44+01:00",
    )
    assert (no_count["reason"], no_count["reason_key"], no_count["explained_by"]) == (
        "",
        "DEF-ASSY",
        "line-c/c2",
    )


def _board_line(run: SimulationRun) -> Any:
    """The board fed with each station's state at 05:50, as the stations publish it."""
    catalogue = BoardCatalogue.from_board(load_board(DEMO / "board.toml"))
    model = BoardModel(catalogue)
    (checkpoint,) = run.checkpoints
    for key, state in checkpoint.states.items():
        spec = run.scenario.stations[key]
        site = spec.config.plant_config.site
        address = StationAddress(site.topic_prefix, site.id, site.area, spec.line, spec.config.id)
        health = {"journal_error": "", "unjournaled": 0, "broker": True, "in_flight": 0}
        message = state_message(address.path, snapshot(state, UNTIL), health)
        model.ingest(address.state(), encode(message), UNTIL)
    return model.view(UNTIL).line("line-c")


def test_the_board_shows_the_reports_figures(run: SimulationRun, shift: dict[str, Any]) -> None:
    line = _board_line(run)
    assert line is not None and line.kpi is not None
    kpi = shift["kpi"]
    assert (line.kpi.downtime_s, line.kpi.minor_stop_s) == (kpi["downtime_s"], 0)
    assert round(line.kpi.availability, 4) == kpi["availability"]
    assert [(b.label, b.seconds, b.unexplained) for b in line.pareto] == [
        ("Assembly defect", LOST_S, False)
    ]
    # no ⚠: neither stop asks for a reason
    assert line.stops_needing_reason == ()
    (explained,) = [s for s in line.stops if s.explained_by]
    assert (explained.station_id, explained.stop.source, explained.explained_by) == (
        "c2",
        "no_count",
        "c2",
    )
