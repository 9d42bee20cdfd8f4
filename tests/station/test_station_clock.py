"""The station's timeline: monotonic durations, wall-clock jumps reported, never backwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from andon.station.clock import ScaledClock, SimulatedClock, StationClock


class Fake:
    """A settable clock source."""

    def __init__(self, value: float) -> None:
        self.value = value

    def __call__(self) -> float:
        return self.value


START = datetime(2026, 11, 25, 7, 0, tzinfo=UTC).timestamp()


def test_the_timeline_follows_the_monotonic_clock_not_the_wall_clock():
    wall, mono = Fake(START), Fake(100.0)
    clock = StationClock(wall=wall, monotonic=mono)
    mono.value += 60
    wall.value += 61.5  # a slewing wall clock within tolerance
    assert clock.now() == datetime(2026, 11, 25, 7, 1, tzinfo=UTC)
    assert clock.check_jump() == 0.0


def test_a_wall_clock_jump_is_reported_once_and_the_timeline_reanchors():
    wall, mono = Fake(START), Fake(100.0)
    clock = StationClock(wall=wall, monotonic=mono)
    mono.value += 10
    wall.value += 10 + 3600  # NTP finally synced
    assert clock.check_jump() == pytest.approx(3600)
    assert clock.now() == datetime(2026, 11, 25, 8, 0, 10, tzinfo=UTC)
    assert clock.check_jump() == 0.0


def test_the_timeline_never_starts_before_the_journal():
    last_event = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    clock = StationClock(wall=Fake(START), monotonic=Fake(5.0), not_before=last_event)
    assert clock.now() == last_event


def test_instants_carry_milliseconds_only():
    clock = StationClock(wall=Fake(START + 0.1234567), monotonic=Fake(0.0))
    assert clock.now().microsecond == 123000


def test_simulated_and_scaled_clocks():
    sim = SimulatedClock(datetime(2026, 11, 25, 7, 0, tzinfo=UTC))
    sim.advance(90)
    assert sim.now() == datetime(2026, 11, 25, 7, 1, 30, tzinfo=UTC) and sim.monotonic() == 90
    sim.advance_to(sim.now() - timedelta(hours=1))  # never backwards
    assert sim.monotonic() == 90
    mono = Fake(0.0)
    scaled = ScaledClock(10, wall=Fake(START), monotonic=mono)
    mono.value = 6.0
    assert scaled.monotonic() == 60.0
    assert scaled.now() == datetime(2026, 11, 25, 7, 1, tzinfo=UTC)
    assert scaled.check_jump() == 0.0
