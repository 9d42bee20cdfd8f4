"""Andon and acknowledge buttons on mock pins, timed by a manual clock."""

from __future__ import annotations

import pytest
from gpiozero.pins.mock import MockFactory
from hal_pinmaps import drive, held_at_start

from andon.config.hardware import ButtonPin
from hal.buttons import AcknowledgeButton, AndonButton
from hal.clock import ManualClock
from hal.events import (
    AcknowledgeLongPressed,
    AcknowledgePressed,
    ButtonLongPressed,
    ButtonPressed,
    HalEvent,
    RawInput,
)

HELP = ButtonPin(pin=17, debounce_s=0.05, long_press_s=2.0)


@pytest.fixture
def button(factory: MockFactory, clock: ManualClock, events: list[HalEvent]):
    with AndonButton("help", HELP, clock=clock, sink=events.append, factory=factory) as device:
        yield device


def step(clock: ManualClock, device: AndonButton | AcknowledgeButton, seconds: float) -> None:
    clock.advance(seconds)
    device.tick(clock())


def test_a_short_press_is_reported_on_release(button, factory, clock, events) -> None:
    drive(factory, 17, True)
    step(clock, button, 0.3)
    assert events == []  # still held: it may become a long press
    release_at = clock()
    drive(factory, 17, False)
    step(clock, button, 0.1)
    assert events == [ButtonPressed(call_type="help", at=release_at)]


def test_fifty_presses_within_the_bounce_window_are_one_press(
    button, factory, clock, events
) -> None:
    for _ in range(50):
        drive(factory, 17, True)
        clock.advance(0.0004)
        drive(factory, 17, False)
        clock.advance(0.0004)
    assert clock() - 1000.0 < HELP.debounce_s
    for _ in range(20):
        step(clock, button, 0.02)
    assert [type(e) for e in events] == [ButtonPressed]
    assert events[0].call_type == "help"


def test_bounces_are_one_press_even_when_ticks_are_interleaved(
    button, factory, clock, events
) -> None:
    for _ in range(50):
        drive(factory, 17, True)
        step(clock, button, 0.0005)
        drive(factory, 17, False)
        step(clock, button, 0.0005)
    step(clock, button, 0.2)
    assert len(events) == 1


def test_a_long_press_cancels_and_reports_no_short_press(button, factory, clock, events) -> None:
    pressed_at = clock()
    drive(factory, 17, True)
    step(clock, button, 1.9)
    assert events == []
    step(clock, button, 0.2)
    assert events == [ButtonLongPressed(call_type="help", at=pressed_at + 2.0)]
    drive(factory, 17, False)
    step(clock, button, 0.5)
    assert len(events) == 1


def test_a_long_press_is_found_even_when_the_tick_comes_late(
    button, factory, clock, events
) -> None:
    drive(factory, 17, True)
    clock.advance(3.0)
    drive(factory, 17, False)
    clock.advance(0.1)
    button.tick(clock())
    assert [type(e) for e in events] == [ButtonLongPressed]


def test_two_separate_presses_are_two_presses(button, factory, clock, events) -> None:
    for _ in range(2):
        drive(factory, 17, True)
        step(clock, button, 0.2)
        drive(factory, 17, False)
        step(clock, button, 0.2)
    assert [type(e) for e in events] == [ButtonPressed, ButtonPressed]


def test_a_button_held_at_start_raises_nothing(factory, clock, events) -> None:
    held_at_start(factory, 17)
    with AndonButton("help", HELP, clock=clock, sink=events.append, factory=factory) as button:
        assert button.raw_active
        step(clock, button, 5.0)
        drive(factory, 17, False)
        step(clock, button, 0.5)
    assert events == []


def test_active_high_wiring(factory, clock, events) -> None:
    config = ButtonPin(pin=27, pull_up=False)
    with AndonButton("quality", config, clock=clock, sink=events.append, factory=factory) as b:
        assert factory.pin(27).state == 0  # pulled down, inactive
        drive(factory, 27, True, pull_up=False)
        step(clock, b, 0.2)
        drive(factory, 27, False, pull_up=False)
        step(clock, b, 0.2)
    assert events == [ButtonPressed(call_type="quality", at=pytest.approx(1000.2))]


def test_acknowledge_button_short_and_long(factory, clock, events) -> None:
    config = ButtonPin(pin=23, long_press_s=1.0)
    with AcknowledgeButton(config, clock=clock, sink=events.append, factory=factory) as button:
        drive(factory, 23, True)
        step(clock, button, 0.1)
        drive(factory, 23, False)
        step(clock, button, 0.1)
        drive(factory, 23, True)
        step(clock, button, 1.5)
        drive(factory, 23, False)
        step(clock, button, 0.1)
    assert [type(e) for e in events] == [AcknowledgePressed, AcknowledgeLongPressed]


def test_raw_edges_are_reported_when_asked(factory, clock, events) -> None:
    with AndonButton(
        "help", HELP, clock=clock, sink=events.append, factory=factory, raw_events=True
    ) as button:
        drive(factory, 17, True)
        clock.advance(0.01)
        drive(factory, 17, False)
        step(clock, button, 0.1)
    raw = [e for e in events if isinstance(e, RawInput)]
    assert [(e.device, e.active) for e in raw] == [("button.help", True), ("button.help", False)]
    assert sum(isinstance(e, ButtonPressed) for e in events) == 1


def test_closing_releases_the_pin(factory, clock, events) -> None:
    button = AndonButton("help", HELP, clock=clock, sink=events.append, factory=factory)
    button.close()
    button.close()
    assert button.closed
    # The pin is free again: another device can take it.
    AndonButton("help", HELP, clock=clock, sink=events.append, factory=factory).close()


def chatter(factory: MockFactory, clock: ManualClock, device: AndonButton, seconds: float) -> None:
    """A bouncing contact: closed and open every 10 ms, ticked at 50 Hz as in production."""
    level, elapsed = True, 0.0
    while elapsed < seconds:
        drive(factory, 17, level)
        level = not level
        clock.advance(0.01)
        elapsed += 0.01
        if round(elapsed / 0.01) % 2 == 0:
            device.tick(clock())


def test_contact_chatter_longer_than_a_long_press_is_no_long_press(
    button, factory, clock, events
) -> None:
    chatter(factory, clock, button, 3 * HELP.long_press_s)
    drive(factory, 17, False)
    step(clock, button, 0.5)
    assert ButtonLongPressed not in [type(e) for e in events], events
    assert len(events) <= 1  # at most the one press the first closing made


def test_a_long_press_counts_from_the_last_bounce(button, factory, clock, events) -> None:
    chatter(factory, clock, button, 0.5)
    drive(factory, 17, True)
    steady_from = clock()
    step(clock, button, HELP.long_press_s - 0.1)
    assert events == []
    step(clock, button, 0.2)
    assert events == [ButtonLongPressed(call_type="help", at=pytest.approx(steady_from + 2.0))]
