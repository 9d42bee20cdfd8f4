"""The pace judge: normal, too fast or too slow against the plan.

Too fast is an abnormality like too slow (overproduction is the first waste). The judge
works on the gap ``actual - planned`` in units (one unit is one takt cycle of the plan)
and is symmetric about the plan: a gap ``+g`` gives ``TOO_FAST`` exactly when ``-g``
gives ``TOO_SLOW``.

- No judgement (``NORMAL``) before ``min_elapsed_s`` of planned working time has passed,
  or while the plan is below ``min_planned`` units.
- The band either side of the plan is ``tolerance_units + band * planned`` units. Counts
  come in whole units, so a line exactly on takt is up to one unit off its plan between
  two counts, whatever its phase; the tolerance takes that in, and the percentage the
  drift of a line running within it. So a steady line on takt, or off takt by less than
  the percentage, is never judged, however small the plan. ``TOO_SLOW`` when the gap is
  strictly below ``-band``, ``TOO_FAST`` when strictly above ``+band``; exactly on the
  band is ``NORMAL``.
- Hysteresis: once ``TOO_SLOW`` the judge stays there until the gap is back inside the
  band by ``max(hysteresis_units, hysteresis * planned)`` units, or back on the plan if
  that is nearer; mirrored for ``TOO_FAST``. A jump straight across the plan past the
  other band edge switches to the other state.

Comparisons allow 1e-9 of the plan (at least 1e-9 units) of float noise, so a gap
computed as exactly the band edge is treated as lying on it. docs/board.md ("Pace")
gives worked examples.
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
    """Per-line settings of the judge.

    ``band`` and ``hysteresis`` are fractions of the plan (0.10 = 10 %);
    ``tolerance_units`` and ``hysteresis_units`` are units (takt cycles) of the plan.
    """

    band: float = 0.10
    min_elapsed_s: float = 600.0
    hysteresis: float = 0.02
    min_planned: float = 1.0
    tolerance_units: float = 1.5
    hysteresis_units: float = 1.5

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
        if not math.isfinite(self.tolerance_units) or self.tolerance_units < 0:
            raise ValueError(f"pace tolerance_units must be >= 0, got {self.tolerance_units}")
        if not math.isfinite(self.hysteresis_units) or self.hysteresis_units < 0:
            raise ValueError(f"pace hysteresis_units must be >= 0, got {self.hysteresis_units}")

    def band_units(self, planned: float) -> float:
        """How many units the line may be off its plan before it is judged."""
        return self.tolerance_units + self.band * planned

    def release_units(self, planned: float) -> float:
        """How close to the plan (in units) a judged line must come back to be normal."""
        margin = max(self.hysteresis_units, self.hysteresis * planned)
        return max(0.0, self.band_units(planned) - margin)


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
    if not is_judged(planned, elapsed_working_s, rule):
        return Pace.NORMAL
    gap = actual - planned
    noise = _EPSILON * max(1.0, planned)
    band = rule.band_units(planned)
    if gap > band + noise:
        return Pace.TOO_FAST
    if gap < -band - noise:
        return Pace.TOO_SLOW
    release = rule.release_units(planned)
    if previous is Pace.TOO_FAST and gap > release + noise:
        return Pace.TOO_FAST
    if previous is Pace.TOO_SLOW and gap < -release - noise:
        return Pace.TOO_SLOW
    return Pace.NORMAL


def is_judged(planned: float, elapsed_working_s: float, rule: PaceRule) -> bool:
    """Whether the pace may be judged yet: ``min_elapsed_s`` of planned working time has
    passed and the plan has reached ``min_planned`` units (and is above 0).

    Before that a board shows "NOT JUDGED", never "on plan" (docs/figures.md).
    """
    return elapsed_working_s >= rule.min_elapsed_s and planned >= rule.min_planned and planned > 0
