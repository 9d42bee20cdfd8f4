"""A station on the demo's accelerated timeline: its devices keep real time.

The timeline runs 100 times faster than the devices' monotonic clock: a press
is still a short press, and the scanner reads at once (it once waited until
the scaled clock caught up with the machine's uptime).
"""

from __future__ import annotations

import time

from andon.station.assemble import build_station
from andon.station.clock import ScaledClock
from tests.support.stations import demo_station, wait_for


def test_presses_and_scans_work_on_an_accelerated_timeline(tmp_path) -> None:
    runtime = build_station(
        demo_station("station-a1.toml"),
        sim=True,
        connect=False,
        journal_path=tmp_path / "a1.sqlite",
        clock=ScaledClock(100.0),
        hal_clock=time.monotonic,
        tick_s=0.02,
    )
    agent, sim = runtime.agent, runtime.sim
    assert sim is not None
    agent.start()
    try:
        sim.press("help")
        call = wait_for(lambda: agent.core.state.open_call("help"), 5)
        sim.scan("scanner", "BD:1001")
        wait_for(lambda: agent.core.state.open_call("help").acknowledged_by, 5)
        sim.scan("scanner", "RC:BRK-TOOL")
        wait_for(lambda: agent.core.state.open_call("help") is None, 5)
        assert call.call_type == "help"
        assert agent.health.hal_events >= 3
    finally:
        agent.stop()
