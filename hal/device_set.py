"""What every set of devices does: tick them together, run their loop, close them all."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Self

from hal import errors as errs
from hal.clock import Clock
from hal.closing import close_all
from hal.errors import HalError
from hal.input_pin import EdgeInput
from hal.loop import DEFAULT_PERIOD_S, HardwareLoop


class DeviceSet:
    """Mixin for the dataclasses that hold one place's devices (a station, a store).

    The class provides ``clock``, ``_loop``, ``_closed`` and ``_ticking`` fields and
    ``all()``, the devices in the order they are ticked and closed.
    """

    OWNER: ClassVar[str] = "the"
    clock: Clock
    _loop: HardwareLoop | None
    _closed: bool
    _ticking: threading.Lock

    def all(self) -> Iterator[Any]:
        """Every device of the set."""
        raise NotImplementedError

    def tick(self, now: float) -> None:
        """Tick every device once (what the loop does every period); thread-safe."""
        with self._ticking:
            for device in self.all():
                device.tick(now)

    def wake_on_edges(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` (from the edge's thread) whenever an input pin changes.

        Whoever ticks the devices can then tick at once instead of at its next
        period: a press reaches the lamps without waiting for the loop.
        """
        for device in self.all():
            if isinstance(device, EdgeInput):
                device.on_edge = wake

    def start(self, period_s: float = DEFAULT_PERIOD_S) -> HardwareLoop:
        """Start the loop thread that ticks every device (once; later calls return it)."""
        if self._closed:
            raise HalError(errs.DEVICES_CLOSED.format(owner=self.OWNER))
        if self._loop is None:
            self._loop = HardwareLoop(self.tick, period_s=period_s, clock=self.clock).start()
        return self._loop

    def close(self) -> None:
        """Stop the loop, then close every device (outputs off); safe to call twice."""
        self._closed = True
        if self._loop is not None:
            self._loop.stop()
        errors = close_all(self.all())
        if errors:
            raise HalError("; ".join(errors))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
