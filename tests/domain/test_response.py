"""MTTA / MTTR spreads: worked examples and invariants."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from andon.domain.response import CallTimes, response_times, spread


def test_worked_example() -> None:
    s = spread([180, 90, 780, 1320])
    assert (s.count, s.mean_s, s.median_s, s.p90_s) == (4, 592.5, 480.0, 1320)
    assert spread([]).mean_s is None
    ten = spread(list(range(1, 11)))
    assert ten.p90_s == 9  # nearest rank: 9 of 10 calls took at most 9 s


def test_only_acknowledged_and_resolved_calls_count() -> None:
    times = response_times(
        [
            CallTimes("resolved", 40, 180),
            CallTimes("cancelled", None, 10),
            CallTimes("acknowledged", 30, None),
        ]
    )
    assert times.calls == 3
    assert (times.acknowledge.count, times.acknowledge.mean_s) == (2, 35)
    assert (times.repair.count, times.repair.mean_s) == (1, 180)


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=200))
def test_spread_lies_within_the_durations(durations: list[float]) -> None:
    s = spread(durations)
    low, high = min(durations), max(durations)
    assert s.count == len(durations)
    assert low - 1e-6 <= s.mean_s <= high + 1e-6
    assert low <= s.median_s <= s.p90_s <= high
    assert s.p90_s in durations
