"""The station's hardware as the agent sees it: inputs ticked, lamps and relay set."""

from __future__ import annotations

from collections.abc import Callable

from hal.lamp_rules import LampRules
from hal.station import StationDevices


class StationHardware:
    """Adapts :class:`hal.station.StationDevices` to the agent: signals in, outputs out."""

    def __init__(
        self,
        devices: StationDevices,
        lamps: LampRules | None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.devices = devices
        self.lamps = lamps
        self._on_close = on_close

    def tick(self, now: float) -> None:
        """Debounce inputs, flash lamps, reopen lost scanners (events go to the sink).

        ``now`` is the station's timeline; the devices run on their own monotonic
        clock (the one that stamps their edges), which the demo's accelerated
        timeline does not share: mixing the two would stamp an edge on one clock
        and judge it on the other.
        """
        self.devices.tick(self.devices.clock())

    def on_input(self, wake: Callable[[], None]) -> None:
        """Have ``wake`` called whenever an input pin changes (from the pin's thread)."""
        self.devices.wake_on_edges(wake)

    def show(self, active: frozenset[str]) -> None:
        """Set the tower from the station's active signals through the lamp rules."""
        if self.devices.tower is not None and self.lamps is not None:
            self.devices.tower.show(self.lamps.evaluate(active))

    def set_line_stop(self, stopped: bool) -> None:
        """Set or release the line-stop relay."""
        if self.devices.line_stop is not None:
            self.devices.line_stop.set(stopped)

    def close(self) -> None:
        """Close every device (outputs off)."""
        if self._on_close is not None:
            self._on_close()
        else:
            self.devices.close()
