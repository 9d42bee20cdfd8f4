"""The base of every GPIO input: edges stamped by the injected clock, handled on ``tick``.

gpiozero reports each edge through ``when_activated`` / ``when_deactivated``
(from its own thread on a Pi, synchronously on mock pins). We only record
``(level, clock())`` there and call ``on_edge`` (the station uses it to wake
its loop at once instead of at its next tick); all filtering happens in
:meth:`EdgeInput.tick`, so even a pulse shorter than the tick period is never
missed and every decision is made on the injected clock.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from gpiozero import DigitalInputDevice
from gpiozero.pins import Factory

from andon.config.hardware import InputPin
from hal import errors as errs
from hal.clock import Clock
from hal.debounce import Change, InputFilter
from hal.errors import HalError
from hal.events import EventSink, HalEvent, RawInput


class EdgeInput:
    """A digital input device; subclasses turn edges into events."""

    def __init__(
        self,
        name: str,
        config: InputPin,
        *,
        clock: Clock,
        sink: EventSink,
        factory: Factory | None = None,
        raw_events: bool = False,
    ) -> None:
        self.name = name
        self.config = config
        self._clock = clock
        self._sink = sink
        self._raw_events = raw_events
        self._edges: deque[tuple[bool, float]] = deque()
        self._lock = threading.Lock()
        self.on_edge: Callable[[], None] | None = None
        """Called from the edge's thread after an edge is recorded (must be quick)."""
        try:
            self._device = DigitalInputDevice(
                config.pin, pull_up=config.pull_up, pin_factory=factory
            )
        except Exception as exc:
            raise HalError(errs.NO_INPUT_PIN.format(name=name, pin=config.pin, error=exc)) from exc
        self._device.when_activated = self._activated
        self._device.when_deactivated = self._deactivated

    @property
    def pin(self) -> int:
        return self.config.pin

    @property
    def raw_active(self) -> bool:
        """The pin's level right now, unfiltered (True = active)."""
        return bool(self._device.is_active)

    @property
    def closed(self) -> bool:
        return bool(self._device.closed)

    def _activated(self) -> None:
        self._edges.append((True, self._clock()))
        self._wake()

    def _deactivated(self) -> None:
        self._edges.append((False, self._clock()))
        self._wake()

    def _wake(self) -> None:
        listener = self.on_edge
        if listener is not None:
            listener()

    def tick(self, now: float) -> None:
        """Handle the edges recorded so far, then let time pass up to ``now``."""
        with self._lock:
            while self._edges:
                level, at = self._edges.popleft()
                if self._raw_events:
                    self._emit(RawInput(device=self.name, active=level, at=at))
                self._advance(at)
                self._edge(level, at)
            self._advance(now)

    _filter: InputFilter
    """Set by subclasses that only filter edges: what counts is handed to ``_report``."""

    def _edge(self, level: bool, at: float) -> None:
        self._report(self._filter.edge(level, at))

    def _advance(self, now: float) -> None:
        self._report(self._filter.advance(now))

    def _report(self, changes: list[Change]) -> None:
        raise NotImplementedError

    def _emit(self, event: HalEvent) -> None:
        self._sink(event)

    def close(self) -> None:
        """Release the pin; safe to call twice."""
        if not self._device.closed:
            self._device.close()  # gpiozero also forgets the callbacks here

    def __enter__(self) -> EdgeInput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} on GPIO{self.pin}>"
