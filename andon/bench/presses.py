"""Pressing a simulated andon button and seeing when the tower answered.

A press counts when the button is released (a hold is a cancel), so the
instant of a press is its release edge. The lamp's answer is read from the
gpiozero mock pin itself: every change of an output pin is stamped with the
monotonic clock by the pin, so no polling delay enters the figure.

The benchmark station is a demo station that does not count (so no pace
signal lights the yellow tier) with its buttons' debounce shortened to 5 ms
so presses can follow each other quickly. Debounce does not add to the
latency: the release edge is accepted at once when the button was held
longer than the debounce window.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from gpiozero.pins.mock import MockPin

from andon.config.hardware import GpioTower
from andon.config.station import StationFile
from andon.demo.run import DEMO_DIR
from hal.sim_controller import SimController

BENCH_STATION = DEMO_DIR / "station-a1.toml"
"""A non-counting demo station with three andon buttons and a GPIO tower."""
CALL_TYPE = "help"
LAMP = "yellow"
"""The tier a help call lights (no other signal of a non-counting station does)."""
DEBOUNCE_S = 0.005
HOLD_S = 0.015
ANSWER_TIMEOUT_S = 5.0
LOOP_PERIOD_S = 0.02
"""The station loop's period: presses start at a random phase of it."""


def quick_buttons(config: StationFile) -> StationFile:
    """The same station with every button debounced over 5 ms."""
    hardware = config.hardware
    buttons = {
        name: button.model_copy(update={"debounce_s": DEBOUNCE_S})
        for name, button in hardware.buttons.items()
    }
    return config.model_copy(update={"hardware": hardware.model_copy(update={"buttons": buttons})})


def tier_pin(controller: SimController, colour: str) -> MockPin:
    """The mock pin of one colour's tier of a GPIO tower."""
    tower = controller.hardware.tower  # type: ignore[union-attr]
    if not isinstance(tower, GpioTower):
        raise ValueError("the benchmark station needs a GPIO tower")
    for tier in tower.tiers:
        if tier.colour == colour:
            pin = controller.factory.pin(tier.pin)
            assert isinstance(pin, MockPin)
            return pin
    raise ValueError(f"the tower has no {colour} tier")


class PinWatch:
    """When a mock output pin changed next, to the microsecond."""

    def __init__(self, pin: MockPin) -> None:
        self.pin = pin
        self._seen = len(pin.states)

    def arm(self) -> None:
        """Forget the changes so far."""
        self._seen = len(self.pin.states)

    def next_change(self, timeout: float = ANSWER_TIMEOUT_S) -> tuple[float, bool]:
        """The monotonic instant and level of the first change after :meth:`arm`."""
        deadline = time.monotonic() + timeout
        while len(self.pin.states) <= self._seen:
            if time.monotonic() > deadline:
                raise TimeoutError("the lamp did not change")
            time.sleep(0.0002)
        # ``states`` holds (seconds since the change before, level); ``_last_change``
        # is the monotonic instant of the latest one: count back to the first new one.
        states = list(self.pin.states)
        last = self.pin._last_change
        later = sum(delta for delta, _ in states[self._seen + 1 :])
        first = states[self._seen]
        self._seen = len(states)
        return last - later, bool(first[1])


@dataclass(frozen=True)
class Press:
    """One press: the release edge, and when the lamp answered."""

    edge: float
    lamp: float


def press(controller: SimController, watch: PinWatch, call_type: str = CALL_TYPE) -> Press:
    """Press and release a button; wait for the watched lamp to come on.

    The press starts at a random instant, so the releases fall at every phase
    of the loop that polls the inputs (pressing in step with it would hide or
    exaggerate the polling delay).
    """
    button = controller.button(call_type)
    time.sleep(random.uniform(0.0, LOOP_PERIOD_S))
    controller.drive(button, True)
    time.sleep(HOLD_S)
    watch.arm()
    edge = time.monotonic()
    controller.drive(button, False)
    lamp, level = watch.next_change()
    if not level:
        raise RuntimeError(f"the {LAMP} lamp went off on a press")
    return Press(edge, lamp)


def wait_until(predicate: Callable[[], object], timeout: float = ANSWER_TIMEOUT_S) -> None:
    """Poll ``predicate`` until it is truthy; ``TimeoutError`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {predicate}")
        time.sleep(0.001)
