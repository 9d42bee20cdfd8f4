"""One simulated station driven by hand on the simulated timeline: inputs at exact instants,
the relay pin set exactly at the end of the takt cycle."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from andon.config.loader import load_station
from andon.domain.decide import next_deadline
from andon.simulate.scenario import Step
from andon.simulate.scenario_plan import SimStation, TimedStep, wall_instant
from andon.simulate.station import SimulatedStation
from andon.simulate.timeline import SimTimeline, ceil_ms

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"
BERLIN = ZoneInfo("Europe/Berlin")


def t(hh: int, mm: int, ss: int = 0, ms: int = 0) -> datetime:
    return datetime(2026, 3, 4, hh, mm, ss, ms * 1000, tzinfo=BERLIN).astimezone(UTC)


class Driver:
    """Moves the timeline and the station's device clock together, turning its loop."""

    def __init__(self, station: SimulatedStation, timeline: SimTimeline) -> None:
        self.station = station
        self.timeline = timeline

    def to(self, at: datetime) -> None:
        self.station.let_pass(self.timeline.advance_to(at))
        self.station.step()

    def do(self, **action: object) -> list[str]:
        step = Step.model_validate({"at": "00:00", "station": "a3", **action})
        return self.station.perform(TimedStep(self.timeline.now(), 0, "line-a/a3", step))


@pytest.fixture
def a3(tmp_path: Path) -> Iterator[Driver]:
    config = load_station(DEMO / "station-a3.toml")
    timeline = SimTimeline(t(7, 0))
    station = SimulatedStation(
        SimStation("line-a/a3", DEMO / "station-a3.toml", config),
        timeline,
        tmp_path / "a3.sqlite",
    )
    try:
        station.start()
        yield Driver(station, timeline)
    finally:
        station.close()


def test_the_relay_pin_is_set_exactly_at_the_end_of_the_takt_cycle(a3):
    a3.to(t(7, 20))
    assert a3.do(press="help") == []
    (call,) = a3.station.state.open_calls
    assert call.raised_at == t(7, 20)  # the press counts at its instant, debounce or not
    # 07:20 is 4 500 planned working seconds into the shift: the cycle ends at 4 640 s.
    assert next_deadline(a3.station.state, a3.timeline.now()) == t(7, 22, 20)
    a3.to(t(7, 22, 19, 999))
    assert a3.station.controller.line_stopped() is False
    a3.to(t(7, 22, 20))
    assert a3.station.controller.line_stopped() is True
    a3.to(t(7, 23))
    assert a3.do(scan="BD:1001") == []
    assert a3.do(scan="RC:BRK-TOOL") == []
    assert a3.station.controller.line_stopped() is False


def test_refusals_come_back_with_the_stations_reason(a3):
    a3.to(t(7, 5))
    assert a3.do(scan="BD:1001") == ["no call waiting for acknowledgement"]
    assert a3.do(acknowledge_button=True) == ["no call waiting for acknowledgement"]
    assert a3.do(press="help") == []
    assert a3.do(press="help") == [
        f"a help call is already open ({a3.station.state.open_calls[0].call_id})"
    ]


def test_production_pulses_go_through_the_cycle_sensor(a3):
    a3.to(t(7, 10))
    assert a3.station.pulse() == []
    assert a3.do(count=2) == []
    assert a3.station.controller.devices.counter.count == 3
    assert a3.station.state.good == 3
    assert a3.station.state.last_count_at == t(7, 10)


def test_ceil_ms_and_the_timeline_only_move_forward():
    assert ceil_ms(t(7, 0) + timedelta(microseconds=1)) == t(7, 0, 0, 1)
    assert ceil_ms(t(7, 0, 0, 5)) == t(7, 0, 0, 5)
    timeline = SimTimeline(t(7, 0))
    assert timeline.advance_to(t(7, 0, 1, 500)) == 1.5
    assert timeline.advance_to(t(6, 0)) == 0.0
    assert timeline.now() == t(7, 0, 1, 500)


def test_a_plant_time_is_the_first_such_time_at_or_after_the_start():
    night = datetime(2026, 3, 4, 22, 0, tzinfo=BERLIN)
    assert wall_instant(time(23, 30), night, BERLIN) == datetime(2026, 3, 4, 23, 30, tzinfo=BERLIN)
    assert wall_instant(time(2, 0), night, BERLIN) == datetime(2026, 3, 5, 2, 0, tzinfo=BERLIN)
    assert wall_instant(time(22, 0), night, BERLIN) == night
