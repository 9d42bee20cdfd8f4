"""Bin-empty sensors with a settle time, and "call material" push buttons."""

from __future__ import annotations

import pytest
from hal_pinmaps import drive, held_at_start

from andon.config.hardware import BinSensor
from hal.bin_sensors import BinSensorInput, MaterialCallButton, bin_input
from hal.events import BinChanged

SENSOR = BinSensor(pin=19, part="A-100", settle_s=2.0)


def run(clock, device, seconds: float, step: float = 0.02) -> None:
    for _ in range(round(seconds / step)):
        clock.advance(step)
        device.tick(clock())


def test_a_wobbling_bin_makes_one_call(factory, clock, events) -> None:
    with bin_input(SENSOR, clock=clock, sink=events.append, factory=factory) as sensor:
        assert isinstance(sensor, BinSensorInput)
        # The last parts shift: the sensor flickers for three seconds, then stays empty.
        for flicker in range(16):
            drive(factory, 19, flicker % 2 == 0)
            run(clock, sensor, 0.2)
        drive(factory, 19, True)
        settled_from = clock()
        run(clock, sensor, 1.9)
        assert events == []
        run(clock, sensor, 0.2)
        assert events == [BinChanged(part="A-100", empty=True, at=pytest.approx(settled_from + 2))]
        assert sensor.is_empty


def test_refilling_reports_the_bin_full_again(factory, clock, events) -> None:
    with bin_input(SENSOR, clock=clock, sink=events.append, factory=factory) as sensor:
        drive(factory, 19, True)
        run(clock, sensor, 2.5)
        drive(factory, 19, False)
        run(clock, sensor, 2.5)
    assert [e.empty for e in events] == [True, False]


def test_a_blip_shorter_than_the_settle_time_is_ignored(factory, clock, events) -> None:
    with bin_input(SENSOR, clock=clock, sink=events.append, factory=factory) as sensor:
        drive(factory, 19, True)
        run(clock, sensor, 1.0)
        drive(factory, 19, False)
        run(clock, sensor, 10.0)
    assert events == []


def test_a_bin_empty_at_start_up_is_reported_once_settled(factory, clock, events) -> None:
    held_at_start(factory, 19)
    with bin_input(SENSOR, clock=clock, sink=events.append, factory=factory) as sensor:
        run(clock, sensor, 1.0)
        assert events == []
        run(clock, sensor, 1.5)
    assert events == [BinChanged(part="A-100", empty=True, at=pytest.approx(1002.0))]


def test_a_call_material_button_reports_each_press_as_empty(factory, clock, events) -> None:
    config = BinSensor(pin=26, part="B-200", button=True)
    with bin_input(config, clock=clock, sink=events.append, factory=factory) as button:
        assert isinstance(button, MaterialCallButton)
        for _ in range(2):
            for _ in range(10):  # a bouncy contact
                drive(factory, 26, True)
                clock.advance(0.001)
                drive(factory, 26, False)
                clock.advance(0.001)
            drive(factory, 26, True)
            run(clock, button, 0.3)
            drive(factory, 26, False)
            run(clock, button, 0.3)
    assert [(e.part, e.empty) for e in events] == [("B-200", True), ("B-200", True)]
