"""Production KPIs: OEE and its factors, the loss tree, stop classes and plan achievement.

Industry definitions: availability = run time / planned production time; performance =
ideal cycle time x total count / run time; quality = good / total; OEE = A x P x Q.
No factor is ever above 100 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

_TOLERANCE_MIN = 1e-9
"""Float noise allowed when stop losses add up to the whole loading time."""


def _clamp01(value: float) -> float:
    return min(1.0, max(0.0, value))


def _ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, 0 when the denominator is 0."""
    return numerator / denominator if denominator > 0 else 0.0


def _require_non_negative(**values: float) -> None:
    for name, value in values.items():
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value}")


@dataclass(frozen=True)
class Oee:
    """OEE factors, each in [0, 1].

    ``performance_raw`` is performance before clamping: above 1 means the ideal cycle time
    is set too long (None when the value was not computed by ``oee``).
    """

    availability: float
    performance: float
    quality: float
    performance_raw: float | None = None

    @property
    def oee(self) -> float:
        """Availability x performance x quality."""
        return self.availability * self.performance * self.quality


def oee(
    planned_production_s: float,
    run_s: float,
    ideal_cycle_s: float,
    total_count: int,
    good_count: int,
) -> Oee:
    """The OEE factors; a factor with a zero denominator is 0.

    Run time includes minor stops (they are performance loss). ValueError on negative
    input or more good units than units in total.
    """
    _require_non_negative(
        planned_production_s=planned_production_s,
        run_s=run_s,
        ideal_cycle_s=ideal_cycle_s,
        total_count=total_count,
        good_count=good_count,
    )
    if good_count > total_count:
        raise ValueError(f"good count {good_count} exceeds total count {total_count}")
    performance_raw = _ratio(ideal_cycle_s * total_count, run_s)
    return Oee(
        availability=_clamp01(_ratio(run_s, planned_production_s)),
        performance=_clamp01(performance_raw),
        quality=_clamp01(_ratio(good_count, total_count)),
        performance_raw=performance_raw,
    )


@dataclass(frozen=True)
class LossTree:
    """One day's time losses, in minutes, from working time down to value-adding time.

    working - management stops = loading; loading - breakdown - changeover - quality stops
    = operating; count x actual cycle = running; operating - running = minor stops;
    count x ideal cycle = net (running - net = speed loss); good x ideal cycle = value
    (net - value = defect loss).
    """

    working_min: float
    management_stop_min: float
    loading_min: float
    breakdown_min: float
    changeover_min: float
    quality_stop_min: float
    operating_min: float
    running_min: float
    minor_stop_min: float
    net_min: float
    speed_loss_min: float
    value_min: float
    defect_loss_min: float
    total_count: int
    good_count: int

    @property
    def availability(self) -> float:
        """Operating time / loading time."""
        return _ratio(self.operating_min, self.loading_min)

    @property
    def performance(self) -> float:
        """Net operating time / operating time."""
        return _ratio(self.net_min, self.operating_min)

    @property
    def quality(self) -> float:
        """Good count / total count."""
        return _ratio(self.good_count, self.total_count)

    @property
    def oee(self) -> float:
        """Value-adding time / loading time."""
        return _ratio(self.value_min, self.loading_min)


def loss_tree(
    working_min: float,
    management_stop_min: float,
    breakdown_min: float,
    changeover_min: float,
    quality_stop_min: float,
    total_count: int,
    actual_cycle_min: float,
    ideal_cycle_min: float,
    good_count: int,
) -> LossTree:
    """Build the loss tree; ValueError when the numbers do not fit together."""
    _require_non_negative(
        working_min=working_min,
        management_stop_min=management_stop_min,
        breakdown_min=breakdown_min,
        changeover_min=changeover_min,
        quality_stop_min=quality_stop_min,
        total_count=total_count,
        actual_cycle_min=actual_cycle_min,
        ideal_cycle_min=ideal_cycle_min,
        good_count=good_count,
    )
    if good_count > total_count:
        raise ValueError(f"good count {good_count} exceeds total count {total_count}")
    if ideal_cycle_min > actual_cycle_min:
        raise ValueError(
            f"ideal cycle {ideal_cycle_min} min is longer than the actual cycle "
            f"{actual_cycle_min} min"
        )
    loading = working_min - management_stop_min
    if loading < 0:
        raise ValueError(
            f"management stops ({management_stop_min} min) exceed working time ({working_min} min)"
        )
    operating = loading - breakdown_min - changeover_min - quality_stop_min
    if operating < -_TOLERANCE_MIN:
        raise ValueError(f"stop losses exceed loading time ({loading} min)")
    # Stops that fill the loading time exactly may overshoot it by float noise.
    operating = max(0.0, operating)
    running = total_count * actual_cycle_min
    if running > operating + _TOLERANCE_MIN:
        raise ValueError(
            f"running time {running} min (count x actual cycle) exceeds operating time "
            f"{operating} min"
        )
    net = total_count * ideal_cycle_min
    value = good_count * ideal_cycle_min
    return LossTree(
        working_min=working_min,
        management_stop_min=management_stop_min,
        loading_min=loading,
        breakdown_min=breakdown_min,
        changeover_min=changeover_min,
        quality_stop_min=quality_stop_min,
        operating_min=operating,
        running_min=running,
        minor_stop_min=operating - running,
        net_min=net,
        speed_loss_min=running - net,
        value_min=value,
        defect_loss_min=net - value,
        total_count=total_count,
        good_count=good_count,
    )


class StopClass(StrEnum):
    """Minor stops are performance loss and need no reason; downtime needs one."""

    MINOR = "minor"
    DOWNTIME = "downtime"


def classify_stop(duration_s: float, minor_threshold_s: float = 300.0) -> StopClass:
    """A stop shorter than the threshold (default 5 min) is a minor stop."""
    _require_non_negative(duration_s=duration_s, minor_threshold_s=minor_threshold_s)
    return StopClass.MINOR if duration_s < minor_threshold_s else StopClass.DOWNTIME


def plan_achievement(actual: float, planned: float) -> float | None:
    """Actual / planned; None without a plan."""
    if planned <= 0:
        return None
    return actual / planned
