"""Plan and difference as displayed: the difference is taken from the displayed plan.

A plan of 9.55 units is displayed ``9.6``; with 13 good units the true difference
(3.45) would be displayed ``+3.5``, and a reader doing ``13 − 9.6`` gets 3.4. So
every screen displays :func:`shown_plan` and :func:`shown_difference`, computed
here once: displayed actual − displayed plan = displayed difference, always.

:func:`plan_text` writes a plan the one way every screen and report shows it: always
with :data:`PLAN_DIGITS` decimals, ``409.0`` as well as ``73.3``, so a column of
plans lines up and reads like the difference beside it (``−209.0``).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

from andon.i18n import formats

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


def plan_text(planned: float | None, language: str, digits: int = PLAN_DIGITS) -> str:
    """A plan as displayed, in ``language``'s digits: ``409.0``, ``73.3``, ``1.234,5`` (de).

    Always ``digits`` decimals, a whole plan too; ``–`` when there is none.
    """
    if planned is None or not math.isfinite(planned):
        return "–"
    return formats.number(shown_plan(planned, digits), language, digits=digits)
