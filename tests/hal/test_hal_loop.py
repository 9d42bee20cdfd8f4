"""The 50 Hz loop thread that ticks the devices in production."""

from __future__ import annotations

import threading

import pytest

from hal.loop import HardwareLoop


def test_the_loop_ticks_with_its_clock_until_stopped() -> None:
    seen: list[float] = []
    enough = threading.Event()

    def tick(now: float) -> None:
        seen.append(now)
        if len(seen) >= 3:
            enough.set()

    readings = iter(range(1000))
    loop = HardwareLoop(tick, period_s=0.001, clock=lambda: float(next(readings)))
    with loop:
        assert enough.wait(5.0)
    assert not loop.running
    assert seen[:3] == [0.0, 1.0, 2.0]
    count = len(seen)
    assert loop.ticks == count  # nothing after stop


def test_an_exception_in_a_tick_does_not_stop_the_loop() -> None:
    calls = 0
    recovered = threading.Event()

    def tick(now: float) -> None:
        nonlocal calls
        calls += 1
        if calls <= 2:
            raise RuntimeError("a device failed")
        recovered.set()

    loop = HardwareLoop(tick, period_s=0.001).start()
    try:
        assert recovered.wait(5.0)
    finally:
        loop.stop()
    assert loop.errors == 2
    assert not loop.running


def test_stop_before_start_and_twice_is_harmless() -> None:
    loop = HardwareLoop(lambda now: None)
    loop.stop()
    loop.stop()
    assert not loop.running


def test_the_period_must_be_positive() -> None:
    with pytest.raises(ValueError):
        HardwareLoop(lambda now: None, period_s=0)
