"""Lamp and buzzer patterns, their timing, and the desired state of a lamp tower.

Timing (our choice, 50 % duty): a slow flash is 1 Hz, a fast flash 4 Hz.
Buzzer tunes: ``continuous``; ``pulse`` 0.5 s on / 0.5 s off; ``rapid``
0.1 s on / 0.1 s off; ``chirp`` two 0.1 s beeps every 2 s. A pattern starts
"on" at the moment it is shown, so the change is visible at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType


class Pattern(StrEnum):
    """How one lamp shows: off, steady, slow flash or fast flash."""

    OFF = "off"
    ON = "on"
    SLOW = "slow"
    FAST = "fast"


class BuzzerPattern(StrEnum):
    """A buzzer tune."""

    OFF = "off"
    CONTINUOUS = "continuous"
    PULSE = "pulse"
    RAPID = "rapid"
    CHIRP = "chirp"


@dataclass(frozen=True)
class Cadence:
    """A repeating sequence of ``(level, seconds)`` steps."""

    steps: tuple[tuple[bool, float], ...]

    def __post_init__(self) -> None:
        if not self.steps or any(seconds <= 0 for _, seconds in self.steps):
            raise ValueError(f"a cadence needs steps of positive length: {self.steps}")

    # Asked for every output at every turn of the hardware loop: worked out once.
    @cached_property
    def period(self) -> float:
        return sum(seconds for _, seconds in self.steps)

    @cached_property
    def steady(self) -> bool:
        return len({level for level, _ in self.steps}) == 1

    def level_at(self, elapsed: float) -> bool:
        """The level ``elapsed`` seconds after the cadence started."""
        if self.steady or elapsed <= 0:
            return self.steps[0][0]
        position = math.fmod(elapsed, self.period)
        for level, seconds in self.steps:
            if position < seconds:
                return level
            position -= seconds
        return self.steps[-1][0]


STEADY_OFF = Cadence(((False, 1.0),))
STEADY_ON = Cadence(((True, 1.0),))

LAMP_CADENCES: Mapping[Pattern, Cadence] = MappingProxyType(
    {
        Pattern.OFF: STEADY_OFF,
        Pattern.ON: STEADY_ON,
        Pattern.SLOW: Cadence(((True, 0.5), (False, 0.5))),
        Pattern.FAST: Cadence(((True, 0.125), (False, 0.125))),
    }
)

BUZZER_CADENCES: Mapping[BuzzerPattern, Cadence] = MappingProxyType(
    {
        BuzzerPattern.OFF: STEADY_OFF,
        BuzzerPattern.CONTINUOUS: STEADY_ON,
        BuzzerPattern.PULSE: Cadence(((True, 0.5), (False, 0.5))),
        BuzzerPattern.RAPID: Cadence(((True, 0.1), (False, 0.1))),
        BuzzerPattern.CHIRP: Cadence(((True, 0.1), (False, 0.1), (True, 0.1), (False, 1.7))),
    }
)


@dataclass(frozen=True)
class TowerState:
    """What a lamp tower should show: a pattern per colour (missing = off) and a buzzer tune."""

    lamps: Mapping[str, Pattern] = field(default_factory=dict)
    buzzer: BuzzerPattern = BuzzerPattern.OFF

    def __post_init__(self) -> None:
        lit = {colour: Pattern(p) for colour, p in self.lamps.items() if Pattern(p) != Pattern.OFF}
        object.__setattr__(self, "lamps", MappingProxyType(lit))
        object.__setattr__(self, "buzzer", BuzzerPattern(self.buzzer))

    def __hash__(self) -> int:
        return hash((frozenset(self.lamps.items()), self.buzzer))

    def pattern(self, colour: str) -> Pattern:
        """The pattern of one colour's tier."""
        return self.lamps.get(colour, Pattern.OFF)

    def __str__(self) -> str:
        lamps = ", ".join(f"{c} {p}" for c, p in self.lamps.items()) or "all off"
        return f"{lamps}; buzzer {self.buzzer}"


ALL_OFF = TowerState()
