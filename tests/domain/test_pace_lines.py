"""The pace judge over whole generated lines: on takt, off takt, and noisy but steady.

A line is a list of completion instants in planned working seconds from the shift
start; the plan at ``t`` is ``t / takt``. The judge is asked at every completion, just
before it, and on a grid of an eighth of the shorter of the two cycles, as a station
asks it at each count and at least every ``tick_s``.

The line's ``k``-th unit (k = 1, 2, ...) completes at ``(k - 1 + phase + jitter_k) * cycle``
with ``phase`` in [0, 1] (where in its cycle the line starts) and ``|jitter_k| <= j``
(each unit early or late by up to ``j`` of its own cycle, never drifting).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from hypothesis import example, given, settings
from hypothesis import strategies as st

from andon.domain.pace import Pace, PaceRule, judge

LINES = settings(max_examples=150, deadline=None)


def completions(cycle_s: float, phase: float, jitter: Sequence[float], units: int) -> list[float]:
    """Completion instants of ``units`` units (``jitter`` repeats if shorter)."""
    return [
        (k + phase + (jitter[k % len(jitter)] if jitter else 0.0)) * cycle_s for k in range(units)
    ]


def walk(
    done: Sequence[float], takt_s: float, horizon_s: float, rule: PaceRule, step_s: float
) -> list[tuple[float, Pace]]:
    """Every change of the judgement, with its instant, over ``[0, horizon_s]``."""
    instants = {i * step_s for i in range(int(horizon_s / step_s) + 1)}
    for at in done:
        if at <= horizon_s:
            instants.update((max(0.0, at - 1e-6), at))
    pace, changes = Pace.NORMAL, []
    for t in sorted(instants):
        now = judge(bisect_right(done, t), t / takt_s, t, rule, pace)
        if now is not pace:
            changes.append((t, now))
            pace = now
    return changes


takts = st.floats(20, 600)
phases = st.floats(0, 1)
rules = st.builds(
    lambda tol, hyst, band, hshare, grace: PaceRule(
        band=band,
        hysteresis=band * hshare,
        tolerance_units=tol,
        hysteresis_units=hyst,
        min_elapsed_s=grace,
    ),
    st.floats(1, 5),
    st.floats(1, 5),
    st.floats(0.02, 0.3),
    st.floats(0, 0.95),
    st.sampled_from([0.0, 600.0]),
)


def within(bound: float, shares: list[float]) -> list[float]:
    """Jitter of each unit, ``share * bound`` (a hair inside the bound)."""
    return [share * bound * (1 - 1e-6) for share in shares]


class TestOnTakt:
    @LINES
    @given(
        takts,
        phases,
        st.lists(st.floats(-0.5, 0.5), max_size=40),
        st.sampled_from([0.0, 600.0]),
    )
    @example(160.0, 1.0, [], 600.0)  # the simulated line: a unit every 160 s from 06:07:40
    @example(160.0, 0.0, [], 0.0)
    @example(45.0, 1.0, [0.5, -0.5], 0.0)
    def test_a_line_on_takt_never_leaves_normal(
        self, takt_s: float, phase: float, jitter: list[float], grace: float
    ) -> None:
        """Whatever its phase, and each unit up to half a cycle early or late: never judged."""
        rule = PaceRule(min_elapsed_s=grace)
        units = 200
        done = completions(takt_s, phase, jitter, units)
        assert walk(done, takt_s, (units - 2) * takt_s, rule, takt_s / 8) == []

    @LINES
    @given(takts, st.floats(0, 0.3), st.booleans(), phases, st.lists(st.floats(-1, 1)), rules)
    @example(160.0, 0.1, False, 0.0, [], PaceRule(min_elapsed_s=0))  # 10 % slow, worst phase
    @example(160.0, 0.1, True, 1.0, [], PaceRule(min_elapsed_s=0))  # 10 % fast, worst phase
    def test_a_steady_line_within_the_band_never_leaves_normal(
        self,
        takt_s: float,
        off: float,
        fast: bool,
        phase: float,
        shares: list[float],
        rule: PaceRule,
    ) -> None:
        """Any steady rate within the percentage (up to ``band`` off takt), any phase, each
        unit up to ``tolerance_units - 1`` of a cycle early or late: never judged, however
        small the plan (the tolerance takes in the unit always in progress)."""
        rate = 1 + min(off, rule.band) * (1 if fast else -1)
        cycle_s = takt_s / rate
        jitter = within(min(0.5, rule.tolerance_units - 1), shares)
        done = completions(cycle_s, phase, jitter, 220)
        assert walk(done, takt_s, 180 * takt_s, rule, min(takt_s, cycle_s) / 8) == []


class TestOffTakt:
    @LINES
    @given(
        st.floats(40, 600),
        phases,
        st.sampled_from([0.8, 1.2]),
        st.lists(st.floats(-0.05, 0.05), max_size=20),
    )
    @example(160.0, 0.0, 0.8, [])  # the worst phase for a slow line
    @example(160.0, 1.0, 1.2, [])  # and for a fast one
    def test_80_or_120_percent_is_judged_within_17_cycles_and_stays(
        self, takt_s: float, phase: float, rate: float, jitter: list[float]
    ) -> None:
        """At 80 % or 120 % of takt's rate, each unit up to 0.05 cycle early or late:
        judged too slow or too fast within 17 takt cycles of planned time
        ((1.5 + 1.2 x 0.05) / (20 % - 10 %) = 15.6, and the next count), and never
        released."""
        cycle_s = takt_s / rate
        horizon_s = 150 * takt_s
        done = completions(cycle_s, phase, jitter, int(horizon_s / cycle_s) + 3)
        changes = walk(done, takt_s, horizon_s, PaceRule(), min(takt_s, cycle_s) / 8)
        expected = Pace.TOO_SLOW if rate < 1 else Pace.TOO_FAST
        assert [pace for _, pace in changes] == [expected]
        assert changes[0][0] <= 17 * takt_s

    @LINES
    @given(takts, st.floats(0.05, 0.5), st.booleans(), phases, rules)
    @example(
        20.0,
        0.05,
        True,
        1.0,
        PaceRule(
            band=0.1, hysteresis=0.0, tolerance_units=1.0, hysteresis_units=1.0, min_elapsed_s=0.0
        ),
    )
    def test_beyond_the_band_is_judged_by_the_formula(
        self, takt_s: float, extra: float, fast: bool, phase: float, rule: PaceRule
    ) -> None:
        """A steady line off takt by ``band + extra`` is judged within
        ``tolerance_units / extra`` takt cycles and one cycle of its own, whatever its
        phase (or at the end of the grace): in the worst phase the gap just before a
        count (too slow) or at it (too fast) is the drift itself."""
        off = rule.band + extra
        rate = 1 + off if fast else max(0.05, 1 - off)
        cycle_s = takt_s / rate
        due_s = max(rule.min_elapsed_s, rule.tolerance_units / extra * takt_s)
        horizon_s = due_s + 2 * cycle_s
        done = completions(cycle_s, phase, [], int(horizon_s / cycle_s) + 3)
        changes = walk(done, takt_s, horizon_s, rule, min(takt_s, cycle_s) / 8)
        assert changes, "never judged"
        assert changes[0][1] is (Pace.TOO_FAST if fast else Pace.TOO_SLOW)
        assert changes[0][0] <= due_s + cycle_s + 1e-9  # the worst phase reaches it exactly


class TestSteadyNoisyLine:
    @LINES
    @given(
        takts,
        st.floats(0.5, 1.5),
        phases,
        st.lists(st.floats(-1, 1), max_size=40),
        rules,
    )
    @example(160.0, 0.9, 0.0, [0.99, -0.99, 0.5], PaceRule(min_elapsed_s=0))
    @example(60.0, 0.9, 1.0, [-0.99, 0.99], PaceRule(min_elapsed_s=0))
    @example(60.0, 1.1, 0.5, [0.99, -0.99, -0.99], PaceRule(min_elapsed_s=0))
    def test_never_enters_an_abnormal_state_twice(
        self, takt_s: float, rate: float, phase: float, shares: list[float], rule: PaceRule
    ) -> None:
        """A line at any steady rate, each unit early or late by up to
        ``(min(tolerance_units, hysteresis_units) - 1) / 2`` of its cycle (0.25 by default):
        too slow and too fast each come at most once in a shift of 300 cycles, so the
        judgement never flaps, even at the very edge of the band (rate 90 %, 110 %)."""
        jitter = within((min(rule.tolerance_units, rule.hysteresis_units) - 1) / 2, shares)
        cycle_s = takt_s / rate
        horizon_s = 300 * takt_s
        done = completions(cycle_s, phase, jitter, int(horizon_s / cycle_s) + 3)
        changes = walk(done, takt_s, horizon_s, rule, min(takt_s, cycle_s) / 8)
        entered = [pace for _, pace in changes if pace is not Pace.NORMAL]
        assert len(entered) == len(set(entered)), changes
