"""What the store board shows for the open material calls (our display rules).

* The lamp under a part's plate is **steady** while a normal call for that part
  is open and **flashes fast** while an express call (shortage) for it is open:
  flashing means more urgent (IEC 60073; DOMAIN.md section 5).
* The big red beacon is **steady on** while any material call is open.
* The buzzer sounds briefly: a **chirp** (two short beeps) for a new call,
  **one long beep** when a kanban was booked, **rapid beeps** when a scan
  was refused. The latest cue replaces the one still sounding.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from andon.store.calls import MaterialCall
from hal.patterns import BuzzerPattern, Pattern
from hal.store_board import StoreBoardState


@dataclass(frozen=True)
class Cue:
    """A buzzer tune sounded for a while."""

    pattern: BuzzerPattern
    seconds: float


NEW_CALL = Cue(BuzzerPattern.CHIRP, 2.0)
"""One chirp period: two 0.1 s beeps."""
BOOKED = Cue(BuzzerPattern.PULSE, 0.5)
"""A single 0.5 s beep."""
REFUSED = Cue(BuzzerPattern.RAPID, 1.0)
"""Five 0.1 s beeps."""


def plate_patterns(calls: Iterable[MaterialCall], plates: Collection[str]) -> dict[str, Pattern]:
    """The pattern under each plate with a call: fast flash if any call for it is express."""
    patterns: dict[str, Pattern] = {}
    for call in calls:
        if call.part not in plates:
            continue
        if call.express:
            patterns[call.part] = Pattern.FAST
        else:
            patterns.setdefault(call.part, Pattern.ON)
    return patterns


def board_picture(
    calls: Iterable[MaterialCall],
    plates: Collection[str],
    buzzer: BuzzerPattern = BuzzerPattern.OFF,
) -> StoreBoardState:
    """The whole board: plates, the beacon (on while any call is open) and the buzzer."""
    calls = list(calls)
    return StoreBoardState(
        plates=plate_patterns(calls, plates),
        beacon=Pattern.ON if calls else Pattern.OFF,
        buzzer=buzzer,
    )


class BuzzerCues:
    """The buzzer cue sounding now, on an injected clock (seconds, monotonic)."""

    def __init__(self) -> None:
        self._pattern = BuzzerPattern.OFF
        self._until = float("-inf")

    def sound(self, cue: Cue, now: float) -> None:
        """Start ``cue`` at ``now`` (replacing any cue still sounding)."""
        self._pattern, self._until = cue.pattern, now + cue.seconds

    def current(self, now: float) -> BuzzerPattern:
        """The tune at ``now``: the last cue until its time is up, then off."""
        return self._pattern if now < self._until else BuzzerPattern.OFF
