"""The pace judge: normal, too fast or too slow against the plan.

Too fast is an abnormality like too slow (overproduction is the first waste). The judge
works on the relative deviation ``(actual - planned) / planned`` and is symmetric about
the plan: a deviation ``+d`` gives ``TOO_FAST`` exactly when ``-d`` gives ``TOO_SLOW``.

- No judgement (``NORMAL``) before ``min_elapsed_s`` of planned working time has passed,
  or while the plan is below ``min_planned`` units: no flapping at the start of a shift.
- ``TOO_SLOW`` when the deviation is strictly below ``-band``, ``TOO_FAST`` when strictly
  above ``+band``; exactly on the band is ``NORMAL``.
- Hysteresis: once ``TOO_SLOW`` the judge stays there until the deviation is back to
  ``-(band - hysteresis)`` or better; mirrored for ``TOO_FAST``. A jump straight across
  the plan past the other band edge switches to the other state.

Comparisons allow 1e-9 of float noise, so a deviation computed as exactly the band edge is
treated as lying on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

_EPSILON = 1e-9


class Pace(StrEnum):
    """How production keeps pace with the plan."""

    NORMAL = "normal"
    TOO_FAST = "too_fast"
    TOO_SLOW = "too_slow"

    def mirrored(self) -> Pace:
        """The state on the other side of the plan (``NORMAL`` stays ``NORMAL``)."""
        if self is Pace.TOO_FAST:
            return Pace.TOO_SLOW
        if self is Pace.TOO_SLOW:
            return Pace.TOO_FAST
        return Pace.NORMAL


@dataclass(frozen=True)
class PaceRule:
    """Per-line settings of the judge (band and hysteresis as fractions, 0.10 = 10 %)."""

    band: float = 0.10
    min_elapsed_s: float = 600.0
    hysteresis: float = 0.02
    min_planned: float = 1.0

    def __post_init__(self) -> None:
        if not 0 < self.band < 1:
            raise ValueError(f"pace band must be between 0 and 1 (exclusive), got {self.band}")
        if not 0 <= self.hysteresis < self.band:
            raise ValueError(
                f"pace hysteresis must be at least 0 and below the band {self.band}, "
                f"got {self.hysteresis}"
            )
        if not math.isfinite(self.min_elapsed_s) or self.min_elapsed_s < 0:
            raise ValueError(
                f"minimum elapsed time must be a number of seconds >= 0, got {self.min_elapsed_s}"
            )
        if not math.isfinite(self.min_planned) or self.min_planned < 0:
            raise ValueError(f"minimum planned count must be >= 0, got {self.min_planned}")


def deviation(actual: float, planned: float) -> float | None:
    """Relative deviation from the plan, ``(actual - planned) / planned``; None without a plan."""
    if planned <= 0:
        return None
    return (actual - planned) / planned


def judge(
    actual: float,
    planned: float,
    elapsed_working_s: float,
    rule: PaceRule,
    previous: Pace = Pace.NORMAL,
) -> Pace:
    """The pace now, given the previous judgement (for hysteresis)."""
    if elapsed_working_s < rule.min_elapsed_s or planned < rule.min_planned:
        return Pace.NORMAL
    d = deviation(actual, planned)
    if d is None:
        return Pace.NORMAL
    if d > rule.band + _EPSILON:
        return Pace.TOO_FAST
    if d < -rule.band - _EPSILON:
        return Pace.TOO_SLOW
    release = rule.band - rule.hysteresis
    if previous is Pace.TOO_FAST and d > release + _EPSILON:
        return Pace.TOO_FAST
    if previous is Pace.TOO_SLOW and d < -release - _EPSILON:
        return Pace.TOO_SLOW
    return Pace.NORMAL
