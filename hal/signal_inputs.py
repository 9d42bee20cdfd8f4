"""Counted and level inputs: the good-part and scrap counters, the machine
fault (jidoka) and the downstream full-work sensor.
"""

from __future__ import annotations

from gpiozero.pins import Factory

from andon.config.hardware import InputPin
from hal.clock import Clock
from hal.debounce import EdgeDebouncer
from hal.events import CountPulse, DownstreamFullChanged, EventSink, FaultChanged, HalEvent
from hal.input_pin import EdgeInput


class CountInput(EdgeInput):
    """A cycle / part-count sensor: every debounced activation is one part."""

    def __init__(
        self,
        name: str,
        config: InputPin,
        *,
        good: bool,
        clock: Clock,
        sink: EventSink,
        factory: Factory | None = None,
        raw_events: bool = False,
    ) -> None:
        super().__init__(
            name, config, clock=clock, sink=sink, factory=factory, raw_events=raw_events
        )
        self.good = good
        self.count = 0
        self._filter = EdgeDebouncer(config.debounce_s, stable=self.raw_active)

    def _report(self, changes: list[tuple[bool, float]]) -> None:
        for active, at in changes:
            if active:
                self.count += 1
                self._emit(CountPulse(good=self.good, n=1, at=at))


class LevelInput(EdgeInput):
    """A debounced on/off signal reported on every change.

    It starts from "inactive", so a signal already active at start-up is
    reported on the first tick.
    """

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
        super().__init__(
            name, config, clock=clock, sink=sink, factory=factory, raw_events=raw_events
        )
        self._filter = EdgeDebouncer(config.debounce_s, stable=False)
        self._pending_start = self.raw_active
        self._started_at = clock()

    @property
    def is_active(self) -> bool:
        """The debounced state."""
        return self._filter.stable

    def _advance(self, now: float) -> None:
        if self._pending_start:
            self._pending_start = False
            self._edge(True, self._started_at)
        super()._advance(now)

    def _report(self, changes: list[tuple[bool, float]]) -> None:
        for active, at in changes:
            self._emit(self._event(active, at))

    def _event(self, active: bool, at: float) -> HalEvent:
        raise NotImplementedError


class FaultInput(LevelInput):
    """The machine's own stop signal: active raises an equipment call (jidoka)."""

    def __init__(
        self,
        config: InputPin,
        *,
        clock: Clock,
        sink: EventSink,
        factory: Factory | None = None,
        raw_events: bool = False,
    ) -> None:
        super().__init__(
            "fault", config, clock=clock, sink=sink, factory=factory, raw_events=raw_events
        )

    def _event(self, active: bool, at: float) -> HalEvent:
        return FaultChanged(active=active, at=at)


class DownstreamFullInput(LevelInput):
    """The full-work sensor: the downstream buffer holds its standard quantity."""

    def __init__(
        self,
        config: InputPin,
        *,
        clock: Clock,
        sink: EventSink,
        factory: Factory | None = None,
        raw_events: bool = False,
    ) -> None:
        super().__init__(
            "downstream_full",
            config,
            clock=clock,
            sink=sink,
            factory=factory,
            raw_events=raw_events,
        )

    def _event(self, active: bool, at: float) -> HalEvent:
        return DownstreamFullChanged(full=active, at=at)
