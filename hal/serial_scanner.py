"""A barcode scanner on a serial port (RS-232, or USB in serial/CDC mode).

The port is read without blocking on every ``tick()``. When it fails (the
scanner was unplugged, its device node or udev symlink vanished) the port is
closed, a :class:`~hal.events.DeviceStatus` is reported, and it is opened
again every ``reopen_s`` (on the injected clock) until the configured path
works again, whatever device it now points to. No restart is needed.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

import serial

from andon.config.hardware import SerialScanner
from hal import problems as P
from hal.clock import Clock
from hal.events import DeviceStatus, EventSink
from hal.scan_lines import ScanLineAssembler

log = logging.getLogger(__name__)

SerialOpener = Callable[..., Any]


class SerialScannerDevice:
    """Reads codes from ``config.port`` at ``config.baud``, lines ended by ``config.terminator``."""

    def __init__(
        self,
        config: SerialScanner,
        *,
        clock: Clock,
        sink: EventSink,
        opener: SerialOpener = serial.Serial,
    ) -> None:
        self.config = config
        self.name = config.name
        self._clock = clock
        self._sink = sink
        self._opener = opener
        self._port: Any = None
        self._next_open_at = clock()
        self._problem: str | None = None
        self._closed = False
        self._lines = ScanLineAssembler(
            config.name,
            terminator=config.terminator.encode("ascii", "strict"),
            max_length=config.max_length,
        )

    @property
    def device_name(self) -> str:
        return f"scanner.{self.name}"

    @property
    def connected(self) -> bool:
        return self._port is not None

    @property
    def problem(self) -> str | None:
        """Why the port is not open, or None."""
        return self._problem

    def tick(self, now: float) -> None:
        """Open the port if due, then hand every waiting byte to the line assembler."""
        if self._closed:
            return
        if self._port is None and now >= self._next_open_at:
            self._open(now)
        if self._port is None:
            return
        try:
            data = self._port.read(4096)
        except (serial.SerialException, OSError) as exc:
            self._lost(P.READ_FAILED.format(device=self.config.port, error=exc), now)
            return
        if data:
            for event in self._lines.feed(bytes(data), now):
                self._sink(event)

    def _open(self, now: float) -> None:
        try:
            self._port = self._opener(
                port=self.config.port, baudrate=self.config.baud, timeout=0, exclusive=True
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            self._fail(P.CANNOT_OPEN.format(device=self.config.port, error=exc), now)
            return
        self._lines.reset()
        if self._problem is not None:
            self._problem = None
            self._status(True, P.OPEN_AGAIN.format(device=self.config.port), now)

    def _lost(self, reason: str, now: float) -> None:
        self._close_port()
        self._fail(reason, now)

    def _fail(self, reason: str, now: float) -> None:
        self._next_open_at = now + self.config.reopen_s
        if self._problem is None:
            log.warning(
                "scanner %s: %s; retrying every %g s", self.name, reason, self.config.reopen_s
            )
            self._problem = reason
            retrying = P.RETRYING.format(problem=reason, seconds=f"{self.config.reopen_s:g}")
            self._status(False, retrying, now)

    def _status(self, ok: bool, detail: str, at: float) -> None:
        self._sink(DeviceStatus(device=self.device_name, ok=ok, detail=detail, at=at))

    def _close_port(self) -> None:
        if self._port is not None:
            port, self._port = self._port, None
            with contextlib.suppress(serial.SerialException, OSError):
                port.close()

    def close(self) -> None:
        """Close the port; safe to call twice."""
        self._closed = True
        self._close_port()

    @property
    def closed(self) -> bool:
        return self._closed

    def __repr__(self) -> str:
        return f"<SerialScannerDevice {self.name} on {self.config.port}>"
