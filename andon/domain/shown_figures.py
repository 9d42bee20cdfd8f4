"""Plan and difference as displayed: the difference is taken from the displayed plan.

A plan of 9.55 units is displayed ``9.6``; with 13 good units the true difference
(3.45) would be displayed ``+3.5``, and a reader doing ``13 − 9.6`` gets 3.4. So
every screen displays :func:`shown_plan` and :func:`shown_difference`, computed
here once: displayed actual − displayed plan = displayed difference, always.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

PLAN_DIGITS = 1
"""Decimals a plan and a difference are displayed with."""


def _rounded(value: float, digits: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)


def shown_plan(planned: float, digits: int = PLAN_DIGITS) -> float:
    """The plan rounded to ``digits`` decimals, as it is displayed."""
    return float(_rounded(planned, digits))


def shown_difference(actual: float, planned: float, digits: int = PLAN_DIGITS) -> float:
    """Displayed actual minus displayed plan (negative when behind), exact to ``digits``."""
    return float(_rounded(actual, digits) - _rounded(planned, digits))
