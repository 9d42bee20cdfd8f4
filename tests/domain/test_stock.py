"""Stock levels, replenishment time and the refill point."""

from __future__ import annotations

import pytest

from andon.domain.stock import (
    maximum_stock,
    minimum_stock,
    refill_point,
    replenishment_time,
    safety_stock,
)

# The replenishment loop of the seed: collect, carry, produce, carry back, put away.
STEPS_MIN = [30, 35, 85, 35, 25]


class TestReplenishmentTime:
    def test_sum_of_the_steps(self) -> None:
        assert replenishment_time(STEPS_MIN) == 210

    def test_with_the_worst_wait_in_the_collection_box(self) -> None:
        total = replenishment_time(STEPS_MIN, worst_wait_min=60)
        assert total == 270
        assert total / 60 == 4.5

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="replenishment step"):
            replenishment_time([30, -5])
        with pytest.raises(ValueError, match="worst wait"):
            replenishment_time(STEPS_MIN, worst_wait_min=-1)


class TestRefillPoint:
    def test_stock_used_during_one_replenishment_time(self) -> None:
        # 2 parts a minute for 270 min.
        assert refill_point(replenishment_time(STEPS_MIN, 60), 2) == 540

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="usage per minute"):
            refill_point(210, -1)


class TestStockLevels:
    def test_levels_build_on_the_safety_stock(self) -> None:
        safety = safety_stock(emergency_lead_days=0.5, daily_usage=400)
        assert safety == 200
        assert minimum_stock(normal_lead_days=2, daily_usage=400, safety=safety) == 1000
        assert maximum_stock(cycle_days=3, daily_usage=400, safety=safety) == 1400

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="daily usage"):
            safety_stock(1, -400)
        with pytest.raises(ValueError, match="safety stock"):
            minimum_stock(2, 400, -1)
        with pytest.raises(ValueError, match="production cycle"):
            maximum_stock(float("nan"), 400, 0)
