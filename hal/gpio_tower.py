"""A stack light wired through relays to GPIO outputs, plus an optional buzzer."""

from __future__ import annotations

import threading

from gpiozero.pins import Factory

from andon.config.hardware import GpioTower
from hal.clock import Clock
from hal.errors import HalError
from hal.outputs import PatternOutput
from hal.patterns import ALL_OFF, BUZZER_CADENCES, LAMP_CADENCES, TowerState
from hal.tower import check_colours


class GpioLampTower:
    """One :class:`PatternOutput` per tier and one for the buzzer.

    ``show()`` switches at once; ``tick()`` renders the flashing. All
    flashing tiers and the buzzer restart in step whenever the state changes.
    A buzzer tune asked of a tower without a buzzer is ignored.
    """

    def __init__(self, config: GpioTower, *, clock: Clock, factory: Factory | None = None) -> None:
        self.config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._state = ALL_OFF
        self._tiers: dict[str, PatternOutput] = {}
        self.buzzer: PatternOutput | None = None
        try:
            for tier in config.tiers:
                name = f"tower.{tier.colour}"
                self._tiers[tier.colour] = PatternOutput(name, tier, factory=factory)
            if config.buzzer is not None:
                self.buzzer = PatternOutput("tower.buzzer", config.buzzer, factory=factory)
        except HalError:
            self.close()
            raise

    @property
    def colours(self) -> tuple[str, ...]:
        return tuple(self._tiers)

    @property
    def state(self) -> TowerState:
        return self._state

    def tier(self, colour: str) -> PatternOutput:
        """The output of one colour's tier."""
        return self._tiers[colour]

    def show(self, state: TowerState) -> None:
        check_colours(state, self.colours)
        with self._lock:
            if state == self._state:
                return
            epoch = self._clock()
            self._state = state
            for colour, output in self._tiers.items():
                output.set(LAMP_CADENCES[state.pattern(colour)], epoch=epoch)
            if self.buzzer is not None:
                self.buzzer.set(BUZZER_CADENCES[state.buzzer], epoch=epoch)

    def tick(self, now: float) -> None:
        with self._lock:
            for output in self._outputs():
                output.tick(now)

    def _outputs(self) -> list[PatternOutput]:
        return [*self._tiers.values(), *([self.buzzer] if self.buzzer else [])]

    def close(self) -> None:
        with self._lock:
            for output in self._outputs():
                output.close()
            self._state = ALL_OFF

    @property
    def closed(self) -> bool:
        return all(output.closed for output in self._outputs())

    def __repr__(self) -> str:
        tiers = ", ".join(f"{c} GPIO{o.pin}" for c, o in self._tiers.items())
        return f"<GpioLampTower {tiers}>"
