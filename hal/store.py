"""Every device of the store's material-call board, built from its pin map."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from gpiozero.pins import Factory

from andon.config.hardware import StoreHardware
from hal import errors as errs
from hal.clock import Clock
from hal.device_set import DeviceSet
from hal.errors import DeviceConfigError, HalError
from hal.events import EventSink
from hal.loop import HardwareLoop
from hal.scanners import ScannerDevice, build_scanner, check_unique_names
from hal.store_board import MaterialCallBoard


@dataclass
class StoreDevices(DeviceSet):
    """The plate lamps, beacon and buzzer (``board``) and the store's scanners."""

    OWNER: ClassVar[str] = "the store's"

    clock: Clock
    board: MaterialCallBoard | None = None
    scanners: dict[str, ScannerDevice] = field(default_factory=dict)
    _loop: HardwareLoop | None = field(default=None, repr=False)
    _closed: bool = field(default=False, repr=False)
    _ticking: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_config(
        cls,
        hw: StoreHardware,
        *,
        sink: EventSink,
        factory: Factory | None = None,
        clock: Clock = time.monotonic,
    ) -> StoreDevices:
        """Build every device in ``hw``; if one fails, close the rest and raise ``HalError``."""
        try:
            check_unique_names(hw.scanners, "hardware.scanners")
        except ValueError as exc:
            raise DeviceConfigError(str(exc)) from exc
        devices = cls(clock=clock)
        try:
            devices.board = MaterialCallBoard(hw, clock=clock, factory=factory)
            for scanner in hw.scanners:
                devices.scanners[scanner.name] = build_scanner(scanner, clock=clock, sink=sink)
        except Exception as exc:
            devices.close()
            if isinstance(exc, HalError):
                raise
            raise HalError(errs.CANNOT_BUILD_STORE.format(error=exc)) from exc
        return devices

    def all(self) -> Iterator[Any]:
        if self.board is not None:
            yield self.board
        yield from self.scanners.values()
