"""Andon buttons and the acknowledge button: debounced, with a long press to cancel.

A short press is reported when the button is released; holding it for
``long_press_s`` reports a long press at that moment (while still held) and
no short press afterwards. So "hold to cancel" never raises a call first.

A long press needs a steady hold: the contact must stay closed, without a
single bounce, for ``long_press_s``. A chattering contact (a worn switch, a
loose wire) is held at "pressed" by the debouncer for as long as it chatters,
but it never counts as a long press, so it cannot cancel an open call.
"""

from __future__ import annotations

from gpiozero.pins import Factory

from andon.config.hardware import ButtonPin
from hal.clock import Clock
from hal.debounce import EdgeDebouncer
from hal.events import (
    AcknowledgeLongPressed,
    AcknowledgePressed,
    ButtonLongPressed,
    ButtonPressed,
    EventSink,
    HalEvent,
)
from hal.input_pin import EdgeInput


class PushButton(EdgeInput):
    """A debounced push button with short and long presses."""

    config: ButtonPin

    def __init__(
        self,
        name: str,
        config: ButtonPin,
        *,
        clock: Clock,
        sink: EventSink,
        factory: Factory | None = None,
        raw_events: bool = False,
    ) -> None:
        super().__init__(
            name, config, clock=clock, sink=sink, factory=factory, raw_events=raw_events
        )
        # A button already held at start (stuck, or wired wrongly) raises nothing.
        self._debouncer = EdgeDebouncer(config.debounce_s, stable=self.raw_active)
        self._pressed_at: float | None = None
        self._long_reported = False
        self._closed_since: float | None = None
        """When the raw contact last closed, while it stays closed (None when open)."""

    @property
    def is_pressed(self) -> bool:
        """The debounced state."""
        return self._debouncer.stable

    def _edge(self, level: bool, at: float) -> None:
        self._closed_since = at if level else None
        for stable, counted_at in self._debouncer.edge(level, at):
            self._change(stable, counted_at)

    def _advance(self, now: float) -> None:
        for stable, counted_at in self._debouncer.advance(now):
            self._check_long(counted_at)
            self._change(stable, counted_at)
        self._check_long(now)

    def _change(self, pressed: bool, at: float) -> None:
        if pressed:
            self._pressed_at, self._long_reported = at, False
        elif self._pressed_at is not None:
            if not self._long_reported:
                self._emit(self._short_press(at))
            self._pressed_at = None

    def _check_long(self, now: float) -> None:
        if self._pressed_at is None or self._long_reported or self._closed_since is None:
            return
        steady_from = max(self._pressed_at, self._closed_since)
        if now - steady_from >= self.config.long_press_s:
            self._long_reported = True
            self._emit(self._long_press(steady_from + self.config.long_press_s))

    def _short_press(self, at: float) -> HalEvent:
        raise NotImplementedError

    def _long_press(self, at: float) -> HalEvent:
        raise NotImplementedError


class AndonButton(PushButton):
    """The button for one call type (help, quality, equipment ...)."""

    def __init__(
        self,
        call_type: str,
        config: ButtonPin,
        *,
        clock: Clock,
        sink: EventSink,
        factory: Factory | None = None,
        raw_events: bool = False,
    ) -> None:
        self.call_type = call_type
        super().__init__(
            f"button.{call_type}",
            config,
            clock=clock,
            sink=sink,
            factory=factory,
            raw_events=raw_events,
        )

    def _short_press(self, at: float) -> HalEvent:
        return ButtonPressed(call_type=self.call_type, at=at)

    def _long_press(self, at: float) -> HalEvent:
        return ButtonLongPressed(call_type=self.call_type, at=at)


class AcknowledgeButton(PushButton):
    """The team leader's acknowledge button at the station."""

    def __init__(
        self,
        config: ButtonPin,
        *,
        clock: Clock,
        sink: EventSink,
        factory: Factory | None = None,
        raw_events: bool = False,
    ) -> None:
        super().__init__(
            "acknowledge", config, clock=clock, sink=sink, factory=factory, raw_events=raw_events
        )

    def _short_press(self, at: float) -> HalEvent:
        return AcknowledgePressed(at=at)

    def _long_press(self, at: float) -> HalEvent:
        return AcknowledgeLongPressed(at=at)
