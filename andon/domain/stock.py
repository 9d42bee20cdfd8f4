"""Stock levels and replenishment time of a part.

safety = emergency lead time x daily usage; minimum = normal lead time x daily usage +
safety; maximum = one production cycle x daily usage + safety. Replenishment time is the
sum of the steps of the loop plus the worst wait; a supermarket lane is refilled when
only the stock used during one replenishment time is left.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def _require_non_negative(value: float, what: str) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number >= 0, got {value}")


def safety_stock(emergency_lead_days: float, daily_usage: float) -> float:
    """Emergency lead time (days) x daily usage."""
    _require_non_negative(emergency_lead_days, "emergency lead time")
    _require_non_negative(daily_usage, "daily usage")
    return emergency_lead_days * daily_usage


def minimum_stock(normal_lead_days: float, daily_usage: float, safety: float) -> float:
    """Normal lead time (days) x daily usage + safety stock."""
    _require_non_negative(normal_lead_days, "normal lead time")
    _require_non_negative(daily_usage, "daily usage")
    _require_non_negative(safety, "safety stock")
    return normal_lead_days * daily_usage + safety


def maximum_stock(cycle_days: float, daily_usage: float, safety: float) -> float:
    """One production cycle (days) x daily usage + safety stock."""
    _require_non_negative(cycle_days, "production cycle")
    _require_non_negative(daily_usage, "daily usage")
    _require_non_negative(safety, "safety stock")
    return cycle_days * daily_usage + safety


def replenishment_time(steps_min: Sequence[float], worst_wait_min: float = 0.0) -> float:
    """Sum of the replenishment loop's steps plus the worst wait (all in minutes)."""
    for step in steps_min:
        _require_non_negative(step, "replenishment step")
    _require_non_negative(worst_wait_min, "worst wait")
    return math.fsum(steps_min) + worst_wait_min


def refill_point(replenishment_time_min: float, usage_per_min: float) -> float:
    """Stock left when a refill must be triggered: usage during one replenishment time."""
    _require_non_negative(replenishment_time_min, "replenishment time")
    _require_non_negative(usage_per_min, "usage per minute")
    return replenishment_time_min * usage_per_min
