"""The pace judge: band edges, start-of-shift grace and hysteresis."""

from __future__ import annotations

import pytest

from andon.domain.pace import Pace, PaceRule, deviation, judge

RULE = PaceRule()  # band 10 %, 600 s grace, 2 % hysteresis, at least 1 unit planned
LATE = 3_600.0  # well past the grace period


class TestDeviation:
    def test_relative_to_the_plan(self) -> None:
        assert deviation(90, 100) == pytest.approx(-0.1)
        assert deviation(110, 100) == pytest.approx(0.1)
        assert deviation(100, 100) == 0

    def test_none_without_a_plan(self) -> None:
        assert deviation(5, 0) is None
        assert deviation(5, -1) is None


class TestBandEdges:
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
    def test_strictly_beyond_the_band(self, actual: float, expected: Pace) -> None:
        assert judge(actual, 100, LATE, RULE) is expected

    def test_band_edge_with_a_non_round_plan(self) -> None:
        planned = 27_900 / 159.43
        assert judge(planned * 0.9, planned, LATE, RULE) is Pace.NORMAL
        assert judge(planned * 0.9 - 0.01, planned, LATE, RULE) is Pace.TOO_SLOW
        assert judge(planned * 1.1, planned, LATE, RULE) is Pace.NORMAL
        assert judge(planned * 1.1 + 0.01, planned, LATE, RULE) is Pace.TOO_FAST

    def test_custom_band(self) -> None:
        rule = PaceRule(band=0.05, hysteresis=0.01)
        assert judge(94, 100, LATE, rule) is Pace.TOO_SLOW
        assert judge(95, 100, LATE, rule) is Pace.NORMAL
        assert judge(106, 100, LATE, rule) is Pace.TOO_FAST


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
        assert judge(actual, 100, LATE, RULE, previous=Pace.TOO_SLOW) is expected

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
        assert judge(actual, 100, LATE, RULE, previous=Pace.TOO_FAST) is expected

    def test_entering_needs_the_full_band(self) -> None:
        assert judge(91, 100, LATE, RULE, previous=Pace.NORMAL) is Pace.NORMAL
        assert judge(109, 100, LATE, RULE, previous=Pace.NORMAL) is Pace.NORMAL

    def test_without_hysteresis_the_band_edge_releases(self) -> None:
        rule = PaceRule(hysteresis=0)
        assert judge(90, 100, LATE, rule, previous=Pace.TOO_SLOW) is Pace.NORMAL
        assert judge(110, 100, LATE, rule, previous=Pace.TOO_FAST) is Pace.NORMAL

    def test_a_shift_walk_without_flapping(self) -> None:
        pace = Pace.NORMAL
        seen = []
        for actual in (100, 95, 91, 89, 90.5, 91.5, 90.5, 92.5, 95, 111, 109, 108.5, 107):
            pace = judge(actual, 100, LATE, RULE, previous=pace)
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
        ],
    )
    def test_bad_settings(self, kwargs: dict[str, float], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            PaceRule(**kwargs)
