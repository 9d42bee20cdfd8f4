"""Opening a station's or store's devices for a command, on real or simulated pins."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from andon.config.hardware import StationHardware, StoreHardware
from hal.clock import Clock
from hal.events import EventSink, HalEvent
from hal.real_pins import on_real_pins
from hal.sim import SimStation, SimStore
from hal.sim_controller import SimController
from hal.station import StationDevices
from hal.store import StoreDevices


def _ignore(event: HalEvent) -> None:
    """For callers that only drive outputs."""


@contextmanager
def open_devices(
    hardware: StationHardware | StoreHardware,
    *,
    sim: bool,
    sink: EventSink = _ignore,
    raw_events: bool = False,
    sim_clock: Clock = time.monotonic,
) -> Iterator[tuple[StationDevices | StoreDevices, SimController | None]]:
    """Yield ``(devices, controller)``; the controller is None on real hardware.

    Everything is closed on exit. On a machine without GPIO the error says so
    and suggests ``--sim``.
    """
    if sim:
        simulation: SimStation | SimStore
        if isinstance(hardware, StationHardware):
            simulation = SimStation(hardware, sink=sink, clock=sim_clock, raw_events=raw_events)
        else:
            simulation = SimStore(hardware, sink=sink, clock=sim_clock)
        try:
            yield simulation.devices, simulation.controller
        finally:
            simulation.close()
        return
    devices: Any
    with on_real_pins():
        if isinstance(hardware, StationHardware):
            devices = StationDevices.from_config(hardware, sink=sink, raw_events=raw_events)
        else:
            devices = StoreDevices.from_config(hardware, sink=sink)
    try:
        yield devices, None
    finally:
        devices.close()
