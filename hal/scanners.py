"""Building the right scanner device for a ``[[hardware.scanners]]`` entry."""

from __future__ import annotations

from andon.config.hardware import HidScanner, SerialScanner
from hal.clock import Clock
from hal.events import EventSink
from hal.hid_scanner import HidScannerDevice
from hal.serial_scanner import SerialScannerDevice

ScannerDevice = SerialScannerDevice | HidScannerDevice


def build_scanner(
    config: SerialScanner | HidScanner, *, clock: Clock, sink: EventSink
) -> ScannerDevice:
    """A serial or a keyboard-wedge scanner device (the latter needs ``evdev``)."""
    if isinstance(config, SerialScanner):
        return SerialScannerDevice(config, clock=clock, sink=sink)
    return HidScannerDevice(config, clock=clock, sink=sink)


def check_unique_names(configs: list[SerialScanner | HidScanner], where: str) -> None:
    """Scanners are told apart by name in events: two with one name are an error."""
    names = [c.name for c in configs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"{where}: scanner names must differ; repeated: {repeated}")
