"""The good-part and scrap counters, the machine fault and the full-work sensor."""

from __future__ import annotations

from hal_pinmaps import drive, held_at_start

from andon.config.hardware import InputPin
from hal.events import CountPulse, DownstreamFullChanged, FaultChanged
from hal.signal_inputs import CountInput, DownstreamFullInput, FaultInput


def run(clock, device, seconds: float, step: float = 0.01) -> None:
    for _ in range(round(seconds / step)):
        clock.advance(step)
        device.tick(clock())


def test_every_pulse_counts_once(factory, clock, events) -> None:
    config = InputPin(pin=5, debounce_s=0.02)
    with CountInput(
        "counter", config, good=True, clock=clock, sink=events.append, factory=factory
    ) as counter:
        for _ in range(7):
            drive(factory, 5, True)
            run(clock, counter, 0.05)
            drive(factory, 5, False)
            run(clock, counter, 0.05)
        assert counter.count == 7
    assert events and all(e == CountPulse(good=True, n=1, at=e.at) for e in events)
    assert len(events) == 7


def test_a_pulse_shorter_than_a_tick_is_not_missed(factory, clock, events) -> None:
    """Edges are recorded by the pin callback, so ticking rarely loses nothing."""
    config = InputPin(pin=5, debounce_s=0.01)
    with CountInput(
        "counter", config, good=True, clock=clock, sink=events.append, factory=factory
    ) as counter:
        for _ in range(3):
            drive(factory, 5, True)
            clock.advance(0.015)
            drive(factory, 5, False)
            clock.advance(0.015)
        counter.tick(clock())  # one tick for all three pulses
    assert len(events) == 3


def test_contact_bounce_on_the_counter_counts_one_part(factory, clock, events) -> None:
    config = InputPin(pin=5, debounce_s=0.02)
    with CountInput(
        "counter", config, good=True, clock=clock, sink=events.append, factory=factory
    ) as counter:
        for _ in range(8):
            drive(factory, 5, True)
            clock.advance(0.001)
            drive(factory, 5, False)
            clock.advance(0.001)
        drive(factory, 5, True)
        run(clock, counter, 0.1)
    assert len(events) == 1


def test_scrap_pulses_are_not_good(factory, clock, events) -> None:
    with CountInput(
        "scrap", InputPin(pin=6), good=False, clock=clock, sink=events.append, factory=factory
    ) as scrap:
        drive(factory, 6, True)
        run(clock, scrap, 0.1)
    assert events == [CountPulse(good=False, n=1, at=1000.0)]


def test_the_fault_input_reports_both_edges(factory, clock, events) -> None:
    with FaultInput(InputPin(pin=13), clock=clock, sink=events.append, factory=factory) as fault:
        drive(factory, 13, True)
        run(clock, fault, 0.2)
        assert fault.is_active
        drive(factory, 13, False)
        run(clock, fault, 0.2)
    assert [e.active for e in events] == [True, False]
    assert all(isinstance(e, FaultChanged) for e in events)


def test_a_fault_already_active_at_start_is_reported(factory, clock, events) -> None:
    held_at_start(factory, 13)
    with FaultInput(InputPin(pin=13), clock=clock, sink=events.append, factory=factory) as fault:
        fault.tick(clock())
    assert events == [FaultChanged(active=True, at=1000.0)]


def test_a_chattering_fault_contact_settles_on_its_last_level(factory, clock, events) -> None:
    with FaultInput(
        InputPin(pin=13, debounce_s=0.05), clock=clock, sink=events.append, factory=factory
    ) as fault:
        for level in (True, False, True, False, True, False):
            drive(factory, 13, level)
            run(clock, fault, 0.01)
        run(clock, fault, 0.2)
    assert [e.active for e in events] == [True, False]


def test_the_downstream_sensor_reports_full_and_below_standard(factory, clock, events) -> None:
    config = InputPin(pin=4, pull_up=False)
    with DownstreamFullInput(config, clock=clock, sink=events.append, factory=factory) as full:
        drive(factory, 4, True, pull_up=False)
        run(clock, full, 0.2)
        drive(factory, 4, False, pull_up=False)
        run(clock, full, 0.2)
    assert [(type(e), e.full) for e in events] == [
        (DownstreamFullChanged, True),
        (DownstreamFullChanged, False),
    ]
