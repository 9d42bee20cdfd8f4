"""The simulator's hands and eyes: poke the simulated inputs, read the outputs.

:class:`SimController` is the one place that knows how to drive gpiozero
mock pins and read them back, by the names of the pin map (call types, parts,
colours, scanner names). With a :class:`~hal.clock.ManualClock` it moves the
clock and ticks the devices itself (tests: instant and exact); with a real
clock it sleeps and lets the running :class:`~hal.loop.HardwareLoop` tick.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from gpiozero.pins.mock import MockFactory

from andon.config.hardware import (
    GpioTower,
    OutputPin,
    PnsTower,
    SerialScanner,
    StationHardware,
    StoreHardware,
)
from hal import errors as errs
from hal.clock import Clock, ManualClock
from hal.errors import HalError
from hal.input_pin import EdgeInput
from hal.patterns import Pattern
from hal.pns import LAMP_CODES
from hal.pns_loopback import LoopbackPnsTower
from hal.sim_serial import SimSerialPort
from hal.station import StationDevices

if TYPE_CHECKING:
    from hal.store import StoreDevices  # a store board's devices: imported by the store only

_PNS_PATTERNS = {code: pattern for pattern, code in LAMP_CODES.items()}


def _missing(template: str, name: str, known: Iterable[str]) -> HalError:
    return HalError(template.format(name=name, known=", ".join(known) or "–"))


class SimController:
    """Pokes the simulated inputs and reads the simulated outputs by name."""

    def __init__(
        self,
        devices: StationDevices | StoreDevices,
        hardware: StationHardware | StoreHardware,
        factory: MockFactory,
        *,
        clock: Clock,
        ports: Mapping[str, SimSerialPort] | None = None,
        pns: LoopbackPnsTower | None = None,
        step_s: float = 0.01,
    ) -> None:
        self.devices = devices
        self.hardware = hardware
        self.factory = factory
        self.clock = clock
        self.ports = dict(ports or {})
        self.pns = pns
        self.step_s = step_s

    # --- time --------------------------------------------------------------
    @property
    def manual(self) -> bool:
        return isinstance(self.clock, ManualClock)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass: move a manual clock in steps, ticking every device; else sleep."""
        if not isinstance(self.clock, ManualClock):
            time.sleep(seconds)
            return
        remaining = seconds
        while True:
            step = min(self.step_s, remaining)
            self.clock.advance(step)
            self.devices.tick(self.clock())
            remaining -= step
            if remaining <= 1e-12:
                return

    # --- inputs ------------------------------------------------------------
    def _station(self) -> StationDevices:
        if not isinstance(self.devices, StationDevices):
            raise HalError(errs.STORE_HAS_NO_INPUTS)
        return self.devices

    def button(self, call_type: str) -> EdgeInput:
        buttons = self._station().buttons
        if call_type not in buttons:
            raise _missing(errs.NO_BUTTON, call_type, buttons)
        return buttons[call_type]

    def _single(self, name: str) -> EdgeInput:
        device = getattr(self._station(), name)
        if device is None:
            raise HalError(errs.NO_INPUT.format(name=name))
        assert isinstance(device, EdgeInput)
        return device

    def bin(self, part: str) -> EdgeInput:
        bins = self._station().bins
        if part not in bins:
            raise _missing(errs.NO_BIN, part, bins)
        return bins[part]

    def drive(self, device: EdgeInput, active: bool) -> None:
        """Set an input's pin to its active or inactive level, no waiting."""
        high = active != device.config.pull_up
        pin = self.factory.pin(device.pin)
        if high:
            pin.drive_high()
        else:
            pin.drive_low()

    def _debounced(self, device: EdgeInput) -> float:
        return device.config.debounce_s + self.step_s

    def press(self, call_type: str) -> None:
        """A short press and release of a call type's andon button."""
        self._click(self.button(call_type))

    def hold(self, call_type: str, seconds: float) -> None:
        """Press the button and keep it down for ``seconds`` (release with :meth:`release`)."""
        device = self.button(call_type)
        self.drive(device, True)
        self.advance(seconds)

    def release(self, call_type: str) -> None:
        device = self.button(call_type)
        self.drive(device, False)
        self.advance(self._debounced(device))

    def acknowledge(self) -> None:
        """A short press of the acknowledge button."""
        self._click(self._single("acknowledge"))

    def _click(self, device: EdgeInput) -> None:
        self.drive(device, True)
        self.advance(self._debounced(device))
        self.drive(device, False)
        self.advance(self._debounced(device))

    def set_bin(self, part: str, empty: bool) -> None:
        """Empty or refill a bin and wait until its settle time has passed.

        For a push-button bin, ``empty=True`` presses the button and ``False`` does nothing.
        """
        device = self.bin(part)
        config = self._station().bins[part].config
        if config.button:
            if empty:
                self._click(device)
            return
        self.drive(device, empty)
        self.advance(max(config.settle_s, config.debounce_s) + self.step_s)

    def pulse_counter(self, n: int = 1) -> None:
        """``n`` good parts past the cycle sensor."""
        self._pulses(self._single("counter"), n)

    def scrap(self, n: int = 1) -> None:
        """``n`` presses of the scrap input."""
        self._pulses(self._single("scrap"), n)

    def _pulses(self, device: EdgeInput, n: int) -> None:
        for _ in range(n):
            self._click(device)

    def set_fault(self, active: bool) -> None:
        device = self._single("fault")
        self.drive(device, active)
        self.advance(self._debounced(device))

    def set_downstream_full(self, full: bool) -> None:
        device = self._single("downstream_full")
        self.drive(device, full)
        self.advance(self._debounced(device))

    # --- scanners ----------------------------------------------------------
    def port(self, scanner: str) -> SimSerialPort:
        if scanner not in self.ports:
            raise _missing(errs.NO_SCANNER_OF, scanner, self.ports)
        return self.ports[scanner]

    def _scanner_config(self, scanner: str) -> SerialScanner:
        for config in self.hardware.scanners:
            if config.name == scanner and isinstance(config, SerialScanner):
                return config
        raise HalError(errs.NO_SCANNER.format(name=scanner))

    def scan(self, scanner: str, text: str | bytes) -> None:
        """The scanner reads ``text`` (sent with its terminator); bytes are sent as they are."""
        port = self.port(scanner)
        self.advance(self.step_s)  # the device opens a (re)plugged port on a tick; opening flushes
        if isinstance(text, str):
            data = (text + self._scanner_config(scanner).terminator).encode("utf-8")
        else:
            data = text
        port.write(data)
        self.advance(self.step_s)

    def unplug_scanner(self, scanner: str) -> None:
        self.port(scanner).unplug()
        self.advance(self.step_s)

    def replug_scanner(self, scanner: str) -> None:
        """Plug a new pty in at the same path and wait for the device to reopen it."""
        self.port(scanner).replug()
        self.advance(self._scanner_config(scanner).reopen_s + self.step_s)

    # --- outputs -------------------------------------------------------------
    def output_on(self, config: OutputPin) -> bool:
        """Whether an output's mock pin is at its active level right now."""
        return bool(self.factory.pin(config.pin).state) == config.active_high

    def _gpio_tower(self) -> GpioTower:
        tower = getattr(self.hardware, "tower", None)
        if not isinstance(tower, GpioTower):
            raise HalError(errs.NO_GPIO_TOWER)
        return tower

    def lamp_lit(self, colour: str) -> bool:
        """Whether a GPIO tower's tier is lit at this instant (flashing tiers alternate)."""
        for tier in self._gpio_tower().tiers:
            if tier.colour == colour:
                return self.output_on(tier)
        raise HalError(errs.NO_TIER.format(colour=colour))

    def buzzer_on(self) -> bool:
        buzzer = self._gpio_tower().buzzer
        if buzzer is None:
            raise HalError(errs.NO_BUZZER)
        return self.output_on(buzzer)

    def pns_pattern(self, colour: str) -> Pattern:
        """What the loopback PNS tower shows on the tier of ``colour``."""
        tower = getattr(self.hardware, "tower", None)
        if self.pns is None or not isinstance(tower, PnsTower):
            raise HalError(errs.NO_PNS_TOWER)
        if colour not in tower.colours:
            raise HalError(errs.NO_TIER.format(colour=colour))
        return _PNS_PATTERNS[self.pns.lamps[tower.colours.index(colour)]]

    def line_stopped(self) -> bool:
        config = getattr(self.hardware, "line_stop", None)
        if config is None:
            raise HalError(errs.NO_RELAY)
        return self.output_on(config)

    def _store(self) -> StoreHardware:
        if not isinstance(self.hardware, StoreHardware):
            raise HalError(errs.STATION_HAS_NO_STORE)
        return self.hardware

    def plate_lit(self, part: str) -> bool:
        for plate in self._store().plates:
            if plate.part == part:
                return self.output_on(plate)
        raise HalError(errs.NO_PLATE.format(part=part))

    def beacon_lit(self) -> bool:
        beacon = self._store().beacon
        if beacon is None:
            raise HalError(errs.NO_BEACON)
        return self.output_on(beacon)

    def store_buzzer_on(self) -> bool:
        buzzer = self._store().buzzer
        if buzzer is None:
            raise HalError(errs.NO_STORE_BUZZER)
        return self.output_on(buzzer)

    def outputs(self) -> dict[str, OutputPin]:
        """Every GPIO output of the pin map, by name (``tower.red``, ``plate.<part>`` ...)."""
        named: dict[str, OutputPin] = {}
        if isinstance(self.hardware, StationHardware):
            tower = self.hardware.tower
            if isinstance(tower, GpioTower):
                named.update({f"tower.{tier.colour}": tier for tier in tower.tiers})
                if tower.buzzer is not None:
                    named["tower.buzzer"] = tower.buzzer
            if self.hardware.line_stop is not None:
                named["line_stop"] = self.hardware.line_stop
        else:
            named.update({f"plate.{plate.part}": plate for plate in self.hardware.plates})
            if self.hardware.beacon is not None:
                named["beacon"] = self.hardware.beacon
            if self.hardware.buzzer is not None:
                named["store.buzzer"] = self.hardware.buzzer
        return named

    def outputs_on(self) -> list[str]:
        """The names of the GPIO outputs energised right now, plus a PNS tower's lit tiers."""
        on = [name for name, config in self.outputs().items() if self.output_on(config)]
        tower = getattr(self.hardware, "tower", None)
        if self.pns is not None and isinstance(tower, PnsTower):
            for colour in tower.colours:
                pattern = self.pns_pattern(colour)
                if pattern != Pattern.OFF:
                    on.append(f"tower.{colour} ({pattern})")
            if self.pns.buzzer:
                on.append(f"tower.buzzer (pattern {self.pns.buzzer})")
        return on

    def sample(self, read: Callable[[], bool], seconds: float, every_s: float) -> list[bool]:
        """Read an output every ``every_s`` for ``seconds`` (manual clock only)."""
        if not self.manual:
            raise HalError(errs.NEEDS_MANUAL_CLOCK)
        samples = []
        for _ in range(round(seconds / every_s)):
            samples.append(read())
            self.advance(every_s)
        return samples
