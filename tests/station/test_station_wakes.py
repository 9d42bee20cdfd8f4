"""The station's loop turns at once when an input changes or a command arrives.

The loop's period is set to a minute here, so only being woken can answer
within the tests' wait.
"""

from __future__ import annotations

from tests.support.stations import wait_for

SLOW_TICK_S = 60.0
NON_COUNTING = "station-a1.toml"
"""A demo station whose yellow tier only a call lights (it has no pace signal)."""


def test_a_button_press_lights_the_tower_without_waiting_for_the_next_turn(station_factory):
    runtime = station_factory(name=NON_COUNTING, tick_s=SLOW_TICK_S)
    sim = runtime.sim
    assert sim is not None
    assert not sim.lamp_lit("yellow")

    sim.press("help")

    wait_for(lambda: sim.lamp_lit("yellow"), timeout=10)
    assert runtime.agent.core.state.open_call("help") is not None


def test_a_command_handed_to_the_loop_runs_without_waiting_for_the_next_turn(station_factory):
    runtime = station_factory(name=NON_COUNTING, tick_s=SLOW_TICK_S)

    assert runtime.agent.run_on_loop(lambda: "answered", timeout=10) == "answered"
