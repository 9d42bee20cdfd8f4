"""Bouncing buttons, flickering bins and a scanner sending garbage, through the simulated
HAL into a real station core (journal included), on a manual clock.

One call per real press, one material call per bin that really ran empty, every
bad scan refused with a message, and nothing crashes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from andon.config.loader import load_station
from andon.domain import commands as cmd
from andon.station.agent import StationAgent
from andon.station.assemble import build_station
from andon.station.clock import StationClock
from hal import events as hal
from hal.clock import ManualClock
from hal.patterns import Pattern
from hal.sim_controller import SimController
from tests.support.stations import DEMO

TUESDAY_8_AM = datetime(2025, 3, 4, 7, 0, tzinfo=UTC).timestamp()
"""08:00 in the plant's time zone: the early shift is working."""
DEBOUNCE_S = 0.05
SETTLE_S = 2.0
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class Station:
    """Station a1 on simulated pins, its core driven by hand on a manual clock."""

    agent: StationAgent
    sim: SimController
    clock: ManualClock
    hal_events: list[Any] = field(default_factory=list)

    def kinds(self, kind: str) -> list[dict[str, Any]]:
        assert self.agent.journal is not None
        return [row.payload for row in self.agent.journal.rows() if row.kind == kind]

    def advance(self, seconds: float) -> None:
        self.sim.advance(seconds)  # ticks the devices; their events reach the core at once

    def pattern(self, colour: str) -> Pattern:
        """What the lamp tower was told to show on one tier."""
        tower = self.agent.devices.devices.tower  # type: ignore[union-attr]
        return tower.state.pattern(colour)

    def cancel_open_calls(self) -> None:
        for call in self.agent.core.state.open_calls:
            self.agent.core.execute(cmd.cancel, call_id=call.call_id, by="test", source="test")


@pytest.fixture
def station(tmp_path) -> Iterator[Station]:
    manual = ManualClock()
    start = manual()
    timeline = StationClock(wall=lambda: TUESDAY_8_AM + manual() - start, monotonic=manual)
    runtime = build_station(
        load_station(DEMO / "station-a1.toml"),
        sim=True,
        connect=False,
        journal_path=tmp_path / "a1.sqlite",
        clock=timeline,
        hal_clock=manual,
    )
    assert runtime.sim is not None
    agent = runtime.agent
    seen = Station(agent, runtime.sim, manual)
    deliver = agent.on_hal_event

    def keep(event: Any) -> None:
        seen.hal_events.append(event)
        deliver(event)

    agent.on_hal_event = keep  # type: ignore[method-assign]
    agent.core.start()
    agent.step()
    try:
        yield seen
    finally:
        agent.stop()


def bounce(station: Station, device: Any, level: bool, gaps: list[float]) -> None:
    """Drive ``device`` to ``level`` through a burst of bounces ``gaps`` seconds apart."""
    station.sim.drive(device, level)
    current = level
    for gap in gaps:
        station.advance(gap)
        current = not current
        station.sim.drive(device, current)
    if current != level:
        station.advance(0.0005)
        station.sim.drive(device, level)


gaps = st.lists(st.floats(min_value=0.0001, max_value=0.04), max_size=12)
"""Contact bounce: edges closer together than the 50 ms debounce window."""


@HYPOTHESIS
@given(
    presses=st.lists(
        st.tuples(gaps, st.floats(min_value=0.06, max_value=0.8), gaps), min_size=1, max_size=4
    )
)
def test_a_bouncing_button_raises_one_call_per_real_press(station, presses):
    button = station.sim.button("help")
    raised_before = len(station.kinds("call_raised"))
    pressed_before = sum(isinstance(e, hal.ButtonPressed) for e in station.hal_events)
    for down, hold, up in presses:
        bounce(station, button, True, down)
        station.advance(hold)
        bounce(station, button, False, up)
        station.advance(DEBOUNCE_S + 0.02)
        assert station.agent.core.state.open_call("help") is not None
        assert station.pattern("yellow") is Pattern.FAST  # the tower shows the call
        station.cancel_open_calls()
        station.agent.step()
        assert station.pattern("yellow") is Pattern.OFF
    pressed = sum(isinstance(e, hal.ButtonPressed) for e in station.hal_events) - pressed_before
    assert pressed == len(presses)
    assert len(station.kinds("call_raised")) - raised_before == len(presses)
    assert not any(isinstance(e, hal.ButtonLongPressed) for e in station.hal_events)


@HYPOTHESIS
@given(flicker=st.lists(st.floats(min_value=0.06, max_value=SETTLE_S * 0.9), max_size=10))
def test_a_flickering_bin_calls_material_once_it_really_is_empty(station, flicker):
    sensor = station.sim.bin("P-1001")
    calls_before = len(station.kinds("call_raised"))
    resolved_before = len(station.kinds("call_resolved"))
    empty = False
    for seconds in flicker:  # parts shifting in a full bin: never empty long enough
        empty = not empty
        station.sim.drive(sensor, empty)
        station.advance(seconds)
    station.sim.drive(sensor, False)
    station.advance(0.1)
    assert len(station.kinds("call_raised")) == calls_before
    station.sim.drive(sensor, True)  # really empty now
    station.advance(SETTLE_S + 0.1)
    for seconds in flicker:  # still wobbling while empty: no second call
        empty = not empty
        station.sim.drive(sensor, not empty)
        station.advance(seconds)
    station.sim.drive(sensor, True)
    station.advance(SETTLE_S + 0.1)
    raised = station.kinds("call_raised")[calls_before:]
    assert [(c["call_type"], c["part"]) for c in raised] == [("material", "P-1001")]
    assert "call.material" in station.agent.active_signals()
    assert station.pattern("blue") is Pattern.SLOW
    station.sim.drive(sensor, False)  # refilled: the bin sensor closes the call
    station.advance(SETTLE_S + 0.1)
    assert len(station.kinds("call_resolved")) == resolved_before + 1
    assert station.agent.core.state.open_call("material", "P-1001") is None
    assert station.pattern("blue") is Pattern.OFF


def test_a_chattering_material_button_calls_once_per_press(station):
    button = station.sim.bin("P-1002")
    for _ in range(3):
        bounce(station, button, True, [0.001, 0.002, 0.0005, 0.003])
        station.advance(0.1)
        bounce(station, button, False, [0.002, 0.001])
        station.advance(0.1)
        station.cancel_open_calls()
    raised = [c for c in station.kinds("call_raised") if c["call_type"] == "material"]
    assert [c["part"] for c in raised] == ["P-1002"] * 3


def scan(station: Station, data: bytes, chunk: int = 1024) -> None:
    """The scanner sends ``data``, a kilobyte at a time as a serial line would."""
    for start in range(0, len(data), chunk):
        station.sim.scan("scanner", data[start : start + chunk])


def test_garbage_from_the_scanner_is_refused_with_a_message_each(station):
    before = len(station.kinds("scan_rejected"))
    garbage = [
        b"\x00\x01\xff\xfe\x80",  # binary
        b"HELLO\x07WORLD",  # a control character
        b"A" * 10_240,  # a 10 kB line
        "Ünïcödé but no code".encode(),
        b"XX:12345",  # text, but no code the station knows
        b"BD:9999",  # a badge nobody has
    ]
    scan(station, b"\r".join(garbage) + b"\r")
    rejected = station.kinds("scan_rejected")[before:]
    assert len(rejected) == len(garbage)
    assert all(r["reason"] for r in rejected)
    assert "binary" in rejected[0]["reason"] and "control" in rejected[1]["reason"]
    assert "longer than" in rejected[2]["reason"]
    assert all(len(r["text"]) <= 64 for r in rejected)
    # The scanner still reads good codes: a badge acknowledges a call.
    station.agent.core.execute(cmd.press, call_type="help")
    scan(station, b"BD:1001\r")
    call = station.agent.core.state.open_call("help")
    assert call is not None and call.acknowledged_by == "Anna Becker"


@HYPOTHESIS
@given(noise=st.lists(st.binary(min_size=1, max_size=3000), min_size=1, max_size=4))
def test_random_bytes_from_the_scanner_never_break_the_station(station, noise):
    before_rows = len(station.kinds("scan_rejected"))
    hal_before = len(station.hal_events)
    scan(station, b"".join(noise))
    scan(station, b"\r")  # the end of whatever line the noise left open
    scans = [e for e in station.hal_events[hal_before:] if isinstance(e, hal.ScanRejected)]
    rejected = station.kinds("scan_rejected")[before_rows:]
    assert len(rejected) >= len(scans)  # every refused line is journaled, with its reason
    assert all(r["reason"] for r in rejected)
    station.agent.core.execute(cmd.press, call_type="quality")
    scan(station, b"BD:1002\r")
    call = station.agent.core.state.open_call("quality")
    assert call is not None and call.acknowledged_by == "Jonas Weber"
    station.cancel_open_calls()
