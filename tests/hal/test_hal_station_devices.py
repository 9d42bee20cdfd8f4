"""Composing a station's and a store's devices from the pin map, and closing them all."""

from __future__ import annotations

import threading

import pytest
from gpiozero import DigitalOutputDevice
from hal_pinmaps import demo_station, drive

from andon.config.hardware import StationHardware
from hal.buttons import AndonButton
from hal.errors import HalError
from hal.events import BinChanged, ButtonPressed, CountPulse, HalEvent
from hal.gpio_tower import GpioLampTower
from hal.patterns import Pattern, TowerState
from hal.serial_scanner import SerialScannerDevice
from hal.sim_serial import SimSerialPort
from hal.station import StationDevices
from hal.store import StoreDevices

DEMO_PINS = {17, 27, 22, 23, 5, 6, 13, 19, 26, 12, 16, 20, 21, 24, 25, 4}


def reserved(factory) -> set[int]:
    """The GPIO numbers some open device still holds."""
    return {
        int(pin.name.removeprefix("GPIO"))
        for pin, holders in factory._reservations.items()
        if any(holder() is not None for holder in holders)
    }


def test_every_device_of_the_demo_station_is_built(station_hw, factory, clock, events) -> None:
    with StationDevices.from_config(
        station_hw, sink=events.append, factory=factory, clock=clock
    ) as devices:
        assert set(devices.buttons) == {"help", "quality", "equipment"}
        assert all(isinstance(b, AndonButton) for b in devices.buttons.values())
        assert devices.acknowledge and devices.counter and devices.scrap and devices.fault
        assert devices.downstream_full and devices.line_stop
        assert set(devices.bins) == {"A-100", "B-200"}
        assert isinstance(devices.tower, GpioLampTower)
        assert devices.tower.colours == ("red", "yellow", "green", "blue")
        assert isinstance(devices.scanners["kanban"], SerialScannerDevice)
        assert reserved(factory) == DEMO_PINS
    assert reserved(factory) == set()


def test_events_from_every_input_reach_the_sink(station_hw, factory, clock, events) -> None:
    with StationDevices.from_config(
        station_hw, sink=events.append, factory=factory, clock=clock
    ) as devices:
        drive(factory, 17, True)
        drive(factory, 5, True)
        drive(factory, 26, True)
        clock.advance(0.1)
        devices.tick(clock())
        drive(factory, 17, False)
        clock.advance(1.1)
        devices.tick(clock())
    kinds = {type(e) for e in events}
    assert {ButtonPressed, CountPulse, BinChanged} <= kinds


def test_outputs_are_driven_through_the_composed_devices(station_hw, factory, clock) -> None:
    with StationDevices.from_config(
        station_hw, sink=lambda e: None, factory=factory, clock=clock
    ) as devices:
        devices.tower.show(TowerState(lamps={"red": Pattern.ON}))
        devices.line_stop.stop()
        assert factory.pin(12).state == 1 and factory.pin(25).state == 1
    assert factory.pin(12).state == 0 and factory.pin(25).state == 0


def test_a_failure_half_way_releases_what_was_built(station_hw, factory, clock) -> None:
    blocker = DigitalOutputDevice(25, pin_factory=factory)  # the line-stop pin is taken
    with pytest.raises(HalError, match="GPIO25"):
        StationDevices.from_config(station_hw, sink=lambda e: None, factory=factory, clock=clock)
    assert reserved(factory) == {25}
    blocker.close()
    StationDevices.from_config(
        station_hw, sink=lambda e: None, factory=factory, clock=clock
    ).close()


def test_scanner_names_must_differ(factory, clock) -> None:
    hw = StationHardware.model_validate(
        {"scanners": [{"name": "a", "port": "/dev/x"}, {"name": "a", "port": "/dev/y"}]}
    )
    with pytest.raises(HalError, match="repeated: \\['a'\\]"):
        StationDevices.from_config(hw, sink=lambda e: None, factory=factory, clock=clock)


def test_the_loop_thread_starts_and_stops_with_the_devices(tmp_path, factory, events) -> None:
    port = SimSerialPort(tmp_path / "scanner")
    hw = demo_station(port.path)
    delivered = threading.Event()

    def sink(event: HalEvent) -> None:
        events.append(event)
        delivered.set()

    devices = StationDevices.from_config(hw, sink=sink, factory=factory)
    try:
        loop = devices.start(period_s=0.005)
        assert devices.start() is loop
        assert loop.running
        drive(factory, 5, True)  # a part past the counter, seen by the running loop
        assert delivered.wait(5.0)
    finally:
        devices.close()
        port.close()
    assert not loop.running
    assert isinstance(events[0], CountPulse)
    assert reserved(factory) == set()
    devices.close()  # twice is fine
    with pytest.raises(HalError, match="closed"):
        devices.start()


def test_the_store_board_devices(store_hw, factory, clock) -> None:
    from hal.store_board import StoreBoardState

    with StoreDevices.from_config(
        store_hw, sink=lambda e: None, factory=factory, clock=clock
    ) as devices:
        devices.board.show(StoreBoardState.calling(["C-300"]))
        assert factory.pin(13).state == 1 and factory.pin(26).state == 1
        assert reserved(factory) == {5, 6, 13, 19, 26, 24}
    assert reserved(factory) == set()
