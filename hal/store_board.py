"""The material-call board at the store: one lamp under each part's plate and
a common beacon (DOMAIN.md section 4), plus an optional buzzer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gpiozero.pins import Factory

from andon.config.hardware import StoreHardware
from hal import errors as errs
from hal.clock import Clock
from hal.errors import HalError
from hal.outputs import PatternOutput
from hal.patterns import BUZZER_CADENCES, LAMP_CADENCES, BuzzerPattern, Pattern

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoreBoardState:
    """What the board should show: a pattern per part plate (missing = off), the beacon, a tune."""

    plates: Mapping[str, Pattern] = field(default_factory=dict)
    beacon: Pattern = Pattern.OFF
    buzzer: BuzzerPattern = BuzzerPattern.OFF

    def __post_init__(self) -> None:
        lit = {part: Pattern(p) for part, p in self.plates.items() if Pattern(p) != Pattern.OFF}
        object.__setattr__(self, "plates", MappingProxyType(lit))
        object.__setattr__(self, "beacon", Pattern(self.beacon))
        object.__setattr__(self, "buzzer", BuzzerPattern(self.buzzer))

    def __hash__(self) -> int:
        return hash((frozenset(self.plates.items()), self.beacon, self.buzzer))

    @classmethod
    def calling(cls, parts: Iterable[str]) -> StoreBoardState:
        """The usual picture: a steady lamp under each called part, the beacon on while any is."""
        lit = dict.fromkeys(parts, Pattern.ON)
        return cls(plates=lit, beacon=Pattern.ON if lit else Pattern.OFF)


class MaterialCallBoard:
    """Plate lamps, beacon and buzzer; ``show()`` switches at once, ``tick()`` flashes."""

    def __init__(
        self, config: StoreHardware, *, clock: Clock, factory: Factory | None = None
    ) -> None:
        self.config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._state = StoreBoardState()
        self._plates: dict[str, PatternOutput] = {}
        self.beacon: PatternOutput | None = None
        self.buzzer: PatternOutput | None = None
        try:
            for plate in config.plates:
                if plate.part in self._plates:
                    raise HalError(errs.TWO_PLATES.format(part=plate.part))
                self._plates[plate.part] = PatternOutput(
                    f"plate.{plate.part}", plate, factory=factory
                )
            if config.beacon is not None:
                self.beacon = PatternOutput("beacon", config.beacon, factory=factory)
            if config.buzzer is not None:
                self.buzzer = PatternOutput("store.buzzer", config.buzzer, factory=factory)
        except HalError:
            self.close()
            raise

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self._plates)

    @property
    def state(self) -> StoreBoardState:
        return self._state

    def plate(self, part: str) -> PatternOutput:
        return self._plates[part]

    def show(self, state: StoreBoardState) -> frozenset[str]:
        """Show ``state``; returns the parts it names that have no plate (logged, not shown)."""
        unknown = frozenset(state.plates) - frozenset(self._plates)
        if unknown:
            log.warning("store board has no plate for %s", ", ".join(sorted(unknown)))
        with self._lock:
            if state != self._state:
                epoch = self._clock()
                self._state = state
                for part, output in self._plates.items():
                    output.set(LAMP_CADENCES[state.plates.get(part, Pattern.OFF)], epoch=epoch)
                if self.beacon is not None:
                    self.beacon.set(LAMP_CADENCES[state.beacon], epoch=epoch)
                if self.buzzer is not None:
                    self.buzzer.set(BUZZER_CADENCES[state.buzzer], epoch=epoch)
        return unknown

    def _outputs(self) -> list[PatternOutput]:
        extra = [o for o in (self.beacon, self.buzzer) if o is not None]
        return [*self._plates.values(), *extra]

    def tick(self, now: float) -> None:
        with self._lock:
            for output in self._outputs():
                output.tick(now)

    def close(self) -> None:
        with self._lock:
            for output in self._outputs():
                output.close()

    @property
    def closed(self) -> bool:
        return all(output.closed for output in self._outputs())
