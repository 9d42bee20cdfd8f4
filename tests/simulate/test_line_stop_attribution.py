"""A quality call at a1 stops line A; its downtime is booked under the call's reason.

Line A: a1 (not counting) and a3 (counting, one unit every 160 s, held back while
the line stands). a1's quality call at 07:00 stops the line at the end of the takt
cycle (07:01:00); a badge takes it at 07:02 and the reason card ``RC:BRK-TOOL``
resolves it at 07:20, which releases the line. a3 sees no unit from 07:01:00 to
its next pulse at 07:22:20. The line lost 21 min 20 s, all of it to BRK-TOOL: not
to "no count: reason missing", and the line stop shows its reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from andon.simulate.runner import SimulationRun
from tests.simulate.line_stop import board_line, only_shift, run_text

BERLIN = ZoneInfo("Europe/Berlin")
UNTIL = datetime(2026, 3, 4, 8, 0, tzinfo=BERLIN)

SCENARIO = """\
kind = "scenario"
schema = 1
name = "A quality call at a1 stops line A"
start = 2026-03-04T06:00:00+01:00
end = 2026-03-04T08:00:00+01:00
stations = ["station-a1.toml", "station-a3.toml"]

[[production]]
station = "a3"
from = "06:05"
to = "08:00"
every_s = 160

[[steps]]
at = "07:00"
station = "a1"
press = "quality"

[[steps]]
at = "07:02"
station = "a1"
scan = "BD:1001"

[[steps]]
at = "07:20"
station = "a1"
scan = "RC:BRK-TOOL"
"""

LOST_S = 21 * 60 + 20
PLANNED_S = 2 * 3600 - 5 * 60  # 06:00-08:00 less the 5-min start meeting


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> SimulationRun:
    return run_text(tmp_path_factory.mktemp("scenario"), "quality-stop.toml", SCENARIO)


@pytest.fixture(scope="module")
def shift(run: SimulationRun) -> dict[str, Any]:
    return only_shift(run)


def test_the_line_stop_is_booked_under_the_calls_reason(shift: dict[str, Any]) -> None:
    (call,) = shift["calls"]
    assert (call["station"], call["type"], call["reason"]) == ("line-a/a1", "quality", "BRK-TOOL")
    assert [(d["reason"], d["seconds"]) for d in shift["downtime_by_reason"]] == [
        ("BRK-TOOL", LOST_S)
    ]
    assert not any("reason missing" in d["reason"] for d in shift["downtime_by_reason"])
    kpi = shift["kpi"]
    assert kpi["planned_production_s"] == PLANNED_S
    assert kpi["downtime_s"] == LOST_S
    assert kpi["availability"] == round((PLANNED_S - LOST_S) / PLANNED_S, 4)


def test_the_causing_stop_shows_its_reason(shift: dict[str, Any]) -> None:
    stops = {(s["station"], s["source"]): s for s in shift["stops"]}
    line_stop = stops[("line-a/a1", "line_stop")]
    assert (line_stop["reason"], line_stop["started_at"], line_stop["ended_at"]) == (
        "BRK-TOOL",
        "2026-03-04T07:01:00+01:00",
        "2026-03-04T07:20:00+01:00",
    )
    assert (line_stop["reason_key"], line_stop["explained_by"]) == ("BRK-TOOL", None)
    no_count = stops[("line-a/a3", "no_count")]
    assert (no_count["started_at"], no_count["ended_at"]) == (
        "2026-03-04T07:01:00+01:00",
        "2026-03-04T07:22:20+01:00",
    )
    # a3 saw no count because a1 held the line: booked under a1's cause
    assert (no_count["reason"], no_count["reason_key"], no_count["explained_by"]) == (
        "",
        "BRK-TOOL",
        "line-a/a1",
    )


def test_the_board_shows_the_reports_figures(run: SimulationRun, shift: dict[str, Any]) -> None:
    line = board_line(run, UNTIL, "line-a")
    assert line is not None and line.kpi is not None
    kpi = shift["kpi"]
    assert line.kpi.downtime_s == kpi["downtime_s"]
    assert round(line.kpi.availability, 4) == kpi["availability"]
    assert round(line.kpi.oee, 4) == kpi["oee"]
    assert [(b.label, b.seconds, b.unexplained) for b in line.pareto] == [
        ("Tool broken or worn", LOST_S, False)
    ]
    # a3's no-count stop is the line stop's symptom: nobody is asked for its reason
    assert line.stops_needing_reason == ()
    (explained,) = [s for s in line.stops if s.explained_by]
    assert (explained.station_id, explained.stop.source, explained.explained_by) == (
        "a3",
        "no_count",
        "a1",
    )
