"""Bin-empty inputs, one per part: a level sensor with a settle time, or a
"call material" push button.
"""

from __future__ import annotations

from gpiozero.pins import Factory

from andon.config.hardware import BinSensor
from hal.clock import Clock
from hal.debounce import EdgeDebouncer, SettleFilter
from hal.events import BinChanged, EventSink
from hal.input_pin import EdgeInput


class BinSensorInput(EdgeInput):
    """A bin-empty sensor: a new level must hold for ``settle_s`` (at least
    ``debounce_s``) before it counts, so a wobbling bin makes one call.

    It starts from "full"; a bin already empty at start-up is reported once it has settled.
    """

    config: BinSensor

    def __init__(
        self,
        config: BinSensor,
        *,
        clock: Clock,
        sink: EventSink,
        factory: Factory | None = None,
        raw_events: bool = False,
    ) -> None:
        super().__init__(
            f"bin.{config.part}",
            config,
            clock=clock,
            sink=sink,
            factory=factory,
            raw_events=raw_events,
        )
        self.part = config.part
        self._filter = SettleFilter(max(config.settle_s, config.debounce_s), stable=False)
        if self.raw_active:
            self._filter.edge(True, clock())

    @property
    def is_empty(self) -> bool:
        """The settled state."""
        return self._filter.stable

    def _report(self, changes: list[tuple[bool, float]]) -> None:
        for empty, at in changes:
            self._emit(BinChanged(part=self.part, empty=empty, at=at))


class MaterialCallButton(EdgeInput):
    """A "call material" push button for one part: each debounced press reports the bin empty."""

    config: BinSensor

    def __init__(
        self,
        config: BinSensor,
        *,
        clock: Clock,
        sink: EventSink,
        factory: Factory | None = None,
        raw_events: bool = False,
    ) -> None:
        super().__init__(
            f"bin.{config.part}",
            config,
            clock=clock,
            sink=sink,
            factory=factory,
            raw_events=raw_events,
        )
        self.part = config.part
        self._filter = EdgeDebouncer(config.debounce_s, stable=self.raw_active)

    def _report(self, changes: list[tuple[bool, float]]) -> None:
        for pressed, at in changes:
            if pressed:
                self._emit(BinChanged(part=self.part, empty=True, at=at))


def bin_input(
    config: BinSensor,
    *,
    clock: Clock,
    sink: EventSink,
    factory: Factory | None = None,
    raw_events: bool = False,
) -> BinSensorInput | MaterialCallButton:
    """The right device for a bin entry of the pin map."""
    kind = MaterialCallButton if config.button else BinSensorInput
    return kind(config, clock=clock, sink=sink, factory=factory, raw_events=raw_events)
