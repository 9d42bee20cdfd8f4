"""Line balance: capacity form and cycle-time form, with the seed's stations."""

from __future__ import annotations

import pytest

from andon.domain.balance import capacity_balance, cycle_time_balance

CAPACITIES = [10, 10, 8, 11, 9, 9, 10, 10, 11, 8]
CYCLE_TIMES = [97, 120, 110, 159, 100, 95, 140, 120, 90, 126]


class TestCapacityBalance:
    def test_seed_stations(self) -> None:
        balance = capacity_balance(CAPACITIES)
        assert balance.rate == pytest.approx(8 / 9.6)
        assert f"{balance.rate:.1%}" == "83.3%"
        assert f"{balance.loss_rate:.1%}" == "16.7%"
        assert f"{balance.loss:.1f}" == "1.6"
        assert balance.loss == pytest.approx(1.6)

    def test_a_perfectly_balanced_line(self) -> None:
        balance = capacity_balance([7, 7, 7])
        assert (balance.rate, balance.loss_rate, balance.loss) == (1.0, 0.0, 0.0)

    @pytest.mark.parametrize("capacities", [[], [10, 0], [10, -1]])
    def test_bad_input(self, capacities: list[float]) -> None:
        with pytest.raises(ValueError, match="station capacities"):
            capacity_balance(capacities)


class TestCycleTimeBalance:
    def test_seed_stations(self) -> None:
        balance = cycle_time_balance(CYCLE_TIMES, takt_s=160)
        assert sum(CYCLE_TIMES) == 1157
        assert balance.rate == pytest.approx(1157 / (10 * 159))
        assert f"{balance.rate:.1%}" == "72.8%"
        assert balance.bottleneck == 4
        assert balance.bottleneck_s == 159
        assert balance.over_takt == ()
        assert f"{balance.loss_rate:.1%}" == "27.2%"

    def test_stations_slower_than_a_tighter_takt(self) -> None:
        assert cycle_time_balance(CYCLE_TIMES, takt_s=125).over_takt == (4, 7, 10)

    def test_a_station_exactly_at_takt_keeps_it(self) -> None:
        assert cycle_time_balance(CYCLE_TIMES, takt_s=159).over_takt == ()

    def test_without_a_takt_no_station_is_over(self) -> None:
        assert cycle_time_balance(CYCLE_TIMES).over_takt == ()

    def test_first_of_equal_bottlenecks(self) -> None:
        assert cycle_time_balance([50, 60, 60]).bottleneck == 2

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="station cycle times"):
            cycle_time_balance([])
        with pytest.raises(ValueError, match="takt"):
            cycle_time_balance(CYCLE_TIMES, takt_s=0)
