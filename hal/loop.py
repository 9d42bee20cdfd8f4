"""The production driver: one thread that ticks every device at 50 Hz.

Devices never keep time themselves; they act on ``tick(now)``. In production
a :class:`HardwareLoop` calls ``tick(time.monotonic())`` every ``period_s``;
tests and the simulator call ``tick`` directly with a manual clock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from hal.clock import Clock

log = logging.getLogger(__name__)

DEFAULT_PERIOD_S = 0.02


class HardwareLoop:
    """Calls ``tick(clock())`` every ``period_s`` on its own thread until stopped.

    An exception from ``tick`` is logged and the loop carries on (one bad
    device must not freeze the lamps); if the loop falls behind it skips
    ahead instead of ticking in a burst.
    """

    def __init__(
        self,
        tick: Callable[[float], None],
        *,
        period_s: float = DEFAULT_PERIOD_S,
        clock: Clock = time.monotonic,
        name: str = "hal-loop",
    ) -> None:
        if period_s <= 0:
            raise ValueError(f"the loop period must be positive, not {period_s}")
        self._tick = tick
        self.period_s = period_s
        self._clock = clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.ticks = 0
        self.errors = 0

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> HardwareLoop:
        self._thread.start()
        return self

    def _run(self) -> None:
        due = time.monotonic()
        while not self._stop.is_set():
            try:
                self._tick(self._clock())
            except Exception:
                self.errors += 1
                if self.errors <= 10 or self.errors % 1000 == 0:
                    log.exception("device tick failed (%d so far)", self.errors)
            self.ticks += 1
            due += self.period_s
            late = time.monotonic() - due
            if late > 5 * self.period_s:
                due = time.monotonic()
            self._stop.wait(max(0.0, due - time.monotonic()))

    def stop(self, timeout: float = 5.0) -> None:
        """Stop and wait for the thread to end; safe to call twice or before start."""
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def __enter__(self) -> HardwareLoop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
