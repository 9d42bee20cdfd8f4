"""The simulated hardware: the real ``hal`` devices over gpiozero's
``MockFactory``, a pty per scanner, and a loopback PNS tower.

``--sim`` changes only where the devices are attached: the pin factory
becomes a ``MockFactory`` (passed to every device, the global
``Device.pin_factory`` is left alone), every scanner (serial or USB) becomes
a serial scanner on a pty, and a PNS tower's address becomes a
:class:`~hal.pns_loopback.LoopbackPnsTower` on 127.0.0.1.

Each simulation hands out a :class:`~hal.sim_controller.SimController` to
poke its inputs and read its outputs.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from gpiozero.pins.mock import MockFactory, MockPWMPin

from andon.config.hardware import (
    HidScanner,
    PnsTower,
    SerialScanner,
    StationHardware,
    StoreHardware,
)
from hal.clock import Clock, ManualClock
from hal.events import EventSink
from hal.pns_loopback import LoopbackPnsTower
from hal.sim_controller import SimController
from hal.sim_serial import SimSerialPort
from hal.station import StationDevices

__all__ = ["SimController", "SimStation", "SimStore", "mock_factory"]


def mock_factory() -> MockFactory:
    """A fresh mock pin factory (PWM-capable pins, so any gpiozero device works)."""
    return MockFactory(pin_class=MockPWMPin)


def _sim_scanners(
    scanners: list[SerialScanner | HidScanner], workdir: Path
) -> tuple[list[SerialScanner], dict[str, SimSerialPort]]:
    """Every scanner becomes a serial scanner on a pty at ``workdir/scanner-<n>``."""
    configs, ports = [], {}
    for index, scanner in enumerate(scanners):
        port = SimSerialPort(workdir / f"scanner-{index}")
        ports[scanner.name] = port
        if isinstance(scanner, SerialScanner):
            configs.append(scanner.model_copy(update={"port": str(port.path)}))
        else:
            configs.append(
                SerialScanner(
                    name=scanner.name,
                    port=str(port.path),
                    max_length=scanner.max_length,
                    reopen_s=scanner.reopen_s,
                )
            )
    return configs, ports


class _Simulation:
    """What a simulated station and store share: factory, ptys, loopback tower, workdir."""

    def __init__(self, clock: Clock | None, workdir: str | Path | None) -> None:
        self.clock: Clock = clock if clock is not None else ManualClock()
        self.factory = mock_factory()
        self._tmp = tempfile.TemporaryDirectory(prefix="andon-sim-") if workdir is None else None
        self.workdir = Path(self._tmp.name if self._tmp is not None else str(workdir))
        self.ports: dict[str, SimSerialPort] = {}
        self.pns: LoopbackPnsTower | None = None
        self.devices: Any = None

    def _close_sim(self) -> None:
        try:
            if self.devices is not None:
                self.devices.close()
        finally:
            for port in self.ports.values():
                port.close()
            if self.pns is not None:
                self.pns.close()
            self.factory.reset()
            if self._tmp is not None:
                self._tmp.cleanup()


class SimStation(_Simulation):
    """A whole simulated station: ``devices``, ``controller`` and the rewritten ``hardware``."""

    def __init__(
        self,
        hw: StationHardware,
        *,
        sink: EventSink,
        clock: Clock | None = None,
        raw_events: bool = False,
        workdir: str | Path | None = None,
    ) -> None:
        super().__init__(clock, workdir)
        try:
            scanners, self.ports = _sim_scanners(list(hw.scanners), self.workdir)
            tower = hw.tower
            if isinstance(tower, PnsTower):
                self.pns = LoopbackPnsTower()
                tower = tower.model_copy(update={"host": "127.0.0.1", "port": self.pns.port})
            self.hardware = hw.model_copy(update={"scanners": scanners, "tower": tower})
            self.devices: StationDevices = StationDevices.from_config(
                self.hardware,
                sink=sink,
                factory=self.factory,
                clock=self.clock,
                raw_events=raw_events,
            )
        except BaseException:
            self._close_sim()
            raise
        self.controller = SimController(
            self.devices,
            self.hardware,
            self.factory,
            clock=self.clock,
            ports=self.ports,
            pns=self.pns,
        )

    def close(self) -> None:
        """Close every device, then the ptys, the loopback tower and the mock pins."""
        self._close_sim()

    def __enter__(self) -> SimStation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SimStore(_Simulation):
    """A simulated store board: ``devices``, ``controller`` and the rewritten ``hardware``."""

    def __init__(
        self,
        hw: StoreHardware,
        *,
        sink: EventSink,
        clock: Clock | None = None,
        workdir: str | Path | None = None,
    ) -> None:
        from hal.store import StoreDevices  # here: a station never loads the store's devices

        super().__init__(clock, workdir)
        try:
            scanners, self.ports = _sim_scanners(list(hw.scanners), self.workdir)
            self.hardware = hw.model_copy(update={"scanners": scanners})
            self.devices = StoreDevices.from_config(
                self.hardware, sink=sink, factory=self.factory, clock=self.clock
            )
        except BaseException:
            self._close_sim()
            raise
        self.controller = SimController(
            self.devices, self.hardware, self.factory, clock=self.clock, ports=self.ports
        )

    def close(self) -> None:
        self._close_sim()

    def __enter__(self) -> SimStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
