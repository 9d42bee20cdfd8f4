"""Plan and difference as displayed agree: displayed actual − displayed plan = displayed diff."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from andon.board import formatting as fmt
from andon.domain.shown_figures import shown_difference, shown_plan


def _read(text: str) -> Decimal:
    return Decimal(text.replace(fmt.MINUS, "-"))


def test_the_line_that_did_not_add_up() -> None:
    # 9.55 units planned, 13 made: the true difference 3.45 would read "+3.5" beside "9.6".
    assert fmt.number(shown_plan(9.55)) == "9.6"
    assert fmt.signed(shown_difference(13, 9.55)) == "+3.4"
    assert fmt.signed(shown_difference(9, 9.55)) == "−0.6"
    assert fmt.signed(shown_difference(10, 9.96)) == "0.0"


@given(
    actual=st.integers(min_value=0, max_value=100_000),
    planned=st.floats(min_value=0, max_value=100_000, allow_nan=False, allow_infinity=False),
)
def test_displayed_actual_minus_displayed_plan_is_displayed_difference(
    actual: int, planned: float
) -> None:
    plan_text = fmt.number(shown_plan(planned))
    diff_text = fmt.signed(shown_difference(actual, planned))
    assert _read(fmt.number(actual)) - _read(plan_text) == _read(diff_text)
