"""Line balance: how evenly work is spread over the stations of a line."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def _require_positive_values(values: Sequence[float], what: str) -> None:
    if not values:
        raise ValueError(f"{what}: give at least one station")
    bad = [v for v in values if not math.isfinite(v) or v <= 0]
    if bad:
        raise ValueError(f"{what} must be numbers greater than 0, got {bad}")


@dataclass(frozen=True)
class CapacityBalance:
    """Capacity balance: rate = min / mean, loss rate = 1 - rate, loss = mean - min."""

    rate: float
    loss_rate: float
    loss: float


def capacity_balance(capacities: Sequence[float]) -> CapacityBalance:
    """Balance of station capacities (units per period): the slowest station sets the pace."""
    _require_positive_values(capacities, "station capacities")
    lowest = min(capacities)
    mean = math.fsum(capacities) / len(capacities)
    rate = lowest / mean
    return CapacityBalance(rate=rate, loss_rate=1.0 - rate, loss=mean - lowest)


@dataclass(frozen=True)
class CycleBalance:
    """Cycle-time balance: rate = sum of cycle times / (stations x longest cycle time).

    ``bottleneck`` is the 1-based station with the longest cycle time (the first one on a
    tie); ``over_takt`` the 1-based stations slower than the takt.
    """

    rate: float
    bottleneck: int
    bottleneck_s: float
    over_takt: tuple[int, ...]

    @property
    def loss_rate(self) -> float:
        """1 - rate."""
        return 1.0 - self.rate


def cycle_time_balance(cycle_times: Sequence[float], takt_s: float | None = None) -> CycleBalance:
    """Balance of station cycle times; with a takt, also the stations that cannot keep it."""
    _require_positive_values(cycle_times, "station cycle times")
    if takt_s is not None and (not math.isfinite(takt_s) or takt_s <= 0):
        raise ValueError(f"takt must be greater than 0, got {takt_s}")
    longest = max(cycle_times)
    over = () if takt_s is None else tuple(i for i, ct in enumerate(cycle_times, 1) if ct > takt_s)
    return CycleBalance(
        rate=math.fsum(cycle_times) / (len(cycle_times) * longest),
        bottleneck=list(cycle_times).index(longest) + 1,
        bottleneck_s=longest,
        over_takt=over,
    )
