"""Header = chart = report over generated shifts: the board's line view, fed with the
states the stations publish, gives the report's numbers (docs/figures.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from andon.board.catalogue import BoardCatalogue, LineInfo, ReasonInfo
from andon.board.model import BoardModel
from andon.bus.messages import encode, state_message
from andon.domain.downtime import Stop
from andon.domain.snapshot import snapshot
from andon.domain.station_state import StationState
from andon.simulate.report import production
from andon.simulate.report_stops import line_stops
from andon.simulate.runner import Checkpoint
from tests.domain.harness import BERLIN, day_calendar, rules, t

PREFIX, SITE, AREA = "andon", "demo-plant", "assembly"
CALENDAR = day_calendar()  # 08:00-17:00, meeting 10:00-10:15, lunch 12:00-12:45
WINDOW = CALENDAR.shift_at(t(9))
STATIONS = ("a1", "a2", "a3")  # a3 counts
SOURCES = ("fault", "line_stop", "no_count", "changeover")
REASONS = ("", "", "BRK", "MAT")
HEALTH = {"journal_error": "", "unjournaled": 0, "broker": True, "in_flight": 0}


def catalogue() -> BoardCatalogue:
    return BoardCatalogue(
        board_id="test",
        title="Test board",
        prefix=PREFIX,
        site=SITE,
        area=AREA,
        lines=(LineInfo("line-a", "Line A", 160.0, "a3", 150.0),),
        zone=BERLIN,
        reasons=(ReasonInfo("BRK", "Breakdown"), ReasonInfo("MAT", "Material late")),
        working_time=CALENDAR,
        minor_stop_s=300.0,
    )


@st.composite
def line_states(draw: st.DrawFn) -> tuple[datetime, dict[str, StationState]]:
    """Each station's state at ``until``: its stops (some open, some begun before the
    shift), and the counting station's good and scrap."""
    assert WINDOW is not None
    until = WINDOW.start + timedelta(seconds=draw(st.integers(0, 9 * 3600 - 1)))
    horizon = int((until - WINDOW.start).total_seconds())
    states = {}
    for station in STATIONS:
        stops = []
        for n in range(draw(st.integers(0, 4))):
            begin = draw(st.integers(-1800, max(-1800, horizon - 1)))
            end = None if n == 0 and draw(st.booleans()) else begin + draw(st.integers(1, 3600))
            if end is not None and end > horizon:
                end = horizon
            if end is not None and end <= begin:
                continue
            stops.append(
                Stop(
                    stop_id=f"line-a.{station}.S{n + 1}",
                    source=draw(st.sampled_from(SOURCES)),
                    started_at=WINDOW.start + timedelta(seconds=begin),
                    ended_at=None if end is None else WINDOW.start + timedelta(seconds=end),
                    reason=draw(st.sampled_from(REASONS)),
                )
            )
        counts = station == "a3"
        total = draw(st.integers(0, 250)) if counts else 0
        good = draw(st.integers(0, total))
        station_rules = replace(rules(), station=station, counts=counts)
        states[station] = StationState(
            rules=station_rules,
            last_at=until,
            shift_start=WINDOW.start,
            good=good,
            scrap=total - good,
            stops=tuple(stops),
        )
    return until, states


def board_line(until: datetime, states: dict[str, StationState]) -> Any:
    model = BoardModel(catalogue())
    for station, state in states.items():
        path = f"{SITE}/{AREA}/line-a/{station}"
        message = state_message(path, snapshot(state, until), HEALTH)
        model.ingest(f"{PREFIX}/{path}/state", encode(message), until)
    return model.view(until).line("line-a")


@settings(max_examples=60, deadline=None)
@given(line_states())
def test_the_boards_header_and_chart_are_the_reports(case) -> None:  # type: ignore[no-untyped-def]
    until, states = case
    assert WINDOW is not None
    report = production(
        states["a3"], Checkpoint(WINDOW, until, states), [], BERLIN, line_stops(states, until)
    )
    line = board_line(until, states)
    kpi = report["kpi"]
    if line.kpi is None:  # not judged yet: the report has no factors either
        assert kpi["availability"] is None and kpi["oee"] is None
    else:
        assert round(line.kpi.planned_production_s, 3) == kpi["planned_production_s"]
        assert round(line.kpi.downtime_s, 3) == kpi["downtime_s"]
        assert round(line.kpi.minor_stop_s, 3) == kpi["minor_stop_s"]
        assert round(line.kpi.availability, 4) == kpi["availability"]
        assert round(line.kpi.performance, 4) == kpi["performance"]
        assert round(line.kpi.quality, 4) == kpi["quality"]
        assert round(line.kpi.oee, 4) == kpi["oee"]
        # the header's downtime is the chart's downtime bars, summed
        chart = sum(b.seconds for b in line.pareto if b.label != "Minor stops")
        assert abs(chart - line.kpi.downtime_s) < 1e-6
    reported = sorted(round(d["seconds"], 3) for d in report["downtime_by_reason"])
    assert sorted(round(b.seconds, 3) for b in line.pareto) == reported
    assert sum(b.unexplained for b in line.pareto) == sum(
        1 for d in report["downtime_by_reason"] if d["reason"].endswith("reason missing")
    )
