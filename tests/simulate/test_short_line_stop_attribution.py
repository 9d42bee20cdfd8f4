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
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from andon.simulate.runner import SimulationRun
from tests.simulate.line_stop import board_line, only_shift, run_text

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
    return run_text(tmp_path_factory.mktemp("scenario"), "short-quality-stop.toml", SCENARIO)


@pytest.fixture(scope="module")
def shift(run: SimulationRun) -> dict[str, Any]:
    return only_shift(run)


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


def test_the_board_shows_the_reports_figures(run: SimulationRun, shift: dict[str, Any]) -> None:
    line = board_line(run, UNTIL, "line-c")
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
