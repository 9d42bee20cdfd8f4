"""OEE, the seed's one-day loss tree, stop classes and plan achievement."""

from __future__ import annotations

import pytest

from andon.domain.kpi import (
    Oee,
    StopClass,
    classify_stop,
    loss_tree,
    oee,
    plan_achievement,
)

MINUTE = 60.0


def percent(value: float) -> str:
    return f"{value:.1%}"


class TestSeedOneDay:
    """475 min working, 15 min management stops, 3 x 20 min losses, 400 pcs at 0.8 min
    actual / 0.5 min ideal, 392 good: A 87.0 %, P 50.0 %, Q 98.0 %, OEE 42.6 %."""

    def test_oee_from_times_and_counts(self) -> None:
        kpi = oee(
            planned_production_s=460 * MINUTE,
            run_s=400 * MINUTE,
            ideal_cycle_s=0.5 * MINUTE,
            total_count=400,
            good_count=392,
        )
        assert percent(kpi.availability) == "87.0%"
        assert percent(kpi.performance) == "50.0%"
        assert percent(kpi.quality) == "98.0%"
        assert percent(kpi.oee) == "42.6%"
        assert kpi.oee == pytest.approx(196 / 460)
        assert kpi.performance_raw == pytest.approx(0.5)

    def test_loss_tree(self) -> None:
        tree = loss_tree(
            working_min=475,
            management_stop_min=15,
            breakdown_min=20,
            changeover_min=20,
            quality_stop_min=20,
            total_count=400,
            actual_cycle_min=0.8,
            ideal_cycle_min=0.5,
            good_count=392,
        )
        assert tree.loading_min == 460
        assert tree.operating_min == 400
        assert tree.running_min == pytest.approx(320)
        assert tree.minor_stop_min == pytest.approx(80)
        assert tree.net_min == 200
        assert tree.speed_loss_min == pytest.approx(120)
        assert tree.value_min == 196
        assert tree.defect_loss_min == 4
        assert percent(tree.availability) == "87.0%"
        assert percent(tree.performance) == "50.0%"
        assert percent(tree.quality) == "98.0%"
        assert percent(tree.oee) == "42.6%"

    def test_the_tree_adds_up_to_the_loading_time(self) -> None:
        tree = loss_tree(475, 15, 20, 20, 20, 400, 0.8, 0.5, 392)
        losses = (
            tree.breakdown_min
            + tree.changeover_min
            + tree.quality_stop_min
            + tree.minor_stop_min
            + tree.speed_loss_min
            + tree.defect_loss_min
        )
        assert tree.value_min + losses == pytest.approx(tree.loading_min)

    def test_both_ways_agree(self) -> None:
        tree = loss_tree(475, 15, 20, 20, 20, 400, 0.8, 0.5, 392)
        kpi = oee(tree.loading_min * 60, tree.operating_min * 60, 30, 400, 392)
        assert kpi.oee == pytest.approx(tree.oee)
        assert kpi.availability == pytest.approx(tree.availability)


class TestOeeEdges:
    def test_zero_denominators_give_zero(self) -> None:
        assert oee(0, 0, 30, 0, 0) == Oee(0.0, 0.0, 0.0, 0.0)

    def test_performance_is_clamped_but_the_raw_value_is_kept(self) -> None:
        kpi = oee(3600, 3600, 60, 90, 90)
        assert kpi.performance == 1.0
        assert kpi.performance_raw == pytest.approx(1.5)

    def test_availability_never_exceeds_one(self) -> None:
        assert oee(3000, 3600, 30, 10, 10).availability == 1.0

    def test_bad_input(self) -> None:
        with pytest.raises(ValueError, match="good count 11 exceeds total count 10"):
            oee(3600, 3600, 30, 10, 11)
        with pytest.raises(ValueError, match="run_s"):
            oee(3600, -1, 30, 10, 10)

    def test_hand_made_oee(self) -> None:
        assert Oee(0.5, 0.5, 1.0).oee == 0.25
        assert Oee(0.5, 0.5, 1.0).performance_raw is None


class TestLossTreeValidation:
    def test_management_stops_beyond_working_time(self) -> None:
        with pytest.raises(ValueError, match="management stops"):
            loss_tree(10, 15, 0, 0, 0, 0, 1, 1, 0)

    def test_stop_losses_beyond_loading_time(self) -> None:
        with pytest.raises(ValueError, match="stop losses"):
            loss_tree(100, 0, 50, 50, 50, 0, 1, 1, 0)

    def test_more_running_than_operating_time(self) -> None:
        with pytest.raises(ValueError, match="running time"):
            loss_tree(475, 15, 20, 20, 20, 600, 0.8, 0.5, 392)

    def test_ideal_cycle_longer_than_actual(self) -> None:
        with pytest.raises(ValueError, match="ideal cycle"):
            loss_tree(475, 15, 20, 20, 20, 400, 0.5, 0.8, 392)

    def test_zero_loading_time_gives_zero_factors(self) -> None:
        tree = loss_tree(15, 15, 0, 0, 0, 0, 1, 1, 0)
        assert (tree.availability, tree.performance, tree.quality, tree.oee) == (0, 0, 0, 0)


class TestStops:
    @pytest.mark.parametrize(
        ("duration_s", "expected"),
        [(0, StopClass.MINOR), (299.9, StopClass.MINOR), (300, StopClass.DOWNTIME)],
    )
    def test_minor_below_five_minutes(self, duration_s: float, expected: StopClass) -> None:
        assert classify_stop(duration_s) is expected

    def test_threshold_is_a_setting(self) -> None:
        assert classify_stop(100, minor_threshold_s=60) is StopClass.DOWNTIME

    def test_negative_duration_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="duration_s"):
            classify_stop(-1)

    def test_seed_minor_stops_each_under_five_minutes(self) -> None:
        # 32 stops totalling 80 min average 2.5 min: all minor.
        assert classify_stop(80 * MINUTE / 32) is StopClass.MINOR


class TestPlanAchievement:
    def test_actual_over_plan(self) -> None:
        assert plan_achievement(392, 400) == pytest.approx(0.98)
        assert plan_achievement(450, 400) == pytest.approx(1.125)

    def test_none_without_a_plan(self) -> None:
        assert plan_achievement(5, 0) is None
