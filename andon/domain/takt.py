"""Takt time: how often the customer needs one unit, and the number the line adopts.

Seed example: 27 900 s available / 175 units = 159.43 s, shown as 159.4, adopted as 160 s.
"""

from __future__ import annotations

import math
from enum import StrEnum

_EPSILON = 1e-9


class Rounding(StrEnum):
    """How a computed takt becomes the adopted takt."""

    UP = "up"
    DOWN = "down"
    NEAREST = "nearest"
    NONE = "none"


def _require_positive(value: float, what: str) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be a finite number greater than 0, got {value}")


def takt_from_demand(available_seconds: float, demand: float) -> float:
    """Takt = available working time / required quantity (seconds per unit)."""
    _require_positive(available_seconds, "available working time")
    _require_positive(demand, "demand")
    return available_seconds / demand


def adopt_takt(takt: float, rounding: Rounding = Rounding.UP, step: float = 1.0) -> float:
    """The adopted takt: ``takt`` rounded to a multiple of ``step``.

    Rounding up (the seed's choice) never plans faster than demand requires. A takt
    already on the grid (within 1e-9 steps) is kept, so float noise never adds a step.
    Half-way values round up with ``NEAREST``.
    """
    _require_positive(takt, "takt")
    _require_positive(step, "rounding step")
    rounding = Rounding(rounding)
    if rounding is Rounding.NONE:
        return takt
    steps = takt / step
    if rounding is Rounding.UP:
        count = math.ceil(steps - _EPSILON)
    elif rounding is Rounding.DOWN:
        count = math.floor(steps + _EPSILON)
    else:
        count = math.floor(steps + 0.5)
    if count <= 0:
        raise ValueError(
            f"takt {takt} rounded {rounding.value} to a step of {step} gives 0: use a smaller step"
        )
    return round(count * step, 9)


def display_takt(takt: float, digits: int = 1) -> str:
    """The takt as shown on the board, e.g. ``"159.4"``."""
    if digits < 0:
        raise ValueError(f"digits must not be negative, got {digits}")
    return f"{takt:.{digits}f}"


def parallel_takt(*takts: float) -> float:
    """Combined takt of lines working in parallel: 1 / (1/T1 + 1/T2 + ...)."""
    if not takts:
        raise ValueError("parallel_takt needs at least one takt")
    for takt in takts:
        _require_positive(takt, "takt")
    return 1.0 / math.fsum(1.0 / takt for takt in takts)


def daily_quantity(monthly_quantity: float, working_days: int) -> float:
    """Daily quantity = monthly quantity / working days of the month (levelled production)."""
    if monthly_quantity < 0:
        raise ValueError(f"monthly quantity must not be negative, got {monthly_quantity}")
    if working_days <= 0:
        raise ValueError(f"working days must be greater than 0, got {working_days}")
    return monthly_quantity / working_days


def cycle_time(daily_working_seconds: float, daily_quantity: float) -> float:
    """Cycle time = daily working time / daily quantity (seconds per unit)."""
    _require_positive(daily_working_seconds, "daily working time")
    _require_positive(daily_quantity, "daily quantity")
    return daily_working_seconds / daily_quantity
