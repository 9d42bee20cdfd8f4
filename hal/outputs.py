"""Digital outputs: a lamp, beacon or buzzer that shows a timed pattern, and
the line-stop relay.

Patterns are rendered by ``tick(now)`` on the injected clock rather than by
gpiozero's ``blink()`` threads, so they are exact under a manual clock and
every output of a tower flashes in step.
"""

from __future__ import annotations

import threading

from gpiozero import DigitalOutputDevice
from gpiozero.pins import Factory

from andon.config.hardware import OutputPin
from hal import errors as errs
from hal.clock import Clock
from hal.errors import HalError
from hal.patterns import STEADY_OFF, Cadence


def _output_device(name: str, config: OutputPin, factory: Factory | None) -> DigitalOutputDevice:
    try:
        return DigitalOutputDevice(
            config.pin, active_high=config.active_high, initial_value=False, pin_factory=factory
        )
    except Exception as exc:
        raise HalError(errs.NO_OUTPUT_PIN.format(name=name, pin=config.pin, error=exc)) from exc


class PatternOutput:
    """One output (relay, lamp, buzzer) following a :class:`~hal.patterns.Cadence`."""

    def __init__(self, name: str, config: OutputPin, *, factory: Factory | None = None) -> None:
        self.name = name
        self.config = config
        self._device = _output_device(name, config, factory)
        self._cadence = STEADY_OFF
        self._epoch = 0.0
        self._lock = threading.Lock()

    @property
    def pin(self) -> int:
        return self.config.pin

    @property
    def is_lit(self) -> bool:
        """True while the output is energised."""
        return bool(self._device.value)

    @property
    def cadence(self) -> Cadence:
        return self._cadence

    def set(self, cadence: Cadence, *, epoch: float) -> None:
        """Follow ``cadence`` from ``epoch`` on (the moment it starts "on")."""
        with self._lock:
            self._cadence, self._epoch = cadence, epoch
            self._render(epoch)

    def tick(self, now: float) -> None:
        """Set the output to the cadence's level at ``now`` (a steady one was set by ``set``)."""
        if self._cadence.steady:
            return
        with self._lock:
            self._render(now)

    def _render(self, now: float) -> None:
        if self._device.closed:
            return
        level = self._cadence.level_at(now - self._epoch)
        if level != bool(self._device.value):
            self._device.value = level

    def close(self) -> None:
        """Switch off and release the pin; safe to call twice."""
        with self._lock:
            if not self._device.closed:
                self._device.off()
            self._device.close()

    @property
    def closed(self) -> bool:
        return bool(self._device.closed)

    def __repr__(self) -> str:
        return f"<PatternOutput {self.name} on GPIO{self.pin}>"


class LineStopRelay:
    """The relay that stops the conveyor: energised = line stopped."""

    def __init__(self, config: OutputPin, *, clock: Clock, factory: Factory | None = None) -> None:
        self.name = "line_stop"
        self.config = config
        self._clock = clock
        self._device = _output_device(self.name, config, factory)
        self.changed_at: float | None = None

    @property
    def pin(self) -> int:
        return self.config.pin

    @property
    def stopped(self) -> bool:
        return bool(self._device.value)

    def set(self, stopped: bool) -> None:
        """Stop (True) or release (False) the line."""
        if stopped != self.stopped:
            self._device.value = stopped
            self.changed_at = self._clock()

    def stop(self) -> None:
        self.set(True)

    def release(self) -> None:
        self.set(False)

    def tick(self, now: float) -> None:
        """Nothing timed: the relay holds its level."""

    def close(self) -> None:
        """De-energise and release the pin; safe to call twice."""
        if not self._device.closed:
            self._device.off()
        self._device.close()

    @property
    def closed(self) -> bool:
        return bool(self._device.closed)

    def __repr__(self) -> str:
        return f"<LineStopRelay on GPIO{self.pin}>"
