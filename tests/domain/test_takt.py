"""Takt time, adopted takt, parallel lines, daily quantity and cycle time."""

from __future__ import annotations

import math

import pytest

from andon.domain.takt import (
    Rounding,
    adopt_takt,
    cycle_time,
    daily_quantity,
    display_takt,
    parallel_takt,
    takt_from_demand,
)


class TestSeedExample:
    """27 900 s / 175 units = 159.43 s, shown as 159.4, adopted as 160 s."""

    def test_takt_from_demand(self) -> None:
        takt = takt_from_demand(27_900, 175)
        assert takt == pytest.approx(159.428571, abs=1e-6)
        assert f"{takt:.2f}" == "159.43"

    def test_displayed_takt(self) -> None:
        assert display_takt(takt_from_demand(27_900, 175)) == "159.4"

    def test_adopted_takt_rounds_up(self) -> None:
        assert adopt_takt(takt_from_demand(27_900, 175)) == 160
        assert adopt_takt(159.43, Rounding.UP, 1.0) == 160


class TestAdoptTakt:
    @pytest.mark.parametrize(
        ("rounding", "step", "expected"),
        [
            (Rounding.UP, 1.0, 160.0),
            (Rounding.DOWN, 1.0, 159.0),
            (Rounding.NEAREST, 1.0, 159.0),
            (Rounding.UP, 0.5, 159.5),
            (Rounding.UP, 5.0, 160.0),
            (Rounding.DOWN, 0.1, 159.4),
            (Rounding.NONE, 1.0, 159.43),
        ],
    )
    def test_rounding_rules(self, rounding: Rounding, step: float, expected: float) -> None:
        assert adopt_takt(159.43, rounding, step) == expected

    def test_a_takt_on_the_grid_is_kept_despite_float_noise(self) -> None:
        assert adopt_takt(0.1 + 0.2, Rounding.UP, 0.1) == 0.3
        assert adopt_takt(160.00000000001) == 160
        assert adopt_takt(159.99999999999, Rounding.DOWN) == 160

    def test_nearest_rounds_half_up(self) -> None:
        assert adopt_takt(159.5, Rounding.NEAREST) == 160

    def test_rounding_accepts_the_setting_text(self) -> None:
        assert adopt_takt(159.43, Rounding("down")) == 159

    def test_rounding_down_to_zero_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="gives 0"):
            adopt_takt(0.4, Rounding.DOWN, 1.0)

    @pytest.mark.parametrize(("takt", "step"), [(0, 1), (-1, 1), (160, 0), (math.nan, 1)])
    def test_bad_input(self, takt: float, step: float) -> None:
        with pytest.raises(ValueError, match="greater than 0"):
            adopt_takt(takt, Rounding.UP, step)


class TestDisplay:
    def test_digits(self) -> None:
        assert display_takt(159.428571, 2) == "159.43"
        assert display_takt(159.428571, 0) == "159"
        assert display_takt(160) == "160.0"


class TestTaktFromDemand:
    @pytest.mark.parametrize(("available", "demand"), [(27_900, 0), (27_900, -5), (0, 175)])
    def test_bad_input(self, available: float, demand: float) -> None:
        with pytest.raises(ValueError, match="greater than 0"):
            takt_from_demand(available, demand)


class TestParallelLines:
    def test_two_lines_combine_as_one_over_the_sum_of_rates(self) -> None:
        t1, t2 = 12.0, 10.8
        assert parallel_takt(t1, t2) == pytest.approx(1 / (1 / t1 + 1 / t2))
        assert f"{parallel_takt(t1, t2):.2f}" == "5.68"

    def test_equal_lines_halve_the_takt(self) -> None:
        assert parallel_takt(10, 10) == pytest.approx(5)
        assert parallel_takt(9, 9, 9) == pytest.approx(3)

    def test_one_line_is_its_own_takt(self) -> None:
        assert parallel_takt(159.4) == pytest.approx(159.4)

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="at least one"):
            parallel_takt()
        with pytest.raises(ValueError, match="greater than 0"):
            parallel_takt(10, 0)


class TestDailyQuantityAndCycleTime:
    def test_daily_quantity_is_monthly_over_working_days(self) -> None:
        assert daily_quantity(3_850, 22) == 175

    def test_cycle_time_is_daily_working_time_over_daily_quantity(self) -> None:
        assert cycle_time(27_900, daily_quantity(3_850, 22)) == pytest.approx(159.428571)

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="working days"):
            daily_quantity(3_850, 0)
        with pytest.raises(ValueError, match="negative"):
            daily_quantity(-1, 20)
        with pytest.raises(ValueError, match="daily quantity"):
            cycle_time(27_900, 0)
