"""One entry of a line's order sequence: a product, a quantity, perhaps a takt of its own."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Order:
    """One entry of the sequence: ``quantity`` units of ``product``, one every ``takt_s``.

    ``takt_s`` None: the line's takt.
    """

    product: str
    quantity: int
    takt_s: float | None = None

    def __post_init__(self) -> None:
        if not self.product.strip():
            raise ValueError("an order needs a product")
        if self.quantity < 1:
            raise ValueError(
                f"quantity of order {self.product!r} must be at least 1, got {self.quantity}"
            )
        if self.takt_s is not None and (not math.isfinite(self.takt_s) or self.takt_s <= 0):
            raise ValueError(
                f"takt of order {self.product!r} must be greater than 0, got {self.takt_s}"
            )

    def takt(self, default_takt_s: float) -> float:
        """This order's takt, or ``default_takt_s`` when it has none of its own."""
        return default_takt_s if self.takt_s is None else self.takt_s
