"""How each barcode scanner of a station is doing, for the board's diagnostics.

Fed with the hardware events as they arrive; published in the ``health`` of the
retained state as ``scanners``: one entry per scanner heard of, with whether it is
connected, when it last read a code, how many lines it sent that were not codes,
and its last error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from andon.domain.events import format_instant
from hal.events import DeviceStatus, Scanned, ScanRejected

PREFIX = "scanner."
"""The device name of a scanner is ``scanner.<name>``."""


@dataclass
class ScannerCounters:
    """One scanner."""

    connected: bool | None = None
    last_scan_at: datetime | None = None
    scans: int = 0
    rejected: int = 0
    errors: int = 0
    last_error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "connected": self.connected,
            "last_scan_at": format_instant(self.last_scan_at) if self.last_scan_at else None,
            "scans": self.scans,
            "rejected": self.rejected,
            "errors": self.errors,
            "last_error": self.last_error,
        }


class ScannerHealth:
    """The scanners' counters, updated from the hardware events."""

    def __init__(self, names: list[str] | None = None) -> None:
        self.scanners: dict[str, ScannerCounters] = {n: ScannerCounters() for n in names or ()}

    def _get(self, name: str) -> ScannerCounters:
        return self.scanners.setdefault(name, ScannerCounters())

    def observe(self, event: object, now: datetime) -> None:
        """Count ``event`` if it is about a scanner (``now``: the station's wall clock)."""
        if isinstance(event, Scanned):
            scanner = self._get(event.scanner)
            scanner.scans += 1
            scanner.last_scan_at = now
            scanner.connected = True
        elif isinstance(event, ScanRejected):
            scanner = self._get(event.scanner)
            scanner.rejected += 1
            scanner.last_error = event.reason
        elif isinstance(event, DeviceStatus) and event.device.startswith(PREFIX):
            scanner = self._get(event.device.removeprefix(PREFIX))
            scanner.connected = event.ok
            if not event.ok:
                scanner.errors += 1
                scanner.last_error = event.detail

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """The ``scanners`` entry of the station's health."""
        return {name: self.scanners[name].as_dict() for name in sorted(self.scanners)}
