"""The pace judge: the band in units and in percent, start-of-shift grace and hysteresis.

Default rule: band 1.5 units + 10 % of the plan, released max(1.5 units, 2 % of the
plan) inside it (or on the plan), judged after 600 s and at least 1 planned unit
(docs/board.md, "Pace"). ``PERCENT_ONLY`` is the band in percent alone.
"""

from __future__ import annotations

import pytest

from andon.domain.pace import Pace, PaceRule, deviation, judge

RULE = PaceRule()
LATE = 3_600.0  # well past the grace period
PERCENT_ONLY = PaceRule(tolerance_units=0, hysteresis_units=0)


class TestDeviation:
    def test_relative_to_the_plan(self) -> None:
        assert deviation(90, 100) == pytest.approx(-0.1)
        assert deviation(110, 100) == pytest.approx(0.1)
        assert deviation(100, 100) == 0

    def test_none_without_a_plan(self) -> None:
        assert deviation(5, 0) is None
        assert deviation(5, -1) is None


class TestBand:
    def test_band_and_release_in_units(self) -> None:
        assert RULE.band_units(5) == 2  # 1.5 + 10 % of 5
        assert RULE.release_units(5) == 0.5  # 2 - 1.5
        assert RULE.band_units(0.5) == 1.55
        assert RULE.release_units(0.5) == pytest.approx(0.05)
        assert RULE.band_units(100) == pytest.approx(11.5)
        assert RULE.release_units(100) == pytest.approx(9.5)  # 11.5 - max(1.5, 2)
        assert PaceRule(hysteresis_units=3).release_units(5) == 0  # back on the plan

    @pytest.mark.parametrize(
        ("actual", "expected"),
        [
            (89, Pace.TOO_SLOW),
            (89.999, Pace.TOO_SLOW),
            (90, Pace.NORMAL),  # exactly -10 %: on the band, not beyond it
            (100, Pace.NORMAL),
            (110, Pace.NORMAL),  # exactly +10 %
            (110.001, Pace.TOO_FAST),
            (111, Pace.TOO_FAST),
            (0, Pace.TOO_SLOW),
        ],
    )
    def test_strictly_beyond_the_percentage_band(self, actual: float, expected: Pace) -> None:
        assert judge(actual, 100, LATE, PERCENT_ONLY) is expected

    @pytest.mark.parametrize(
        ("actual", "planned", "expected"),
        [
            (5, 5.625, Pace.NORMAL),  # the 06:20 of the line on takt: -11 %, 0.6 unit
            (4, 5.625, Pace.NORMAL),  # 1.625 behind, inside 1.5 + 0.5625
            (3.5625, 5.625, Pace.NORMAL),  # 2.0625 behind: exactly 1.5 + 10 % of 5.625
            (3.55, 5.625, Pace.TOO_SLOW),
            (3, 5.625, Pace.TOO_SLOW),  # 2.625 behind (a line that stood a while)
            (7, 5.0, Pace.NORMAL),  # exactly 2 ahead: on the band
            (7.01, 5.0, Pace.TOO_FAST),
            (3, 5.0, Pace.NORMAL),  # exactly 2 behind
            (2.99, 5.0, Pace.TOO_SLOW),
            (88.5, 100, Pace.NORMAL),  # 11.5 behind: 1.5 + 10 %
            (88.49, 100, Pace.TOO_SLOW),
            (111.5, 100, Pace.NORMAL),
            (111.51, 100, Pace.TOO_FAST),
        ],
    )
    def test_tolerance_and_percentage_add_up(
        self, actual: float, planned: float, expected: Pace
    ) -> None:
        assert judge(actual, planned, LATE, RULE) is expected

    def test_band_edge_with_a_non_round_plan(self) -> None:
        planned = 27_900 / 159.43
        edge = 1.5 + planned * 0.1
        assert judge(planned - edge, planned, LATE, RULE) is Pace.NORMAL
        assert judge(planned - edge - 0.01, planned, LATE, RULE) is Pace.TOO_SLOW
        assert judge(planned + edge, planned, LATE, RULE) is Pace.NORMAL
        assert judge(planned + edge + 0.01, planned, LATE, RULE) is Pace.TOO_FAST

    def test_custom_band(self) -> None:
        rule = PaceRule(band=0.05, hysteresis=0.01, tolerance_units=1, hysteresis_units=0.5)
        assert judge(93.9, 100, LATE, rule) is Pace.TOO_SLOW
        assert judge(94, 100, LATE, rule) is Pace.NORMAL
        assert judge(106.1, 100, LATE, rule) is Pace.TOO_FAST
        assert judge(3.74, 5, LATE, rule) is Pace.TOO_SLOW
        assert judge(3.75, 5, LATE, rule) is Pace.NORMAL

    def test_without_units_the_band_is_the_percentage_alone(self) -> None:
        assert judge(5, 5.625, LATE, PERCENT_ONLY) is Pace.TOO_SLOW  # the old flapping


class TestGrace:
    def test_no_judgement_before_the_minimum_elapsed_time(self) -> None:
        assert judge(0, 3, 599, RULE) is Pace.NORMAL
        assert judge(0, 3, 599, RULE, previous=Pace.TOO_SLOW) is Pace.NORMAL
        assert judge(0, 3, 600, RULE) is Pace.TOO_SLOW

    def test_no_judgement_while_the_plan_is_below_the_minimum(self) -> None:
        assert judge(5, 0.9, LATE, RULE) is Pace.NORMAL
        assert judge(5, 1.0, LATE, RULE) is Pace.TOO_FAST
        assert judge(5, 0, LATE, PaceRule(min_planned=0)) is Pace.NORMAL


class TestHysteresis:
    @pytest.mark.parametrize(
        ("actual", "expected"),
        [
            (89, Pace.TOO_SLOW),
            (90, Pace.TOO_SLOW),  # back on the band: still too slow
            (91.99, Pace.TOO_SLOW),
            (92, Pace.NORMAL),  # -8 % = -(band - hysteresis): released
            (100, Pace.NORMAL),
            (110, Pace.NORMAL),
            (111, Pace.TOO_FAST),  # straight across the plan past +band
        ],
    )
    def test_leaving_too_slow(self, actual: float, expected: Pace) -> None:
        assert judge(actual, 100, LATE, PERCENT_ONLY, previous=Pace.TOO_SLOW) is expected

    @pytest.mark.parametrize(
        ("actual", "expected"),
        [
            (111, Pace.TOO_FAST),
            (110, Pace.TOO_FAST),
            (108.01, Pace.TOO_FAST),
            (108, Pace.NORMAL),  # +8 %: released
            (90, Pace.NORMAL),
            (89, Pace.TOO_SLOW),
        ],
    )
    def test_leaving_too_fast(self, actual: float, expected: Pace) -> None:
        assert judge(actual, 100, LATE, PERCENT_ONLY, previous=Pace.TOO_FAST) is expected

    @pytest.mark.parametrize(
        ("actual", "expected"),
        [
            (2.5, Pace.TOO_SLOW),  # 2.5 behind
            (4, Pace.TOO_SLOW),  # 1 behind: inside the band, not past the hysteresis
            (4.49, Pace.TOO_SLOW),
            (4.5, Pace.NORMAL),  # 0.5 behind = 2 - 1.5: released
            (8, Pace.TOO_FAST),
        ],
    )
    def test_leaving_too_slow_at_low_counts(self, actual: float, expected: Pace) -> None:
        assert judge(actual, 5, LATE, RULE, previous=Pace.TOO_SLOW) is expected

    @pytest.mark.parametrize(
        ("actual", "expected"),
        [
            (90.49, Pace.TOO_SLOW),  # 9.51 behind
            (90.5, Pace.NORMAL),  # 9.5 = 11.5 - 2 % of 100
        ],
    )
    def test_leaving_too_slow_at_high_counts(self, actual: float, expected: Pace) -> None:
        assert judge(actual, 100, LATE, RULE, previous=Pace.TOO_SLOW) is expected

    def test_entering_needs_the_full_band(self) -> None:
        assert judge(91, 100, LATE, PERCENT_ONLY, previous=Pace.NORMAL) is Pace.NORMAL
        assert judge(109, 100, LATE, PERCENT_ONLY, previous=Pace.NORMAL) is Pace.NORMAL
        assert judge(3.5, 5, LATE, RULE, previous=Pace.NORMAL) is Pace.NORMAL

    def test_without_hysteresis_the_band_edge_releases(self) -> None:
        rule = PaceRule(hysteresis=0, hysteresis_units=0)
        assert judge(88.5, 100, LATE, rule, previous=Pace.TOO_SLOW) is Pace.NORMAL
        assert judge(111.5, 100, LATE, rule, previous=Pace.TOO_FAST) is Pace.NORMAL
        assert judge(3, 5, LATE, rule, previous=Pace.TOO_SLOW) is Pace.NORMAL

    def test_a_hysteresis_wider_than_the_band_releases_on_the_plan(self) -> None:
        rule = PaceRule(tolerance_units=1, hysteresis_units=3)
        assert judge(4.99, 5, LATE, rule, previous=Pace.TOO_SLOW) is Pace.TOO_SLOW
        assert judge(5, 5, LATE, rule, previous=Pace.TOO_SLOW) is Pace.NORMAL
        assert judge(5.01, 5, LATE, rule, previous=Pace.TOO_FAST) is Pace.TOO_FAST
        assert judge(5, 5, LATE, rule, previous=Pace.TOO_FAST) is Pace.NORMAL

    def test_a_shift_walk_without_flapping(self) -> None:
        pace = Pace.NORMAL
        seen = []
        for actual in (100, 95, 91, 89, 90.5, 91.5, 90.5, 92.5, 95, 111, 109, 108.5, 107):
            pace = judge(actual, 100, LATE, PERCENT_ONLY, previous=pace)
            seen.append(pace)
        slow, fast, normal = Pace.TOO_SLOW, Pace.TOO_FAST, Pace.NORMAL
        assert seen == [normal] * 3 + [slow] * 4 + [normal] * 2 + [fast] * 3 + [normal]


class TestMirror:
    def test_mirrored_states(self) -> None:
        assert Pace.TOO_FAST.mirrored() is Pace.TOO_SLOW
        assert Pace.TOO_SLOW.mirrored() is Pace.TOO_FAST
        assert Pace.NORMAL.mirrored() is Pace.NORMAL


class TestRuleValidation:
    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"band": 0}, "band"),
            ({"band": 1}, "band"),
            ({"band": -0.1}, "band"),
            ({"hysteresis": -0.01}, "hysteresis"),
            ({"hysteresis": 0.1}, "hysteresis"),
            ({"band": 0.05, "hysteresis": 0.06}, "hysteresis"),
            ({"min_elapsed_s": -1}, "elapsed"),
            ({"min_planned": -1}, "planned"),
            ({"tolerance_units": -1}, "tolerance_units"),
            ({"tolerance_units": float("inf")}, "tolerance_units"),
            ({"hysteresis_units": -0.5}, "hysteresis_units"),
            ({"hysteresis_units": float("nan")}, "hysteresis_units"),
        ],
    )
    def test_bad_settings(self, kwargs: dict[str, float], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            PaceRule(**kwargs)
