"""Every device of one station, built from its pin map and closed together.

Typical use by the station::

    devices = StationDevices.from_config(hw, sink=events.put)
    devices.start()                      # the 50 Hz HardwareLoop thread
    ...
    devices.tower.show(rules.evaluate(signals))
    devices.line_stop.set(stopped)
    ...
    devices.close()                      # stops the loop, releases every pin

Events arrive on the loop thread through ``sink``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from gpiozero.pins import Factory

from andon.config.hardware import GpioTower, StationHardware
from hal import errors as errs
from hal.bin_sensors import BinSensorInput, MaterialCallButton, bin_input
from hal.buttons import AcknowledgeButton, AndonButton
from hal.clock import Clock
from hal.device_set import DeviceSet
from hal.errors import DeviceConfigError, HalError
from hal.events import EventSink
from hal.gpio_tower import GpioLampTower
from hal.loop import HardwareLoop
from hal.outputs import LineStopRelay
from hal.pns_tower import PnsLampTower
from hal.scanners import ScannerDevice, build_scanner, check_unique_names
from hal.signal_inputs import CountInput, DownstreamFullInput, FaultInput
from hal.tower import LampTower


@dataclass
class StationDevices(DeviceSet):
    """The devices of one station; any of them may be absent from the pin map."""

    OWNER: ClassVar[str] = "the station's"

    clock: Clock
    buttons: dict[str, AndonButton] = field(default_factory=dict)
    acknowledge: AcknowledgeButton | None = None
    counter: CountInput | None = None
    scrap: CountInput | None = None
    fault: FaultInput | None = None
    downstream_full: DownstreamFullInput | None = None
    bins: dict[str, BinSensorInput | MaterialCallButton] = field(default_factory=dict)
    tower: LampTower | None = None
    line_stop: LineStopRelay | None = None
    scanners: dict[str, ScannerDevice] = field(default_factory=dict)
    _loop: HardwareLoop | None = field(default=None, repr=False)
    _closed: bool = field(default=False, repr=False)
    _ticking: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_config(
        cls,
        hw: StationHardware,
        *,
        sink: EventSink,
        factory: Factory | None = None,
        clock: Clock = time.monotonic,
        raw_events: bool = False,
    ) -> StationDevices:
        """Build every device in ``hw``; if one fails, close the others and raise :class:`HalError`.

        ``factory`` is the gpiozero pin factory (None: gpiozero's default,
        i.e. the real GPIO on a Pi); ``raw_events`` adds a
        :class:`~hal.events.RawInput` for every raw input edge.
        """
        try:
            check_unique_names(hw.scanners, "hardware.scanners")
        except ValueError as exc:
            raise DeviceConfigError(str(exc)) from exc
        devices = cls(clock=clock)
        inputs: dict[str, Any] = {
            "clock": clock,
            "sink": sink,
            "factory": factory,
            "raw_events": raw_events,
        }
        try:
            for call_type, button in hw.buttons.items():
                devices.buttons[call_type] = AndonButton(call_type, button, **inputs)
            if hw.acknowledge is not None:
                devices.acknowledge = AcknowledgeButton(hw.acknowledge, **inputs)
            if hw.counter is not None:
                devices.counter = CountInput("counter", hw.counter, good=True, **inputs)
            if hw.scrap is not None:
                devices.scrap = CountInput("scrap", hw.scrap, good=False, **inputs)
            if hw.fault is not None:
                devices.fault = FaultInput(hw.fault, **inputs)
            if hw.downstream_full is not None:
                devices.downstream_full = DownstreamFullInput(hw.downstream_full, **inputs)
            for sensor in hw.bins:
                devices.bins[sensor.part] = bin_input(sensor, **inputs)
            if hw.line_stop is not None:
                devices.line_stop = LineStopRelay(hw.line_stop, clock=clock, factory=factory)
            if isinstance(hw.tower, GpioTower):
                devices.tower = GpioLampTower(hw.tower, clock=clock, factory=factory)
            elif hw.tower is not None:
                devices.tower = PnsLampTower(hw.tower, clock=clock, sink=sink)
            for scanner in hw.scanners:
                devices.scanners[scanner.name] = build_scanner(scanner, clock=clock, sink=sink)
        except Exception as exc:
            devices.close()
            if isinstance(exc, HalError):
                raise
            raise HalError(errs.CANNOT_BUILD.format(error=exc)) from exc
        return devices

    def all(self) -> Iterator[Any]:
        """Every device, inputs first."""
        yield from self.buttons.values()
        singles = (self.acknowledge, self.counter, self.scrap, self.fault, self.downstream_full)
        yield from (d for d in singles if d is not None)
        yield from self.bins.values()
        yield from (d for d in (self.line_stop, self.tower) if d is not None)
        yield from self.scanners.values()
