"""The simulated HAL end to end: every input poked through the controller,
every output read back from the mock pins, and nothing left behind on close."""

from __future__ import annotations

import threading

import pytest
from hal_pinmaps import demo_station

from andon.cli import speech
from andon.config.hardware import StationHardware
from andon.i18n import translator
from hal.clock import ManualClock
from hal.errors import HalError
from hal.events import (
    AcknowledgePressed,
    BinChanged,
    ButtonLongPressed,
    ButtonPressed,
    CountPulse,
    DeviceStatus,
    DownstreamFullChanged,
    FaultChanged,
    Scanned,
    ScanRejected,
)
from hal.lamp_rules import LampRules
from hal.patterns import BuzzerPattern, Pattern, TowerState
from hal.sim import SimStation, SimStore
from hal.store_board import StoreBoardState


@pytest.fixture
def sim(events):
    with SimStation(demo_station(), sink=events.append) as station:
        yield station


def of(events, kind):
    return [e for e in events if isinstance(e, kind)]


def test_the_scanner_port_is_replaced_by_a_pty(sim) -> None:
    path = sim.hardware.scanners[0].port
    assert path != "/dev/andon-scanner" and path == str(sim.ports["kanban"].path)
    assert isinstance(sim.clock, ManualClock)


def test_buttons_short_and_long(sim, events) -> None:
    sim.controller.press("help")
    sim.controller.hold("equipment", 2.5)
    sim.controller.release("equipment")
    sim.controller.acknowledge()
    assert [type(e) for e in events] == [ButtonPressed, ButtonLongPressed, AcknowledgePressed]
    assert events[0].call_type == "help" and events[1].call_type == "equipment"


def test_fifty_bouncy_presses_through_the_controller_are_one(sim, events) -> None:
    help_button = sim.controller.button("help")
    for _ in range(50):
        sim.controller.drive(help_button, True)
        sim.clock.advance(0.0004)
        sim.controller.drive(help_button, False)
        sim.clock.advance(0.0004)
    sim.controller.advance(0.2)
    assert len(of(events, ButtonPressed)) == 1


def test_counter_scrap_fault_and_downstream(sim, events) -> None:
    sim.controller.pulse_counter(5)
    sim.controller.scrap(2)
    sim.controller.set_fault(True)
    sim.controller.set_downstream_full(True)
    sim.controller.set_downstream_full(False)
    sim.controller.set_fault(False)
    pulses = of(events, CountPulse)
    assert [p.good for p in pulses] == [True] * 5 + [False] * 2
    assert [e.active for e in of(events, FaultChanged)] == [True, False]
    assert [e.full for e in of(events, DownstreamFullChanged)] == [True, False]


def test_a_wobbling_bin_through_the_controller_is_one_call(sim, events) -> None:
    sensor = sim.controller.bin("A-100")
    for flicker in range(10):
        sim.controller.drive(sensor, flicker % 2 == 0)
        sim.controller.advance(0.3)
    sim.controller.set_bin("A-100", True)
    sim.controller.set_bin("A-100", False)
    assert [(e.part, e.empty) for e in of(events, BinChanged)] == [
        ("A-100", True),
        ("A-100", False),
    ]


def test_scans_and_a_replugged_scanner(sim, events) -> None:
    sim.controller.scan("kanban", "KB-0001")
    sim.controller.scan("kanban", b"\x00\xff\r")
    sim.controller.unplug_scanner("kanban")
    sim.controller.advance(3.0)
    sim.controller.replug_scanner("kanban")
    sim.controller.scan("kanban", "KB-0002")
    assert [e.text for e in of(events, Scanned)] == ["KB-0001", "KB-0002"]
    assert len(of(events, ScanRejected)) == 1
    assert [e.ok for e in of(events, DeviceStatus)] == [False, True]


def test_lamp_rules_on_the_simulated_tower(sim) -> None:
    rules = LampRules.defaults(sim.devices.tower.colours)
    sim.devices.tower.show(rules.evaluate({"running", "call.help", "line_stopped"}))
    sim.devices.line_stop.stop()
    sim.controller.advance(0.05)
    ctl = sim.controller
    assert ctl.lamp_lit("green") and ctl.lamp_lit("red") and ctl.lamp_lit("yellow")
    assert ctl.line_stopped()
    red = ctl.sample(lambda: ctl.lamp_lit("red"), 1.0, 0.125)  # fast flash: 4 Hz
    green = ctl.sample(lambda: ctl.lamp_lit("green"), 1.0, 0.125)
    buzzer = ctl.sample(ctl.buzzer_on, 2.0, 0.1)  # help call: chirp
    assert red == [True, False] * 4
    assert green == [True] * 8
    assert buzzer[:4] == [True, False, True, False] and not any(buzzer[4:])
    assert ctl.outputs_on()[-1] == "line_stop"


def test_controller_errors_name_what_is_missing(sim) -> None:
    with pytest.raises(HalError, match="configured: help, quality, equipment"):
        sim.controller.press("safety")
    with pytest.raises(HalError, match="no bin sensor for part 'Z'"):
        sim.controller.set_bin("Z", True)
    with pytest.raises(HalError, match="no white tier"):
        sim.controller.lamp_lit("white")
    with pytest.raises(HalError, match="no store board"):
        sim.controller.beacon_lit()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh_CN", "没有零件 'Z' 的料箱传感器（已配置："),
        ("de", "kein Behältersensor für Teil 'Z' (konfiguriert: "),
    ],
)
def test_a_hardware_error_is_shown_in_the_terminals_language(
    sim, language: str, expected: str
) -> None:
    with pytest.raises(HalError) as raised:
        sim.controller.set_bin("Z", True)
    shown = speech.hardware(raised.value, translator(language))
    assert shown.startswith(expected) and "bin sensor" not in shown


def test_a_pns_tower_is_simulated_on_loopback(events) -> None:
    hw = StationHardware.model_validate(
        {"tower": {"backend": "pns", "host": "tower.example", "colours": ["red", "green"]}}
    )
    with SimStation(hw, sink=events.append) as sim:
        assert sim.hardware.tower.host == "127.0.0.1"
        sim.devices.tower.show(TowerState(lamps={"green": Pattern.SLOW}, buzzer="pulse"))
        assert sim.devices.tower.wait_sent(5.0)
        assert sim.controller.pns_pattern("green") is Pattern.SLOW
        assert sim.controller.pns_pattern("red") is Pattern.OFF
        assert sim.controller.outputs_on() == ["tower.green (slow)", "tower.buzzer (pattern 2)"]


def test_the_store_board_simulation(store_hw, events) -> None:
    with SimStore(store_hw, sink=events.append) as sim:
        sim.devices.board.show(StoreBoardState.calling(["A-100"]))
        assert sim.controller.plate_lit("A-100") and not sim.controller.plate_lit("B-200")
        assert sim.controller.beacon_lit()
        sim.devices.board.show(StoreBoardState(buzzer=BuzzerPattern.CONTINUOUS))
        assert sim.controller.store_buzzer_on() and not sim.controller.beacon_lit()
        assert sim.controller.outputs_on() == ["store.buzzer"]


def test_nothing_is_left_behind_after_shutdown(events) -> None:
    """Every device closed: no thread of ours, no reserved pin, no open pty."""
    before = set(threading.enumerate())
    data = demo_station().model_dump()
    data["scanners"].append({"kind": "hid", "name": "wedge", "device": "/dev/input/event3"})
    hw = StationHardware.model_validate(data)
    clock = ManualClock()
    sim = SimStation(hw, sink=events.append, clock=clock)
    factory, workdir = sim.factory, sim.workdir
    sim.devices.start(period_s=0.005)  # the production loop thread, on top
    sim.devices.tower.show(TowerState(lamps={"red": Pattern.FAST}, buzzer="rapid"))
    sim.controller.scan("wedge", "HID-AS-SERIAL")
    during = set(threading.enumerate()) - before
    assert any(t.name == "hal-loop" for t in during)
    pins = [factory.pin(n) for n in (12, 17, 24, 25)]

    sim.devices.close()  # what the station does at shutdown

    assert all(device.closed for device in sim.devices.all())
    assert all(not refs for refs in factory._reservations.values())
    assert all(pin.function == "input" and pin._when_changed is None for pin in pins)
    assert [pin.state for pin in pins] == [0, 1, 0, 0]  # outputs off; the button pulled up
    sim.close()  # then the simulation: ptys, workdir, mock pins
    assert set(threading.enumerate()) - before == set()
    assert factory.pins == {}
    assert not workdir.exists()
    assert all(not port.plugged for port in sim.ports.values())
    assert [e.text for e in of(events, Scanned)] == ["HID-AS-SERIAL"]
