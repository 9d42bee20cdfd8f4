"""An hourly row is taken or refused the same by the quick check and the one that names
what is wrong (``_hour`` takes the common row at once and leaves any other to it)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from andon.board.station_data import _hour, _hour_checked
from andon.bus.fields import get_instant
from andon.bus.messages import MessageError

GOOD = {
    "start": "2026-12-07T21:00:00.000Z",
    "end": "2026-12-07T22:00:00.000Z",
    "planned": 20.62,
    "actual": 3,
    "difference": -17.62,
    "variance": -1.0,
    "complete": True,
    "unexplained": False,
    "cause": None,
}
odd = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=5),
    st.sampled_from([0.0, -1.5, 20.62, float("inf"), float("nan"), 1.0]),
    st.sampled_from(["", "x", "2026-12-07T21:00:00.000Z", "2026-12-07T25:00:00Z"]),
    st.just({"reason": "material"}),
    st.just([]),
)


def _outcome(read: Any, row: dict[str, Any]) -> Any:
    try:
        return ("taken", read(row))
    except MessageError as exc:
        return ("refused", str(exc))


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(sorted(GOOD)), odd, max_size=4),
    st.sets(st.sampled_from(sorted(GOOD)), max_size=3),
)
def test_the_quick_check_takes_and_refuses_what_the_full_one_does(
    changed: dict[str, Any], removed: set[str]
) -> None:
    get_instant(GOOD, "start", "hour")  # the instants of the good row have been read before
    row = {k: v for k, v in {**GOOD, **changed}.items() if k not in removed}
    assert _outcome(_hour, row) == _outcome(_hour_checked, row)


def test_the_common_row_reads_the_same_both_ways() -> None:
    get_instant(GOOD, "start", "hour")
    get_instant(GOOD, "end", "hour")
    assert _hour(GOOD) == _hour_checked(GOOD)
    assert _hour(GOOD).__dict__ == _hour_checked(GOOD).__dict__
